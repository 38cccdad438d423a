"""Ruling lines of an upright page image → rule segments in PDF points.

OpenCV morphology: an opening with a long thin kernel keeps only runs of ink longer
than any letter, horizontally and vertically; each remaining connected piece is a rule.
The segments then go to the same `pdf_tables.find_tables` that builds cells (with their
row and column spans, from missing borders) for born-digital PDFs, so scans and text
PDFs share one table model.
"""

from __future__ import annotations

import cv2
import numpy as np

from phuluc.extract.pdf_tables import Segment

# A rule is at least this long (points). Horizontal: longer than the joined bars of bold
# capitals ("TT"), shorter than the narrowest column. Vertical: longer than any letter's
# stem, shorter than a one-line row.
MIN_HRULE_PT = 24.0
MIN_VRULE_PT = 14.0
# A rule's end this close (points) to a crossing rule is snapped onto it (OCR text layers).
END_SNAP_PT = 6.0
# Gaps this small (points) inside a rule are bridged (JPEG and noise break thin rules).
BRIDGE_PT = 3.0


def _binary(gray: np.ndarray) -> np.ndarray:
    """Ink = 255: a local threshold, so a darker scan border or shading does not swamp the rules."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def _pieces(mask: np.ndarray, horizontal: bool, scale: float, min_px: int) -> tuple[list[Segment], np.ndarray]:
    """Each long thin piece of the mask as a segment, and the mask of the pieces kept."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Segment] = []
    keep = np.zeros(n, dtype=bool)
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        length, thickness = (w, h) if horizontal else (h, w)
        if length < min_px or thickness > max(8, length // 4):
            continue
        keep[i] = True
        if horizontal:
            out.append(Segment(True, (y + h / 2) * scale, x * scale, (x + w) * scale))
        else:
            out.append(Segment(False, (x + w / 2) * scale, y * scale, (y + h) * scale))
    return out, keep[labels].astype(np.uint8) * 255


def find_rules(gray: np.ndarray, dpi: float) -> tuple[list[Segment], np.ndarray]:
    """Horizontal and vertical rules of the page, in points (top-left origin, as `pdf_tables`
    wants), and the mask of their pixels (255 = rule)."""
    px_per_pt = dpi / 72.0
    scale = 1.0 / px_per_pt
    binary = _binary(gray)
    bridge = max(int(BRIDGE_PT * px_per_pt), 2)
    rules: list[Segment] = []
    masks = []
    for horizontal in (True, False):
        min_px = max(int((MIN_HRULE_PT if horizontal else MIN_VRULE_PT) * px_per_pt), 10)
        size = (min_px, 1) if horizontal else (1, min_px)
        close = (bridge, 1) if horizontal else (1, bridge)
        # Open first (only runs longer than any letter survive), then bridge the breaks:
        # closing first would join the letters of a bold word into a "rule".
        mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, close))
        found, kept = _pieces(mask, horizontal, scale, min_px)
        rules += found
        masks.append(kept)
    return rules, cv2.bitwise_or(masks[0], masks[1])


def erase_rules(gray: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A copy of the page with the rules' pixels (and their antialiased rim) painted over: a
    cell read alone then holds no border stroke for Tesseract to read as "|" or "l", and the
    letters that touch a rule keep their strokes."""
    rim = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = gray.copy()
    out[rim > 0] = 255
    return out


def snap_ends(rules: list[Segment], tol: float = END_SNAP_PT) -> list[Segment]:
    """Pull each rule's ends onto the crossing rule they nearly meet: an end that overshoots
    the frame (a seal's ring joined to it) would add a column or row of its own. Used for OCR
    text layers, where it was measured to help (on image scans it cost cells: not used there)."""
    verticals = sorted(r.pos for r in rules if not r.horizontal)
    horizontals = sorted(r.pos for r in rules if r.horizontal)

    def nearest(value: float, positions: list[float]) -> float:
        best = min(positions, key=lambda p: abs(p - value), default=value)
        return best if abs(best - value) <= tol else value

    for r in rules:
        cross = verticals if r.horizontal else horizontals
        r.start, r.end = nearest(r.start, cross), nearest(r.end, cross)
    return rules

