"""An OCR text layer (image + invisible words, no vector lines) → rules from the image, words
from the layer, checked cell by cell against the image.

Tesseract's page-level reading, which `tesseract … pdf` and ocrmypdf publish, is made on the
leaning page with its seal: it drops what stands alone in a ruled cell (lone STT digits, a
short date, a column header such as "Thời gian hoàn thành"), misreads STT values ("5)" for
2, "&)" for 3, "IE" for "TT"), reads ruling lines and seal rings as words ("|", "J", "Mi"),
and loses or glues letters at a cell's edge ("0/09/2025", "Khoahọc"). Measured on the
held-out ocr-layer PDFs (benchmarks/heldout.py, seeds 7 and 11). With the table's cells
known from the image rules, on the deskewed page with seal and rules cleaned:

- a layer word over no ink of the cleaned page is a phantom and dropped (`drop_phantoms`);
- a word box drawn over the next word is squeezed so that letters do not interleave
  (`untangle_words`);
- a cell with ink but no word of the layer is read from the image, alone;
- in an STT column, a cell whose text is no STT value is read again, as text and as digits
  and Roman numerals (`_read_cell`);
- every other cell is read too, and the fresh reading replaces the layer's only by the
  measured rule of `fresh_is_better` (the layer is the better reading on the whole); its
  confidences stand for the layer's in the `low-confidence` warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from phuluc.extract.image_table import erase_rules, find_rules, snap_ends
from phuluc.extract.ocr import INSET_PT, NOT_VIETNAMESE, _has_ink, _to_glyphs, is_stt_column, is_stt_text, read_stt
from phuluc.extract.page_image import PageImage, prepare
from phuluc.extract.pdf_tables import Segment, TableBox, find_tables
from phuluc.extract.pdf_words import Glyph, group_lines, line_text

# A word of the layer with ink on less than this share of its box's pixels is a phantom.
INK_SHARE = 0.01
# Confidences (0-100) under which a fresh reading's trailing word, or a whole reading on
# average, is junk (`_trusted`).
LOW_WORD_CONF = 40.0
JUNK_CONF = 50.0
# A word under this share of the page's median word size is small (the layer's phantom lines).
SMALL_WORD = 0.7
# A first column no wider than this (points) holds STT values: two or three digits and a dot.
STT_WIDTH_PT = 45.0


@dataclass
class LayerPage:
    """One OCR-layer page made ready for the page builder: rules and words in points."""

    rules: list[Segment]
    glyphs: list[Glyph]
    read_cells: int = 0  # cells whose text now comes from the image
    # Every fresh reading's words, kept or not: Tesseract's confidence in the cell image stands
    # for the layer's, which the PDF does not carry (the `low-confidence` warnings).
    read_glyphs: list[Glyph] = field(default_factory=list)


def _inside(glyphs: list[Glyph], bbox: tuple[float, float, float, float]) -> list[Glyph]:
    x0, top, x1, bottom = bbox
    return [g for g in glyphs if x0 <= g.cx <= x1 and top <= g.cy <= bottom]


def _cell_text(glyphs: list[Glyph]) -> str:
    return " ".join(line_text(line) for line in group_lines(glyphs)).strip()


def read_layer_page(rgb: np.ndarray, dpi: float, glyphs: list[Glyph], engine_factory) -> LayerPage:
    """The rules of the page image and the layer's words, both in the upright frame of the
    deskewed image, each cell checked against the image (see the module's docstring) with the
    engine `engine_factory()` gives (made only when a table needs it)."""
    glyphs = untangle_words(glyphs)
    page = prepare(rgb, dpi)
    rules, mask = find_rules(page.rules_gray, dpi)
    rules = snap_ends(rules)
    if abs(page.skew) >= 0.02:
        glyphs = _rotate_glyphs(glyphs, page, rgb.shape[1], rgb.shape[0])
    # The page with black under a seal kept (the twin the rules are found on): a header the seal's
    # ring crosses reads from it ("Cơ quan phối hợp", lost to "Cơ quan phâ" on the plain page);
    # measured on the held-out ocr-layer PDFs, seeds 7 and 11: 87.0 → 90.0% and 86.8 → 88.7% of cells.
    clean = erase_rules(page.rules_gray, mask)
    k = 1.0 / page.scale
    boxes = [b for b in find_tables(rules) if len(b.xs) > 2 and len(b.ys) > 2]
    glyphs = drop_phantoms(glyphs, clean, k, boxes)
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
        for index, rect, mode in todo:
            if mode == "compare":
                words = _trusted(engine.read(rect))
                for w in words:
                    w.text = w.text.translate(NOT_VIETNAMESE)
                layer_text = _cell_text(_inside(out.glyphs, box.cells[index].bbox))
                fresh = _to_glyphs(words, page.scale)
                out.read_glyphs += fresh
                if not fresh_is_better(layer_text, " ".join(w.text for w in words)):
                    continue  # the layer's text stays
            else:
                words = _read_cell(engine, clean, rect, mode, int(INSET_PT * k))
                if words is None:
                    continue  # no better reading: the layer's text stays
                fresh = _to_glyphs(words, page.scale)
                out.read_glyphs += fresh
            drop = {id(g) for g in _inside(out.glyphs, box.cells[index].bbox)}
            out.glyphs = [g for g in out.glyphs if id(g) not in drop] + fresh
            out.read_cells += 1
    return out


def drop_phantoms(glyphs: list[Glyph], gray: np.ndarray, k: float, boxes: list[TableBox] = ()) -> list[Glyph]:
    """The layer's words over no ink of the cleaned page: Tesseract read them from a ruling line
    ("|", "_|", "J", "L"), a seal ("Mi", "TẾ", "È"), a speck, or the rule and descenders at a
    cell's top ("^ z R"), which the clean page (rules erased, seal dropped) no longer shows
    there. A small word (under SMALL_WORD of the page's median size) whose box a horizontal
    grid line crosses is one too: a line of half height under a header row ("^ z R"), where
    real words stand a full size tall and cross a rule only by their accents or descenders
    (measured on samples-scans/ocr-layer-tay-ninh). A word's box, cut to the table cell its centre falls in, holds ink on INK_SHARE or
    more of its pixels when it is text (measured on the held-out ocr-layer PDFs: phantoms
    0–0.2%, the faintest real word, a lone "Y" or "-", 3.7%). `k`: pixels per point."""
    words: list[list[Glyph]] = [[]]
    for g in glyphs:
        if g.text.isspace():
            words.append([])
        else:
            words[-1].append(g)
    h, w = gray.shape
    drop: set[int] = set()
    sizes = sorted(word[0].size for word in words if word)
    typical = sizes[len(sizes) // 2] if sizes else 0.0
    for word in words:
        if not word:
            continue
        x0, x1 = min(g.x0 for g in word), max(g.x1 for g in word)
        top, bottom = min(g.top for g in word), max(g.bottom for g in word)
        if word[0].size < SMALL_WORD * typical and _on_rule(boxes, x0, x1, top, bottom):
            drop.update(id(g) for g in word)
            continue
        cell = _cell_of(boxes, (x0 + x1) / 2, (top + bottom) / 2)
        if cell is not None:
            x0, top = max(x0, cell[0]), max(top, cell[1])
            x1, bottom = min(x1, cell[2]), min(bottom, cell[3])
        box = gray[max(int(top * k), 0):min(int(bottom * k) + 1, h), max(int(x0 * k), 0):min(int(x1 * k) + 1, w)]
        if box.size == 0 or float((box < 128).mean()) < INK_SHARE:
            drop.update(id(g) for g in word)
    if not drop:
        return glyphs
    out: list[Glyph] = []
    after_dropped = False
    for g in glyphs:  # a dropped word goes with the space after it
        if id(g) in drop or (after_dropped and g.text.isspace()):
            after_dropped = id(g) in drop
            continue
        after_dropped = False
        out.append(g)
    return out


def _on_rule(boxes, x0: float, x1: float, top: float, bottom: float) -> bool:
    """A table's horizontal grid line runs through the word's box."""
    cx = (x0 + x1) / 2
    return any(box.xs[0] <= cx <= box.xs[-1] and any(top < y < bottom for y in box.ys) for box in boxes)


def _cell_of(boxes, x: float, y: float) -> tuple[float, float, float, float] | None:
    """The box of the table cell holding (x, y), if any."""
    for box in boxes:
        index = box.cell_at(x, y)
        if index is not None:
            return box.cells[index].bbox
    return None


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


def _squeeze(text: str) -> str:
    return "".join(text.split()).casefold()


def _contains(big: str, small: str) -> bool:
    """`small` is a subsequence of `big`."""
    it = iter(big)
    return all(ch in it for ch in small)


_LETTER_GAP = re.compile(r"(?<=\w) (?=\w)")


def _letter_gaps(text: str) -> str:
    """The text with only its spaces between two letters or digits kept (as "_"), lower case."""
    return "".join(_LETTER_GAP.sub("_", " ".join(text.split())).split()).casefold()


def fresh_is_better(layer: str, fresh: str) -> bool:
    """Whether a fresh reading of the cell's image replaces the layer's text. Measured on the
    held-out ocr-layer PDFs (benchmarks/heldout.py, seeds 7 and 11), where the fresh reading
    of the cleaned, deskewed cell is the worse one on the whole (lost dots: "tao", "dich vu"),
    but right where
    - it holds every letter of the layer's text and more: the layer lost some ("0/09/2025"
      for "30/09/2025", "ơ quan chủ trì", "ngành tế" for "ngành y tế");
    - the letters are the same but spaced otherwise between letters: the layer glued or cut
      words ("Khoahọc", "vàMôi", "công n ghiệp");
    - the letters differ only in case and the fresh reading has fewer capitals: the layer's
      mid-sentence capitals ("trụ SỞ", "nhà Ở", "các Xã")."""
    a, b = _squeeze(layer), _squeeze(fresh)
    if not b or a == b and layer == fresh:
        return False
    if a != b:
        a2, b2 = "".join(ch for ch in a if ch.isalnum()), "".join(ch for ch in b if ch.isalnum())
        return len(b2) > len(a2) and _contains(b2, a2) and _contains(b, a)
    if _letter_gaps(fresh) != _letter_gaps(layer):
        return True
    return sum(ch.isupper() for ch in fresh) < sum(ch.isupper() for ch in layer)


def _trusted(words: list) -> list:
    """A fresh reading without its doubtful end: words under LOW_WORD_CONF trailing a cell are
    specks or a seal's rest ("phương bể.") and go; a reading whose words average under
    JUNK_CONF is all such ("` 1 vi ửN", "v. ... ¬") and gives nothing. Measured on the cells
    the held-out layers lost: such junk scores 0–53, real words 72–97 (one "Sản" 21)."""
    while words and words[-1].conf < LOW_WORD_CONF:
        words = words[:-1]
    if words and sum(w.conf for w in words) / len(words) < JUNK_CONF:
        return []
    return words


def _read_cell(engine, gray: np.ndarray, rect: tuple[int, int, int, int], mode: str, inset: int):
    """The cell's words from the image, or None to keep the layer's. `mode`: "text" reads a
    cell the layer lost; "stt-lost" reads one of an STT column as text and, when that is no
    STT value, as one; "stt-fix" (an STT cell the layer misread: "5)", "l1", "IE" for "TT")
    takes the text reading when it is an STT value or header, else the STT reading when it
    gives a clean value, else nothing. An STT cell is also read out to its rules (erased): a
    short header row's "TT" cut one point inside reads "'L" (measured on a held-out layer)."""
    words = _trusted(engine.read(rect))
    if mode == "text" or is_stt_text(" ".join(w.text for w in words)):
        return words
    x0, top, x1, bottom = rect
    outer = engine.read((x0 - inset, top - inset, x1 + inset, bottom + inset))
    if is_stt_text(" ".join(w.text for w in outer)):
        return outer
    again = read_stt(engine, gray, rect)
    if mode == "stt-lost":
        return again or words
    return again or None


def _cells_to_read(box: TableBox, glyphs: list[Glyph], gray: np.ndarray, k: float) -> list[tuple[int, tuple, str]]:
    """(cell index, pixel rectangle, `_read_cell` mode) of the cells whose layer words are
    missing, or which stand in an STT column and do not read as an STT value."""
    inset = INSET_PT * k
    first_col: list[tuple[int, tuple, str]] = []
    todo: list[tuple[int, tuple, str]] = []
    for index, cell in enumerate(box.cells):
        x0, top, x1, bottom = cell.bbox
        rect = (int(x0 * k + inset), int(top * k + inset), int(x1 * k - inset), int(bottom * k - inset))
        text = _cell_text(_inside(glyphs, cell.bbox))
        if cell.col == 0 and cell.colspan == 1:
            first_col.append((index, rect, text))
        elif not text and _has_ink(gray, rect):
            todo.append((index, rect, "text"))
        elif text:
            todo.append((index, rect, "compare"))
    # A narrow first column is an STT column even when the layer misread or lost its values.
    narrow = len(box.xs) > 1 and box.xs[1] - box.xs[0] <= STT_WIDTH_PT
    stt = narrow or is_stt_column([t for _, _, t in first_col])
    for index, rect, text in first_col:
        if not _has_ink(gray, rect) or (text and (not stt or is_stt_text(text) or len(text) > 4)):
            continue
        todo.append((index, rect, ("stt-fix" if text else "stt-lost") if stt else "text"))
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
