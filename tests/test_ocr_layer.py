"""PDFs with an OCR text layer (Tesseract's GlyphLessFont, as `tesseract … pdf` and ocrmypdf
write it): the words come from the layer, the ruling lines from the page image."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from phuluc.extract.pdf import _source
from phuluc.normalize.column_headers import ColumnMap
from phuluc.normalize.table import Row, is_repeated_header, match_key

SAMPLE = Path(__file__).resolve().parents[1] / "samples-scans" / "ocr-layer-tay-ninh-617-200dpi.pdf"


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_tesseract_text_layer_with_vietnamese_letters_is_usable(engine):
    # PDFium flags a Unicode map error on every GlyphLessFont letter outside Latin-1 (ệ, ư, đ…):
    # counted as glyph ids, they made the page "undecodable" and sent it to OCR again.
    source = _source(SAMPLE, None, engine)
    try:
        page = source.read(1)
    finally:
        source.close()
    text = "".join(g.text for g in page.glyphs)
    assert page.text_layer.usable and page.text_layer.undecodable == 0
    assert "nhiệm" in text and "Phối" in text


def _row(texts: list[str]) -> Row:
    return Row(list(texts), list(texts), list(range(len(texts))), [True] * len(texts))


def test_the_upper_row_of_a_two_row_header_repeated_with_one_misread_cell_is_a_header():
    upper = ["STT", "Tên nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian hoàn thành"]
    lower = ["STT", "Tên nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"]
    cmap = ColumnMap({"stt": 0, "task": 1, "lead": 2, "partners": 3, "timeline": 4}, {}, 2,
                     [match_key(t) for t in lower], [match_key(t) for t in upper])
    misread = ["STT", "'TTên nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian hoàn thành"]
    assert is_repeated_header(_row(misread), cmap)
    task = ["3", "Tên nhiệm vụ mới của cơ quan", "Sở Nội vụ", "Cơ quan thực hiện", "Quý IV"]
    assert not is_repeated_header(_row(task), cmap)


def test_an_ocr_layer_pdf_keeps_its_cut_row_and_its_sections():
    import phuluc

    doc = phuluc.convert(SAMPLE)
    assert any(w.code == "ocr" and "text layer" in w.message for w in doc.warnings)
    stts = [t.stt for t in doc.tasks]
    assert "STT" not in stts and len(doc.tasks) == 11
    four = next(t for t in doc.tasks if t.stt == "4")
    assert four.task.endswith("chuyển đổi số doanh nghiệp.")
    assert four.section.startswith("II") and "HOÀN THIỆN CƠ CHẾ" in four.section
    assert doc.tasks[0].section.startswith("I. NÂNG CAO NHẬN THỨC")


# --- the layer's words checked against the page image (extract/ocr_layer.py) -------------------

def _glyphs(text: str, x0: float, top: float, size: float = 12.0, width: float = 6.0):
    """A word of a Tesseract layer: one glyph per letter, a space glyph after it."""
    from phuluc.extract.pdf_words import Glyph

    out = [Glyph(ch, x0 + i * width, x0 + (i + 1) * width, top, top + size, size, "OCR") for i, ch in enumerate(text)]
    end = x0 + len(text) * width
    return out + [Glyph(" ", end, end + width, top, top + size, size, "OCR")]


def test_a_word_box_drawn_over_the_next_word_is_squeezed_so_the_words_stay_apart():
    from phuluc.extract.ocr_layer import untangle_words
    from phuluc.extract.pdf_words import group_lines, line_text

    # Measured on a held-out layer: "Bộ" stretched from 1964 to 2064, "Y" starting at 2024.
    bo = _glyphs("Bộ", 100.0, 50.0, size=40.0, width=50.0)
    y_te = _glyphs("Y", 160.0, 50.0, size=40.0, width=14.0) + _glyphs("tế", 207.0, 50.0, size=40.0, width=15.0)
    assert line_text(group_lines(bo + y_te)[0]) == "BộY tế"
    assert line_text(group_lines(untangle_words(bo + y_te))[0]) == "Bộ Y tế"


def _ruled_rgb():
    """A 144 dpi page (2 px per point): a 3-row, 3-column ruled table; STT 1 and 2, text cells."""
    img = Image.new("RGB", (1200, 800), "white")
    d = ImageDraw.Draw(img)
    xs, ys = [100, 180, 700, 1100], [100, 180, 300, 420]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill="black", width=3)
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill="black", width=3)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 36)
    for (x, y), text in {(115, 120): "TT", (200, 120): "Nội dung", (720, 120): "Thời gian",
                         (125, 220): "1", (200, 220): "Kế hoạch", (720, 220): "Quý II",
                         (125, 340): "2", (200, 340): "Báo cáo", (720, 340): "Năm 2026"}.items():
        d.text((x, y), text, fill="black", font=font)
    return np.array(img)


def _tesseract_ready() -> bool:
    from phuluc.extract.tesseract import check_language
    from phuluc.schema.errors import OcrUnavailable

    try:
        check_language("vie")
        return True
    except OcrUnavailable:
        return False


needs_tesseract = pytest.mark.skipif(not _tesseract_ready() and not os.environ.get("CI"),
                                     reason="Tesseract with `vie` is not installed; CI runs these")


@needs_tesseract
def test_cells_the_layer_lost_are_read_from_the_image_and_phantom_words_dropped():
    from phuluc.extract.ocr_layer import _cell_text, _inside, read_layer_page
    from phuluc.extract.pdf_tables import find_tables
    from phuluc.extract.tesseract import Engine

    # The layer as Tesseract's page reading leaves it: STT "2" and a date lost, "J" read off a rule.
    layer = (_glyphs("TT", 58, 60) + _glyphs("Nội", 100, 60) + _glyphs("dung", 124, 60) + _glyphs("Thời", 360, 60)
             + _glyphs("gian", 390, 60) + _glyphs("1", 62, 110) + _glyphs("Kế", 100, 110) + _glyphs("hoạch", 118, 110)
             + _glyphs("Quý", 360, 110) + _glyphs("II", 384, 110) + _glyphs("Báo", 100, 170) + _glyphs("cáo", 124, 170)
             + _glyphs("J", 300, 170))
    page = read_layer_page(_ruled_rgb(), 144.0, layer, lambda: Engine("vie"))
    assert page.read_cells == 2  # the STT "2" and "Năm 2026", nothing else
    box = find_tables(page.rules)[0]
    texts = {(c.row, c.col): _cell_text(_inside(page.glyphs, c.bbox)) for c in box.cells}
    assert texts[(2, 0)] == "2" and texts[(2, 2)] == "Năm 2026"
    assert texts[(2, 1)] == "Báo cáo" and texts[(1, 2)] == "Quý II"  # the layer's words kept, "J" gone


def test_a_tone_misread_is_restored_though_the_word_before_is_seen_with_the_misreading():
    from phuluc.normalize.ocr_tones import restore_tones

    # The layer of samples-scans/ocr-layer-tay-ninh: "và đối" is common, "đối mới" is not.
    assert restore_tones("I. NÂNG CAO NHẬN THỨC VÀ ĐỐI MỚI TƯ DUY") == "I. NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY"
    assert restore_tones("đối với các cơ quan") == "đối với các cơ quan"


def test_a_fresh_reading_replaces_the_layer_only_where_the_layer_lost_or_glued_letters():
    from phuluc.extract.ocr_layer import fresh_is_better

    # (layer, fresh reading of the cell image): pairs measured on the held-out ocr-layer PDFs.
    better = [("0/09/2025", "30/09/2025"), ("ơ quan chủ trì", "Cơ quan chủ trì"), ("nhà ở; ngành tế", "nhà ở; ngành y tế"),
              ("Bộ Khoahọc và Công nghệ", "Bộ Khoa học và Công nghệ"), ("công n ghiệp", "công nghiệp"),
              ("trụ SỞ, trang cấp", "trụ sở, trang cấp")]
    worse = [("Thực hiện", "Thưc hiên"), ("đào tạo nhân lực", "đào tao nhân lực"), ("VI. HỢP TÁC QUỐC TẾ", "VI. HỢP TÁC QUỐC TẾ,"),
             ("khu vực và toàn cầu", "khu vực Và toàn cầu"), ("luyện thép...).", "luyện thép... )."), ("Bộ Y tế", "")]
    assert all(fresh_is_better(layer, fresh) for layer, fresh in better)
    assert not any(fresh_is_better(layer, fresh) for layer, fresh in worse)


def test_phantom_words_of_the_layer_are_dropped_and_real_words_on_a_rule_kept():
    from phuluc.extract.ocr_layer import drop_phantoms
    from phuluc.extract.pdf_tables import CellBox, TableBox

    # A clean page at 1 px per point: a two-row table, ink only where the real words stand.
    gray = np.full((300, 400), 255, np.uint8)
    gray[105:118, 60:120] = 0  # "Kế hoạch", its box crossing the rule at y 100 by its accents
    gray[90:99, 215:235] = 0  # the descenders of a header over the rule
    xs, ys = [50.0, 200.0, 350.0], [50.0, 100.0, 200.0]
    table = TableBox(xs, ys, [CellBox(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1])) for r in range(2) for c in range(2)],
                     [[0, 1], [2, 3]])
    real = _glyphs("Kế", 60, 96, size=24.0, width=12.0) + _glyphs("hoạch", 90, 96, size=24.0, width=6.0)
    blank = _glyphs("Mi", 250, 150, size=12.0)  # read off a seal the clean page no longer shows
    on_rule = _glyphs("^", 220, 95, size=8.0)  # a half-height "word" the rule at y 100 runs through
    kept = drop_phantoms(real + blank + on_rule, gray, 1.0, [table])
    assert "".join(g.text for g in kept).split() == ["Kế", "hoạch"]


def test_a_fresh_reading_loses_its_low_confidence_tail_and_junk_gives_nothing():
    from phuluc.extract.ocr_layer import _trusted
    from phuluc.extract.tesseract import OcrWord

    def words(*pairs):
        return [OcrWord(t, 0, 1, 0, 1, 1, conf, False) for t, conf in pairs]

    # Confidences as Tesseract gave them on cells the held-out layers lost.
    assert [w.text for w in _trusted(words(("Các", 97), ("địa", 97), ("phượng", 96), ("bể.", 10)))] == ["Các", "địa", "phượng"]
    assert _trusted(words(("`", 85), ("1", 0), ("vi", 33), ("ửN", 66))) == []
    assert [w.text for w in _trusted(words(("Sản", 21), ("phẩm", 97), ("dự", 97), ("kiến", 96)))] == ["Sản", "phẩm", "dự", "kiến"]


@pytest.mark.parametrize("ocr, section", [(True, "C. BỘ CÔNG THƯƠNG"), (False, "C.BỘ CÔNG THƯƠNG")])
def test_an_ocr_section_mark_glued_to_its_title_gets_its_space(ocr, section):
    from phuluc.normalize.table import rows_to_tasks

    # Held-out seed 11: the layer read "C.B Ộ CÔNG THƯƠNG", the text repair joined "BỘ".
    cmap = ColumnMap({"stt": 0, "task": 1}, {}, 1, ["stt", "nhiem vu"])
    title = ["C.BỘ CÔNG THƯƠNG"] * 2
    rows = [Row(title, title, [1, 1], [True, True], 1, {}, ocr), Row(["1", "Làm"], ["1", "Làm"], [2, 3], [True, True], 1, {}, ocr)]
    tasks, _ = rows_to_tasks(rows, cmap)
    assert [t.section for t in tasks] == [section]
