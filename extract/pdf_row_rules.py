"""The row rules of a table ruled into columns but not into rows, found from its words.

Word's borders "outer frame + inside vertical" (with or without a line under the header)
rule a table into columns only: all its rows stand in one ruled row, and each column would
be one giant cell. Here the rows are found in the words, with the line-less reader's helpers
(`lineless.group_lines`, `lineless.find_anchors`): a row starts at a line whose first word in
the first column is a row marker ("1", "IV", "a)"). Where the rows' text stands at the top of
the cells, the break lies right above the marker's line; where it is centred (Word's vertical
alignment "center"), a row ends where its marker stands in the middle of its lines. The lines
above the first row are the header (it holds the first column's label) and, at the top of a
page, the end of a row cut by the page break. Where the inside vertical rules break (a section
title or a merged cell spanning columns), a row ends and starts too; without a frame, the
pieces of the inside rules under such a row are joined to the table.

What comes out is the missing horizontal rules; `find_tables` then cuts the cells as for a
fully ruled table, so cell text is joined as in any ruled cell. A fully ruled table gets no
rule: each of its ruled rows holds one row, and the ends of its vertical rules lie on its
horizontal rules.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Final

from phuluc.extract.lineless import _MARKER, _Frame, _Line, find_anchors, group_lines
from phuluc.extract.pdf_tables import (
    SNAP,
    Segment,
    TableBox,
    connected_groups,
    grid_cells,
    merge_segments,
    outer_tables,
)
from phuluc.extract.pdf_words import Glyph, line_words
from phuluc.extract.pdf_words import group_lines as glyph_lines

MIN_PIECE: Final = 8.0  # a vertical rule shorter than this (points) is no column edge
MAX_SPANNING_ROW: Final = 60.0  # the highest row (points) that may break the inside rules (a section title)
PARAGRAPH_GAP: Final = 0.4  # ems over the usual line gap that make a paragraph (or row) break


@dataclass
class RowRules:
    """The rules a page's column-ruled tables lack; `split` when rows were found in a table's words
    (the next page's table, holding maybe only the end of a cut row under its header, goes on so)."""

    rules: list[Segment] = field(default_factory=list)
    split: bool = False
    tables: list[TableBox] | None = None  # the page's ruled tables when no rule is lacking (`find_tables`)


def row_rules(rules: list[Segment], glyphs: list[Glyph], carry: bool = False) -> RowRules:
    """Horizontal rules that the page's column-ruled tables lack between their rows. `carry`: the
    page before had such a table, so a header over the end of a cut row is split from it."""
    out = RowRules()
    if not glyphs or not any(not r.horizontal for r in rules):
        return out
    merged = merge_segments(rules)
    verticals = [s for s in merged if not s.horizontal and s.end - s.start >= MIN_PIECE]
    groups = connected_groups(merged)
    grouped = {id(s) for g in groups for s in g}
    floating = sorted((v for v in verticals if id(v) not in grouped), key=lambda v: v.start)
    boxes: list[TableBox] = []
    for group in groups:
        box = grid_cells(group)
        if box is not None:
            boxes.append(box)
        if box is not None and len(box.xs) >= 3:
            ruled = [s.pos for s in group if s.horizontal]
            found, split = _table_rules(box, ruled, _extend_down(box, floating), verticals, glyphs, carry)
            out.rules += found
            out.split = out.split or split
    if not out.rules:
        out.tables = outer_tables(boxes)
    return out


def _extend_down(box: TableBox, floating: list[Segment]) -> float:
    """The table's bottom, past its rules: without a frame (inside vertical borders only, a line
    under the header), the inside rules break at each row spanning the columns, and the pieces
    below touch no horizontal rule. Pieces that go on under the table after such a break, on two
    or more of its column edges at once (not a stray line under a table), are the table's too."""
    x0, _, x1, bottom = box.bbox
    inner = box.xs[1:-1]
    need = min(2, len(inner))
    grown = True
    while grown:
        grown = False
        below = [v for v in floating if bottom - SNAP <= v.start <= bottom + MAX_SPANNING_ROW]
        for start in sorted({v.start for v in below}):
            here = [v for v in below if abs(v.start - start) <= SNAP]
            edges = {k for v in here for k, e in enumerate(inner) if abs(v.pos - e) <= SNAP}
            if len(edges) >= need:
                bottom = max(v.end for v in here)
                grown = True
                break
    return bottom


def _table_rules(box: TableBox, ruled: list[float], y1: float, verticals: list[Segment], glyphs: list[Glyph],
                 carry: bool) -> tuple[list[Segment], bool]:
    """The rules a table lacks: `ruled` are its horizontal rules, `y1` its bottom."""
    x0, y0, x1, _ = box.bbox
    pieces = [v for v in verticals if x0 + SNAP < v.pos < x1 - SNAP and v.end > y0 + SNAP and v.start < y1 - SNAP]
    edges = _cluster([*box.xs[1:-1], *(v.pos for v in pieces)])
    if not edges:
        return [], False
    ys = sorted({y0, *(y for y in ruled if y0 + SNAP < y < y1 - SNAP), y1})
    breaks = _breaks(pieces, ys)
    bands = sorted(ys + breaks)
    cols = [x0, *edges, x1]
    inside = [g for g in glyphs if x0 < g.cx < x1 and y0 < g.cy < y1]
    # At most a line under the header inside: the table is ruled into columns only, whatever its
    # rows show (a page holding the end of a long cell and one row); a table of two columns is left alone.
    columns_only = len(ys) <= 3 and len(cols) >= 4
    if not breaks and not carry and not columns_only:
        # A table ruled into rows (no inside rule stops short, no such table on the page before) can
        # hold several rows in a ruled row only where its first column has two lines or more: the
        # others are not read (this module's cost on fully ruled tables).
        firsts = _per_band([g for g in inside if g.x0 + g.x1 < 2 * cols[1]], bands)
        keep = {k for k, gs in enumerate(firsts) if len(glyph_lines(gs)) >= 2}
        if not keep:
            return [], False
        inside = [g for g in inside if bisect.bisect_right(bands, g.cy) - 1 in keep]
    per_band = _per_band(inside, bands)
    splits: list[float] = []
    strong = False
    may_continue = True  # until the first band past the header
    for (top, bottom), band_glyphs in zip(zip(bands, bands[1:], strict=False), per_band, strict=True):
        if not band_glyphs:
            continue
        band = _read_band(band_glyphs, cols) if _ruled_across(pieces, edges, (top + bottom) / 2) else None
        if band is None:
            may_continue = False  # a row spanning columns is one row
            continue
        cuts, sure = _band_cuts(band, may_continue)
        may_continue = may_continue and not band.anchors and _header_end(band, len(band.lines)) > 0
        splits += cuts
        strong = strong or sure
    strong = strong or ((carry or columns_only) and bool(splits))
    cut_ys = breaks + (splits if strong else [])
    out = [Segment(True, y, x0, x1) for y in sorted(cut_ys)]
    if breaks:  # the sides too, for a table without a frame: its rows spanning the columns have none
        out += [Segment(False, x, y0, y1) for x in (x0, x1)]
    return out, strong or bool(breaks)


def _breaks(pieces: list[Segment], ys: list[float]) -> list[float]:
    """Where an inside vertical rule stops short of the horizontal rules `ys` (a row spanning
    columns begins or ends there), inside the table."""
    out: list[float] = []
    for y in sorted({round(p, 1) for v in pieces for p in (v.start, v.end)}):
        i = bisect.bisect_left(ys, y - SNAP)
        ruled_there = i < len(ys) and ys[i] <= y + SNAP
        if ys[0] + SNAP < y < ys[-1] - SNAP and not ruled_there and (not out or y - out[-1] > SNAP):
            out.append(y)
    return out


def _per_band(glyphs: list[Glyph], bands: list[float]) -> list[list[Glyph]]:
    out: list[list[Glyph]] = [[] for _ in bands[1:]]
    for g in glyphs:
        out[min(max(bisect.bisect_right(bands, g.cy) - 1, 0), len(out) - 1)].append(g)
    return out


def _cluster(values: list[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _ruled_across(pieces: list[Segment], edges: list[float], y: float) -> bool:
    """Does every inside column edge have a vertical rule at height y?"""
    return all(any(abs(v.pos - e) <= SNAP and v.start <= y <= v.end for v in pieces) for e in edges)


@dataclass
class _Band:
    """The lines of one ruled row (across its columns), each word's column, and where rows may start."""

    lines: list[_Line]
    columns: list[list[int]]
    anchors: list[int]  # lines starting with a row marker in the first column
    wide: list[int]  # lines with a paragraph (or row) gap above them
    em: float


def _read_band(glyphs: list[Glyph], cols: list[float]) -> _Band | None:
    """The band's lines, from its words column by column (no word runs over a vertical rule)."""
    per_col: list[list[Glyph]] = [[] for _ in cols[1:]]
    for g in glyphs:
        per_col[min(max(bisect.bisect_right(cols, g.cx) - 1, 0), len(per_col) - 1)].append(g)
    words = [w for gs in per_col for line in glyph_lines(gs) for w in line_words(line) if w.text.strip()]
    if len(words) < 2:
        return None
    em = sorted(w.bottom - w.top for w in words)[len(words) // 2] or 10.0
    lines = group_lines(words, em)
    frame = _Frame([(e - 0.5, e + 0.5) for e in cols[1:-1]], cols, em)
    columns = [frame.columns(ln) for ln in lines]
    anchors = [k for k in find_anchors(lines, frame) if columns[k][0] == 0]
    usual = _usual_gap(lines, columns)
    wide = [k for k in range(1, len(lines)) if _gap(lines, k) > usual + PARAGRAPH_GAP * em]
    return _Band(lines, columns, anchors, wide, em)


def _band_cuts(band: _Band, may_continue: bool) -> tuple[list[float], bool]:
    """Where the rows inside one ruled row meet, and whether the band surely holds several rows
    (two row markers in the first column, or a header label over a first row). `may_continue`:
    the band is the table's first on the page, where the end of a row cut by the page break may
    stand between the header and the first row."""
    lines, anchors = band.lines, band.anchors
    first = anchors[0] if anchors else len(lines)
    header = _header_end(band, first)
    starts = [header]
    if _top_aligned(band, header):
        # Each row starts at its marker's line; lines above the first are the end of a cut row.
        starts += anchors if may_continue else anchors[1:]
    else:
        starts += _centred_rows(band, header, may_continue)
    starts = sorted({k for k in starts if 0 < k < len(lines)})
    sure = len(anchors) >= 2 or (bool(anchors) and header > 0)
    return [_cut_y(lines, k) for k in starts], sure


def _top_aligned(band: _Band, header: int) -> bool:
    """Do the rows' texts stand at the tops of their cells: each marker with lines above it starts a
    line after a paragraph gap, with another column's text beside it (in rows whose texts are
    centred, the marker stands beside the middle of the longest cell)."""
    return all(k in band.wide and len(set(band.columns[k])) > 1 for k in band.anchors if k > header)


def _centred_rows(band: _Band, header: int, may_continue: bool) -> list[int]:
    """The rows' first lines when their texts are centred in the cells: each row ends where its
    marker stands in the middle of its lines. At a page's top, the first row starts at the header
    or after a paragraph gap under it (the end of a cut row above), whichever centres its marker."""
    firsts = [header] + ([k for k in band.wide if header < k < band.anchors[0]] if may_continue else [])
    best: tuple[float, list[int]] | None = None
    for start in firsts:
        rows = [start]
        for a, b in zip(band.anchors, band.anchors[1:], strict=False):
            # A row break is a white band at least as wide as a paragraph gap, where there is one.
            ends = [k for k in band.wide if a < k <= b] or [k for k in range(a + 1, b + 1)
                                                            if _gap(band.lines, k) >= 0] or [b]
            last = rows[-1]
            rows.append(min(ends, key=lambda k: _off_centre(band, a, last, k)))  # noqa: B023 - used at once
        off = _off_centre(band, band.anchors[0], start, rows[1] if len(rows) > 1 else len(band.lines))
        if best is None or off < best[0] - 0.25 * band.em:
            best = (off, rows)
    return best[1] if best else []


def _off_centre(band: _Band, anchor: int, start: int, end: int) -> float:
    """How far the row marker on line `anchor` stands from the middle of the lines start..end-1."""
    marker = band.lines[anchor].words[0]
    rows = band.lines[start:end]
    middle = (min(ln.top for ln in rows) + max(ln.bottom for ln in rows)) / 2
    return abs((marker.top + marker.bottom) / 2 - middle)


def _header_end(band: _Band, first: int) -> int:
    """The line after the header, or 0 without one: the lines up to the first paragraph gap (or the
    first row), when they hold a label in the first column ("STT", "TT": no row marker)."""
    end = min([k for k in band.wide if k <= first] + [first])
    labels = [w for ln, cs in zip(band.lines[:end], band.columns[:end], strict=True)
              for w, c in zip(ln.words, cs, strict=True) if c == 0]
    return end if labels and not any(_MARKER.match(w.text) for w in labels) else 0


def _gap(lines: list[_Line], k: int) -> float:
    return lines[k].top - max(ln.bottom for ln in lines[:k])


def _usual_gap(lines: list[_Line], columns: list[list[int]]) -> float:
    """The white gap between a column's consecutive lines of one paragraph: the narrowest gap between
    lines of one column (the lines of two columns interleave when their texts are centred)."""
    last: dict[int, float] = {}
    gaps: list[float] = []
    for ln, cs in zip(lines, columns, strict=True):
        for c in set(cs):
            words = [w for w, k in zip(ln.words, cs, strict=True) if k == c]
            if c in last:
                gaps.append(min(w.top for w in words) - last[c])
            last[c] = max(w.bottom for w in words)
    return max(min(gaps), 0.0) if gaps else 0.0


def _cut_y(lines: list[_Line], k: int) -> float:
    """The height of the break above line k: the middle of the white band, or between the lines'
    middles when lines of two columns overlap there."""
    above = max(ln.bottom for ln in lines[:k])
    below = min(ln.top for ln in lines[k:])
    if above <= below:
        return (above + below) / 2
    return (max((ln.top + ln.bottom) / 2 for ln in lines[:k]) + min((ln.top + ln.bottom) / 2 for ln in lines[k:])) / 2
