"""The neutral grid between `extract/` and `normalize/`.

Extractors know file formats and produce these records; normalizers know
Vietnamese plans and consume them. Neither side imports the other.

The grid holds geometry and text only, never what a piece means: tables as cells
(with spans, page and box), running text as `Line`s. A PDF line carries its words
with their boxes (`Line.words`), so the normalizer can see blocks standing side by
side (the page header); a DOCX paragraph split by tab stops is one `Line` per piece,
the pieces sharing the paragraph's `order`, left to right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# A manual line break or a wrapped line inside a paragraph of cell or line text; paragraphs
# are separated by "\n". Extractors write it, the normalizer joins the wrapped lines.
SOFT_BREAK = "\u2028"

# How the normalizer's steps get the text cleaner: (raw text, font name) → clean text.
Clean = Callable[[str, str], str]

# The `font` of cells and lines read by OCR: the normalizer repairs Tesseract's tone errors there only.
OCR_FONT = "OCR"


@dataclass
class Cell:
    """One cell as the document draws it (a merged cell appears once, at its origin).

    `text` keeps paragraph breaks as "\\n" exactly as extracted (not yet repaired),
    so the normalizer decides how to clean it.
    """

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (PDF points)
    font: str = ""  # dominant font name, used to detect legacy encodings (".VnTime", "VNI-Times")
    conf: float | None = None  # OCR: the lowest word confidence in the cell (0-100); None when read from a text layer


@dataclass
class Word:
    """A word with its box on the page: what OCR gives, and what line-less table detection works from.

    `conf` is the recognizer's confidence (0-100) for OCR words, None for words from a text layer.
    `size` is the font size (points) of a word from a text layer, the unit of its spacing.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float | None = None
    size: float | None = None


@dataclass
class Table:
    """A table piece: a DOCX table, or the part of a PDF table on one page.

    `n_cols` counts grid columns (after gridSpan), `n_rows` grid rows. `page` is the
    first page of the piece (1-based; None when the format has no pages).
    `col_edges` are the x positions of the column boundaries (PDF only), which
    decide whether pieces on consecutive pages continue one table.
    """

    cells: list[Cell]
    n_rows: int
    n_cols: int
    page: int | None = None
    index: int = 0  # order of the table among the document's tables
    order: int = 0  # position in the document flow, shared with Line.order
    col_edges: list[float] | None = None
    ruled: bool = True  # False when columns were inferred from word positions
    notes: list[tuple[str, str]] = field(default_factory=list)  # (warning code, message) from the extractor

    def matrix(self) -> list[list[Cell | None]]:
        """A dense n_rows x n_cols matrix; each position holds the cell covering it."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.n_cols)):
                    grid[r][c] = cell
        return grid


@dataclass
class Line:
    """A line of running text outside tables, with its position when known.

    `words` are the line's words left to right with their boxes (PDF; empty when the
    format has no positions): `text` is them joined by single spaces. Lines that
    share `order` are the tab-separated pieces of one paragraph (DOCX).
    """

    text: str
    page: int | None = None
    x0: float | None = None
    top: float | None = None
    font: str = ""
    order: int = 0  # position in the document flow, shared with Table.order
    words: list[Word] = field(default_factory=list)


@dataclass
class Grid:
    """Everything an extractor read from one file, in document order."""

    source: str
    tables: list[Table] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # paragraphs / page text outside tables
    pages: int | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (warning code, message)
