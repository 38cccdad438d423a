"""Tables without ruling lines: the word-geometry reader alone (Word lists), and the PDF samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import phuluc
from phuluc.extract.lineless import SOFT_BREAK, read_lineless_table
from phuluc.extract.pdf import read_pdf
from phuluc.schema import Cell, Table, Word

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LINELESS = ["nghe-an-980-chromium", "dong-nai-179-reportlab", "tay-ninh-617-word-noborders"]
CHAR = 5.5  # advance of one character at 11 pt in these fixtures
SPACE = 2.8  # a space: a quarter em
LEAD = 14.0  # line pitch


def words_of(text: str, x: float, top: float, conf: float | None = None) -> list[Word]:
    """The words of one line of text starting at x, one character = CHAR points, spaces between."""
    out = []
    for token in text.split(" "):
        if token:
            out.append(Word(token, x, top, x + CHAR * len(token), top + 11.0, conf))
        x += CHAR * len(token) + SPACE
    return out


def table_words(rows: list[list[str]], xs: list[float], top: float = 100.0, row_gap: float = 6.0,
                conf: float | None = None) -> list[Word]:
    """Rows of cells, each cell's text given with "|" between its lines, laid out at column starts `xs`."""
    out: list[Word] = []
    y = top
    for row in rows:
        height = 0
        for x, cell in zip(xs, row, strict=True):
            for i, line in enumerate(cell.split("|") if cell else []):
                out += words_of(line, x, y + i * LEAD, conf)
            height = max(height, len(cell.split("|")) if cell else 0)
        y += height * LEAD + row_gap
    return out


HEADER = ["STT", "Nhiệm vụ", "Thời gian", "Chủ trì", "Phối hợp"]
XS = [40, 80, 330, 420, 540]
ROWS = [
    HEADER,
    ["1", "Tuyên truyền, phổ biến các văn bản|về Chính quyền thân thiện", "Hằng năm", "Phòng Văn hóa -|Xã hội", "Các cơ quan,|đơn vị"],
    ["2", "Xây dựng Kế hoạch triển khai", "Quý I/2026", "Văn phòng", "Phòng Kinh tế"],
    ["3", "Tổ chức thực hiện các tiêu chí|của mô hình tại các cơ quan,|đơn vị bảo đảm đúng quy định", "Thường xuyên", "Các cơ quan", "Phòng Văn hóa"],
]


def cells_by_row(table) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(table.n_rows)]
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows[c.row].append(c.text.replace(SOFT_BREAK, " "))
    return rows


def test_rows_and_columns_from_word_geometry():
    table, rest = read_lineless_table(table_words(ROWS, XS), page=3, page_width=842)
    assert table is not None and not table.ruled
    assert (table.n_rows, table.n_cols) == (4, 5)
    assert cells_by_row(table) == [[c.replace("|", " ") for c in row] for row in ROWS]
    assert rest == []
    assert all(c.page == 3 and c.bbox is not None for c in table.cells)
    assert table.notes and table.notes[0][0] == "borderless-table"


def test_words_outside_the_table_are_returned_for_running_text():
    title = words_of("PHỤ LỤC NHIỆM VỤ", 300, 40)
    after = words_of("Nơi nhận: như trên", 40, 400)
    table, rest = read_lineless_table(title + table_words(ROWS, XS) + after, page=1, page_width=842)
    assert table is not None and table.n_rows == 4
    assert [w.text for w in rest] == [w.text for w in title + after]


def test_cell_confidence_is_the_lowest_word_confidence():
    words = table_words(ROWS, XS, conf=91.0)
    next(w for w in words if w.text == "Quý").conf = 40.0
    table, _ = read_lineless_table(words, page=1, page_width=842)
    cell = next(c for c in table.cells if c.text == "Quý I/2026")
    assert cell.conf == 40.0
    assert next(c for c in table.cells if c.text == "Văn phòng").conf == 91.0


def test_a_number_centred_in_a_tall_row_finds_its_row():
    # The STT drawn on the second line of a three-line row (vertical-align: middle).
    words = table_words([HEADER], XS)
    top = 100 + LEAD + 6
    words += words_of("1", XS[0], top + LEAD) + words_of("Tuyên truyền, phổ biến", XS[1], top)
    words += words_of("các văn bản về Chính quyền", XS[1], top + LEAD) + words_of("thân thiện", XS[1], top + 2 * LEAD)
    words += words_of("Hằng năm", XS[2], top + LEAD) + words_of("Văn phòng", XS[3], top + LEAD)
    words += words_of("Các cơ quan", XS[4], top + LEAD)
    top2 = top + 3 * LEAD + 6
    words += words_of("2", XS[0], top2) + words_of("Xây dựng Kế hoạch", XS[1], top2) + words_of("Quý I", XS[2], top2)
    words += words_of("Phòng Kinh tế", XS[3], top2) + words_of("Các sở", XS[4], top2)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    rows = cells_by_row(table)
    assert rows[1][:2] == ["1", "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện"]
    assert rows[2][:2] == ["2", "Xây dựng Kế hoạch"]


def test_a_section_title_crossing_the_columns_is_one_cell_across():
    rows = [HEADER, ROWS[1], ["I. CÔNG TÁC TỔ CHỨC THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM", "", "", "", ""], ROWS[2], ROWS[3]]
    table, _ = read_lineless_table(table_words(rows, XS), page=1, page_width=842)
    section = [c for c in table.cells if c.row == 2]
    assert len(section) == 1 and section[0].colspan == 5
    assert section[0].text == "I. CÔNG TÁC TỔ CHỨC THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM"


def test_the_same_first_word_on_every_row_does_not_split_a_column():
    # "Sở" starts every lead, so its space lines up on every row: still one column.
    rows = [HEADER] + [[str(i), f"Nhiệm vụ số {i} của kế hoạch năm", "Hằng năm", "Sở " + lead, "Các sở, ngành"]
                       for i, lead in enumerate(["Tư pháp", "Nội vụ", "Y tế", "Tài chính"], start=1)]
    table, _ = read_lineless_table(table_words(rows, XS), page=1, page_width=842)
    assert table.n_cols == 5
    assert [c.text for c in table.cells if c.col == 3][1:] == ["Sở Tư pháp", "Sở Nội vụ", "Sở Y tế", "Sở Tài chính"]
    assert [c.text for c in table.cells if c.col == 2][1:] == ["Hằng năm"] * 4


def test_ragged_columns_and_a_column_only_the_header_fills():
    xs = [40, 80, 330, 420, 540, 700]
    header = HEADER + ["Ghi chú"]
    rows = [header] + [row + [""] for row in ROWS[1:]]
    # Ragged: each row's texts start a few points apart, as centred or hand-placed text does.
    words: list[Word] = []
    top = 100.0
    for r, row in enumerate(rows):
        shift = [0, 0, (r % 3) * 4.0, 0, (r % 2) * 6.0, 0]
        words += table_words([row], [x + s for x, s in zip(xs, shift, strict=True)], top=top)
        top += max(len(c.split("|")) for c in row) * LEAD + 6.0
    table, _ = read_lineless_table(words, page=1, page_width=842)
    assert table.n_cols == 6
    assert [c.text for c in table.cells if c.row == 0] == header
    assert [c.text.replace(SOFT_BREAK, " ") for c in table.cells if c.row == 2] == ROWS[2] + [""]


def test_two_row_header_spanning_title():
    words = words_of("STT", XS[0], 100) + words_of("Nhiệm vụ", XS[1], 100) + words_of("Thời gian", XS[2], 100)
    words += words_of("Cơ quan thực hiện", 470, 100)
    words += words_of("Chủ trì", XS[3], 114) + words_of("Phối hợp", XS[4], 114)
    words += table_words(ROWS[1:], XS, top=134)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    spanning = next(c for c in table.cells if c.text == "Cơ quan thực hiện")
    assert (spanning.row, spanning.col, spanning.colspan) == (0, 3, 2)
    assert {c.text for c in table.cells if c.row == 1} == {"Chủ trì", "Phối hợp"}
    assert next(c for c in table.cells if c.text == "STT").rowspan == 2


def test_prose_page_gives_no_table():
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Căn cứ Nghị quyết số 57-NQ/TW "
            "ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng "
            "tạo và chuyển đổi số quốc gia; Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện như sau").split()
    words, line, y = [], [], 100.0
    for w in text:
        line.append(w)
        if len(" ".join(line)) > 80:
            words += words_of(" ".join(line), 60, y)
            line, y = [], y + LEAD
    words += words_of(" ".join(line), 60, y)
    words += words_of("1. Mục đích", 60, y + 2 * LEAD) + words_of("2. Yêu cầu", 60, y + 3 * LEAD)
    notes: list = []
    assert read_lineless_table(words, page=2, page_width=595, notes=notes) == (None, words)
    assert notes == []


def test_two_block_header_and_signature_give_no_table():
    words = words_of("ỦY BAN NHÂN DÂN", 60, 40) + words_of("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 40)
    words += words_of("TỈNH NGHỆ AN", 75, 54) + words_of("Độc lập - Tự do - Hạnh phúc", 330, 54)
    words += words_of("Số: 980/KH-UBND", 65, 68) + words_of("Nghệ An, ngày 18 tháng 11 năm 2025", 310, 68)
    words += words_of("Nơi nhận:", 60, 300) + words_of("TM. ỦY BAN NHÂN DÂN", 340, 300)
    words += words_of("- Như trên;", 60, 314) + words_of("CHỦ TỊCH", 370, 314)
    words += words_of("- Lưu: VT.", 60, 328)
    table, rest = read_lineless_table(words, page=1, page_width=595)
    assert table is None and rest == words


def test_lines_in_columns_that_form_no_table_give_a_warning_not_rows():
    # Three blocks side by side but no row starts anywhere (no number, no section): nothing is invented.
    words = []
    for i in range(4):
        words += words_of("Khối thứ nhất", 40, 100 + i * LEAD) + words_of("Khối thứ hai", 300, 100 + i * LEAD)
        words += words_of("Khối thứ ba", 560, 100 + i * LEAD)
    notes: list = []
    table, rest = read_lineless_table(words, page=4, page_width=842, notes=notes)
    assert table is None and rest == words
    assert notes and notes[0][0] == "borderless-table" and "page 4" in notes[0][1]


def test_hyphen_at_a_line_end_inside_a_code_joins():
    rows = [HEADER, ["1", "Thực hiện Kế hoạch số 45/KH-|UBND của tỉnh", "Năm 2026", "Văn phòng", "Các sở"],
            ["2", "Báo cáo kết quả", "Quý IV", "Văn phòng", "Các sở"]]
    table, _ = read_lineless_table(table_words(rows, XS), page=1, page_width=842)
    assert next(c for c in table.cells if c.row == 1 and c.col == 1).text == "Thực hiện Kế hoạch số 45/KH-UBND của tỉnh"


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("stem", LINELESS)
def test_lineless_sample_reads_as_its_golden(stem: str, engine: str):
    golden = json.loads((SAMPLES / f"{stem}.golden.json").read_text(encoding="utf-8"))
    got = phuluc.convert(SAMPLES / f"{stem}.pdf", {"pdf_engine": engine}).to_dict()
    assert got["document"] == golden["document"]
    assert got["tasks"] == golden["tasks"]
    assert "borderless-table" in {w["code"] for w in got["warnings"]}


def test_lineless_sample_cells_carry_their_page_and_box():
    grid = read_pdf(SAMPLES / "nghe-an-980-chromium.pdf")
    assert [t.page for t in grid.tables] == [1, 2]
    assert all(not t.ruled and all(c.bbox and c.page == t.page for c in t.cells) for t in grid.tables)
    assert any("TỈNH NGHỆ AN" in ln.text for ln in grid.lines if ln.page == 1)  # the page header stays running text


def test_random_word_layouts_never_crash():
    import random

    rnd = random.Random(5)
    for _ in range(300):
        words = []
        for _ in range(rnd.randint(0, 60)):
            x, y = rnd.uniform(0, 800), rnd.uniform(0, 560)
            w, h = rnd.uniform(0, 60), rnd.choice([0.0, 8.0, 11.0, 30.0])
            words.append(Word(rnd.choice(["1", "II", "Sở", "và", "(2)", "a)", "KẾ HOẠCH"]), x, y, x + w, y + h))
        table, rest = read_lineless_table(words, page=1, page_width=842, notes=[])
        if table is not None:
            assert table.n_rows >= 2 and all(c.bbox is not None for c in table.cells)
            assert len(rest) < len([w for w in words if w.text.strip()])


def _no_spacing_rows(lines: list[list[tuple[str, int]]], top: float, pitch: list[float]) -> list[Word]:
    """Lines of (text, column) laid one under the other at the given pitches (no row spacing);
    the first line is the header, its labels set in from the column starts (centred)."""
    out: list[Word] = []
    y = top
    for k, (line, step) in enumerate(zip(lines, pitch, strict=True)):
        for text, col in line:
            out += words_of(text, XS[col] + (8 if k == 0 else 0), y)
        y += step
    return out


def test_a_wrapped_section_title_keeps_its_last_line_without_row_spacing():
    # Word, no row spacing: the band under the title's first line is a little wider than the one
    # over the next row's number, yet "NGHIỆP" ends the title, not the next row's STT.
    lines = [[(h, c) for c, h in enumerate(HEADER)], [("1", 0), ("Việc A", 1), ("2026", 2), ("Phòng A", 3), ("Phòng B", 4)],
             [("II. HOÀN THIỆN CƠ CHẾ, CHÍNH SÁCH HỖ TRỢ CHUYỂN ĐỔI SỐ DOANH", 0)], [("NGHIỆP", 0)],
             [("4", 0), ("Việc B", 1), ("2027", 2), ("Phòng C", 3), ("Phòng D", 4)],
             [("5", 0), ("Việc C", 1), ("2027", 2), ("Phòng E", 3), ("Phòng F", 4)]]
    table, _ = read_lineless_table(_no_spacing_rows(lines, 100, [LEAD, LEAD, LEAD + 0.8, LEAD, LEAD, LEAD]),
                                   page=1, page_width=842)
    rows = cells_by_row(table)
    assert rows[2] == ["II. HOÀN THIỆN CƠ CHẾ, CHÍNH SÁCH HỖ TRỢ CHUYỂN ĐỔI SỐ DOANH NGHIỆP"]
    assert rows[3] == ["4", "Việc B", "2027", "Phòng C", "Phòng D"]


def test_the_end_of_a_cut_section_title_under_a_repeated_header_is_its_own_row():
    lines = [[(h, c) for c, h in enumerate(HEADER)], [("NGHIỆP", 0)],
             [("4", 0), ("Việc B", 1), ("2027", 2), ("Phòng C", 3), ("Phòng D", 4)],
             [("5", 0), ("Việc C", 1), ("2027", 2), ("Phòng E", 3), ("Phòng F", 4)]]
    table, _ = read_lineless_table(_no_spacing_rows(lines, 100, [LEAD - 0.8, LEAD, LEAD, LEAD]), page=2, page_width=842)
    rows = cells_by_row(table)
    assert rows[:3] == [HEADER, ["NGHIỆP"], ["4", "Việc B", "2027", "Phòng C", "Phòng D"]]
    assert next(c for c in table.cells if c.text == "NGHIỆP").colspan == 5


def test_a_cut_row_under_a_repeated_header_is_not_taken_into_the_header():
    # No band stands out under the header; the cut-off text starts where the task texts start.
    lines = [[(h, c) for c, h in enumerate(HEADER)], [("doanh nghiệp.", 1)],
             [("5", 0), ("Việc C", 1), ("2027", 2), ("Phòng E", 3), ("Phòng F", 4)],
             [("6", 0), ("Việc D", 1), ("2028", 2), ("Phòng G", 3), ("Phòng H", 4)]]
    table, _ = read_lineless_table(_no_spacing_rows(lines, 100, [LEAD - 0.8, LEAD, LEAD, LEAD]), page=2, page_width=842)
    rows = cells_by_row(table)
    assert rows[0] == HEADER
    assert rows[1][1] == "doanh nghiệp." and rows[2][:2] == ["5", "Việc C"]



def test_the_second_line_of_a_centred_header_label_stays_in_the_header():
    # "Thời gian" / "hoàn thành" centred in its column, its second line starting where the
    # column's texts start (so it looks like a row's end), a section title under the header.
    words = []
    for c, h in enumerate(HEADER):
        words += words_of(h, XS[c] + (CHAR / 2 if c == 2 else 8), 100)
    words += words_of("hoàn thành", XS[2], 100 + LEAD - 0.8)
    lines = [[("I. Hoàn thiện thể chế, ban hành quy định", 0)],
             [("1", 0), ("Việc A", 1), ("2026", 2), ("Phòng A", 3), ("Phòng B", 4)],
             [("2", 0), ("Việc B", 1), ("2027", 2), ("Phòng C", 3), ("Phòng D", 4)]]
    words += _no_spacing_rows([[]] + lines, 100 + LEAD - 0.8, [LEAD] * 4)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    rows = cells_by_row(table)
    assert rows[0] == ["STT", "Nhiệm vụ", "Thời gian hoàn thành", "Chủ trì", "Phối hợp"]
    assert rows[1] == ["I. Hoàn thiện thể chế, ban hành quy định"]


def test_a_middle_aligned_header_label_wider_than_its_column_texts_is_kept_whole():
    # Chromium, vertical-align: middle: "Thời gian hoàn" / "thành" in the last column, the one-line
    # labels half a line lower; the label's first line runs further right than any row's text.
    words = []
    for c, h in enumerate(HEADER[:4]):
        words += words_of(h, XS[c] + 8, 100 + LEAD / 2)
    words += words_of("Thời gian hoàn", XS[4], 100) + words_of("thành", XS[4] + 20, 100 + LEAD)
    rows = [["1", "Việc A", "2026", "Phòng A", "Các sở ngành"], ["2", "Việc B", "2027", "Phòng C", "Các sở ngành"],
            ["3", "Việc C", "2028", "Phòng E", "Các xã"]]
    words += table_words(rows, XS, top=100 + 2 * LEAD + 6)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    assert cells_by_row(table)[0] == ["STT", "Nhiệm vụ", "Thời gian", "Chủ trì", "Thời gian hoàn thành"]


def test_two_cells_a_space_apart_are_split_at_the_gutter():
    # Chromium with almost no cell padding: the task's line ends a space before the lead's text,
    # which starts right where that column's texts start; the line is no title across them.
    words = table_words([HEADER], XS)
    top = 100 + LEAD + 6
    words += words_of("1", XS[0], top) + words_of("Tuyên truyền, phổ biến các văn bản", XS[1], top)
    end = XS[2] - SPACE
    words += [Word("cho", end - CHAR * 8 - SPACE, top + LEAD, end - CHAR * 5 - SPACE, top + LEAD + 11),
              Word("người", end - CHAR * 5, top + LEAD, end, top + LEAD + 11)]
    words += words_of("Sở KH", XS[2], top + LEAD) + words_of("Năm 2026", XS[3], top + LEAD)
    words += words_of("Các sở", XS[4], top + LEAD)
    for k, n in enumerate(("2", "3")):
        y = top + (2 + k) * LEAD + 6 * (k + 1)
        words += words_of(n, XS[0], y) + words_of("Xây dựng Kế hoạch", XS[1], y) + words_of("Sở Tư pháp", XS[2], y)
        words += words_of("Quý I", XS[3], y) + words_of("Các xã", XS[4], y)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    rows = cells_by_row(table)
    assert rows[1] == ["1", "Tuyên truyền, phổ biến các văn bản cho người", "Sở KH", "Năm 2026", "Các sở"]


def test_a_column_empty_on_a_short_page_keeps_the_columns_of_the_page_before():
    """A page of two rows whose "Thời gian" column is empty and a section title across the
    table: the body shows one wide gutter over two columns, and the title crosses every edge.
    The columns of the page before still hold (held-out Word lists: "Nhiệm vụ Sản phẩm" merged)."""
    before, _ = read_lineless_table(table_words(ROWS, XS), page=1, page_width=842)
    assert before is not None and before.n_cols == 5
    rows = [
        HEADER,
        ["II. NHÓM NHIỆM VỤ VỀ HẠ TẦNG SỐ VÀ DỮ LIỆU DÙNG CHUNG CỦA TỈNH VÀ CÁC XÃ", "", "", "", ""],
        ["4", "Nâng cấp hạ tầng mạng", "", "Văn phòng", "Phòng Kinh tế"],
        ["5", "Triển khai nền tảng dữ liệu", "", "Các cơ quan", "Phòng Văn hóa"],
    ]
    table, _ = read_lineless_table(table_words(rows, XS), page=2, page_width=842, columns=before.col_edges)
    assert table is not None and table.n_cols == 5
    assert cells_by_row(table)[2:] == [["4", "Nâng cấp hạ tầng mạng", "", "Văn phòng", "Phòng Kinh tế"],
                                       ["5", "Triển khai nền tảng dữ liệu", "", "Các cơ quan", "Phòng Văn hóa"]]


def test_a_cut_row_under_a_header_repeated_word_for_word_is_its_own_row():
    """Word: header labels left-aligned like the rows' texts, the end of a cut row ("liên quan")
    under the repeated header by a band narrower than the row breaks. The header is what repeats
    the page before's header; the rest is the cut row (held-out Word lists: "phối hợp liên quan")."""
    header = [["STT", "Nhiệm vụ", "Thời gian", "Chủ trì", "Phối hợp|thực hiện"]]
    body = [["1", "Việc A|tiếp theo", "2026", "Phòng A", "Các cơ quan|liên quan"],
            ["2", "Việc B", "2027", "Phòng C", "Phòng D"], ["3", "Việc C", "2028", "Phòng E", "Phòng F"]]
    before, _ = read_lineless_table(table_words(header, XS) + table_words(body, XS, top=100 + 2 * LEAD + 9, row_gap=9),
                                    page=1, page_width=842)
    assert before is not None and cells_by_row(before)[0] == ["STT", "Nhiệm vụ", "Thời gian", "Chủ trì", "Phối hợp thực hiện"]
    top = 100 + 2 * LEAD + 5  # a band of 8 under the header; rows stand 12 apart, lines 3
    words = table_words(header, XS) + words_of("liên quan", XS[4], top)
    words += table_words(body[1:], XS, top=top + LEAD + 9, row_gap=9)
    table, _ = read_lineless_table(words, page=2, page_width=842, columns=before.col_edges, previous=before)
    rows = cells_by_row(table)
    assert rows[:3] == [["STT", "Nhiệm vụ", "Thời gian", "Chủ trì", "Phối hợp thực hiện"],
                        ["", "", "", "", "liên quan"], ["2", "Việc B", "2027", "Phòng C", "Phòng D"]]


def test_the_last_line_of_a_paragraph_above_the_table_is_no_header_label():
    """Chromium: the "(Kèm theo ...)" line wraps, its last word ("Ninh)") centred over the task
    column just above the header; it ends that paragraph (held-out Chromium lists: no tasks)."""
    words = words_of("(Kèm theo Kế hoạch số 1706/KH-UBND ngày 11 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh", 60, 60)
    words += words_of("Quảng Ninh)", 280, 60 + LEAD)
    words += table_words(ROWS, XS, top=60 + 2 * LEAD + 6)
    table, rest = read_lineless_table(words, page=1, page_width=842)
    assert table is not None and cells_by_row(table)[0] == HEADER
    assert " ".join(w.text for w in rest).endswith("tỉnh Quảng Ninh)")


def test_a_task_column_filling_most_of_the_width_keeps_its_gutter():
    """Four columns, the task texts' lines two thirds of the table wide, the lead's text a little
    more than an em after them (held-out Chromium: "Trách nhiệm thực hiện" read into the tasks)."""
    xs = [40, 70, 430, 500]
    task = ["Xây dựng Luật sửa đổi, bổ sung một số điều Luật Thuế xuất khẩu, nhập|khẩu để thúc đẩy doanh nghiệp đầu tư cho khoa học, công nghệ, đổi|mới sáng tạo",
            "Hoàn thành việc lựa chọn, thống nhất Hệ thống thông tin giải quyết|thủ tục hành chính của bộ, ngành, địa phương mình theo yêu cầu tại|Kế hoạch",
            "Hoàn thành việc triển khai các nhiệm vụ phục vụ chuyển đổi số, bảo|đảm kết nối với Đề án 06, gồm các nội dung trên nền tảng số quốc|gia",
            "Cung cấp các tài liệu, giáo trình tập huấn đảm bảo an ninh an toàn|thông tin"]
    rows = [["STT", "Nội dung công việc", "Trách|nhiệm", "Thời hạn"]]
    rows += [[str(k + 1), t, lead, "31/05/2025"] for k, (t, lead) in enumerate(zip(
        task, ["Bộ Tài|chính", "Các bộ,|ngành", "Bộ Tài|chính", "Bộ Công an"], strict=True))]
    table, _ = read_lineless_table(table_words(rows, xs), page=1, page_width=595)
    assert table is not None and table.n_cols == 4
    assert cells_by_row(table)[1][2:] == ["Bộ Tài chính", "31/05/2025"]


def test_a_page_that_only_carries_on_one_cell_under_the_repeated_header():
    """A page of nothing but the rest of one long cell under the repeated header: no row number,
    one column of text. The header and the columns of the page before read it (held-out Word
    lists: a "Kết quả dự kiến" cell running over two pages lost them)."""
    before, _ = read_lineless_table(table_words(ROWS, XS), page=1, page_width=842)
    words = table_words([HEADER], XS)
    for k, text in enumerate(["- Bộ đã giao: Cục", "Quản lý đất đai", "hướng dẫn thực hiện."]):
        words += words_of(text, XS[3], 100 + LEAD + 9 + k * LEAD)
    table, rest = read_lineless_table(words, page=2, page_width=842, columns=before.col_edges, previous=before)
    assert table is not None and rest == []
    assert cells_by_row(table) == [HEADER, ["", "", "", "- Bộ đã giao: Cục Quản lý đất đai hướng dẫn thực hiện.", ""]]


def test_the_last_rows_next_paragraphs_stay_in_its_cell_and_a_signature_does_not():
    """Word: the last row's "Phối hợp" cell holds one agency per paragraph, the paragraphs as far
    apart as the rows; they start where that column's texts start. The signature further down
    is running text (held-out Word lists: "- Bộ Y tế; ..." lost)."""
    rows = ROWS[:3] + [["3", "Tổ chức thực hiện", "Thường xuyên", "Các cơ quan", "- Phòng Văn hóa;"]]
    words = table_words(rows, XS, row_gap=10)
    words += words_of("- Phòng Y tế;", XS[4], 210) + words_of("- Phòng Tư pháp.", XS[4], 234)
    words += words_of("TM. ỦY BAN NHÂN DÂN", 450, 285)
    table, rest = read_lineless_table(words, page=1, page_width=842)
    assert " ".join(cells_by_row(table)[-1][4].split()) == "- Phòng Văn hóa; - Phòng Y tế; - Phòng Tư pháp."
    assert [w.text for w in rest] == ["TM.", "ỦY", "BAN", "NHÂN", "DÂN"]


def test_the_repeated_header_is_known_by_its_words_whatever_columns_the_page_before_showed():
    """The page before left "Thời gian" empty and merged it into its neighbour; this page is read
    in a later page's five columns and only carries on one cell: the header still repeats."""
    cells = [Cell(0, c, text, page=1) for c, text in enumerate(["STT", "Nhiệm vụ Thời gian", "Chủ trì", "Phối hợp"])]
    before = Table(cells, 1, 4, page=1, col_edges=[0.0, 74.5, 414.5, 534.5, 842.0], ruled=False)
    full, _ = read_lineless_table(table_words(ROWS, XS), page=3, page_width=842)
    assert full.n_cols == 5
    words = table_words([HEADER], XS) + words_of("đơn vị liên quan", XS[4], 100 + LEAD + 9)
    table, _ = read_lineless_table(words, page=2, page_width=842, columns=full.col_edges, previous=before)
    assert cells_by_row(table) == [HEADER, ["", "", "", "", "đơn vị liên quan"]]


def _centred(text: str, box: tuple[float, float], top: float) -> list[Word]:
    width = sum(CHAR * len(t) for t in text.split()) + SPACE * (len(text.split()) - 1)
    return words_of(text, (box[0] + box[1] - width) / 2, top)


@pytest.mark.parametrize("centred", [False, True])
def test_a_column_only_the_header_fills_inside_the_table(centred: bool):
    """No row of the page fills "Thời gian": its label, left-aligned (Word) or centred (Chromium),
    stands alone in the band between "Nhiệm vụ" and "Chủ trì" and makes the column (held-out
    lists: "Cơ quan phối hợp" empty on every row, its dates read as partners)."""
    boxes = [(35, 75), (75, 325), (325, 415), (415, 535), (535, 655)]
    words: list[Word] = []
    for box, label in zip(boxes, HEADER, strict=True):
        words += _centred(label, box, 100) if centred else words_of(label, box[0] + 5, 100)
    rows = [[r[0], r[1].split("|")[0], "", r[3].split("|")[0], r[4].split("|")[0]] for r in ROWS[1:]]
    words += table_words(rows, [b[0] + 5 for b in boxes], top=100 + LEAD + 6)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    assert table is not None and table.n_cols == 5
    assert cells_by_row(table) == [HEADER] + rows
    # Centred: the column's left edge mirrors its right one about the label; left-aligned (as are all
    # the labels): the edge goes just before the label, where the column's text would start.
    assert abs(table.col_edges[2] - 325) < 3 and abs(table.col_edges[3] - 415) < 3


def test_a_centred_label_over_a_column_empty_on_the_page_keeps_the_known_edge():
    """Chromium: "Phối hợp" empty on every row of this page, its label centred well right of where
    the column begins. The page before drew that edge; the label is no edge of its own (held-out
    Chromium lists: a "Sản phẩm dự kiến" column split in two across pages)."""
    before, _ = read_lineless_table(table_words(ROWS, XS), page=1, page_width=842)
    words = []
    for c, label in enumerate(HEADER):
        words += words_of(label, XS[c] + (40 if c == 4 else 0), 100)
    rows = [["4", "Nâng cấp hạ tầng mạng", "2026", "Văn phòng", ""], ["5", "Số hóa hồ sơ", "2027", "Phòng Nội vụ", ""]]
    words += table_words(rows, XS, top=100 + LEAD + 6)
    table, _ = read_lineless_table(words, page=2, page_width=842, columns=before.col_edges, previous=before)
    assert table.n_cols == 5 and abs(table.col_edges[4] - before.col_edges[4]) < 1
    assert cells_by_row(table)[1:] == rows


def test_a_centred_label_far_right_of_its_columns_short_text_makes_no_column():
    """Chromium: a wide last column ("Sản phẩm dự kiến") whose only text on the page is short and
    starts at its left, the label centred far to the right of it: the label is that column's own,
    not a column beyond it (held-out Chromium lists: rows read with an empty extra column)."""
    boxes = [(35, 75), (75, 325), (325, 415), (415, 535), (535, 800)]
    words: list[Word] = []
    for box, label in zip(boxes, HEADER[:4] + ["Sản phẩm dự kiến"], strict=True):
        words += _centred(label, box, 100)
    rows = [["1", "Nâng cấp hạ tầng mạng", "2026", "Văn phòng", "Văn bản|quy phạm"], ["2", "Số hóa hồ sơ", "2027", "Phòng Nội vụ", ""],
            ["3", "Tập huấn cán bộ", "2028", "Các xã", ""]]
    words += table_words(rows, [b[0] + 5 for b in boxes], top=100 + LEAD + 6)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    assert table.n_cols == 5 and cells_by_row(table)[1:] == [[c.replace("|", " ") for c in r] for r in rows]


def test_a_last_column_empty_on_the_page_under_a_centred_label_begins_after_the_text_before():
    """Chromium: the last column empty on every row, its label centred in it. Its left edge goes
    just after the column before's text, not just before the label: on the next page its text
    starts at the column's left (held-out Chromium lists: "Sản phẩm dự kiến" split in two)."""
    boxes = [(35, 75), (75, 325), (325, 415), (415, 535), (535, 800)]
    words: list[Word] = []
    for box, label in zip(boxes, HEADER[:4] + ["Sản phẩm dự kiến"], strict=True):
        words += _centred(label, box, 100)
    rows = [["1", "Nâng cấp hạ tầng mạng", "2026", "Văn phòng UBND xã", ""], ["2", "Số hóa hồ sơ", "2027", "Phòng Nội vụ", ""]]
    words += table_words(rows, [b[0] + 5 for b in boxes], top=100 + LEAD + 6)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    assert table.n_cols == 5 and cells_by_row(table)[1:] == rows
    assert table.col_edges[4] < 540  # the label starts at 623


def test_a_centred_label_over_a_one_line_text_whose_gutter_shows_once_makes_no_column():
    """As above, but the last column's only text on the page is one line ("Đang thực hiện"): its
    gutter shows on one line only and is not taken; the label still belongs to that text, which
    no other label stands over, rather than making a column of its own right of it."""
    boxes = [(35, 75), (75, 325), (325, 415), (415, 535), (535, 800)]
    words: list[Word] = []
    for box, label in zip(boxes, HEADER[:4] + ["Sản phẩm dự kiến"], strict=True):
        words += _centred(label, box, 100)
    rows = [["1", "Nâng cấp hạ tầng mạng", "2026", "Văn phòng", "Đang thực hiện"], ["2", "Số hóa hồ sơ", "2027", "Phòng Nội vụ", ""],
            ["3", "Tập huấn cán bộ", "2028", "Các xã", ""]]
    words += table_words(rows, [b[0] + 5 for b in boxes], top=100 + LEAD + 6)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    assert all(abs(e - 622) > 20 for e in table.col_edges)  # no column begins at the label (623)


def test_the_last_rows_long_wrapped_lines_in_a_wide_task_column_stay_in_it():
    """The last row's task text runs on alone over lines two thirds of the table wide (a task
    column filling most of the width): they are its wrapped lines, not text after the table."""
    xs = [40, 70, 430, 500]
    long = ["Cung cấp các tài liệu, giáo trình tập huấn đảm bảo an ninh an toàn",
            "thông tin cho cán bộ công chức cấp xã, hỗ trợ hoàn thiện các điều", "kiện cho Trung tâm Phục vụ hành chính công"]
    rows = [["STT", "Nội dung công việc", "Trách|nhiệm", "Thời hạn"],
            ["1", "Xây dựng Luật sửa đổi, bổ sung một số điều Luật Thuế xuất khẩu, nhập|khẩu", "Bộ Tài|chính", "31/05/2025"],
            ["2", "Hoàn thành việc lựa chọn, thống nhất Hệ thống thông tin giải quyết|thủ tục", "Các bộ,|ngành", "30/09/2025"],
            ["3", "|".join(long), "Bộ Công an", "31/10/2025"]]
    table, rest = read_lineless_table(table_words(rows, xs), page=1, page_width=595)
    assert cells_by_row(table)[3][1] == " ".join(long) and rest == []


def test_a_narrow_column_only_its_centred_label_fills():
    """Chromium: "Phối hợp" in a narrow column (its label leaves less than an em on either side),
    empty on every row of the page: still a column (held-out Chromium: dates read as partners)."""
    boxes = [(35, 75), (75, 395), (395, 440), (440, 475), (475, 545)]
    labels = ["TT", "Nhiệm vụ", "Chủ", "Phối", "Thời gian"]
    words: list[Word] = []
    for box, label in zip(boxes, labels, strict=True):
        words += _centred(label, box, 100)
    rows = [["1", "Trình Chính phủ ban hành Quyết định", "Bộ Công", "", "20/10/25"],
            ["2", "Xây dựng Khung dữ liệu", "Bộ Công", "", "31/10/25"], ["3", "Tập huấn cán bộ", "Sở", "", "31/12/25"]]
    words += table_words(rows, [b[0] + 5 for b in boxes], top=100 + LEAD + 6)
    table, _ = read_lineless_table(words, page=1, page_width=842)
    assert table.n_cols == 5 and cells_by_row(table) == [labels] + rows
