"""PDF → Grid: glyphs and ruling lines read once per page, tables from the rules.

Each page is parsed once by pdfminer (through pdfplumber's layout, without its
per-object dictionaries); glyphs and rules are turned into plain records, tables come
from the rules (`pdf_tables`), text from the glyphs' geometry (`pdf_words`). A table
running over several pages gives one `Table` per page: the normalizer joins them,
drops the repeated header and merges rows cut by the page break.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTLine, LTRect, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from phuluc.extract.pdf_tables import Segment, TableBox, find_tables, gutters
from phuluc.extract.pdf_words import (
    Glyph,
    block_text,
    dedupe,
    dominant_font,
    font_name,
    group_lines,
    line_words,
    split_segments,
)
from phuluc.schema import SOFT_BREAK, Cell, Grid, Line, Table
from phuluc.schema.errors import DamagedFile, NoTextLayer, PasswordRequired, TooLarge

# A filled rectangle this thin is a rule, not a box.
THIN = 2.0


class _Page:
    """One page reduced to glyphs and rules, in the reading frame (text runs left to right)."""

    def __init__(self, number: int, width: float, height: float) -> None:
        self.number = number
        self.width = width
        self.height = height
        self.glyphs: list[Glyph] = []
        self.rules: list[Segment] = []


def _is_white(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.99
    values = list(color)
    if len(values) == 4:  # CMYK
        return all(v <= 0.01 for v in values)
    return bool(values) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def _walk(objs, out_chars: list, out_shapes: list) -> None:
    for obj in objs:
        if isinstance(obj, LTChar):
            out_chars.append(obj)
        elif isinstance(obj, (LTFigure, LTTextBox, LTTextLine)):
            _walk(obj, out_chars, out_shapes)
        elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
            out_shapes.append(obj)


def _direction(chars: list) -> tuple[int, int]:
    """The dominant writing direction (a unit vector in PDF space) of a page's glyphs."""
    votes: dict[tuple[int, int], int] = {}
    for ch in chars[:400]:
        a, b = ch.matrix[0], ch.matrix[1]
        if abs(a) >= abs(b):
            d = (1 if a >= 0 else -1, 0)
        else:
            d = (0, 1 if b > 0 else -1)
        votes[d] = votes.get(d, 0) + 1
    return max(votes, key=lambda d: votes[d]) if votes else (1, 0)


def _read_page(page, number: int) -> _Page:
    layout = page.layout
    chars: list = []
    shapes: list = []
    _walk(layout, chars, shapes)
    width, height = layout.width, layout.height
    d = _direction(chars)
    # Reading frame: x along the writing direction, "top" growing down the lines.
    if d == (1, 0):
        def frame(x0, y0, x1, y1):
            return x0, height - y1, x1, height - y0
    else:
        dx, dy = d
        nx, ny = dy, -dx  # the direction rotated clockwise: where the next line goes

        def frame(x0, y0, x1, y1):
            us = (x0 * dx + y0 * dy, x1 * dx + y1 * dy, x0 * dx + y1 * dy, x1 * dx + y0 * dy)
            vs = (x0 * nx + y0 * ny, x1 * nx + y1 * ny, x0 * nx + y1 * ny, x1 * nx + y0 * ny)
            return min(us), min(vs), max(us), max(vs)

        width, height = (height, width) if d[0] == 0 else (width, height)
    out = _Page(number, width, height)
    fonts: dict[str, str] = {}
    for ch in chars:
        text = ch.get_text()
        if not text:
            continue
        x0, top, x1, bottom = frame(ch.x0, ch.y0, ch.x1, ch.y1)
        raw = ch.fontname
        name = fonts.get(raw)
        if name is None:
            name = fonts[raw] = font_name(raw if isinstance(raw, str) else str(raw))
        out.glyphs.append(Glyph(text, x0, x1, top, bottom, ch.size, name))
    out.glyphs = dedupe(out.glyphs)
    for shape in shapes:
        if not (shape.stroke or shape.fill):
            continue
        if isinstance(shape, LTRect):
            x0, top, x1, bottom = frame(shape.x0, shape.y0, shape.x1, shape.y1)
            w, h = x1 - x0, bottom - top
            if h <= THIN and w > THIN:
                out.rules.append(Segment(True, (top + bottom) / 2, x0, x1))
            elif w <= THIN and h > THIN:
                out.rules.append(Segment(False, (x0 + x1) / 2, top, bottom))
            elif w > THIN and h > THIN and (shape.stroke or not _is_white(shape.non_stroking_color)):
                out.rules += [
                    Segment(True, top, x0, x1), Segment(True, bottom, x0, x1),
                    Segment(False, x0, top, bottom), Segment(False, x1, top, bottom),
                ]
        else:
            pts = shape.pts if not isinstance(shape, LTLine) else [shape.pts[0], shape.pts[-1]]
            for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
                x0, top, x1, bottom = frame(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                if bottom - top <= 1.0 and x1 - x0 > THIN:
                    out.rules.append(Segment(True, (top + bottom) / 2, x0, x1))
                elif x1 - x0 <= 1.0 and bottom - top > THIN:
                    out.rules.append(Segment(False, (x0 + x1) / 2, top, bottom))
    return out


# --- open ---------------------------------------------------------------------------


def _open(path: Path, password: str | None):
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise PasswordRequired("wrong password" if password else None) from None
        if isinstance(cause, PDFEncryptionError):
            raise DamagedFile(f"unsupported PDF encryption: {cause}") from None
        raise DamagedFile(f"not a readable PDF: {type(cause).__name__}: {str(cause)[:120]}") from None
    except PDFPasswordIncorrect:
        raise PasswordRequired("wrong password" if password else None) from None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as e:
        raise DamagedFile(f"not a readable PDF: {type(e).__name__}: {str(e)[:120]}") from None


# --- page content → grid ------------------------------------------------------------


class _Builder:
    def __init__(self) -> None:
        self.grid = Grid(source="")
        self.order = 0

    def next_order(self) -> int:
        self.order += 1
        return self.order

    def add_page(self, page: _Page) -> None:
        page.glyphs = _drop_struck(page.glyphs, page.rules)
        boxes = find_tables(page.rules)
        per_cell: list[list[list[Glyph]]] = [[[] for _ in t.cells] for t in boxes]
        loose: list[Glyph] = []
        for g in page.glyphs:
            cx, cy = g.cx, g.cy
            for t, box in enumerate(boxes):
                i = box.cell_at(cx, cy)
                if i is not None:
                    per_cell[t][i].append(g)
                    break
            else:
                loose.append(g)
        items: list[tuple[float, object]] = []
        for box, cell_glyphs in zip(boxes, per_cell, strict=True):
            table = self._ruled_table(box, cell_glyphs, page.number)
            if table is not None:
                items.append((box.ys[0], table))
            else:
                loose += [g for gs in cell_glyphs for g in gs]
        lines = group_lines(loose)
        if not boxes:
            table, lines = _borderless_table(lines, page)
            if table is not None:
                items.append((table.cells[0].bbox[1] if table.cells else 0.0, table))
        for line in lines:
            items.append((line[0].top, line))
        items.sort(key=lambda it: it[0])
        for _, item in items:
            order = self.next_order()
            if isinstance(item, Table):
                item.order = order
                item.index = len(self.grid.tables)
                self.grid.tables.append(item)
            else:
                words = line_words(item)
                self.grid.lines.append(Line(" ".join(w.text for w in words), page=page.number, x0=item[0].x0,
                                            top=item[0].top, font=dominant_font(item), order=order, words=words))

    def _ruled_table(self, box: TableBox, cell_glyphs: list[list[Glyph]], page: int) -> Table | None:
        if not any(cell_glyphs):
            return None
        cells: list[Cell] = []
        for cb, glyphs in zip(box.cells, cell_glyphs, strict=True):
            lines = group_lines(glyphs)
            text = block_text(lines, cb.bbox[0], cb.bbox[2]) if lines else ""
            cells.append(Cell(cb.row, cb.col, text, cb.rowspan, cb.colspan, page, cb.bbox, dominant_font(glyphs)))
        return Table(cells, len(box.ys) - 1, len(box.xs) - 1, page=page, col_edges=list(box.xs), ruled=True)


def _drop_struck(glyphs: list[Glyph], rules: list[Segment]) -> list[Glyph]:
    """Drop struck-through text: a tracked deletion printed as shown (LibreOffice, Word)
    reads, like the DOCX, as deleted. A strike crosses the glyph's middle; an underline
    (a tracked insertion, a link) lies under it and keeps the text."""
    strikes = [r for r in rules if r.horizontal and r.end - r.start < 400]
    if not strikes or not glyphs:
        return glyphs
    by_top = sorted(glyphs, key=lambda g: g.top)
    tops = [g.top for g in by_top]
    tallest = max(g.bottom - g.top for g in glyphs)
    struck: set[int] = set()
    for r in strikes:
        lo = bisect.bisect_left(tops, r.pos - tallest)
        hi = bisect.bisect_right(tops, r.pos)
        for g in by_top[lo:hi]:
            h = g.bottom - g.top
            if h > 0 and 0.3 <= (r.pos - g.top) / h <= 0.85 and r.start - 0.5 <= g.cx <= r.end + 0.5:
                struck.add(id(g))
    if not struck:
        return glyphs
    return [g for g in glyphs if id(g) not in struck]


def _borderless_table(lines: list[list[Glyph]], page: _Page) -> tuple[Table | None, list[list[Glyph]]]:
    """Columns from word positions when a page has no rules: the longest run of lines split
    into three or more segments at the same gutters is a table; rows start where the first
    column has text."""
    if len(lines) < 3:
        return None, lines
    seg_lines = [split_segments(line, gap_em=1.2) for line in lines]
    best: tuple[int, int] | None = None
    i = 0
    while i < len(lines):
        if len(seg_lines[i]) >= 3:
            j = i + 1
            while j < len(lines) and (len(seg_lines[j]) >= 2 or _continues(seg_lines, i, j)):
                j += 1
            if j - i >= 2 and (best is None or j - i > best[1] - best[0]):
                best = (i, j)
            i = j
        else:
            i += 1
    if best is None:
        return None, lines
    start, end = best
    body = lines[start:end]
    left = min(g.x0 for line in body for g in line)
    right = max(g.x1 for line in body for g in line)
    size = max(body[0][0].size, 1.0)
    # The header's titles may run into each other (centered in their columns); the data
    # lines below give the gutters when there are enough of them.
    sample = body[1:] if len(body) >= 3 else body
    spans = [[(min(g.x0 for g in s), max(g.x1 for g in s)) for s in split_segments(line, gap_em=0.6)] for line in sample]
    xs = [left - 1] + gutters(spans, left, right, 0.6 * size) + [right + 1]
    if len(xs) < 4:
        return None, lines
    n_cols = len(xs) - 1
    rows: list[list[list[list[Glyph]]]] = []  # row -> col -> lines
    row_tops: list[float] = []
    for line in body:
        cols: list[list[Glyph]] = [[] for _ in range(n_cols)]
        for g in line:
            c = min(max(bisect.bisect_right(xs, g.cx) - 1, 0), n_cols - 1)
            cols[c].append(g)
        new_row = not rows or (cols[0] and any(not g.text.isspace() for g in cols[0]))
        if new_row:
            rows.append([[] for _ in range(n_cols)])
            row_tops.append(line[0].top)
        for c in range(n_cols):
            if cols[c]:
                rows[-1][c].append(cols[c])
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        for c in range(n_cols):
            col_lines = row[c]
            text = block_text(col_lines, xs[c], xs[c + 1], forced_break=SOFT_BREAK) if col_lines else ""
            glyphs = [g for ln in col_lines for g in ln]
            bbox = None
            if glyphs:
                bbox = (xs[c], min(g.top for g in glyphs), xs[c + 1], max(g.bottom for g in glyphs))
            cells.append(Cell(r, c, text, 1, 1, page.number, bbox, dominant_font(glyphs)))
    table = Table(cells, len(rows), n_cols, page=page.number, col_edges=xs, ruled=False,
                  notes=[("borderless-table", f"page {page.number}: columns inferred from word positions (no ruling lines)")])
    rest = lines[:start] + lines[end:]
    return table, rest


def _continues(seg_lines: list[list[list[Glyph]]], start: int, j: int) -> bool:
    """A one-segment line inside a borderless table (a wrapped cell line), not the text after it."""
    if len(seg_lines[j]) != 1:
        return False
    line = seg_lines[j][0]
    head = seg_lines[start]
    return min(g.x0 for g in line) > max(g.x1 for g in head[0]) and j + 1 < len(seg_lines) and len(seg_lines[j + 1]) >= 2


_PAGE_NUMBER = re.compile(r"^\s*[-–]?\s*\d{1,4}\s*[-–]?\s*$")


def read_pdf(path: str | Path, password: str | None = None, max_pages: int = 2000) -> Grid:
    """Read a PDF into a Grid: ruled (or borderless) tables per page, page text as lines."""
    path = Path(path)
    pdf = _open(path, password)
    try:
        builder = _Builder()
        try:
            pages = pdf.pages
        except Exception as e:  # noqa: BLE001 - a broken page tree: nothing to recover
            raise DamagedFile(f"the PDF's page tree is damaged: {type(e).__name__}") from None
        if len(pages) > max_pages:
            raise TooLarge(f"the PDF has {len(pages)} pages (limit {max_pages})")
        if not pages:
            raise DamagedFile("the PDF has no pages")
        failed: list[int] = []
        glyphs = 0
        for number, page in enumerate(pages, start=1):
            try:
                read = _read_page(page, number)
            except (PasswordRequired, TooLarge):
                raise
            except Exception:  # noqa: BLE001 - one damaged page must not lose the others
                failed.append(number)
                continue
            finally:
                page.close()
            glyphs += len(read.glyphs)
            builder.add_page(read)
        if len(failed) == len(pages):
            raise DamagedFile("no page of the PDF could be read")
        if glyphs == 0:
            raise NoTextLayer()
        grid = builder.grid
        grid.lines = [ln for ln in grid.lines if not _PAGE_NUMBER.match(ln.text)]
        grid.source = path.name
        grid.pages = len(pages)
        if failed:
            grid.notes.append(("partial-recovery", f"pages {_ranges(failed)} of {len(pages)} could not be read"))
        return grid
    finally:
        pdf.close()


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
