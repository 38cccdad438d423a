"""The PDF side of line-less tables: glyph lines → words → tables, and the glyph lines left over.

The words are cut with `pdf_words`' spacing rules (space glyphs, gaps in ems, marks put
back on their letters), so a line-less table's text is spaced as well as a ruled one's.
"""

from __future__ import annotations

import bisect
from collections import Counter

from phuluc.extract.lineless import read_lineless_table
from phuluc.extract.pdf_words import Glyph, glyph_box, has_marks, line_text, word_glyphs, word_text
from phuluc.schema import Table, Word

MAX_TABLES = 4  # tables without lines on one page (a small table above the task table, ...)


def lineless_tables(
    lines: list[list[Glyph]], page: int, width: float, notes: list[tuple[str, str]], before: list[Table],
    after: list[float] | None = None,
) -> tuple[list[Table], list[list[Glyph]]]:
    """The tables without ruling lines among a page's glyph lines, and the lines outside them.

    `before` are the tables read so far: a line-less table that ended the page before lends
    its columns to the top of this page (the end of a row cut by the page break); `after`, the
    columns of the next page's table, stand in when there is none (a first page of one row)."""
    last = before[-1] if before else None
    columns = last.col_edges if last is not None and not last.ruled and last.page == page - 1 else None
    if after is not None and (columns is None or len(columns) < len(after)):
        columns = after
    words: list[Word] = []
    glyphs_of: dict[int, list[Glyph]] = {}
    for line in lines:
        text = line_text if has_marks(line) else word_text  # the same text, without looking for marks
        for run in word_glyphs(line):
            for glyphs in _cell_apart(run):
                w = Word(text(glyphs), *glyph_box(glyphs), size=glyphs[0].size)
                words.append(w)
                glyphs_of[id(w)] = glyphs
    tables: list[Table] = []
    rest = words
    while len(tables) < MAX_TABLES:
        table, left = read_lineless_table(rest, page, width, notes=notes if not tables else None,
                                          columns=columns if not tables else None)
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


def _cell_apart(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """A "word" of two cells whose texts stand closer than a space (a table printed with almost
    no cell padding): cut where two letters with true boxes leave a bare gap of an eighth of an
    em, which no word has inside."""
    out = [[glyphs[0]]]
    for prev, g in zip(glyphs, glyphs[1:], strict=False):
        size = max(min(prev.size, g.size), 1.0)
        # Producers that narrow a letter's box (drawn apart from its neighbours) narrow non-ASCII ones.
        if g.x0 - prev.x1 >= 0.12 * size and all(x.text.isascii() or x.x1 - x.x0 >= 0.3 * size for x in (prev, g)):
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
        counts = Counter(fonts[i] for i in inside)
        cell.font = counts.most_common(1)[0][0] if counts else ""
