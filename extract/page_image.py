"""A PDF page → a clean, upright grayscale image for OCR.

    render (pypdfium2, colour) → drop_colour_marks (the red seal, blue signatures)
    → grayscale → measure_skew → rotate → whiten_paper

Scanners lean pages by 0.3–2°; ruling lines then cross text rows and a cell cut by the
rules loses its first or last line, so deskew is not optional. The lean is measured by
the projection profile of the dark pixels (rows of text and horizontal rules give sharp
peaks only when level), which needs no table and no text layout.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_SKEW = 3.0  # degrees searched either way
# A pixel is a coloured mark (seal ink, a blue signature) when one channel stands this far above the others.
COLOUR_MARGIN = 60
# A pixel this coloured next to a coloured one is the seal's rim (JPEG blurs the colour of edges).
EDGE_MARGIN = 25
# Coloured ink whose brightest channel is this far below the seal ink's own level is black
# under the seal (a rule or a letter the seal was stamped over).
UNDER_SEAL_MARGIN = 25
# The most pixels a page is rendered with (an A3 page at 300 dpi is 17 MP). A scan saved without
# its resolution is often declared at 72 dpi or less, so the page is several feet wide: rendered
# at the asked dpi it would take gigabytes, while its image holds no more detail than this.
MAX_PIXELS = 20_000_000
A4_LONG_PT = 842.0  # the long side of A4 and of A3, in points
A3_LONG_PT = 1191.0


@dataclass
class PageImage:
    """An upright grayscale page (uint8, 255 = paper) and how it was made."""

    gray: np.ndarray
    dpi: float
    skew: float  # degrees the scan leaned (counter-clockwise positive), undone in `gray`
    rules_gray: np.ndarray | None = None  # `gray` with black under a seal kept, for finding rules

    @property
    def scale(self) -> float:
        """PDF points per pixel."""
        return 72.0 / self.dpi


def render_dpi(width_pt: float, height_pt: float, dpi: float) -> float:
    """The asked dpi, lowered so that the page stays within MAX_PIXELS."""
    pixels = (width_pt * dpi / 72.0) * (height_pt * dpi / 72.0)
    return dpi if pixels <= MAX_PIXELS else dpi * (MAX_PIXELS / pixels) ** 0.5


def paper_factor(width_pt: float, height_pt: float) -> float:
    """How many times larger than the paper a scanned page is declared: 1 for a page up to A3.

    No plan is printed on paper larger than A3; a scan saved without its resolution (a phone's
    72 dpi, Tesseract's 70) declares a page feet wide. Such a page is taken to be A4, so that the
    sizes the image steps expect (a letter's height, a rule's thickness) hold in its pixels.
    """
    longest = max(width_pt, height_pt)
    return longest / A4_LONG_PT if longest > A3_LONG_PT else 1.0


def render_page(pdf, index: int, dpi: float) -> tuple[np.ndarray, float, float]:
    """Page `index` (0-based) of an open pypdfium2 document as an RGB array (page rotation applied),
    with the dpi of the paper it shows and the `paper_factor` of the page.

    Points computed from the image with that dpi are the paper's: a page declared larger than
    its paper comes out `factor` times smaller than its declared size."""
    page = pdf[index]
    try:
        width, height = page.get_width(), page.get_height()
        factor = paper_factor(width, height)
        scale = render_dpi(width, height, dpi / factor) / 72.0
        bitmap = page.render(scale=scale, rev_byteorder=True)
        return np.array(bitmap.to_pil().convert("RGB")), scale * 72.0 * factor, factor
    finally:
        page.close()


def drop_colour_marks(rgb: np.ndarray, keep_under_seal: bool = False, for_text: bool = False) -> np.ndarray:
    """RGB → grayscale with strongly coloured ink turned to paper.

    Seals are red and signatures often blue; text and rules are black or gray. Black
    under a seal stays dark in every channel, so it survives; pixels where one channel
    clearly leads are read by that channel, where seal ink is as light as paper.

    A seal stamped over a rule (not multiplied with it) tints the rule's black dark red:
    coloured, yet its brightest channel sits clearly below the seal ink's own (median)
    level. With `keep_under_seal` such pixels stay dark, so the rules the seal's rings
    cross stay whole and the letters under a seal stay readable.

    `for_text` (the image Tesseract reads): the decision is taken on the 3x3 median of that
    channel, so that single noisy pixels of seal ink do not stay as specks (they did, and
    cost the sample scans whose seal multiplies with the ink: why keeping the black under
    the seal once dropped scan-nghe-an from 77.6 to 64.2%); and the seal's rim, whose colour
    JPEG washes out, is taken as seal wherever it touches clearly coloured ink (it stayed
    as grey rings). The rules image keeps the plain decision: the median cost it rules.
    """
    hi = rgb.max(axis=2)
    chroma = hi - rgb.min(axis=2)
    strong = chroma > COLOUR_MARGIN
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if not strong.any():
        return gray
    coloured = strong
    if for_text:
        near = cv2.dilate(strong.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))) > 0
        coloured = strong | (near & (chroma > EDGE_MARGIN))
    cutoff = 120.0
    if keep_under_seal:
        cutoff = max(cutoff, float(np.median(hi[strong])) - UNDER_SEAL_MARGIN)
    level = cv2.medianBlur(hi, 3) if for_text else hi
    # In its own brightest channel coloured ink is light, and black under it stays dark.
    gray[coloured] = np.where(level[coloured] > cutoff, 255, np.minimum(gray[coloured], hi[coloured])).astype(np.uint8)
    return gray


def _ink(gray: np.ndarray, width: int = 1200) -> np.ndarray:
    """A downscaled binary image of the dark pixels (1 = ink), for measuring."""
    scale = min(1.0, width / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def _sharpness(binary: np.ndarray, angle: float) -> float:
    h, w = binary.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(binary, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    profile = rotated.sum(axis=1).astype(np.float64)
    return float(np.square(np.diff(profile)).sum())


def measure_skew(gray: np.ndarray) -> float:
    """The angle (degrees) that levels the page: coarse search, then a finer one around the best."""
    binary = _ink(gray)
    if binary.sum() < 100:
        return 0.0
    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-6, 0.25), key=lambda a: _sharpness(binary, a))
    fine = np.arange(best - 0.25, best + 0.25 + 1e-6, 0.025)
    return float(round(max(fine, key=lambda a: _sharpness(binary, a)), 3))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees (counter-clockwise) about the centre, the corners filled with paper."""
    if abs(angle) < 0.02:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def whiten_paper(gray: np.ndarray) -> np.ndarray:
    """Paper grain and scanner noise → white; ink keeps its grey edges.

    Tesseract thresholds each rectangle it reads on its own: an empty cell of noisy
    grey paper then splits into "ink" and paper and reads as garbage. Pixels lighter
    than halfway between the page's ink/paper threshold (Otsu) and the paper's own
    level are paper.
    """
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = float(np.median(gray[gray > t])) if (gray > t).any() else 255.0
    out = gray.copy()
    out[gray > (t + paper) / 2] = 255
    return out


def prepare(rgb: np.ndarray, dpi: float) -> PageImage:
    """Colour scan → upright grayscale page without seal, on white paper (and its twin with the
    rules under the seal kept, for finding rules)."""
    gray = drop_colour_marks(rgb)
    angle = measure_skew(gray)
    rules_gray = whiten_paper(rotate(drop_colour_marks(rgb, keep_under_seal=True), angle))
    text = whiten_paper(rotate(drop_colour_marks(rgb, keep_under_seal=True, for_text=True), angle))
    return PageImage(text, dpi, angle, rules_gray)
