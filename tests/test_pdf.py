"""The PDF extractor: samples against their goldens and DOCX twins, and each hard case alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import phuluc
from phuluc.extract.pdf import read_pdf
from phuluc.extract.pdf_tables import Segment, find_tables
from phuluc.extract.pdf_words import SOFT_BREAK, Glyph, block_text, group_lines, line_text, line_words
from phuluc.normalize.page_header import split_blocks
from phuluc.schema.errors import DamagedFile, NoTextLayer, PasswordRequired, TooLarge

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PDFS = sorted(p for p in SAMPLES.glob("*.pdf") if (SAMPLES / f"{p.stem}.golden.json").exists())
TWINS = [p for p in PDFS if (SAMPLES / f"{p.stem}.docx").exists()]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FORMAT_WARNINGS = {"page-split-merged", "borderless-table"}


def test_pdf_samples_exist():
    assert len(PDFS) >= 4
    assert {"broken-glyphs-vinh-bao", "rotated-ubnd-617", "long-table-dong-nai", "owner-password-ha-noi"} <= {p.stem for p in PDFS}


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdf_sample_matches_golden(path: Path):
    golden = json.loads((SAMPLES / f"{path.stem}.golden.json").read_text(encoding="utf-8"))
    got = phuluc.convert(path).to_dict()
    assert got["document"] == golden["document"]
    assert len(got["tasks"]) == len(golden["tasks"])
    for i, (g, e) in enumerate(zip(got["tasks"], golden["tasks"], strict=True)):
        assert g == e, f"task {i} (stt {e['stt']!r}) differs"
    assert {w["code"] for w in got["warnings"]} - FORMAT_WARNINGS == {w["code"] for w in golden["warnings"]} - FORMAT_WARNINGS


@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.name)
def test_pdf_equals_its_docx_twin(path: Path):
    pdf = phuluc.convert(path).to_dict()
    docx = phuluc.convert(path.with_suffix(".docx")).to_dict()
    assert pdf["document"] == docx["document"]
    assert pdf["tasks"] == docx["tasks"]


# --- words from glyphs ---------------------------------------------------------------------


def run(text: str, x: float, top: float = 100.0, size: float = 12.0, advance: float = 6.0, font: str = "F") -> list[Glyph]:
    out = []
    for ch in text:
        out.append(Glyph(ch, x, x + advance, top, top + size, size, font))
        x += advance
    return out


def test_line_words_carry_their_boxes_and_join_into_the_line_text():
    # "Số: 761" at the left, a block 30 ems to the right, and a mark drawn as a glyph of its own.
    glyphs = run("Số: 761", 10) + run("Viêt", 400) + [Glyph("\u0323", 413, 416, 100, 112, 12, "F")]
    glyphs.sort(key=lambda g: g.x0)
    words = line_words(glyphs)
    assert [w.text for w in words] == ["Số:", "761", "Việt"]  # the dot below joins its letter
    assert (words[0].x0, words[0].x1, words[2].x0, words[2].x1, words[2].size) == (10, 28, 400, 424, 12)
    assert " ".join(w.text for w in words) == line_text(glyphs)


def test_letters_with_narrowed_boxes_stay_one_word_when_the_line_draws_spaces():
    # "PH" | "Ụ" drawn in a second font whose box covers only 30% of its advance | "C".
    glyphs = run("PH", 10) + [Glyph("Ụ", 22 + 2.5, 22 + 4.3, 100, 112, 12, "F2")] + run(" L", 28)
    glyphs += [Glyph("Ụ", 40 + 2.5, 40 + 4.3, 100, 112, 12, "F2")] + run("C", 46)
    assert line_text(sorted(glyphs, key=lambda g: g.x0)) == "PHỤ LỤC"


def test_gap_in_ems_makes_a_space_when_the_producer_draws_none():
    glyphs = run("NHI", 10) + run("ỆM", 28 + 0.5) + run("VỤ", 40 + 0.5 + 4.0)
    assert line_text(glyphs) == "NHIỆM VỤ"


def test_combining_mark_drawn_apart_goes_back_on_its_letter():
    # "Việt" with the dot below and the circumflex as glyphs of their own, the dot drawn first.
    glyphs = run("Vi", 10) + [Glyph("\u0323", 21.5, 23.5, 100, 112, 12), Glyph("e", 22, 28, 100, 112, 12),
                              Glyph("\u0302", 22.5, 27.5, 100, 112, 12)] + run("t", 28)
    assert line_text(sorted(glyphs, key=lambda g: g.x0)) == "Việt"


def test_spacing_accent_over_a_letter_becomes_a_tone_mark():
    glyphs = run("C", 10) + [Glyph("a", 16, 22, 100, 112, 12), Glyph("\u00b4", 17, 21, 100, 112, 12)]
    assert line_text(sorted(glyphs, key=lambda g: g.x0)) == "Cá"


def test_lines_grouped_by_baseline_and_wraps_are_soft_breaks():
    glyphs = run("aaaa bbbb", 10, top=100) + run("cccc", 10, top=114)
    lines = group_lines(list(reversed(glyphs)))
    assert [line_text(line) for line in lines] == ["aaaa bbbb", "cccc"]
    assert block_text(lines, 5, 70) == "aaaa bbbb" + SOFT_BREAK + "cccc"


# --- ruled tables ------------------------------------------------------------------------------


def h(y, x0, x1):
    return Segment(True, y, x0, x1)


def v(x, y0, y1):
    return Segment(False, x, y0, y1)


def test_spans_come_from_the_missing_boundaries():
    # 3 columns x 3 rows; row 1 is one cell across; column 0 merged over rows 1-2... no: rows 2-3.
    rules = [h(0, 0, 300), h(20, 0, 300), h(40, 0, 300), h(60, 100, 300), h(80, 0, 300)]
    rules += [v(0, 0, 80), v(300, 0, 80), v(100, 0, 20), v(100, 40, 80), v(200, 0, 20), v(200, 40, 80)]
    (table,) = find_tables(rules)
    assert table.xs == [0, 100, 200, 300] and table.ys == [0, 20, 40, 60, 80]
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in table.cells}
    assert spans[(1, 0)] == (1, 3)  # section row
    assert spans[(2, 0)] == (2, 1)  # merged down
    assert spans[(2, 1)] == (1, 1) and spans[(3, 2)] == (1, 1)


def test_table_without_outer_frame_is_bounded_by_its_rules():
    rules = [h(20, 0, 300), h(40, 0, 300), v(100, 0, 60), v(200, 0, 60)]
    (table,) = find_tables(rules)
    assert len(table.xs) == 4 and len(table.ys) == 4


# --- reportlab fixtures ---------------------------------------------------------------------------


def _font() -> str:
    if "TestSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSerif", FONT))
    return "TestSerif"


ROWS = [
    ["STT", "Nhiệm vụ", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp"],
    ["1", "Tuyên truyền, phổ biến", "Hằng năm", "Phòng Văn hóa - Xã hội", "Các cơ quan"],
    ["2", "Xây dựng kế hoạch", "Quý I/2026", "Văn phòng", "Phòng Kinh tế"],
]
COLS = [50, 90, 250, 380, 540, 700]  # each text fits its column


def make_pdf(path: Path, ruled: bool = True, sideways: bool = False, encrypt=None, pages: int = 1, text: bool = True) -> Path:
    c = canvas.Canvas(str(path), pagesize=(842, 595), encrypt=encrypt)
    for _ in range(pages):
        if sideways:  # text running up the page, as a landscape table pasted on a portrait page
            c.translate(595, 0)
            c.rotate(90)
        if text:
            c.setFont(_font(), 11)
            c.drawString(300, 560, "PHỤ LỤC NHIỆM VỤ")
            for r, row in enumerate(ROWS):
                y = 500 - r * 30
                for col, value in enumerate(row):
                    c.drawString(COLS[col] + 4, y, value)
        if ruled:
            for r in range(len(ROWS) + 1):
                c.line(COLS[0], 520 - r * 30, COLS[-1], 520 - r * 30)
            for x in COLS:
                c.line(x, 520, x, 520 - len(ROWS) * 30)
        if not text:
            c.rect(100, 100, 300, 200, fill=1)
        c.showPage()
    c.save()
    return path


def test_ruled_table_cells(tmp_path):
    grid = read_pdf(make_pdf(tmp_path / "t.pdf"))
    (table,) = grid.tables
    assert (table.n_rows, table.n_cols, table.ruled) == (3, 5, True)
    assert table.col_edges == pytest.approx(COLS, abs=0.5)
    assert {c.text for c in table.cells if c.row == 1} == set(ROWS[1])
    assert grid.lines[0].text == "PHỤ LỤC NHIỆM VỤ"
    assert grid.pages == 1


def test_sideways_text_is_read_in_its_own_direction(tmp_path):
    grid = read_pdf(make_pdf(tmp_path / "s.pdf", sideways=True))
    (table,) = grid.tables
    assert (table.n_rows, table.n_cols) == (3, 5)
    assert [c.text for c in table.cells if c.row == 2] == ROWS[2]


def test_rotated_page_sample_reads_upright():
    grid = read_pdf(SAMPLES / "rotated-ubnd-617.pdf")
    assert grid.tables and grid.tables[0].n_cols == 5
    left, right = split_blocks(grid.lines)
    assert left[0].text == "ỦY BAN NHÂN DÂN" and right[0].text.startswith("CỘNG HÒA")


def test_borderless_table_is_read_with_a_warning(tmp_path):
    doc = phuluc.convert(make_pdf(tmp_path / "b.pdf", ruled=False)).to_dict()
    assert [t["stt"] for t in doc["tasks"]] == ["1", "2"]
    assert doc["tasks"][0]["lead"] == "Phòng Văn hóa - Xã hội"
    assert "borderless-table" in {w["code"] for w in doc["warnings"]}


def test_owner_password_only_opens_without_a_password(tmp_path):
    enc = StandardEncryption(userPassword="", ownerPassword="owner", canCopy=0)
    grid = read_pdf(make_pdf(tmp_path / "o.pdf", encrypt=enc))
    assert grid.tables[0].n_cols == 5


def test_user_password(tmp_path):
    path = make_pdf(tmp_path / "u.pdf", encrypt=StandardEncryption(userPassword="secret", ownerPassword="owner"))
    with pytest.raises(PasswordRequired) as e:
        read_pdf(path)
    assert "password" in str(e.value)
    with pytest.raises(PasswordRequired, match="wrong password"):
        read_pdf(path, password="nope")
    assert read_pdf(path, password="secret").tables[0].n_rows == 3
    assert phuluc.convert(path, {"password": "secret"}).tasks[0].stt == "1"


def test_no_text_layer(tmp_path):
    with pytest.raises(NoTextLayer):
        read_pdf(make_pdf(tmp_path / "scan.pdf", ruled=False, text=False))


def test_too_many_pages(tmp_path):
    with pytest.raises(TooLarge):
        read_pdf(make_pdf(tmp_path / "long.pdf", pages=3), max_pages=2)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_pdf_fails_cleanly_or_recovers_with_a_note(tmp_path, keep):
    data = (SAMPLES / "long-table-dong-nai.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    try:
        grid = read_pdf(path)
    except (DamagedFile, NoTextLayer):
        return
    assert grid.tables or grid.lines
    pages = len(list(path.read_bytes().split(b"/Type /Page\n")))
    assert pages >= 1


def test_garbage_pdf_is_damaged(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with pytest.raises(DamagedFile):
        read_pdf(path)


def test_wrap_after_a_hyphen_joins_unless_the_producer_drew_a_space_there():
    # LibreOffice draws the space where a line wraps; a line without one was cut inside a word.
    cut = [run("vụ Mobile-", 10, top=100), run("Money và ", 10, top=114), run("STEM", 10, top=128)]
    assert block_text(cut, 5, 80) == "vụ Mobile-Money và" + SOFT_BREAK + "STEM"
    spaced = [run("IV/2025- ", 10, top=100), run("Quý II", 10, top=114)]
    assert block_text(spaced, 5, 68) == "IV/2025-" + SOFT_BREAK + "Quý II"


def test_full_line_ending_in_a_code_keeps_the_space_before_a_small_letter():
    # A manual break after "107/2021/NĐ-CP" that happens to fill the cell: "của" is the next word.
    lines = [run("107/2021/NĐ-CP", 10, top=100), run("của Chính phủ", 10, top=114)]
    assert block_text(lines, 5, 99) == "107/2021/NĐ-CP" + SOFT_BREAK + "của Chính phủ"
    cut = [run("STEM/STEA", 10, top=100), run("M và", 10, top=114)]
    assert block_text(cut, 5, 69) == "STEM/STEAM và"


def test_header_blocks_standing_close_on_the_first_line_are_split(tmp_path):
    # A narrow portrait page: "ỦY BAN NHÂN DÂN" and "CỘNG HÒA ..." only a few points apart on
    # the first line, clearly apart on the second. Both lines belong to their own block.
    from reportlab.pdfgen import canvas

    path = tmp_path / "header.pdf"
    font = _font()
    c = canvas.Canvas(str(path), pagesize=(420, 595))
    c.setFont(font, 11)
    c.drawString(20, 560, "ỦY BAN NHÂN DÂN")
    c.drawString(20 + c.stringWidth("ỦY BAN NHÂN DÂN", font, 11) + 8, 560, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawString(40, 545, "XÃ HÒA VANG")
    c.drawString(230, 545, "Độc lập - Tự do - Hạnh phúc")
    c.drawString(180, 500, "PHỤ LỤC")
    c.save()
    doc = phuluc.convert(path)
    assert doc.document.issuer == "Ủy ban nhân dân xã Hòa Vang"


def test_page_numbers_are_dropped_but_a_title_wrapped_before_its_end_year_is_kept(tmp_path):
    # Held-out (Chromium): "… GIAI ĐOẠN 2026" / "- 2030" lost its second line as if a page number.
    path = tmp_path / "title.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(_font(), 12)
    c.drawString(100, 760, "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2026")
    c.drawString(280, 744, "- 2030")
    c.drawString(290, 30, "- 2 -")
    c.drawString(290, 15, "17")
    c.save()
    texts = [ln.text for ln in read_pdf(path).lines]
    assert texts == ["NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2026", "- 2030"]


@pytest.mark.parametrize("frame", [True, False])
def test_table_ruled_into_rows_only_is_read_from_its_words(tmp_path, frame):
    """Horizontal borders only (Word's "top, bottom and inside horizontal"), with or without the
    frame's sides: the columns come from the words, as for a table without any line."""
    path = tmp_path / "rows.pdf"
    c = canvas.Canvas(str(path), pagesize=(842, 595))
    c.setFont(_font(), 11)
    rows = ROWS + [["3", "Kiểm tra, giám sát", "Quý II/2026", "Thanh tra xã", "Các đơn vị"]]
    for r, row in enumerate(rows):
        for col, value in enumerate(row):
            c.drawString(COLS[col] + 4, 500 - r * 30, value)
    for r in range(len(rows) + 1):
        c.line(COLS[0], 520 - r * 30, COLS[-1], 520 - r * 30)
    if frame:
        c.line(COLS[0], 520, COLS[0], 520 - len(rows) * 30)
        c.line(COLS[-1], 520, COLS[-1], 520 - len(rows) * 30)
    c.save()
    doc = phuluc.convert(path).to_dict()
    assert [(t["stt"], t["task"], t["lead"]) for t in doc["tasks"]] == [(r[0], r[1], r[3]) for r in rows[1:]]
