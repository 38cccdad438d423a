"""One PDF page as plain records, whichever engine read it: glyphs and ruling lines.

Both engines (pdfium, pdfplumber) hand over characters and painted paths in pdfminer's
page space (origin bottom-left, the page's /Rotate applied); the helpers here turn them
into the reading frame (text runs left to right, `top` grows down the lines) the same way,
so that the rest of the reader cannot tell the engines apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

from phuluc.extract.pdf_tables import Segment
from phuluc.extract.pdf_text_layer import TextLayer
from phuluc.extract.pdf_words import Glyph

# A filled rectangle this thin is a rule, not a box.
THIN: Final = 2.0

Frame = Callable[[float, float, float, float], tuple[float, float, float, float]]


@dataclass
class Page:
    """One page reduced to glyphs and rules, in the reading frame (text runs left to right)."""

    number: int
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[Segment] = field(default_factory=list)
    text_layer: TextLayer = field(default_factory=lambda: TextLayer(True))  # `pdf_text_layer.judge_text_layer`
    # PageOcr's scan test (a page-size picture) when the reader answered it; None: PageOcr looks itself
    page_picture: bool | None = None


def direction(vectors: Iterable[tuple[float, float]]) -> tuple[int, int]:
    """The dominant writing direction (a unit vector in page space) of glyphs' (a, b) matrix parts
    (on a tie, the one met first). A page's glyphs share a few matrices: each is judged once."""
    counts: dict[tuple[float, float], int] = {}  # a Counter, without its __init__ written in Python
    for v in vectors:
        counts[v] = counts.get(v, 0) + 1
    votes: dict[tuple[int, int], int] = {}
    for (a, b), n in counts.items():
        if abs(a) >= abs(b):
            d = (1 if a >= 0 else -1, 0)
        else:
            d = (0, 1 if b > 0 else -1)
        votes[d] = votes.get(d, 0) + n
    return max(votes, key=lambda d: votes[d]) if votes else (1, 0)


def reading_frame(d: tuple[int, int], width: float, height: float) -> tuple[Frame, float, float]:
    """The box transform into the reading frame for writing direction `d`, and the frame's size."""
    if d == (1, 0):
        def frame(x0, y0, x1, y1):
            return x0, height - y1, x1, height - y0
        return frame, width, height
    dx, dy = d
    nx, ny = dy, -dx  # the direction rotated clockwise: where the next line goes

    def turned(x0, y0, x1, y1):
        us = (x0 * dx + y0 * dy, x1 * dx + y1 * dy, x0 * dx + y1 * dy, x1 * dx + y0 * dy)
        vs = (x0 * nx + y0 * ny, x1 * nx + y1 * ny, x0 * nx + y1 * ny, x1 * nx + y0 * ny)
        return min(us), min(vs), max(us), max(vs)

    return (turned, height, width) if d[0] == 0 else (turned, width, height)


def is_white(color) -> bool:
    """A fill colour as pdfminer gives it (gray, RGB or CMYK, 0..1) that is white."""
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.99
    values = list(color)
    if len(values) == 4:  # CMYK
        return all(v <= 0.01 for v in values)
    return bool(values) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def rect_rules(box: tuple[float, float, float, float], stroke: bool, white_fill: bool, frame: Frame) -> list[Segment]:
    """A painted rectangle (page space) → rules: a thin one is a rule, a box gives its four sides
    (unless it is only a white fill, a background)."""
    x0, top, x1, bottom = frame(*box)
    w, h = x1 - x0, bottom - top
    if h <= THIN and w > THIN:
        return [Segment(True, (top + bottom) / 2, x0, x1)]
    if w <= THIN and h > THIN:
        return [Segment(False, (x0 + x1) / 2, top, bottom)]
    if w > THIN and h > THIN and (stroke or not white_fill):
        return [Segment(True, top, x0, x1), Segment(True, bottom, x0, x1),
                Segment(False, x0, top, bottom), Segment(False, x1, top, bottom)]
    return []


def polyline_rules(pts: list[tuple[float, float]], frame: Frame) -> list[Segment]:
    """The axis-parallel pieces of a painted polyline (page space) as rules."""
    out: list[Segment] = []
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        x0, top, x1, bottom = frame(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        if bottom - top <= 1.0 and x1 - x0 > THIN:
            out.append(Segment(True, (top + bottom) / 2, x0, x1))
        elif x1 - x0 <= 1.0 and bottom - top > THIN:
            out.append(Segment(False, (x0 + x1) / 2, top, bottom))
    return out
