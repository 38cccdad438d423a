"""python-docx's plain table reading: `[cell.text for cell in row.cells]` for every row of every table."""

from importlib.metadata import version

import _common
import docx


def extract(path):
    document = docx.Document(path)
    return [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]


if __name__ == "__main__":
    _common.main("python-docx", version("python-docx"), extract)
