"""Does a PDF page have a usable text layer? The one place that decides it.

A page has no usable text layer when
- it has no text at all (a scan, a picture of a page);
- its only text is a stamp on a page-size picture: a phone scanner's "Scanned by
  CamScanner" footer, a fax header, a page number printed on a scan;
- most of its glyphs cannot be decoded: a font without a /ToUnicode map and without
  a standard encoding gives glyph ids, which pdfminer shows as "(cid:12)".

Such a page needs OCR; a page with a few undecodable glyphs among real text keeps its
text with those glyphs shown as U+FFFD and a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A stamp is short: a page-size picture with less text than this is a scan.
STAMP_MAX_CHARS = 200
# A picture covering this share of the page makes it a scanned page.
SCAN_COVER = 0.5
# Over this share of undecodable glyphs the page's text is not text.
UNDECODABLE_SHARE = 0.10

_CID = re.compile(r"^\(cid:\d+\)$")
REPLACEMENT = "\ufffd"


@dataclass
class TextLayer:
    """The verdict on one page's text layer.

    `reason` is "" for a usable layer, else "no-text", "stamp-only" or "undecodable".
    """

    usable: bool
    reason: str = ""
    chars: int = 0  # visible glyphs
    undecodable: int = 0  # glyphs pdfminer could not map to Unicode
    cover: float = 0.0  # share of the page under its largest picture

    @property
    def scanned(self) -> bool:
        """A picture of a page (not a blank page, not a page of glyph ids)."""
        return not self.usable and self.reason != "undecodable" and self.cover >= SCAN_COVER


def is_undecodable(text: str) -> bool:
    """A glyph whose text is a glyph id ("(cid:12)") or the replacement character: no Unicode behind it."""
    return text == REPLACEMENT or (text.startswith("(cid:") and bool(_CID.match(text)))


def judge_text_layer(texts: list[str], image_cover: float, undecodable: int | None = None) -> TextLayer:
    """Whether a page with these glyph texts, and pictures covering `image_cover` (0-1) of it, has usable text.

    `undecodable` is the count of glyphs without a Unicode map when the engine says it
    (PDFium); else glyphs are judged by their text (pdfminer's "(cid:12)").
    """
    visible = [t for t in texts if t and not t.isspace()]
    bad = sum(1 for t in visible if is_undecodable(t)) if undecodable is None else min(undecodable, len(visible))
    if not visible:
        return TextLayer(False, "no-text", cover=image_cover)
    if bad / len(visible) > UNDECODABLE_SHARE:
        return TextLayer(False, "undecodable", len(visible), bad, image_cover)
    if image_cover >= SCAN_COVER and len(visible) < STAMP_MAX_CHARS:
        return TextLayer(False, "stamp-only", len(visible), bad, image_cover)
    return TextLayer(True, "", len(visible), bad, image_cover)


def image_cover(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> float:
    """The share of the page (0-1) that the largest picture covers, clipped to the page.

    The largest, not the sum: a scan is one page-size picture; many small logos are not a scan.
    """
    if width <= 0 or height <= 0:
        return 0.0
    best = 0.0
    for x0, y0, x1, y1 in boxes:
        w = max(0.0, min(x1, width) - max(x0, 0.0))
        h = max(0.0, min(y1, height) - max(y0, 0.0))
        best = max(best, w * h)
    return min(1.0, best / (width * height))
