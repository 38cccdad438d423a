"""pdfplumber's plain `page.extract_tables()` (default settings), every page."""

import _common
import pdfplumber


def extract(path):
    with pdfplumber.open(path) as pdf:
        return [t for page in pdf.pages for t in page.extract_tables()]


if __name__ == "__main__":
    _common.main("pdfplumber", pdfplumber.__version__, extract)
