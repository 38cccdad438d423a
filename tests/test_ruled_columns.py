"""Tables ruled into columns but not into rows (Word's "frame + inside vertical" borders, or
inside verticals and a line under the header): their rows are found in the words."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import phuluc
from phuluc.extract.pdf_row_rules import row_rules
from phuluc.extract.pdf_tables import Segment
from phuluc.extract.pdf_words import Glyph

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
COLS = [50, 90, 300, 420, 580, 760]
HEADER = ["STT", "Nhiệm vụ", "Thời gian", "Cơ quan chủ trì", "Cơ quan phối hợp"]
SECTION = "II. CÔNG TÁC KIỂM TRA, GIÁM SÁT VIỆC THỰC HIỆN KẾ HOẠCH"
# Rows as lines per column (a section row is a string); the tasks they hold follow.
BODY = [
    ["1", ["Tuyên truyền, phổ biến pháp luật", "về chuyển đổi số cho nhân dân"], ["Hằng năm"],
     ["Phòng Văn hóa - Xã hội"], ["Các cơ quan,", "đơn vị liên quan"]],
    ["2", ["Xây dựng kế hoạch triển khai"], ["Quý I/2026"], ["Văn phòng"], ["Phòng Kinh tế"]],
    SECTION,
    ["1", ["Kiểm tra việc thực hiện", "tại các thôn, tổ dân phố", "và các trường học"], ["Quý II/2026"],
     ["Thanh tra xã"], ["Các đơn vị"]],
    ["2", ["Tổng kết, đánh giá kết quả"], ["Tháng 12/2026"], ["Văn phòng"], ["Các phòng,", "ban"]],
]
TASKS = [
    ("", "1", "Tuyên truyền, phổ biến pháp luật về chuyển đổi số cho nhân dân", "Phòng Văn hóa - Xã hội"),
    ("", "2", "Xây dựng kế hoạch triển khai", "Văn phòng"),
    (SECTION, "1", "Kiểm tra việc thực hiện tại các thôn, tổ dân phố và các trường học", "Thanh tra xã"),
    (SECTION, "2", "Tổng kết, đánh giá kết quả", "Văn phòng"),
]
PITCH = 14  # line pitch in a cell
ROW_GAP = 10  # white space between rows beyond the line pitch


def _font() -> str:
    if "TestSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSerif", FONT))
    return "TestSerif"


def draw_table(path: Path, frame: bool, header_rule: bool, centred: bool = False) -> Path:
    """The table as Word prints it with vertical borders only: the inside vertical rules stop at a
    section row (a merged cell), no rule between the rows; `centred` puts each cell's text in the
    middle of its row (Word's vertical alignment "center")."""
    c = canvas.Canvas(str(path), pagesize=(842, 595))
    c.setFont(_font(), 10)
    top = 540
    y = top - 14
    for col, label in enumerate(HEADER):
        c.drawString(COLS[col] + 4, y, label)
    header_bottom = y - 8
    y = header_bottom - 14
    gaps: list[tuple[float, float]] = []  # the section rows' spans, where the inside rules stop
    for row in BODY:
        if isinstance(row, str):
            c.drawString(COLS[0] + 4, y, row)
            gaps.append((y + 12, y - 6))
            y -= PITCH + ROW_GAP
            continue
        cells = [[row[0]], *row[1:]]
        height = max(len(lines) for lines in cells)
        for col, lines in enumerate(cells):
            shift = (height - len(lines)) * PITCH / 2 if centred else 0
            for k, text in enumerate(lines):
                c.drawString(COLS[col] + 4, y - shift - k * PITCH, text)
        y -= height * PITCH + ROW_GAP
    bottom = y + 6
    if frame:
        c.line(COLS[0], top, COLS[-1], top)
        c.line(COLS[0], bottom, COLS[-1], bottom)
        c.line(COLS[0], top, COLS[0], bottom)
        c.line(COLS[-1], top, COLS[-1], bottom)
    if header_rule:
        c.line(COLS[0], header_bottom, COLS[-1], header_bottom)
    stops = [top, *[v for gap in gaps for v in gap], bottom]
    for x in COLS[1:-1]:
        for y0, y1 in zip(stops[::2], stops[1::2], strict=True):
            c.line(x, y0, x, y1)
    c.save()
    return path


def tasks(path: Path) -> list[tuple[str, str, str, str]]:
    doc = phuluc.convert(path).to_dict()
    return [(t["section"], t["stt"], t["task"], t["lead"]) for t in doc["tasks"]]


@pytest.mark.parametrize(("frame", "header_rule"), [(True, False), (True, True), (False, True)])
def test_table_ruled_into_columns_only_is_cut_into_rows(tmp_path, frame, header_rule):
    """Frame and inside verticals, with or without a line under the header, or inside verticals and
    the header line alone (the rules under a section row then touch no horizontal rule)."""
    assert tasks(draw_table(tmp_path / "cols.pdf", frame, header_rule)) == TASKS


def test_rows_centred_in_their_cells_end_where_their_markers_stand_in_the_middle(tmp_path):
    assert tasks(draw_table(tmp_path / "centred.pdf", frame=True, header_rule=False, centred=True)) == TASKS


def _glyphs(text: str, x: float, top: float) -> list[Glyph]:
    return [Glyph(ch, x + 6 * i, x + 6 * i + 6, top, top + 10, 10) for i, ch in enumerate(text)]


def test_a_fully_ruled_table_gets_no_row_rules():
    """Every ruled row holds one row, even one whose task cell is a numbered list."""
    xs, ys = [50, 90, 300, 420], [100, 130, 200, 230]
    rules = [Segment(True, y, xs[0], xs[-1]) for y in ys] + [Segment(False, x, ys[0], ys[-1]) for x in xs]
    glyphs = _glyphs("STT", 54, 105) + _glyphs("Nhiệm vụ", 94, 105)
    glyphs += _glyphs("1", 54, 135) + _glyphs("1. Rà soát", 94, 135) + _glyphs("2. Ban hành", 94, 150)
    glyphs += _glyphs("2", 54, 205) + _glyphs("Kiểm tra", 94, 205)
    found = row_rules(rules, glyphs)
    assert found.rules == [] and not found.split


def test_a_stray_line_under_a_fully_ruled_table_is_not_taken_for_its_columns():
    xs, ys = [50, 90, 300, 420], [100, 130, 160]
    rules = [Segment(True, y, xs[0], xs[-1]) for y in ys] + [Segment(False, x, ys[0], ys[-1]) for x in xs]
    rules.append(Segment(False, 300, 190, 260))  # a line in what follows, on one column edge
    glyphs = _glyphs("STT", 54, 105) + _glyphs("1", 54, 135) + _glyphs("Nơi nhận:", 94, 200) + _glyphs("- Lưu", 94, 215)
    found = row_rules(rules, glyphs)
    assert found.rules == [] and not found.split
