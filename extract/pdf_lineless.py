"""The PDF side of line-less tables: glyph lines → words → tables, and the glyph lines left over.

The words are cut with `pdf_words`' spacing rules (space glyphs, gaps in ems, marks put
back on their letters), so a line-less table's text is spaced as well as a ruled one's.
"""

from __future__ import annotations

import bisect
import unicodedata
from typing import Final

from phuluc.extract.lineless import read_lineless_table
from phuluc.extract.pdf_words import (
    WIDE_GAP_EM,
    WORD_GAP_EM,
    Glyph,
    glyph_box,
    has_marks,
    line_text,
    most_common,
    word_glyphs,
)
from phuluc.schema import Table, Word

MAX_TABLES: Final = 4  # tables without lines on one page (a small table above the task table, ...)


def lineless_tables(
    lines: list[list[Glyph]], page: int, width: float, notes: list[tuple[str, str]], before: list[Table],
    after: list[float] | None = None,
) -> tuple[list[Table], list[list[Glyph]]]:
    """The tables without ruling lines among a page's glyph lines, and the lines outside them.

    `before` are the tables read so far: a line-less table that ended the page before lends
    its columns to the top of this page (the end of a row cut by the page break); `after`, the
    columns of the next page's table, stand in when there is none (a first page of one row)."""
    last = before[-1] if before else None
    previous = last if last is not None and not last.ruled and last.page == page - 1 else None
    columns = previous.col_edges if previous is not None else None
    if after is not None and (columns is None or len(columns) < len(after)):
        columns = after
    words: list[Word] = []
    glyphs_of: dict[int, list[Glyph]] = {}
    for line in lines:
        pieces = _line_words(line) if has_marks(line) else _plain_line_words(line)
        for w, glyphs in pieces:
            words.append(w)
            glyphs_of[id(w)] = glyphs
    tables: list[Table] = []
    rest = words
    while len(tables) < MAX_TABLES:
        table, left = read_lineless_table(rest, page, width, notes=notes if not tables else None,
                                          columns=columns if not tables else None,
                                          previous=previous if not tables else None)
        if table is None:
            break
        taken = {id(w) for w in rest} - {id(w) for w in left}
        _set_fonts(table, [g for w in rest if id(w) in taken for g in glyphs_of[id(w)]])
        tables.append(table)
        rest = left
    if not tables:
        return [], lines
    kept = {id(w) for w in rest}
    dropped = {id(g) for w in words if id(w) not in kept for g in glyphs_of[id(w)]}
    out: list[list[Glyph]] = []
    for line in lines:
        remaining = [g for g in line if id(g) not in dropped]
        if any(not g.text.isspace() for g in remaining):
            out.append(remaining)
    return tables, out


def _line_words(line: list[Glyph]) -> list[tuple[Word, list[Glyph]]]:
    """A line's words, cut apart where two cells touch (`_cell_apart`), with their glyphs."""
    return [(Word(line_text(glyphs), *glyph_box(glyphs), size=glyphs[0].size), glyphs)
            for run in word_glyphs(line) for glyphs in _cell_apart(run)]


def _plain_line_words(line: list[Glyph]) -> list[tuple[Word, list[Glyph]]]:
    """`_line_words` of a line without marks in one pass over its glyphs: the words of
    `word_glyphs`, cut by `_cell_apart`'s rule, spaced as `line_text` spaces them, boxed as
    `glyph_box` boxes them (the same rules, the hottest loop of a line-less page)."""
    wide = WIDE_GAP_EM if any(not g.text.strip() for g in line) else WORD_GAP_EM
    out: list[tuple[Word, list[Glyph]]] = []
    glyphs: list[Glyph] = []
    parts: list[str] = []
    prev: Glyph | None = None
    pending_space = False
    x0 = top = x1 = bottom = 0.0
    for g in line:
        text = g.text
        if not text.strip():
            pending_space = prev is not None
            continue
        if prev is not None:
            em = max(min(g.size, prev.size), 1.0)
            gap = g.x0 - prev.x1
            if not pending_space and gap <= wide * em and not (gap >= 0.12 * em and _true_boxes(prev, g, em)):
                if gap > WORD_GAP_EM * em:
                    parts.append(" ")
                parts.append(text)
                glyphs.append(g)
                if g.x0 < x0:
                    x0 = g.x0
                if g.top < top:
                    top = g.top
                if g.x1 > x1:
                    x1 = g.x1
                if g.bottom > bottom:
                    bottom = g.bottom
                prev = g
                continue
            out.append((Word(unicodedata.normalize("NFC", "".join(parts)), x0, top, x1, bottom,
                             size=glyphs[0].size), glyphs))
        glyphs, parts = [g], [text]
        x0, top, x1, bottom = g.x0, g.top, g.x1, g.bottom
        prev = g
        pending_space = False
    if glyphs:
        out.append((Word(unicodedata.normalize("NFC", "".join(parts)), x0, top, x1, bottom, size=glyphs[0].size),
                    glyphs))
    return out


def _true_boxes(prev: Glyph, g: Glyph, size: float) -> bool:
    """Producers that narrow a letter's box (drawn apart from its neighbours) narrow non-ASCII ones."""
    return all(x.text.isascii() or x.x1 - x.x0 >= 0.3 * size for x in (prev, g))


def _cell_apart(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """A "word" of two cells whose texts stand closer than a space (a table printed with almost
    no cell padding): cut where two letters with true boxes leave a bare gap of an eighth of an
    em, which no word has inside."""
    out = [[glyphs[0]]]
    for prev, g in zip(glyphs, glyphs[1:], strict=False):
        size = max(min(prev.size, g.size), 1.0)
        if g.x0 - prev.x1 >= 0.12 * size and _true_boxes(prev, g, size):
            out.append([])
        out[-1].append(g)
    return out


def _set_fonts(table: Table, glyphs: list[Glyph]) -> None:
    """Each cell's dominant font (legacy encodings are told by the font name): the font of most
    of the ink glyphs whose middles lie in the cell, the first drawn on a tie (`dominant_font`).

    The glyphs are sorted once by their middles' height, and a row's band once by their middles'
    x, so that a cell looks only at its own glyphs (not at every glyph of the table)."""
    ink = [g for g in glyphs if g.text.strip()]
    cys = [(g.top + g.bottom) / 2 for g in ink]
    cxs = [(g.x0 + g.x1) / 2 for g in ink]
    fonts = [g.font for g in ink]
    order = sorted(range(len(ink)), key=cys.__getitem__)
    mids = [cys[i] for i in order]
    bands: dict[tuple[float, float], tuple[list[int], list[float]]] = {}
    for cell in table.cells:
        if cell.bbox is None or not cell.text:
            continue
        x0, top, x1, bottom = cell.bbox
        band = bands.get((top, bottom))
        if band is None:
            row = sorted(order[bisect.bisect_left(mids, top - 1):bisect.bisect_right(mids, bottom + 1)],
                         key=cxs.__getitem__)
            band = bands[top, bottom] = (row, [cxs[i] for i in row])
        row, xs = band
        inside = sorted(row[bisect.bisect_left(xs, x0):bisect.bisect_right(xs, x1)])
        cell.font = most_common([fonts[i] for i in inside])
