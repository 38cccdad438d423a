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
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from phuluc.extract.pdf_lineless import lineless_tables
from phuluc.extract.pdf_ocr import PageOcr
from phuluc.extract.pdf_page import Page as _Page
from phuluc.extract.pdf_page import direction, is_white, polyline_rules, reading_frame, rect_rules
from phuluc.extract.pdf_streams import refuse_inflation_bombs, stream_limit
from phuluc.extract.pdf_tables import Segment, TableBox, assign, find_tables
from phuluc.extract.pdf_text_layer import REPLACEMENT, TextLayer, image_cover, is_undecodable, judge_text_layer
from phuluc.extract.pdf_words import (
    Glyph,
    block_text,
    dedupe,
    dominant_font,
    font_name,
    group_lines,
    line_words,
)
from phuluc.schema import Cell, Grid, Line, Table
from phuluc.schema.errors import DamagedFile, NoTextLayer, OcrUnavailable, PasswordRequired, TooLarge, UndecodableText


def _walk(objs, out_chars: list, out_shapes: list, out_images: list | None = None) -> None:
    for obj in objs:
        if isinstance(obj, LTChar):
            out_chars.append(obj)
        elif isinstance(obj, (LTFigure, LTTextBox, LTTextLine)):
            _walk(obj, out_chars, out_shapes, out_images)
        elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
            out_shapes.append(obj)
        elif isinstance(obj, LTImage) and out_images is not None:
            out_images.append((obj.x0, obj.y0, obj.x1, obj.y1))


def _read_page(page, number: int) -> _Page:
    """One page through pdfplumber (pdfminer's layout, without its per-object dictionaries)."""
    layout = page.layout
    chars: list = []
    shapes: list = []
    images: list = []
    _walk(layout, chars, shapes, images)
    layer = judge_text_layer([ch.get_text() for ch in chars], image_cover(images, layout.width, layout.height))
    d = direction((ch.matrix[0], ch.matrix[1]) for ch in chars[:400])
    frame, width, height = reading_frame(d, layout.width, layout.height)
    out = _Page(number, width, height)
    out.text_layer = layer
    if layer.reason == "undecodable":
        chars = []  # glyph ids, not text (a stamp on a scan is kept: it is text, only not the page's)
    fonts: dict[str, str] = {}
    for ch in chars:
        text = ch.get_text()
        if not text or (ch.x1 <= ch.x0 and ch.y1 <= ch.y0):
            continue  # text drawn at size 0 is invisible and has no place (PDFium skips it too)
        if layer.undecodable and is_undecodable(text):
            text = REPLACEMENT
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
            box = (shape.x0, shape.y0, shape.x1, shape.y1)
            out.rules += rect_rules(box, shape.stroke, is_white(shape.non_stroking_color), frame)
        else:
            pts = shape.pts if not isinstance(shape, LTLine) else [shape.pts[0], shape.pts[-1]]
            out.rules += polyline_rules(pts, frame)
    return out


# --- open ---------------------------------------------------------------------------


def _open(path: Path, password: str | None):
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, (TooLarge, MemoryError)):
            raise cause from None
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
        # Page → the columns of the next page's line-less table, for a page whose own rows are too
        # few to show them (a first page of one row under the header); set by a second pass.
        self.next_columns: dict[int, list[float]] = {}

    def next_order(self) -> int:
        self.order += 1
        return self.order

    def add_page(self, page: _Page) -> None:
        page.glyphs = _drop_struck(page.glyphs, page.rules)
        boxes = [b for b in find_tables(page.rules) if not _rows_without_columns(b)]
        per_cell: list[list[list[Glyph]]] = [[[] for _ in t.cells] for t in boxes]
        loose: list[Glyph] = []
        places = assign([((g.x0 + g.x1) / 2, (g.top + g.bottom) / 2) for g in page.glyphs], boxes) if boxes else []
        for g, place in zip(page.glyphs, places or [None] * len(page.glyphs), strict=True):
            if place is None:
                loose.append(g)
            else:
                per_cell[place[0]][place[1]].append(g)
        items: list[tuple[float, object]] = []
        for box, cell_glyphs in zip(boxes, per_cell, strict=True):
            table = self._ruled_table(box, cell_glyphs, page.number)
            if table is not None:
                items.append((box.ys[0], table))
            else:
                loose += [g for gs in cell_glyphs for g in gs]
        lines = group_lines(loose)
        if not boxes:
            tables, lines = lineless_tables(lines, page.number, page.width, self.grid.notes, self.grid.tables,
                                            after=self.next_columns.get(page.number))
            items += [(min(c.bbox[1] for c in t.cells), t) for t in tables]
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


def _rows_without_columns(box: TableBox) -> bool:
    """A frame ruled into rows but not into columns (a table with horizontal borders only): its
    columns are in the words, so the page goes to the line-less reader."""
    return len(box.xs) == 2 and len(box.ys) >= 4


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


# A page number line ("12", "- 3 -"); four digits are a year ("GIAI ĐOẠN 2026" | "- 2030": a
# title wrapped before its end year), not a page of a plan.
_PAGE_NUMBER = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")


ENGINES = ("pdfium", "pdfplumber")


class _PlumberSource:
    """An open PDF whose pages are read through pdfplumber (pdfminer)."""

    engine = "pdfplumber"

    def __init__(self, path: Path, password: str | None) -> None:
        self.pdf = _open(path, password)
        try:
            self.pages = self.pdf.pages
        except Exception as e:  # noqa: BLE001 - a broken page tree: nothing to recover
            self.pdf.close()
            if isinstance(e, (TooLarge, MemoryError)):
                raise
            _raise_limit(e)
            raise DamagedFile(f"the PDF's page tree is damaged: {type(e).__name__}") from None
        self.page_count = len(self.pages)

    def read(self, index: int) -> _Page:
        page = self.pages[index]
        try:
            return _read_page(page, index + 1)
        except Exception as e:  # noqa: BLE001 - pdfplumber wraps what pdfminer raised
            _raise_limit(e)
            raise
        finally:
            page.close()

    def close(self) -> None:
        self.pdf.close()


def _source(path: Path, password: str | None, engine: str):
    """The PDF opened by `engine` with the given password; when that fails, with the empty one
    (an owner-password-only PDF opens without any, whatever password the batch was given)."""
    try:
        return _open_source(path, password, engine)
    except PasswordRequired:
        if not password:
            raise
        try:
            return _open_source(path, None, engine)
        except PasswordRequired:
            raise PasswordRequired("wrong password") from None


def _open_source(path: Path, password: str | None, engine: str):
    if engine == "pdfium":
        from phuluc.extract.pdfium_page import PdfiumSource

        return PdfiumSource(path, password)
    return _PlumberSource(path, password)


def read_pdf(path: str | Path, password: str | None = None, max_pages: int = 2000, engine: str = "pdfium",
             max_stream: int = 128 * 2**20, ocr: str = "auto", ocr_lang: str = "vie", dpi: float = 300) -> Grid:
    """Read a PDF into a Grid: ruled (or borderless) tables per page, page text as lines.

    `engine` reads the pages ("pdfium" or "pdfplumber"); a file it cannot open, or of which
    it reads no page, is tried with the other engine before it is called damaged. No stream
    may inflate to more than `max_stream` bytes (`TooLarge`): pdfminer is stopped as it
    inflates, and PDFium (which inflates in C) gets no file with a stream over the limit.
    Scanned pages are read by OCR (`ocr`: auto, always or never; see `pdf_ocr`).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r} (one of {', '.join(ENGINES)})")
    path = Path(path)
    first_error: DamagedFile | None = None
    with stream_limit(max_stream):
        for name in (engine, *(e for e in ENGINES if e != engine)):
            try:
                if name == "pdfium":
                    refuse_inflation_bombs(path, max_stream)
                return _read_with(_source(path, password, name), path, max_pages,
                                  PageOcr(path, password, ocr, ocr_lang, dpi))
            except DamagedFile as e:
                first_error = first_error or e
    raise first_error


def _read_with(source, path: Path, max_pages: int, page_ocr: PageOcr) -> Grid:
    try:
        n_pages = source.page_count
        if n_pages > max_pages:
            raise TooLarge(f"the PDF has {n_pages} pages (limit {max_pages})")
        if not n_pages:
            raise DamagedFile("the PDF has no pages")
        builder = _Builder()
        failed: list[int] = []
        layers: dict[int, TextLayer] = {}
        reads: list = []
        for index in range(n_pages):
            try:
                read = source.read(index)
                page_ocr.apply(read)
            except (PasswordRequired, TooLarge, MemoryError, OcrUnavailable):
                raise
            except Exception:  # noqa: BLE001 - one damaged page must not lose the others
                failed.append(index + 1)
                continue
            layers[index + 1] = read.text_layer
            builder.add_page(read)
            if n_pages <= SECOND_PASS_PAGES:
                reads.append(read)
        builder = _second_pass(builder, reads)
        if len(failed) == n_pages:
            raise DamagedFile("no page of the PDF could be read")
        _text_layer_notes(layers, n_pages, builder.grid)
        grid = builder.grid
        grid.lines = [ln for ln in grid.lines if not _PAGE_NUMBER.match(ln.text)]
        grid.source = path.name
        grid.pages = n_pages
        page_ocr.align_pieces(grid.tables)
        page_ocr.set_confidence(grid.tables)
        grid.notes += page_ocr.notes(_ranges)
        if failed:
            grid.notes.append(("partial-recovery", f"pages {_ranges(failed)} of {n_pages} could not be read"))
        return grid
    finally:
        page_ocr.close()
        source.close()


# The second pass keeps every page's glyphs in memory: a longer PDF goes without it (its worker
# would otherwise hold a few hundred MiB of glyphs for a rare layout).
SECOND_PASS_PAGES = 300


def _second_pass(builder: _Builder, reads: list) -> _Builder:
    """The pages again when a line-less table has fewer columns than the one on the next page
    (its few rows merged two columns): read with the next page's columns to draw on."""
    tables = [t for t in builder.grid.tables if not t.ruled]
    hints = {t.page: n.col_edges for t, n in zip(tables, tables[1:], strict=False)
             if n.page == t.page + 1 and n.n_cols > t.n_cols}
    if not hints or not reads:
        return builder
    again = _Builder()
    again.next_columns = hints
    for read in reads:
        again.add_page(read)
    return again


def _text_layer_notes(layers: dict[int, TextLayer], n_pages: int, grid: Grid) -> None:
    """Refuse a PDF none of whose pages has usable text; say which pages were not read or not fully."""
    unusable = {n: layer for n, layer in layers.items() if not layer.usable}
    undecodable = sorted(n for n, layer in unusable.items() if layer.reason == "undecodable")
    if len(unusable) == len(layers):
        if undecodable:
            raise UndecodableText()
        raise NoTextLayer()
    if undecodable:
        grid.notes.append(("undecodable-text", f"pages {_ranges(undecodable)}: the text is in fonts without a Unicode "
                                               "map and cannot be decoded; those pages were not read (OCR would read them)"))
    partly = sorted(n for n, layer in layers.items() if layer.usable and layer.undecodable)
    if partly:
        count = sum(layers[n].undecodable for n in partly)
        grid.notes.append(("undecodable-text", f"pages {_ranges(partly)}: {count} characters in fonts without a Unicode "
                                               "map could not be decoded (shown as \ufffd)"))
    scans = sorted(n for n, layer in unusable.items() if layer.scanned)
    if scans:
        grid.notes.append(("scanned-pages", f"pages {_ranges(scans)} of {n_pages} are scans without a text layer "
                                            "and were not read (OCR would read them)"))


def _raise_limit(error: BaseException) -> None:
    """Re-raise a stream-size refusal or a MemoryError that pdfplumber wrapped in its PdfminerException."""
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else None
    if isinstance(cause, (TooLarge, MemoryError)):
        raise cause from None


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
