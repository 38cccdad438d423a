"""Ruling lines → table cells (tables without lines: `lineless`).

A chain of small pure steps, each on plain data:

    merge_segments → connected_groups → grid_cells (boundaries → spanning cells)

A table's grid is every distinct x of its vertical rules and y of its horizontal rules;
a cell is a run of grid boxes not separated by a drawn boundary, so merged cells come out
with their rowspan/colspan directly.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Final

SNAP: Final = 3.0  # rules this close (points) are one rule
JOIN: Final = 3.0  # collinear pieces with a gap this small are one rule
MIN_LEN: Final = 2.0  # shorter marks are not rules


@dataclass(slots=True)
class Segment:
    """An axis-parallel rule: horizontal at y=`pos` from `start` to `end`, or vertical at x=`pos`."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass
class CellBox:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class TableBox:
    """A ruled table found on a page: its grid lines and its cells."""

    xs: list[float]
    ys: list[float]
    cells: list[CellBox] = field(default_factory=list)
    owner: list[list[int]] = field(default_factory=list)  # grid box (row, col) -> index in cells

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_at(self, x: float, y: float) -> int | None:
        """Index of the cell holding point (x, y), or None outside the table."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        r = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return self.owner[r][c]


def assign(points: list[tuple[float, float]], tables: list[TableBox]) -> list[tuple[int, int] | None]:
    """For each point, (table, cell) holding it (the first table that does), or None.

    `TableBox.cell_at` for many points at once: the hot loop of a page with tables."""
    out: list[tuple[int, int] | None] = []
    frames = [(t, b.xs, b.ys, b.xs[0], b.xs[-1], b.ys[0], b.ys[-1], len(b.xs) - 2, len(b.ys) - 2, b.owner)
              for t, b in enumerate(tables)]
    bisect_right = bisect.bisect_right
    for x, y in points:
        found = None
        for t, xs, ys, x_lo, x_hi, y_lo, y_hi, last_c, last_r, owner in frames:
            if x_lo <= x <= x_hi and y_lo <= y <= y_hi:
                c = bisect_right(xs, x) - 1
                r = bisect_right(ys, y) - 1
                c = 0 if c < 0 else (last_c if c > last_c else c)
                r = 0 if r < 0 else (last_r if r > last_r else r)
                found = (t, owner[r][c])
                break
        out.append(found)
    return out


def _snap(values: list[float], tol: float = SNAP) -> list[float]:
    """Cluster sorted positions; each cluster becomes its mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def merge_segments(segments: list[Segment]) -> list[Segment]:
    """Snap rules of one orientation to shared positions and join collinear pieces."""
    merged: list[Segment] = []
    for horizontal in (True, False):
        same = [s for s in segments if s.horizontal == horizontal and s.end - s.start >= MIN_LEN]
        if not same:
            continue
        positions = _snap([s.pos for s in same])
        by_pos: dict[float, list[Segment]] = {}
        for s in same:
            i = bisect.bisect_left(positions, s.pos - SNAP)
            i = min(range(max(i - 1, 0), min(i + 2, len(positions))), key=lambda k: abs(positions[k] - s.pos))
            by_pos.setdefault(positions[i], []).append(s)
        for pos, group in by_pos.items():
            group.sort(key=lambda s: s.start)
            cur = Segment(horizontal, pos, group[0].start, group[0].end)
            for s in group[1:]:
                if s.start <= cur.end + JOIN:
                    cur.end = max(cur.end, s.end)
                else:
                    merged.append(cur)
                    cur = Segment(horizontal, pos, s.start, s.end)
            merged.append(cur)
    return merged


def _touches(h: Segment, v: Segment, tol: float = SNAP) -> bool:
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


class _DisjointSets:
    """Union-find over 0..n-1 (path halving); a set is named by its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def connected_groups(segments: list[Segment]) -> list[list[Segment]]:
    """Rules that cross or touch, grouped (one group per table)."""
    hs = [s for s in segments if s.horizontal]
    vs = [s for s in segments if not s.horizontal]
    sets = _DisjointSets(len(hs) + len(vs))
    vs_sorted = sorted(range(len(vs)), key=lambda k: vs[k].pos)
    v_pos = [vs[k].pos for k in vs_sorted]
    for i, h in enumerate(hs):
        lo = bisect.bisect_left(v_pos, h.start - SNAP)
        hi = bisect.bisect_right(v_pos, h.end + SNAP)
        for k in vs_sorted[lo:hi]:
            if _touches(h, vs[k]):
                sets.union(i, len(hs) + k)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(hs + vs):
        groups.setdefault(sets.find(i), []).append(s)
    return [g for g in groups.values() if any(s.horizontal for s in g) and any(not s.horizontal for s in g)]


def _covers(rules: list[Segment], pos: float, point: float) -> bool:
    return any(abs(s.pos - pos) <= SNAP and s.start - 1 <= point <= s.end + 1 for s in rules)


def grid_cells(group: list[Segment]) -> TableBox | None:
    """One group of rules → its grid and its (possibly spanning) cells.

    The outer frame may be missing (tables drawn with inner rules only): the ends of the
    rules then bound the table.
    """
    hs = [s for s in group if s.horizontal]
    vs = [s for s in group if not s.horizontal]
    xs = _snap([s.pos for s in vs] + [min(s.start for s in hs), max(s.end for s in hs)])
    ys = _snap([s.pos for s in hs] + [min(s.start for s in vs), max(s.end for s in vs)])
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    sets = _DisjointSets(n_rows * n_cols)
    union, find = sets.union, sets.find
    for r in range(n_rows):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols - 1):
            if not _covers(vs, xs[c + 1], mid_y):
                union(r * n_cols + c, r * n_cols + c + 1)
    for r in range(n_rows - 1):
        for c in range(n_cols):
            mid_x = (xs[c] + xs[c + 1]) / 2
            if not _covers(hs, ys[r + 1], mid_x):
                union(r * n_cols + c, (r + 1) * n_cols + c)
    spans: dict[int, list[int]] = {}
    for i in range(n_rows * n_cols):
        root = find(i)
        r, c = divmod(i, n_cols)
        if root not in spans:
            spans[root] = [r, c, r, c]
        else:
            box = spans[root]
            box[0], box[1], box[2], box[3] = min(box[0], r), min(box[1], c), max(box[2], r), max(box[3], c)
    table = TableBox(xs, ys)
    table.owner = [[0] * n_cols for _ in range(n_rows)]
    index: dict[int, int] = {}
    for root in sorted(spans, key=lambda k: (spans[k][0], spans[k][1])):
        r0, c0, r1, c1 = spans[root]
        index[root] = len(table.cells)
        table.cells.append(CellBox(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    for i in range(n_rows * n_cols):
        r, c = divmod(i, n_cols)
        table.owner[r][c] = index[find(i)]
    return table


def find_tables(segments: list[Segment]) -> list[TableBox]:
    """All ruled tables on a page, top to bottom; a table drawn inside another is ignored."""
    return outer_tables([t for g in connected_groups(merge_segments(segments)) if (t := grid_cells(g)) is not None])


def outer_tables(tables: list[TableBox]) -> list[TableBox]:
    """The tables of more than one cell that stand inside no other, top to bottom."""
    tables = [t for t in tables if len(t.cells) > 1]
    outer: list[TableBox] = []
    for t in sorted(tables, key=lambda t: (t.xs[-1] - t.xs[0]) * (t.ys[-1] - t.ys[0]), reverse=True):
        x0, y0, x1, y1 = t.bbox
        if any(o.xs[0] - 1 <= x0 and x1 <= o.xs[-1] + 1 and o.ys[0] - 1 <= y0 and y1 <= o.ys[-1] + 1 for o in outer):
            continue
        outer.append(t)
    return sorted(outer, key=lambda t: (t.ys[0], t.xs[0]))

