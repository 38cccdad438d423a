"""The PDF side of line-less tables: glyph lines → words → tables, and the glyph lines left over.

The words are cut with `pdf_words`' spacing rules (space glyphs, gaps in ems, marks put
back on their letters), so a line-less table's text is spaced as well as a ruled one's.
"""

from __future__ import annotations

import bisect
from collections import Counter

from phuluc.extract.lineless import read_lineless_table
from phuluc.extract.pdf_words import Glyph, line_text, word_runs
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
        for _, run in word_runs(line):
            for glyphs in _cell_apart(run):
                text = line_text(glyphs)
                w = Word(text, min(g.x0 for g in glyphs), min(g.top for g in glyphs),
                         max(g.x1 for g in glyphs), max(g.bottom for g in glyphs), size=glyphs[0].size)
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
        full = all(x.text.isascii() or x.x1 - x.x0 >= 0.3 * size for x in (prev, g))
        if full and g.x0 - prev.x1 >= 0.12 * size:
            out.append([])
        out[-1].append(g)
    return out


def _set_fonts(table: Table, glyphs: list[Glyph]) -> None:
    """Each cell's dominant font (legacy encodings are told by the font name): the font of most
    of the ink glyphs whose middles lie in the cell, the first drawn on a tie (`dominant_font`).

    The glyphs are sorted once by their middles' height, and a row's band once by their middles'
    x, so that a cell looks only at its own glyphs (not at every glyph of the table)."""
    ink = sorted(((g.top + g.bottom) / 2, (g.x0 + g.x1) / 2, i, g.font) for i, g in enumerate(glyphs) if g.text.strip())
    mids = [cy for cy, _, _, _ in ink]
    bands: dict[tuple[float, float], tuple[list[float], list[tuple[float, int, str]]]] = {}
    for cell in table.cells:
        if cell.bbox is None or not cell.text:
            continue
        x0, top, x1, bottom = cell.bbox
        band = bands.get((top, bottom))
        if band is None:
            row = sorted((cx, i, font) for _, cx, i, font in
                         ink[bisect.bisect_left(mids, top - 1):bisect.bisect_right(mids, bottom + 1)])
            band = bands[top, bottom] = ([cx for cx, _, _ in row], row)
        xs, row = band
        inside = sorted((i, font) for _, i, font in row[bisect.bisect_left(xs, x0):bisect.bisect_right(xs, x1)])
        counts = Counter(font for _, font in inside)
        cell.font = counts.most_common(1)[0][0] if counts else ""
