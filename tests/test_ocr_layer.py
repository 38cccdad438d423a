"""PDFs with an OCR text layer (Tesseract's GlyphLessFont, as `tesseract … pdf` and ocrmypdf
write it): the words come from the layer, the ruling lines from the page image."""

from __future__ import annotations

from pathlib import Path

import pytest

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
