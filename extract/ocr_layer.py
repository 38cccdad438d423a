"""An OCR text layer (image + invisible words, no vector lines) → rules from the image, words
from the layer, and the cells the layer got wrong read again from the image.

Tesseract's page-level reading, which `tesseract … pdf` and ocrmypdf publish, drops what
stands alone in a ruled cell (measured on the held-out ocr-layer PDFs, benchmarks/
heldout.py): lone STT digits ("2", "3"), a short date or year range in its own column, a
column header ("Thời gian hoàn thành") — and misreads the STT digits it keeps ("5)" for 2,
"&)" for 3). So, with the table's cells known from the image rules:

- a cell with ink but no word of the layer is read from the image, alone (as `ocr.py` reads
  a scan's cells): the layer lost it;
- in an STT column, a cell whose layer text is not a clean STT value is read again as digits
  and Roman numerals (`ocr.reread_stt`).

Every other cell keeps the layer's words: its reading is as good as a fresh one (both come
from Tesseract's `vie` model on the same image) and costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from phuluc.extract.image_table import erase_rules, find_rules, snap_ends
from phuluc.extract.ocr import INSET_PT, _has_ink, _to_glyphs, is_stt_column, is_stt_text, read_stt
from phuluc.extract.page_image import PageImage, prepare
from phuluc.extract.pdf_tables import Segment, TableBox, find_tables
from phuluc.extract.pdf_words import Glyph, line_text

# A word of the layer with ink on less than this share of its box's pixels is a phantom.
INK_SHARE = 0.01
# A first column no wider than this (points) holds STT values: two or three digits and a dot.
STT_WIDTH_PT = 45.0


@dataclass
class LayerPage:
    rules: list[Segment]
    glyphs: list[Glyph]
    read_cells: int = 0  # cells read from the image
    confidences: list[float] = field(default_factory=list)


def _inside(glyphs: list[Glyph], bbox: tuple[float, float, float, float]) -> list[Glyph]:
    x0, top, x1, bottom = bbox
    return [g for g in glyphs if x0 <= g.cx <= x1 and top <= g.cy <= bottom]


def _cell_text(glyphs: list[Glyph]) -> str:
    from phuluc.extract.pdf_words import group_lines

    return " ".join(line_text(line) for line in group_lines(glyphs)).strip()


def read_layer_page(rgb: np.ndarray, dpi: float, glyphs: list[Glyph], engine_factory) -> LayerPage:
    """The rules of the page image and the layer's words, both in the upright frame of the
    deskewed image; cells the layer lost or misread in its STT column read from the image
    with the engine `engine_factory()` gives (made only when a cell needs it)."""
    glyphs = untangle_words(glyphs)
    page = prepare(rgb, dpi)
    rules, mask = find_rules(page.rules_gray, dpi)
    rules = snap_ends(rules)
    if abs(page.skew) >= 0.02:
        glyphs = _rotate_glyphs(glyphs, page, rgb.shape[1], rgb.shape[0])
    clean = erase_rules(page.gray, mask)
    k = 1.0 / page.scale
    glyphs = drop_phantoms(glyphs, clean, k)
    boxes = [b for b in find_tables(rules) if len(b.xs) > 2 and len(b.ys) > 2]
    out = LayerPage(rules, glyphs)
    if not boxes:
        return out
    engine = None
    for box in boxes:
        todo = _cells_to_read(box, glyphs, clean, k)
        if not todo:
            continue
        if engine is None:
            engine = engine_factory()
            engine.set_image(Image.fromarray(clean))
        for index, rect, as_stt in todo:
            words = _read_cell(engine, clean, rect, as_stt)
            if words is None:
                continue  # no better reading: the layer's text stays
            drop = {id(g) for g in _inside(out.glyphs, box.cells[index].bbox)}
            out.glyphs = [g for g in out.glyphs if id(g) not in drop] + _to_glyphs(words, page.scale)
            out.read_cells += 1
            out.confidences += [w.conf for w in words]
    return out


def drop_phantoms(glyphs: list[Glyph], gray: np.ndarray, k: float) -> list[Glyph]:
    """The layer's words over no ink of the cleaned page: Tesseract read them from a ruling line
    ("|", "_|", "J", "L"), a seal ("Mi", "TẾ", "È") or a speck, which the clean page (rules
    erased, seal dropped) no longer shows. A word's box holds ink on INK_SHARE or more of its
    pixels when it is text (measured on the held-out ocr-layer PDFs: phantoms 0–0.2%,
    the faintest real word, a lone "Y" or "-", 3.7%). `k`: pixels per point."""
    words: list[list[Glyph]] = [[]]
    for g in glyphs:
        if g.text.isspace():
            words.append([])
        else:
            words[-1].append(g)
    h, w = gray.shape
    drop: set[int] = set()
    for word in words:
        if not word:
            continue
        x0, x1 = int(min(g.x0 for g in word) * k), int(max(g.x1 for g in word) * k) + 1
        top, bottom = int(min(g.top for g in word) * k), int(max(g.bottom for g in word) * k) + 1
        box = gray[max(top, 0):min(bottom, h), max(x0, 0):min(x1, w)]
        if box.size == 0 or float((box < 128).mean()) < INK_SHARE:
            drop.update(id(g) for g in word)
    return [g for g in glyphs if id(g) not in drop] if drop else glyphs


def untangle_words(glyphs: list[Glyph]) -> list[Glyph]:
    """Tesseract's layer stretches each word over its box; a box drawn too wide ("Bộ" over the
    "Y" of "Bộ Y tế") overlaps the next word, and sorted by position the letters interleave
    ("BộY tế"). The layer writes words in reading order: a word reaching past the start of
    the next word of its line is squeezed to end where that one starts."""
    words: list[list[Glyph]] = [[]]  # each word's letters, then the spaces after it
    for g in glyphs:
        if not g.text.isspace() and words[-1] and words[-1][-1].text.isspace():
            words.append([])
        words[-1].append(g)
    for word, nxt in zip(words, words[1:], strict=False):
        letters = [g for g in word if not g.text.isspace()]
        if not letters:
            continue
        x0, x1, start = letters[0].x0, max(g.x1 for g in letters), nxt[0].x0
        em = max(letters[0].size, 1.0)
        same_line = abs(letters[0].bottom - nxt[0].bottom) < 0.45 * em
        k = (start - 0.25 * em - x0) / (x1 - x0) if x1 > x0 else 0.0
        if same_line and x0 < start < x1 - 0.1 * em and k > 0.2:
            for g in letters:
                g.x0, g.x1 = x0 + (g.x0 - x0) * k, x0 + (g.x1 - x0) * k
            for g in word[len(letters):]:  # the space now stands between the two words
                g.x0, g.x1 = letters[-1].x1, start
    return glyphs


def _read_cell(engine, gray: np.ndarray, rect: tuple[int, int, int, int], as_stt: bool | None):
    """The cell's words from the image: `as_stt` True reads it as an STT value only (None when
    that gives no clean value), None reads it as text and, when that is no STT value, as one,
    False as text."""
    if as_stt:
        return read_stt(engine, gray, rect) or None
    words = engine.read(rect)
    if as_stt is None and not is_stt_text(" ".join(w.text for w in words)):
        return read_stt(engine, gray, rect) or words
    return words


def _cells_to_read(box: TableBox, glyphs: list[Glyph], gray: np.ndarray, k: float) -> list[tuple[int, tuple, bool | None]]:
    """(cell index, pixel rectangle, read as STT) of the cells whose layer words are missing,
    or which stand in an STT column and do not read as an STT value."""
    inset = INSET_PT * k
    first_col: list[tuple[int, tuple, str]] = []
    todo: list[tuple[int, tuple, bool | None]] = []
    for index, cell in enumerate(box.cells):
        x0, top, x1, bottom = cell.bbox
        rect = (int(x0 * k + inset), int(top * k + inset), int(x1 * k - inset), int(bottom * k - inset))
        text = _cell_text(_inside(glyphs, cell.bbox))
        if cell.col == 0 and cell.colspan == 1:
            first_col.append((index, rect, text))
        elif not text and _has_ink(gray, rect):
            todo.append((index, rect, False))
    # A narrow first column whose every STT the layer lost is an STT column too.
    narrow = len(box.xs) > 1 and box.xs[1] - box.xs[0] <= STT_WIDTH_PT
    texts = [t for _, _, t in first_col]
    stt = is_stt_column(texts) or (narrow and not any(texts))
    for index, rect, text in first_col:
        if not _has_ink(gray, rect) or (text and (not stt or is_stt_text(text) or len(text) > 4)):
            continue
        # The layer lost the cell (read as text, then as an STT value in an STT column) or
        # misread an STT value (read as one).
        todo.append((index, rect, (None if stt else False) if not text else True))
    return todo


def _rotate_glyphs(glyphs: list[Glyph], page: PageImage, w: int, h: int) -> list[Glyph]:
    """Move each glyph's centre as the deskew moved the image (the glyph keeps its size)."""
    k = 1.0 / page.scale
    m = cv2.getRotationMatrix2D((w / 2, h / 2), page.skew, 1.0)
    out: list[Glyph] = []
    for g in glyphs:
        cx, cy = g.cx * k, g.cy * k
        nx = (m[0, 0] * cx + m[0, 1] * cy + m[0, 2]) / k
        ny = (m[1, 0] * cx + m[1, 1] * cy + m[1, 2]) / k
        dx, dy = nx - g.cx, ny - g.cy
        out.append(Glyph(g.text, g.x0 + dx, g.x1 + dx, g.top + dy, g.bottom + dy, g.size, g.font))
    return out
