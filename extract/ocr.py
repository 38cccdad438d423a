"""A page image → words (as glyphs, with confidences) and ruling lines, in PDF points.

The result feeds the same page builder as a text layer (`extract/pdf.py`): cells come
from the rules through `pdf_tables.find_tables`, text from the glyphs' geometry, so
header mapping, page-split rows, merged cells, sections and the document fields work on
scans unchanged. What OCR adds:

- each table cell is read alone (SetRectangle on the page set once, the rules painted
  out): words never run across a column border, which whole-page OCR does;
- a first column that holds STT values is read again as digits and Roman numerals where
  the first reading is not one ("l" → "1", "|" → "I");
- the text outside the tables (the lines above and under them) is read from the page
  with the tables blanked.

A word's glyph spans its box; a space glyph stands between words of one line, as in a
text layer. All words of a Tesseract line share its baseline, so they group as one line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from phuluc.extract.image_table import erase_rules, find_rules
from phuluc.extract.page_image import prepare
from phuluc.extract.pdf_tables import Segment, TableBox, find_tables
from phuluc.extract.pdf_words import Glyph
from phuluc.extract.tesseract import Engine, OcrWord
from phuluc.schema.grid import OCR_FONT

_STT = re.compile(r"^(\d{1,3}(\.\d{1,3})*\.?|[IVX]{1,5}\.?|[a-zđ]\)|S?TT|STT)$")
_STT_READ = re.compile(r"^(\d{1,3}(\.\d{1,3})*\.?|[IVX]{1,5}\.?)$")
STT_CHARS = "0123456789.IVX"
# What Tesseract makes of a lone STT value in a serif font where even the reading limited to
# STT characters gives nothing (measured on samples-scans: section numbers "I", "II").
STT_LOOKALIKES = {"|": "I", "||": "II", "H": "II", "l": "1", "l.": "1."}
# Letters Tesseract's `vie` model gives that Vietnamese never uses, and what they stand for
# (measured on samples-scans: "quốc øia", "ÐA/TU"; "761⁄KH-UBND" with a fraction slash, read at 225 dpi).
NOT_VIETNAMESE = str.maketrans({"ø": "g", "Ð": "Đ", "⁄": "/"})
# A word without letters or digits under this confidence is a speck or a seal's rest, not a dash.
SPECK_CONF = 50.0
INSET_PT = 1.0  # cells are read this far inside their rules
# Tesseract reads best when the page's median letter (a connected piece of ink: "a", "h", "g"…) stands
# about this many pixels tall: a 13 pt Times page at 225 dpi. At 300 dpi the same cells lost more
# tone marks and letters (measured on the held-out scans and samples-scans: benchmarks/ocr_cells.py).
READ_LETTER_PX = 21.5
LETTER_PT = (5.0, 11.0)  # a measured median letter height is held within these bounds (9–16 pt type)
MIN_LETTERS = 50  # fewer pieces of ink than this: no measure, the page is read as rendered
# A Tesseract text line's box (accents above capitals, descenders) is about this many font sizes tall.
LINE_EM = 1.4


@dataclass  # not slots=True: slots of its own would hide the compiled Glyph's fields (setup.py)
class OcrGlyph(Glyph):
    """A recognized word as a glyph, with Tesseract's confidence (0-100)."""

    conf: float = 100.0


@dataclass
class OcrPage:
    glyphs: list[Glyph]
    rules: list[Segment]
    width: float  # points
    height: float
    skew: float


def _has_text(word: str) -> bool:
    """A letter or digit, not a modifier letter ("ˆ", which Tesseract makes of a seal's rim)."""
    return any(unicodedata.category(ch)[0] in "LN" and unicodedata.category(ch) != "Lm" for ch in word)


def _to_glyphs(words: list[OcrWord], scale: float) -> list[Glyph]:
    out: list[Glyph] = []
    prev: OcrWord | None = None
    for w in words:
        w.text = w.text.translate(NOT_VIETNAMESE)
        if w.conf < SPECK_CONF and not _has_text(w.text) or not w.text.strip("ˆ˜`´¨~'\"^"):
            continue
        size = max(w.line_height * scale / LINE_EM, 1.0)
        top, bottom = w.line_top * scale, w.baseline * scale
        if prev is not None and not w.new_line and w.x0 > prev.x1:
            out.append(Glyph(" ", prev.x1 * scale, w.x0 * scale, top, bottom, size, OCR_FONT))
        out.append(OcrGlyph(w.text, w.x0 * scale, w.x1 * scale, top, bottom, size, OCR_FONT, w.conf))
        prev = w
    return out


def _has_ink(gray: np.ndarray, rect: tuple[int, int, int, int], min_pixels: int = 30) -> bool:
    x0, top, x1, bottom = rect
    return int((gray[max(top, 0):bottom, max(x0, 0):x1] < 128).sum()) >= min_pixels


def _text(words: list[OcrWord]) -> str:
    return " ".join(w.text for w in words)


def _read_cells(engine: Engine, gray: np.ndarray, boxes: list[TableBox], k: float) -> list[OcrWord]:
    """Each cell alone (empty cells skipped: Tesseract invents text in noise); then the STT column."""
    inset = INSET_PT * k
    words: list[OcrWord] = []
    for box in boxes:
        first_col: list[tuple[tuple[int, int, int, int], list[OcrWord]]] = []
        for cell in box.cells:
            x0, top, x1, bottom = cell.bbox
            rect = (int(x0 * k + inset), int(top * k + inset), int(x1 * k - inset), int(bottom * k - inset))
            if not _has_ink(gray, rect):
                continue
            found = engine.read(rect)
            if cell.col == 0 and cell.colspan == 1 and len(box.xs) > 2:
                first_col.append((rect, found))
            else:
                words += found
        words += _reread_stt(engine, gray, first_col)
    return words


def _ink_box(gray: np.ndarray, rect: tuple[int, int, int, int], pad: int = 12) -> tuple[int, int, int, int]:
    """The rectangle around the ink inside `rect`: one short value alone in a tall cell reads
    badly as a block ("5" → "lì") and well as a line cut close."""
    x0, top, x1, bottom = rect
    ys, xs = np.nonzero(gray[top:bottom, x0:x1] < 128)
    if len(xs) == 0:
        return rect
    return (max(x0 + int(xs.min()) - pad, x0), max(top + int(ys.min()) - pad, top),
            min(x0 + int(xs.max()) + pad, x1), min(top + int(ys.max()) + pad, bottom))


def _reread_stt(engine: Engine, gray: np.ndarray, cells: list[tuple[tuple[int, int, int, int], list[OcrWord]]]) -> list[OcrWord]:
    """A first column whose cells mostly read as STT values is an STT column: its other short
    cells ("l", "lì", "|", "H") are read again limited to digits and Roman numerals."""
    texts = [_text(found) for _, found in cells if found]
    if not texts or sum(bool(_STT.match(t)) for t in texts) < 0.5 * len(texts):
        return [w for _, found in cells for w in found]
    out: list[OcrWord] = []
    for rect, found in cells:
        text = _text(found)
        if found and not _STT.match(text) and len(text) <= 4:
            again = engine.read(_ink_box(gray, rect), psm="line", whitelist=STT_CHARS)
            if again and _STT_READ.match(_text(again)):
                found = again
            elif text in STT_LOOKALIKES:  # the limited reading gave nothing: a serif I read as a rule
                found[0].text = STT_LOOKALIKES[text]
                del found[1:]
        out += found
    return out


def _blank_tables(gray: np.ndarray, boxes: list[TableBox], k: float) -> np.ndarray:
    out = gray.copy()
    pad = int(2 * k)
    for box in boxes:
        x0, top, x1, bottom = box.bbox
        cv2.rectangle(out, (int(x0 * k) - pad, int(top * k) - pad), (int(x1 * k) + pad, int(bottom * k) + pad), 255, -1)
    return out


def letter_height(gray: np.ndarray, dpi: float) -> float | None:
    """The median height (points) of the page's letters: the connected pieces of ink between
    3 and 30 points tall and at most 30 wide (no rules, specks or accents); None without text."""
    k = dpi / 72.0
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[1:, 2], stats[1:, 3]
    heights = h[(h >= 3 * k) & (h <= 30 * k) & (w <= 30 * k)]
    return float(np.median(heights)) / k if len(heights) >= MIN_LETTERS else None


def reading_factor(gray: np.ndarray, dpi: float) -> float:
    """How much to scale the page so that its letters stand READ_LETTER_PX tall (see there)."""
    height = letter_height(gray, dpi)
    if height is None:
        return 1.0
    height = min(max(height, LETTER_PT[0]), LETTER_PT[1])
    return min(READ_LETTER_PX / (height * dpi / 72.0), 1.5)


def read_page_image(rgb: np.ndarray, dpi: float, engine: Engine) -> OcrPage:
    """OCR one rendered page: deskew, seal removal, rules, cells read alone, text around."""
    page = prepare(rgb, dpi)
    rules, mask = find_rules(page.rules_gray, dpi)
    boxes = [b for b in find_tables(rules) if len(b.xs) > 2 and len(b.ys) > 2]
    clean = erase_rules(page.gray, mask)
    f = reading_factor(clean, dpi)
    if f != 1.0:
        clean = cv2.resize(clean, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)
    scale = page.scale / f
    k = 1.0 / scale
    words: list[OcrWord] = []
    if boxes:
        engine.set_image(Image.fromarray(clean))
        words += _read_cells(engine, clean, boxes, k)
    h, w = clean.shape
    engine.set_image(Image.fromarray(_blank_tables(clean, boxes, k)))
    # Whole-page segmentation for the text around the tables (blocks of lines side by side).
    words_outside = engine.read((0, 0, w, h), psm="auto")
    glyphs = _to_glyphs(words, scale) + _to_glyphs(words_outside, scale)
    return OcrPage(glyphs, rules, w * scale, h * scale, page.skew)


def page_confidence(glyphs: list[Glyph]) -> list[float]:
    return [g.conf for g in glyphs if isinstance(g, OcrGlyph)]


def is_stt_column(texts: list[str]) -> bool:
    """Most of a first column's read cells are STT values (or its header): an STT column."""
    read = [t for t in texts if t]
    return bool(read) and sum(bool(_STT.match(t)) for t in read) >= 0.5 * len(read)


def read_stt(engine: Engine, gray: np.ndarray, rect: tuple[int, int, int, int]) -> list[OcrWord]:
    """An STT cell read as one line of digits and Roman numerals: its words when they make a
    clean STT value, else none."""
    again = engine.read(_ink_box(gray, rect), psm="line", whitelist=STT_CHARS)
    return again if again and _STT_READ.match(_text(again)) else []


def is_stt_text(text: str) -> bool:
    """An STT value or the STT column's header ("1", "2.1", "II", "a)", "TT")."""
    return bool(_STT.match(text))
