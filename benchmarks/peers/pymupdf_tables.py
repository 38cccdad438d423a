"""PyMuPDF `page.find_tables()` (default strategy "lines"), every page."""

from importlib.metadata import version

import _common
import pymupdf


def extract(path):
    tables = []
    with pymupdf.open(path) as doc:
        for page in doc:
            tables += [t.extract() for t in page.find_tables().tables]
    return tables


if __name__ == "__main__":
    _common.main("pymupdf", version("pymupdf"), extract)
