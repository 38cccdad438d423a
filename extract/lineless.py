"""Tables drawn without ruling lines, read from the words' geometry alone.

A chain of small steps on plain data, the same for a text layer and for OCR words:

    group_lines → find_run (the lines that stand in columns) → find_gutters (columns)
    → find_anchors (rows start at the first column's short numbers) → row_bounds (the
    widest white band between two anchors) → cells (multi-line cells joined)

Columns come from the vertical white bands that the table's lines share (a section title
or a spanning header may cross them); a band counts only where some line shows it as a
real separation, so words that happen to align (the same first word on every row) do not
split a column. Nothing here knows what a plan says: the header is mapped downstream.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Final

from phuluc.schema import SOFT_BREAK, Cell, Table, Word

# A row starts where the first column holds a short marker: "1", "12.", "I", "a)", "(3)".
_MARKER: Final = re.compile(r"^(\d{1,3}(\.\d{1,2}){0,2}|[IVXLC]{1,6}|[A-ZĐ]|[a-zđ]|\(\d{1,2}\))[.)]?$")
_HYPHEN_END: Final = re.compile(r"\w-$")


@dataclass(frozen=True)
class LinelessSettings:
    """The knobs of the reader, in ems (the median word height of the page)."""

    segment_gap: float = 1.0  # a gap this wide splits a line into side-by-side segments
    min_gutter: float = 0.12  # the narrowest white band taken for a column gutter
    evidence_gap: float = 0.9  # a gutter must separate two words this far apart on some line
    max_line_gap: float = 2.5  # a wider white band between two lines ends the table
    long_segment: float = 0.6  # a segment wider than this share of the table crosses columns
    min_cols: int = 3


@dataclass
class _Line:
    words: list[Word]
    top: float
    bottom: float
    segments: list[list[Word]] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        # A loop, not max() over a generator: compiled, that builds a list and compares boxed floats.
        right = self.words[0].x1
        for w in self.words:
            if w.x1 > right:
                right = w.x1
        return right


def read_lineless_table(
    words: list[Word], page: int, page_width: float, *,
    notes: list[tuple[str, str]] | None = None, settings: LinelessSettings | None = None,
    columns: list[float] | None = None, previous: Table | None = None,
) -> tuple[Table | None, list[Word]]:
    """Find a table drawn without ruling lines among the words of one page; return it (Table with ruled=False,
    cells with bbox and page set, conf = min word conf of the cell when words carry conf) and the words outside it
    (for running text: header, title, Kèm theo line).

    Lines that stand in columns but cannot be split into a table add a `borderless-table` note
    naming the page to `notes` and give no table (never invented rows). `columns` (the
    `col_edges` of the table on the page before) lets a page whose top only carries the end
    of a row cut by the page break (too little to show its columns) continue that table;
    `previous` (that table) tells its header repeated at the top of this page from the end of
    a cut row standing under it."""
    s = settings or LinelessSettings()
    words = [w for w in words if w.text.strip()]
    if not words:
        return None, words
    em = _median([w.bottom - w.top for w in words]) or 10.0
    lines = group_lines(words, em)
    for line in lines:
        line.segments = _segments(line.words, s.segment_gap * em)
    run = find_run(lines, em, s) if len(words) >= 6 else None
    table: Table | None = None
    used: list[Word] = []
    if run is not None:
        start, core, end = run
        table, used = _read_run(lines[start:end], core - start, em, page, page_width, s, columns, previous)
    if columns and len(columns) >= 4 and (table is None or table.n_cols < len(columns) - 1) \
            and (run is None or run[0] == 0):
        table, used = _continue_columns(lines, columns, em, page, page_width, s, previous) or (table, used)
    if table is None:
        if run is not None and notes is not None:
            notes.append(("borderless-table", f"page {page}: text stands in columns but no table could be read from it"))
        return None, words
    taken = {id(w) for w in used}
    return table, [w for w in words if id(w) not in taken]


def _continue_columns(lines: list[_Line], columns: list[float], em: float, page: int, page_width: float,
                      s: LinelessSettings, previous: Table | None = None) -> tuple[Table, list[Word]] | None:
    """The page's top lines read in the columns of the table on the page before, while they fit
    them: no line reaches over a column edge, and each starts where a column's text starts (or
    with a row number in the first column). Anything else (a signature, prose) ends it. The
    header of that table repeated at the top is read as the header (a page that only carries
    on one long cell under it has no row of its own to show the columns)."""
    inner = columns[1:-1]
    frame = _Frame([(e - 0.5, e + 0.5) for e in inner], [columns[0] - 1.0, *inner, columns[-1] + 1.0], em)
    starts = [e + 0.5 * em for e in inner]  # a column's left-aligned text starts half an em after its edge
    repeats = _repeats_header(lines, previous)
    head = next((k for k in range(1, min(len(lines), 8)) if repeats(k)), 0) if repeats else 0
    taken: list[_Line] = []
    for ln in lines[head:]:
        if taken and ln.top - taken[-1].bottom > s.max_line_gap * em:
            break
        marker = _MARKER.match(ln.words[0].text) is not None and ln.x0 < inner[0]
        if frame.crossings(ln) or not (marker or any(abs(ln.x0 - x) <= 0.15 * em for x in starts)):
            break
        taken.append(ln)
    if not taken:
        return None
    anchors = find_anchors(taken, frame)
    bounds = row_bounds(taken, anchors)
    groups = [taken[a:b] for a, b in zip(bounds, bounds[1:] + [len(taken)], strict=True)]
    cells, n_head = _header_rows(lines[:head], frame, page) if head else ([], 0)
    cells += [c for r, group in enumerate(groups) for c in _body_row(n_head + r, group, frame, page)]
    note = ("borderless-table", f"page {page}: columns taken from the table on the page before (no ruling lines)")
    table = Table(cells, n_head + len(groups), frame.n_cols, page=page, col_edges=[0.0, *inner, page_width],
                  ruled=False, notes=[note])
    return table, [w for ln in lines[:head] + taken for w in ln.words]


# --- lines ---------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def group_lines(words: list[Word], em: float) -> list[_Line]:
    """Words → lines, top to bottom: a word joins the line whose first word's middle it shares."""
    lines: list[_Line] = []
    anchor = None
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        mid = (w.top + w.bottom) / 2
        if anchor is None or mid - anchor > 0.45 * em:
            lines.append(_Line([], w.top, w.bottom))
            anchor = mid
        line = lines[-1]
        line.words.append(w)
        line.top, line.bottom = min(line.top, w.top), max(line.bottom, w.bottom)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _segments(words: list[Word], gap: float) -> list[list[Word]]:
    out: list[list[Word]] = []
    right = None
    for w in words:
        if right is None or w.x0 - right > gap:
            out.append([])
        out[-1].append(w)
        right = w.x1 if right is None else max(right, w.x1)
    return out


def _is_marker_line(line: _Line, left: float, em: float) -> bool:
    return line.x0 <= left + 3 * em and _MARKER.match(line.words[0].text) is not None


def find_run(lines: list[_Line], em: float, s: LinelessSettings) -> tuple[int, int, int] | None:
    """The lines of the table as (start, core, end): from a line of three or more segments
    (`core`) down while the lines stay close, ending at the last line in columns plus what
    may still belong to the last row (its wrapped lines, a section title at the left). The
    close, narrow lines from `start` to `core` are kept later only if they sit inside the
    columns (a header label centred above the others, a row cut by the page break)."""
    best: tuple[int, int, int] | None = None
    i = 0
    while i < len(lines):
        if len(lines[i].segments) < 3:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].top - lines[j - 1].bottom <= s.max_line_gap * em:
            j += 1
        last = max(k for k in range(i, j) if len(lines[k].segments) >= 2)
        left = min(ln.x0 for ln in lines[i:last + 1])
        width = max(ln.x1 for ln in lines[i:last + 1]) - left
        end = _run_end(lines, i, last, j, em, s)
        start = i
        while start > 0 and lines[start].top - lines[start - 1].bottom <= 1.0 * em \
                and lines[start - 1].x1 - lines[start - 1].x0 < s.long_segment * width \
                and not _ends_paragraph(lines, start - 1, s.long_segment * width):
            start -= 1
        strong = sum(1 for ln in lines[i:end] if len(ln.segments) >= 3)
        if strong >= 2 and (best is None or end - start > best[2] - best[0]):
            best = (start, i, end)
        i = max(end, i + 1)
    return best


def _run_end(lines: list[_Line], i: int, last: int, j: int, em: float, s: LinelessSettings) -> int:
    """Where the table that stands in columns from line i to `last` ends: after what may still
    belong to its last row (its wrapped lines; its next paragraphs, no further apart than the
    table's lines and starting where a column's text starts) or a section title at the left."""
    left = min(ln.x0 for ln in lines[i:last + 1])
    width = max(ln.x1 for ln in lines[i:last + 1]) - left
    widest = max((lines[k].top - lines[k - 1].bottom for k in range(i + 1, last + 1)), default=0.0)
    starts = [seg[0].x0 for ln in lines[i:last + 1] for seg in ln.segments[1:]]
    narrow = _crossing_width(lines[i:last + 1], width, em, s)  # as wide as a column's text may be
    end = last + 1
    while end < j:
        ln, gap = lines[end], lines[end].top - lines[end - 1].bottom
        column = any(abs(ln.x0 - x) <= 1.0 for x in starts)
        wrapped = len(ln.segments) == 1 and ln.x1 - ln.x0 < narrow and ln.x0 > left + 0.5 * em \
            and (gap <= 1.0 * em or (column and gap <= widest))
        section = gap <= 2.0 * em and any(_is_marker_line(x, left, em) for x in lines[end:end + 2])
        if not (wrapped or section):
            break
        end += 1
    return end


def _ends_paragraph(lines: list[_Line], k: int, wide: float) -> bool:
    """Is line k the last line of a paragraph above the table (the end of a "(Kèm theo ...)" line
    centred over a column)? The line before it is running text across the table and stands
    closer to it than it stands to the line under it."""
    if k == 0 or k + 1 >= len(lines):
        return False
    upper, line, lower = lines[k - 1], lines[k], lines[k + 1]
    return upper.x1 - upper.x0 >= wide and len(upper.segments) == 1 \
        and line.top - upper.bottom < lower.top - line.bottom


# --- columns -------------------------------------------------------------------------------


def find_gutters(body: list[_Line], header: list[_Line], em: float, s: LinelessSettings) -> list[tuple[float, float]]:
    """Column gutters: x bands that (nearly) no row under the header covers and that some
    lines show as a real separation. A few crossing lines are allowed in a long table (a
    section title); words standing inside a band split it (a sparse column, or a column
    that only the header fills)."""
    lines = header + body
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = right - left
    limit = _crossing_width(body, width, em, s)
    cover = [ln for ln in body if len(ln.segments) >= 2 and _widest_segment(ln) <= limit]
    if not cover:
        return []
    tolerance = len(cover) // 10
    events: list[tuple[float, int]] = []
    for ln in cover:
        for w in ln.words:
            events += [(w.x0, 1), (w.x1, -1)]
    events.sort()
    bands: list[tuple[float, float]] = []
    depth, start = 0, left
    for x, step in events:
        if depth <= tolerance < depth + step and x > start:
            bands.append((start, x))
        depth += step
        if depth <= tolerance < depth - step:
            start = x
    bands.append((start, right + 1.0))
    # Only titles running on into the next column may cross a gutter (the tolerance above);
    # a phrase that just reaches into the band is a column's own text and narrows it.
    # A title standing alone from the table's left side (a section) is skipped too.
    phrases = [(p[0].x0, max(w.x1 for w in p)) for ln in body if not _title_line(ln, left, em)
               for p in _segments(ln.words, 0.4 * em)]
    body_segs = [(seg[0].x0, max(w.x1 for w in seg)) for ln in body for seg in ln.segments]
    head_segs = [(seg[0].x0, max(w.x1 for w in seg)) for ln in header for seg in ln.segments]
    body_right = max(ln.x1 for ln in body)
    labels, left_aligned = _labels(header, body_segs)
    out: list[tuple[float, float]] = []
    for k, (a, b) in enumerate(bands):
        # A column's own text starts after the band before; a title comes from further left.
        prev_b = bands[k - 1][1] if k else left - 1.0
        own = [(x0, x1) for x0, x1 in phrases
               if x0 < b and x1 > a and x0 >= prev_b - 0.5 and not (x0 <= a - 0.25 * em and x1 >= b + 0.25 * em)]
        for piece in [q for p in _subtract(a, b, own) for q in _split_band(*p, body_segs)]:
            column = out[-1][1] if out else left  # where the column left of the band starts
            subs = _header_split(piece, head_segs, body_right, column, (left, right), em, s)
            # The text just left of the band with no label over it: the label in the band is its own.
            near = max((q for q in body_segs if abs(q[1] - piece[0]) <= 1.0), default=(column, piece[0]))
            if subs != [piece] and not any(x0 < near[1] and x1 > near[0] for x0, x1 in labels):
                subs = [piece]
            for sub, kept in zip(subs, subs if left_aligned else _centre_label(piece, subs, em), strict=True):
                # A band that header labels split (a column only the header fills) shows in the header,
                # or on the side where the rows' text stands, in the rows.
                gap, tol = s.evidence_gap * em, 0.15 * em
                if left < sub[0] and sub[1] < right and sub[1] - sub[0] >= s.min_gutter * em and (
                        _separates(sub, body, gap, tol, 2) or (sub != piece and _separates(sub, header, gap, tol, 1))):
                    out.append(kept)
    return out


def _labels(header: list[_Line], body_segs: list[tuple[float, float]]) -> tuple[list[tuple[float, float]], bool]:
    """The header's first line's labels (x ranges), and whether they start where the rows' texts
    start (Word, reportlab) rather than centred (Chromium)."""
    firsts = [x0 for x0, _ in body_segs]
    labels = [(seg[0].x0, max(w.x1 for w in seg)) for seg in header[0].segments] if header else []
    return labels, 2 * sum(any(abs(h - x) <= 1.0 for x in firsts) for h, _ in labels) >= len(labels)


def _header_split(piece: tuple[float, float], head_segs: list[tuple[float, float]], body_right: float,
                  column: float, sides: tuple[float, float], em: float, s: LinelessSettings) -> list[tuple[float, float]]:
    """A body band cut by the header labels standing wholly inside it: a column that only the
    header fills (empty on every row of the page: "Ghi chú" at the right, "Phối hợp" inside).
    Inside the table, a label centred over the column left of the band (that column's own label,
    wider than its short left-aligned text) cuts nothing, nor does a label a space from an edge
    (a centred "STT" beside left-aligned numbers)."""
    a, b = piece
    if b <= body_right:
        head_segs = [h for h in head_segs if abs((h[0] + h[1]) / 2 - (column + b) / 2) > s.segment_gap * em]
    subs = _split_band(a, b, head_segs)
    subs = [q for q in subs if sides[0] < q[0] and q[1] < sides[1]] if len(subs) > 1 else subs
    if len(subs) > 1 and min(q - p for p, q in subs) < 0.5 * s.segment_gap * em or not subs:
        return [piece]
    return subs


def _centre_label(piece: tuple[float, float], subs: list[tuple[float, float]], em: float) -> list[tuple[float, float]]:
    """The two gutters either side of a column only the header fills, its label centred in it
    (Chromium, whose labels are centred): the left one narrowed so that the column's left edge
    mirrors its right edge about the label (the edge goes where the next column's text starts,
    here the label's). The last column's right edge is unknown: its left edge goes half an em
    after the text before, as a column's padding would put it."""
    if subs != [piece] and len(subs) == 1 and subs[0][1] - subs[0][0] > 2.0 * em:
        return [(subs[0][0], subs[0][0] + 1.0 * em)]
    if len(subs) != 2:
        return subs
    (a, x0), (x1, b) = subs
    right_edge = max((x1 + b) / 2, b - 0.5 * em)
    mirrored = x0 + x1 - right_edge
    if not a + 0.5 * em <= mirrored <= x0 - 1.0 * em:
        return subs  # a label that starts where its column's text would (Word), or no room
    return [(a, mirrored + 0.5 * em), (x1, b)]


def _widest_segment(line: _Line) -> float:
    widest = -math.inf
    for seg in line.segments:
        right = seg[0].x1
        for w in seg:
            if w.x1 > right:
                right = w.x1
        if right - seg[0].x0 > widest:
            widest = right - seg[0].x0
    return widest


def _crossing_width(body: list[_Line], width: float, em: float, s: LinelessSettings) -> float:
    """The widest segment a row's line may hold without running across columns: a share of the
    table's width, or more where most lines hold one that wide (a task column filling most of
    a narrow table); a title running across the columns stays wider than the rows' texts."""
    widest = sorted(_widest_segment(ln) for ln in body if len(ln.segments) >= 2)
    usual = widest[(len(widest) - 1) * 4 // 5] + 0.5 * em if widest else 0.0
    return max(s.long_segment * width, min(usual, 0.85 * width))


def _title_line(line: _Line, left: float, em: float) -> bool:
    """A line that starts at the table's left side with more than a row number: a section title."""
    first = _segments(line.words, 0.4 * em)[0]
    return line.x0 <= left + 0.5 * em and not _MARKER.match(" ".join(w.text for w in first))


def _subtract(a: float, b: float, spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The band (a, b) minus the x ranges `spans`."""
    pieces = [(a, b)]
    for x0, x1 in spans:
        pieces = [r for p, q in pieces for r in ((p, min(q, x0)), (max(p, x1), q)) if r[1] > r[0]]
    return pieces


def _split_band(a: float, b: float, segments: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The band minus the segments standing wholly inside it (the content of a sparse column,
    or of a column only the header fills); text reaching over its edges belongs to the few
    crossing lines and is tolerated."""
    pieces = [(a, b)]
    for x0, x1 in segments:
        if x0 <= a or x1 >= b:
            continue
        nxt = []
        for p, q in pieces:
            if x1 <= p or x0 >= q:
                nxt.append((p, q))
                continue
            if x0 > p:
                nxt.append((p, x0))
            if x1 < q:
                nxt.append((x1, q))
        pieces = nxt
    return pieces


def _separates(band: tuple[float, float], lines: list[_Line], gap: float, tol: float, need: int = 2) -> bool:
    """Two lines show the band as a column edge: a word starts at its right side (a column's
    left-aligned text) with nothing or a gap of `gap` or more before it, or a word ends at its
    left side (a column's longest line) with such a gap after it. Spaces that
    line up on every row ("Sở | KH&CN", "Sở | Nội vụ") separate nothing by more than a space."""
    a, b = band
    apart = 0
    both: list[float] = []  # the gaps of the lines with words right beside the band on both sides
    ragged: set[int] = set()  # where the text before ends, on lines whose text after starts at the band
    for ln in lines:
        before = [w for w in ln.words if w.x1 <= a + 0.01]
        after = [w for w in ln.words if w.x0 >= b - 0.01]
        if len(before) + len(after) != len(ln.words):
            continue
        opens = bool(after) and after[0].x0 <= b + tol and (not before or after[0].x0 - before[-1].x1 >= gap)
        closes = bool(before) and bool(after) and before[-1].x1 >= a - tol and after[0].x0 - before[-1].x1 >= gap
        apart += opens or (closes and b - a >= 0.5 * gap)  # a band as narrow as a space needs aligned starts
        if before and after and before[-1].x1 >= a - tol and after[0].x0 <= b + tol:
            both.append(after[0].x0 - before[-1].x1)
        if before and after and after[0].x0 <= b + 0.3:
            ragged.add(round(before[-1].x1))
    # Text starting at the band on three lines after text that ends each time elsewhere: a
    # left-aligned column after a ragged one, however close (cells with almost no padding).
    if len(ragged) >= 3 and max(ragged) - min(ragged) >= gap:
        return True
    # A band that every line filling both its sides crosses with a mere space ("2026 | - 2030")
    # is a space that lines up, not a gutter.
    if len(both) >= 2 and max(both) < gap and b - a < 0.5 * gap:
        return False
    return apart >= need


# --- rows ----------------------------------------------------------------------------------


@dataclass
class _Frame:
    """The columns of a table: gutter bands, the edges in their middles, the page's em."""

    bands: list[tuple[float, float]]
    edges: list[float]
    em: float
    # id(line) -> (line, its words' columns): a row asks once per cell (speed only)
    seen: dict[int, tuple[_Line, list[int]]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_cols(self) -> int:
        return len(self.edges) - 1

    def columns(self, line: _Line) -> list[int]:
        """Each word's column. A word standing in a gutter (a header label wider than the
        column's body text) goes with the word just before it when it continues that
        phrase, otherwise with the nearer side."""
        known = self.seen.get(id(line))
        if known is None:
            known = self.seen[id(line)] = (line, self._columns(line))
        return known[1]

    def _columns(self, line: _Line) -> list[int]:
        out: list[int] = []
        for i, w in enumerate(line.words):
            cx = (w.x0 + w.x1) / 2
            c = min(max(bisect.bisect_right(self.edges, cx) - 1, 0), self.n_cols - 1)
            g = next((g for g, (a, b) in enumerate(self.bands) if a < cx < b), None)
            if g is not None:
                a, b = self.bands[g]
                near = i > 0 and w.x0 - line.words[i - 1].x1 <= 0.4 * self.em and out[-1] <= g
                c = out[-1] if near else (g if cx - a < b - cx else g + 1)
            out.append(c)
        return out

    def crossings(self, line: _Line) -> set[int]:
        """Gutters (1 = between columns 0 and 1) that the line's text runs across: one phrase
        (words a space apart) from left of the band to right of it, with a word inside the
        band unless the band is no wider than a space."""
        out = set()
        words = line.words
        join = 0.4 * self.em
        for g, (a, b) in enumerate(self.bands, start=1):
            inside = [i for i, w in enumerate(words) if w.x1 > a + 0.5 and w.x0 < b - 0.5]
            if not inside and b - a > join:
                continue
            i = inside[0] if inside else bisect.bisect_left([w.x0 for w in words], b) - 1
            lo = hi = max(i, 0)
            while lo > 0 and words[lo].x0 >= a and words[lo].x0 - words[lo - 1].x1 <= join:
                lo -= 1
            while hi + 1 < len(words) and words[hi].x1 <= b and words[hi + 1].x0 - words[hi].x1 <= join:
                hi += 1
            if words[lo].x0 < a and words[hi].x1 > b and not self._gap_on_gutter(words[lo:hi + 1], a, b):
                out.add(g)
        return out

    def _gap_on_gutter(self, phrase: list[Word], a: float, b: float) -> bool:
        """Two cells' texts a space apart (almost no cell padding): the gutter is no wider than a
        space, one word ends in it and the next starts right at its right side, where the next
        column's texts start. A title running across mostly has a word over the gutter instead;
        one in capitals (a section title) is taken as running across all the same."""
        letters = [ch for w in phrase for ch in w.text if ch.isalpha()]
        if b - a > 0.4 * self.em or all(ch.isupper() for ch in letters):
            return False
        return any(a - 0.5 <= u.x1 <= b and abs(v.x0 - b) <= 0.6 and v.x0 - u.x1 >= 0.15 * self.em
                   for u, v in zip(phrase, phrase[1:], strict=False))


def _header_spans(lines: list[_Line], frame: _Frame) -> list[set[int]]:
    """Per header line, the gutters it spans. A label in a column may run past the middle of a
    wide gutter (the body text under it is short); it spans the gutter only where the header
    goes on under it with a label on each side ("Cơ quan thực hiện" over "Chủ trì | Phối hợp")."""
    out: list[set[int]] = []
    for i, ln in enumerate(lines):
        spans = frame.crossings(ln)
        for g in range(1, frame.n_cols):
            e = frame.edges[g]
            if g in spans or not _phrase_over(ln, e, frame.em):
                continue
            under = [w for low in lines[i + 1:] for w in low.words]
            if any(w.x1 < e for w in under) and any(w.x0 > e for w in under) and not any(
                    _phrase_over(low, e, frame.em) for low in lines[i + 1:]):
                spans.add(g)
        out.append(spans)
    return out


def _phrase_over(line: _Line, e: float, em: float) -> bool:
    """One phrase of the line (words a space apart) stands over x = e with a good part on each
    side (a title centred over two columns, not a label running a little past its own)."""
    for p in _segments(line.words, 0.4 * em):
        x0, x1 = p[0].x0, max(w.x1 for w in p)
        reach = max(1.0 * em, 0.15 * (x1 - x0))
        if e - x0 >= reach and x1 - e >= reach:
            return True
    return False


def find_anchors(lines: list[_Line], frame: _Frame) -> list[int]:
    """Lines that start a row: a short marker in the STT column (the leftmost column whose
    entries are mostly markers), or a title crossing columns from the left (a section)."""
    cols = [frame.columns(ln) for ln in lines]
    stt = 0
    for c in range(min(2, frame.n_cols)):
        firsts = [next(w.text for w, k in zip(ln.words, cs, strict=True) if k == c)
                  for ln, cs in zip(lines, cols, strict=True) if c in cs]
        if firsts and sum(1 for t in firsts if _MARKER.match(t)) * 2 >= len(firsts):
            stt = c
            break
    anchors: list[int] = []
    prev_cross: set[int] = set()
    for ln, cs in zip(lines, cols, strict=True):
        cross = frame.crossings(ln)
        own = [w for w, k in zip(ln.words, cs, strict=True) if k == stt]
        marker = bool(own) and own[0] is ln.words[0] and _MARKER.match(own[0].text) is not None
        if (marker and (stt + 1 not in cross or min(cross) <= stt + 1)) or (cross and min(cross) <= stt + 1 and not prev_cross):
            anchors.append(lines.index(ln))
        prev_cross = cross
    return anchors


def _bands(lines: list[_Line], lo: int, hi: int) -> list[tuple[float, int]]:
    """The white bands between lines lo..hi: (height, index of the line under it)."""
    return [(lines[k + 1].top - lines[k].bottom, k + 1) for k in range(lo, hi)]


def row_bounds(lines: list[_Line], anchors: list[int], body_like=None, goes_on=None, repeats=None) -> list[int]:
    """Indexes of the first line of each row (the header, when there is one, is row 0).

    Between two anchors the row break is the widest white band (ties: the lowest), so a
    number centred in a tall row still finds its row. Above the first anchor stand the
    header and, at the top of a page, maybe the end of a row cut by the page break: the
    header ends at the first of the widest bands under which the lines are `body_like`
    (text starting where the rows' text starts, not centred labels), else at the lowest.
    `goes_on(head, line)` tells the lines that carry on a section title wrapped in its cell
    ("... DOANH" / "NGHIỆP"): they stay with the title whatever the bands say. `repeats(k)` tells
    the lines above k that repeat the header of the table on the page before, word for word: what
    stands between them and the first row is the end of a row cut by the page break, whatever
    its alignment (a header left-aligned like the rows, where nothing else tells them apart)."""
    starts = [0]
    prev = 0
    repeated = next((k for k in range(1, anchors[0]) if repeats(k)), None) if anchors and repeats else None
    if repeated is not None:
        starts += [repeated, anchors[0]]
        prev = anchors[0]
    elif anchors and anchors[0] > 0:
        bands = _bands(lines, 0, anchors[0])
        widest = max(b for b, _ in bands)
        cuts = [k for b, k in bands if b >= widest - 0.5]
        cut = next((k for k in cuts if k < anchors[0] and body_like is not None
                    and all(body_like(ln) for ln in lines[k:anchors[0]])), None)
        if cut is None:
            cut = _body_tail(lines, anchors[0], body_like) or cuts[-1]
        starts.append(cut)
        if cuts[-1] > cut:
            starts.append(cuts[-1])
        prev = anchors[0]
    for a in anchors[1:]:
        bands = _bands(lines, prev, a)
        if bands:
            widest = max(b for b, _ in bands)
            cut = max(k for b, k in bands if b >= widest - 0.5)
            while goes_on is not None and cut < a and goes_on(lines[prev], lines[cut]):
                cut += 1
            if cut > starts[-1]:
                starts.append(cut)
        prev = a
    return starts


def _body_tail(lines: list[_Line], first: int, body_like) -> int | None:
    """Where the lines just above the first row stop being header labels: the end of a row cut
    by the page break under a repeated header, when no band stands out (a table without row
    spacing). None when the header itself reads like rows (nothing to tell them apart)."""
    if body_like is None:
        return None
    k = first
    while k > 0 and body_like(lines[k - 1]):
        k -= 1
    left = min(ln.x0 for ln in lines[:first + 1])
    # The second line of a centred label ("Thời gian dự kiến" / "hoàn thành"); what starts at the
    # table's left, where labels are centred and only numbers and titles start, is no label.
    while 0 < k < first and lines[k].x0 > left + 0.5 and _under_label(lines[k - 1], lines[k]):
        k += 1
    return k if 0 < k < first else None


def _under_label(upper: _Line, line: _Line) -> bool:
    """Is every piece of `line` centred under a piece of the line above (a label's next line)?"""
    def centre(seg: list[Word]) -> float:
        return (seg[0].x0 + max(w.x1 for w in seg)) / 2

    return all(any(abs(centre(seg) - centre(up)) <= 1.5 for up in upper.segments) for seg in line.segments)


def _repeats_header(lines: list[_Line], previous: Table | None):
    """A test for the lines above k that hold the words of the header of the table on the page
    before, all and no others (a header that the producer repeats on every page, whatever
    columns either page shows); None without such a table."""
    if previous is None:
        return None
    rows = 2 if any(c.row == 0 and c.rowspan == 2 for c in previous.cells) else 1
    header = sorted(w for c in previous.cells if c.row < rows for w in c.text.split())
    if len(header) < 2:
        return None

    def repeats(k: int) -> bool:
        return sorted(w.text for ln in lines[:k] for w in ln.words) == header

    return repeats


def _title_goes_on(frame: _Frame):
    """A test for a line that carries on the section title above it: the title crosses columns
    and the line, with no row number, starts at the title's left (where only row numbers and
    titles begin), or in capitals like the title where the title's text starts."""
    def goes_on(head: _Line, line: _Line) -> bool:
        if not frame.crossings(head) or _MARKER.match(line.words[0].text):
            return False
        first = next((w for w in head.words if not _MARKER.match(w.text)), head.words[0])
        caps = [ch for w in head.words + line.words for ch in w.text if ch.isalpha()]
        capitals = bool(caps) and all(ch.isupper() for ch in caps)
        if abs(line.x0 - head.x0) <= 0.5 * frame.em:
            return capitals or not frame.crossings(line)
        return capitals and abs(line.x0 - first.x0) <= 0.5 * frame.em

    return goes_on


def _starts_like_rows(lines: list[_Line], frame: _Frame):
    """A test for lines whose text, in every column it fills, starts where the rows' text
    there mostly starts (left-aligned cell text, unlike a centred header label)."""
    firsts: dict[int, list[float]] = {}
    for ln in lines:
        seen = set()
        for w, c in zip(ln.words, frame.columns(ln), strict=True):
            if c not in seen:
                seen.add(c)
                firsts.setdefault(c, []).append(round(w.x0))
    usual = {c: max(set(xs), key=xs.count) for c, xs in firsts.items()}
    left = min(ln.x0 for ln in lines)

    def body_like(line: _Line) -> bool:
        if _title_line(line, left, frame.em):
            return True  # the end of a section title cut by the page break
        seen = set()
        for w, c in zip(line.words, frame.columns(line), strict=True):
            if c not in seen:
                seen.add(c)
                if abs(w.x0 - usual.get(c, -1e9)) > 0.15 * frame.em + 0.5:
                    return False
        return True

    return body_like


# --- cells ---------------------------------------------------------------------------------


def _join_lines(lines: list[list[Word]], em: float) -> str:
    """A cell's lines → text: wraps as a soft break, a paragraph gap as "\\n", and a line
    ending in a hyphen inside a code joined to the next ("KH-" / "UBND")."""
    texts = [" ".join(w.text for w in ln) for ln in lines]
    if len(texts) < 2:
        return texts[0] if texts else ""
    bottoms = [max(w.bottom for w in ln) for ln in lines]
    pitches = [b - a for a, b in zip(bottoms, bottoms[1:], strict=False)]
    usual = _median(pitches)
    out = [texts[0]]
    for i in range(1, len(texts)):
        gap = pitches[i - 1] > usual + 0.4 * em and pitches[i - 1] > 1.5 * em
        sep = "\n" if gap else SOFT_BREAK
        prev, nxt = texts[i - 1], texts[i]
        if sep == SOFT_BREAK and _HYPHEN_END.search(prev) and nxt[:1].isalnum() and (
            nxt[0].islower() or nxt[0].isdigit() or prev[-2].isupper()
        ):
            sep = ""
        out += [sep, nxt]
    return "".join(out)


def _cell_lines(words: list[Word], em: float) -> list[list[Word]]:
    return [ln.words for ln in group_lines(words, em)] if words else []


def _spans(crossed: set[int], n_cols: int) -> list[tuple[int, int]]:
    """Cells as column ranges: columns joined where a line crosses the gutter between them."""
    spans: list[tuple[int, int]] = []
    c = 0
    while c < n_cols:
        end = c
        while end + 1 in crossed:
            end += 1
        spans.append((c, end))
        c = end + 1
    return spans


def _words_in(lines: list[_Line], frame: _Frame, span: tuple[int, int]) -> list[Word]:
    return [w for ln in lines for w, c in zip(ln.words, frame.columns(ln), strict=True) if span[0] <= c <= span[1]]


def _make_cell(row: int, span: tuple[int, int], words: list[Word], frame: _Frame, ys: tuple[float, float],
               page: int, rowspan: int = 1) -> Cell:
    confs = [w.conf for w in words if w.conf is not None]
    text = _join_lines(_cell_lines(words, frame.em), frame.em)
    bbox = (frame.edges[span[0]], ys[0], frame.edges[span[1] + 1], ys[1])
    return Cell(row, span[0], text, rowspan, span[1] - span[0] + 1, page, bbox, "", min(confs) if confs else None)


def _body_row(r: int, lines: list[_Line], frame: _Frame, page: int, crossed: set[int] | None = None) -> list[Cell]:
    """One row's cells. A title crossing columns with nothing after it is a section row: its
    cell runs to the table's right side, as the document's merged cell did."""
    if crossed is None:
        crossed = set().union(*(frame.crossings(ln) for ln in lines))
    spans = _spans(crossed, frame.n_cols)
    words = [_words_in(lines, frame, span) for span in spans]
    wide = [i for i, span in enumerate(spans) if span[1] > span[0] and words[i]]
    if not wide and words[0] and not any(words[1:]) and not _MARKER.match(" ".join(w.text for w in words[0])):
        wide = [0]  # a title in the first column alone (a full-width cell whose text is short)
    if wide and not any(words[wide[-1] + 1:]):
        k = wide[-1]
        spans = spans[:k] + [(spans[k][0], frame.n_cols - 1)]
        words = words[:k + 1]
    ys = (min(ln.top for ln in lines), max(ln.bottom for ln in lines))
    return [_make_cell(r, span, ws, frame, ys, page) for span, ws in zip(spans, words, strict=True)]


def _header_rows(lines: list[_Line], frame: _Frame, page: int) -> tuple[list[Cell], int]:
    """The header: one row of (multi-line) cells, or two when a title spans columns
    ("Cơ quan thực hiện" over "Chủ trì | Phối hợp"): the spanning title and what stands
    under it make two rows, the other columns one cell over both."""
    per_line = _header_spans(lines, frame)
    crossing = [i for i, spans in enumerate(per_line) if spans]
    below = lines[crossing[-1] + 1:] if crossing else []
    if not crossing or not below:
        return _body_row(0, lines, frame, page, set().union(*per_line)), 1
    upper = lines[:crossing[-1] + 1]
    ys = (min(ln.top for ln in lines), max(ln.bottom for ln in lines))
    split = (upper[-1].bottom + below[0].top) / 2
    cells: list[Cell] = []
    for span in _spans(set().union(*per_line), frame.n_cols):
        if span[0] == span[1]:
            cells.append(_make_cell(0, span, _words_in(lines, frame, span), frame, ys, page, rowspan=2))
            continue
        cells.append(_make_cell(0, span, _words_in(upper, frame, span), frame, (ys[0], split), page))
        for c in range(span[0], span[1] + 1):
            cells.append(_make_cell(1, (c, c), _words_in(below, frame, (c, c)), frame, (split, ys[1]), page))
    return cells, 2


def _add_known_edges(gutters: list[tuple[float, float]], edges: list[float], body: list[_Line],
                     em: float) -> list[tuple[float, float]]:
    """The column edges of the table on the page before, where this page's few rows show no
    gutter of their own but no word of theirs crosses the edge either (a last page of one or
    two rows). One wide gutter over two or more known edges is a column left empty on this
    page: it is cut at those edges; over one known edge far from its own, it takes that one.
    A title running across the table is no evidence."""
    out: list[tuple[float, float]] = []
    for a, b in gutters:
        inside = [e for e in edges if a <= e <= b]
        # One known edge far from where this wide gutter would put its own (a centred header label
        # alone in a column empty on this page, taken for where the column begins) is the edge.
        far = len(inside) == 1 and abs(max((a + b) / 2, b - 0.5 * em) - inside[0]) > em
        out += [(e - 0.5, e + 0.5) for e in inside] if len(inside) >= 2 or far else [(a, b)]
    body = [ln for ln in body if sum(_crosses(ln, e) for e in edges) < 3]
    for e in edges:
        if any(a - em <= e <= b + em for a, b in out):
            continue
        crossing = [ln for ln in body if _crosses(ln, e)]
        if len(crossing) <= len(body) // 10:
            out.append((e - 0.5, e + 0.5))
    return sorted(out)


def _crosses(line: _Line, edge: float) -> bool:
    left = edge - 0.5
    right = edge + 0.5
    return any(w.x0 < left and w.x1 > right for w in line.words)


def _first_marker(lines: list[_Line], em: float) -> int | None:
    """The first line that starts with a short marker at the table's left: the first row
    (what stands above it is the header)."""
    left = min(ln.x0 for ln in lines)
    width = max(ln.x1 for ln in lines) - left
    for i, ln in enumerate(lines):
        if not _MARKER.match(ln.words[0].text):
            continue
        # A number alone in its cell may stand centred in a wide first column.
        if ln.x0 <= left + 3 * em or (len(ln.segments[0]) == 1 and ln.x0 <= left + 0.2 * width):
            return i
    return None


def _read_run(lines: list[_Line], core: int, em: float, page: int, page_width: float, s: LinelessSettings,
              columns: list[float] | None = None, previous: Table | None = None) -> tuple[Table | None, list[Word]]:
    head = _first_marker(lines[core:], em)
    if head is None:
        return None, []
    head += core
    gutters = find_gutters(lines[head:], lines[core:head], em, s)
    if columns:
        gutters = _add_known_edges(gutters, columns[1:-1], lines[head:], em)
    if len(gutters) + 1 < s.min_cols:
        return None, []
    left = min(ln.x0 for ln in lines[core:])
    right = max(ln.x1 for ln in lines[core:])
    # Near the gutter's right side: where the next column's text starts, the same on every page.
    edges = [left - 1.0] + [max((a + b) / 2, b - 0.5 * em) for a, b in gutters] + [right + 1.0]
    frame = _Frame(gutters, edges, em)
    # The close lines above, from the lowest up, kept while they sit inside the columns; a header
    # label may run a little past the widest row text (middle-aligned "Thời gian hoàn" / "thành").
    top = core
    while top > 0 and lines[top - 1].x0 >= left - 0.5 and lines[top - 1].x1 <= right + 3 * em and (
            _is_marker_line(lines[top - 1], left, em)  # a numbered section title at the page's top
            or (not frame.crossings(lines[top - 1]) and 0 not in frame.columns(lines[top - 1]))):
        top -= 1
    lines = lines[top:]
    anchors = find_anchors(lines, frame)
    if len(anchors) < 1:
        return None, []
    starts = row_bounds(lines, anchors, _starts_like_rows(lines[anchors[0]:], frame), _title_goes_on(frame),
                        _repeats_header(lines, previous))
    left = min(ln.x0 for ln in lines)
    if len(starts) > 1 and starts[1] < anchors[0] and anchors[0] not in starts and all(
            _title_line(ln, left, em) for ln in lines[starts[1]:anchors[0]]):
        starts = sorted([*starts, anchors[0]])  # the end of a section title cut by the page break: a row
    starts, end = _trim_tail(lines, starts, anchors, em)
    lines = lines[:end]
    groups = [lines[a:b] for a, b in zip(starts, starts[1:] + [len(lines)], strict=True)]
    cells: list[Cell] = []
    n_rows = 0
    if anchors[0] > 0:  # lines above the first row: the header
        header, n_rows = _header_rows(groups[0], frame, page)
        cells += header
        groups = groups[1:]
    for group in groups:
        cells += _body_row(n_rows, group, frame, page)
        n_rows += 1
    if n_rows < 2:
        return None, []
    note = ("borderless-table", f"page {page}: columns inferred from word positions (no ruling lines)")
    # Without rules the table's outer sides are unknown (they follow the longest text): the page's
    # sides stand for them, so that the pieces of one table on several pages line up.
    table = Table(cells, n_rows, len(edges) - 1, page=page, col_edges=[0.0, *edges[1:-1], page_width],
                  ruled=False, notes=[note])
    return table, [w for ln in lines for w in ln.words]


def _trim_tail(lines: list[_Line], starts: list[int], anchors: list[int], em: float) -> tuple[list[int], int]:
    """Cut what follows the last row after a band wider than any row break (a signature
    block, a note under the table): it is running text, not a row without a number."""
    breaks = [lines[k].top - lines[k - 1].bottom for k in starts[1:]]
    limit = 1.6 * max(breaks) if breaks else None
    first = anchors[-1] if anchors else 0
    for k in range(first + 1, len(lines)):
        if limit is not None and lines[k].top - lines[k - 1].bottom > max(limit, 1.0 * em):
            return [x for x in starts if x < k], k
    return starts, len(lines)
