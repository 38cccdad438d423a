"""The grid → tasks rules, each on a small hand-made grid."""

from __future__ import annotations

import pytest

from phuluc.normalize.column_headers import fuzzy_header_field, header_field, map_columns
from phuluc.normalize.table import tables_to_tasks
from phuluc.schema import Cell, Table


def clean(text: str, font: str = "") -> str:
    return " ".join(text.split())


def grid(rows: list[list[str | None]], spans: dict[tuple[int, int], tuple[int, int]] | None = None, page_of=None) -> Table:
    """Rows of texts; None marks a position covered by a span given in `spans` {(r, c): (rowspan, colspan)}."""
    spans = spans or {}
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            cells.append(Cell(r, c, text, rs, cs, page=page_of(r) if page_of else None))
    return Table(cells, len(rows), max(len(r) for r in rows))


HEADER = ["STT", "Nhiệm vụ cụ thể", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp"]


@pytest.mark.parametrize(
    "text, field",
    [
        ("STT", "stt"), ("TT", "stt"), ("Số TT", "stt"), ("S\u0301ô\u0301 TT", "stt"),
        ("Nhiệm vụ cụ thể", "task"), ("Nội dung", "task"), ("Nội dung công việc", "task"),
        ("Nhiệm vụ, giải pháp", "task"), ("NỘI DUNG NHIỆM VỤ", "task"), ("Tên nhiệm vụ/dự án", "task"),
        ("Thời gian thực hiện", "timeline"), ("Thời hạn", "timeline"), ("Tiến độ", "timeline"),
        ("Thời gian\nhoàn thành", "timeline"), ("Thời gian dự kiến hoàn thành", "timeline"),
        ("Cơ quan chủ trì", "lead"), ("Đơn vị chủ trì", "lead"), ("Chủ trì", "lead"), ("Cơ quan, đơn vị chủ trì", "lead"),
        ("Đơn vị thực hiện", "lead"),
        ("Cơ quan phối hợp", "partners"), ("Đơn vị phối hợp", "partners"), ("Phối hợp", "partners"),
        ("Sản phẩm", None), ("Ghi chú", None), ("Kết quả dự kiến", None),
    ],
)
def test_header_variants(text, field):
    assert header_field(text)[0] == field


def test_surer_header_wins_and_other_goes_to_extra():
    fields, extra = map_columns([["STT"], ["Nội dung nhiệm vụ"], ["Thuộc nhóm nhiệm vụ"], ["Chủ trì"], ["Thời hạn"]])
    assert fields["task"] == 1
    assert extra == {2: "Thuộc nhóm nhiệm vụ"}


def test_simple_table_and_extra_column():
    table = grid([HEADER + ["Sản phẩm"], ["1", "Việc A", "2026", "Phòng A", "Phòng B", "Kế hoạch"]])
    tasks, warnings, _ = tables_to_tasks([table], clean)
    assert [(t.stt, t.task, t.timeline, t.lead, t.partners, t.extra) for t in tasks] == [
        ("1", "Việc A", "2026", "Phòng A", "Phòng B", {"Sản phẩm": "Kế hoạch"})
    ]
    assert warnings == []


def test_other_column_order():
    table = grid([["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"], ["1", "Việc", "A", "B", "Quý I"]])
    (task,), _, _ = tables_to_tasks([table], clean)
    assert (task.timeline, task.lead, task.partners) == ("Quý I", "A", "B")


def test_column_index_row_and_repeated_header_are_dropped():
    table = grid([HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)"], ["1", "A", "x", "y", "z"], HEADER, ["2", "B", "x", "y", "z"]])
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [t.stt for t in tasks] == ["1", "2"]


def test_section_rows_full_width_and_roman():
    table = grid(
        [HEADER, ["I. CÔNG TÁC TUYÊN TRUYỀN", None, None, None, None], ["1", "A", "x", "y", "z"],
         ["II", "Công tác kiểm tra", "", "", ""], ["1", "B", "x", "y", "z"]],
        spans={(1, 0): (1, 5)},
    )
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [(t.section, t.stt) for t in tasks] == [("I. CÔNG TÁC TUYÊN TRUYỀN", "1"), ("II. Công tác kiểm tra", "1")]


def test_parent_row_with_empty_side_cells_is_a_task():
    table = grid([HEADER, ["2", "Chuẩn bị, trong đó:", "", "", ""], ["a)", "In tài liệu", "2026", "VP", ""]])
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [(t.stt, t.task, t.lead) for t in tasks] == [("2", "Chuẩn bị, trong đó:", ""), ("a)", "In tài liệu", "VP")]


def test_vertical_merge_repeats_value_and_is_no_duplicate():
    table = grid(
        [HEADER, ["1", "A", "2026", "Phòng Kinh tế", "x"], ["2", "B", "2027", None, "y"], ["3", "C", "2028", None, "z"]],
        spans={(1, 3): (3, 1)},
    )
    tasks, warnings, _ = tables_to_tasks([table], clean)
    assert [t.lead for t in tasks] == ["Phòng Kinh tế"] * 3
    assert warnings == []


def test_two_row_header():
    table = grid(
        [["STT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Thời gian"], [None, None, "Chủ trì", "Phối hợp", None],
         ["1", "A", "L", "P", "2026"]],
        spans={(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, 2), (0, 4): (2, 1)},
    )
    (task,), _, _ = tables_to_tasks([table], clean)
    assert (task.lead, task.partners, task.timeline) == ("L", "P", "2026")


def test_stt_gap_and_duplicate_are_warned_not_changed():
    table = grid([HEADER, ["1", "A", "", "x", ""], ["2", "B", "", "x", ""], ["2", "C", "", "x", ""], ["5", "D", "", "x", ""]])
    tasks, warnings, _ = tables_to_tasks([table], clean)
    assert [t.stt for t in tasks] == ["1", "2", "2", "5"]
    assert [(w.code, w.message) for w in warnings] == [("stt-duplicate", "STT 2 appears twice"), ("stt-gap", "STT 2 is followed by 5")]


def test_not_a_task_table():
    people = grid([["STT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn A", "Trưởng ban"]])
    cost = grid([["STT", "Nội dung", "Số tiền"], ["1", "Hội nghị", "200"]])
    tasks, _, first = tables_to_tasks([people, cost], clean)
    assert tasks == [] and first is None


def test_pieces_with_repeated_header_or_none_are_one_table():
    a = grid([HEADER, ["1", "A", "", "x", ""]])
    b = grid([HEADER, ["2", "B", "", "x", ""]])
    c = grid([["3", "C", "", "x", ""]])
    tasks, warnings, _ = tables_to_tasks([a, b, c], clean)
    assert [t.stt for t in tasks] == ["1", "2", "3"] and warnings == []


def test_unrelated_table_breaks_the_chain():
    a = grid([HEADER, ["1", "A", "", "x", ""]])
    signature = grid([["Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"]])
    stray = grid([["9", "Z", "", "x", ""]])
    tasks, _, _ = tables_to_tasks([a, signature, stray], clean)
    assert [t.stt for t in tasks] == ["1"]


def test_row_cut_by_page_break_is_merged():
    rows = [HEADER, ["1", "Tuyên truyền, phổ biến các văn bản", "Hằng năm", "Phòng A", "Các cơ quan,"],
            ["", "về Chính quyền thân thiện", "", "", "đơn vị liên quan"], ["2", "B", "2026", "x", "y"]]
    table = grid(rows, page_of=lambda r: 1 if r < 2 else 2)
    tasks, warnings, _ = tables_to_tasks([table], clean)
    assert [t.task for t in tasks] == ["Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện", "B"]
    assert tasks[0].partners == "Các cơ quan, đơn vị liên quan"
    assert [w.code for w in warnings] == ["page-split-merged"]


def test_blank_stt_row_with_its_own_cells_is_its_own_task():
    rows = [HEADER, ["1", "Việc A.", "2026", "Phòng A", "Phòng B"], ["", "Việc B", "2027", "Phòng C", "Phòng D"]]
    table = grid(rows, page_of=lambda r: 1 if r < 2 else 2)
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [t.task for t in tasks] == ["Việc A.", "Việc B"]


def test_section_row_at_the_top_of_a_page_is_not_a_continuation():
    rows = [HEADER, ["1", "Việc A", "2026", "Phòng A", "Phòng B"], ["", "HOÀN THIỆN THỂ CHẾ", None, None, None], ["1", "Việc B", "2027", "x", "y"]]
    table = grid(rows, spans={(2, 1): (1, 4)}, page_of=lambda r: 1 if r < 2 else 2)
    tasks, warnings, _ = tables_to_tasks([table], clean)
    assert [(t.section, t.task) for t in tasks] == [("", "Việc A"), ("HOÀN THIỆN THỂ CHẾ", "Việc B")]
    assert warnings == []


def test_row_cut_in_every_cell_is_merged():
    # A one-line fragment at the foot of page 1: every cell goes on, mostly in small letters.
    rows = [HEADER, ["4", "Văn bản của Trưởng Ban", "Trước ngày 15/02 hằng", "Các bộ ngành và các địa", "Trung tâm Phục vụ hành"],
            ["", "Chỉ huy Phòng thủ dân sự cấp tỉnh", "năm", "phương", "chính công"], ["5", "Việc khác", "2026", "x", "y"]]
    table = grid(rows, page_of=lambda r: 1 if r < 2 else 2)
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [(t.stt, t.task, t.timeline, t.lead) for t in tasks[:1]] == [
        ("4", "Văn bản của Trưởng Ban Chỉ huy Phòng thủ dân sự cấp tỉnh", "Trước ngày 15/02 hằng năm", "Các bộ ngành và các địa phương")
    ]
    assert len(tasks) == 2


def test_parent_row_cut_mid_sentence_is_merged():
    rows = [HEADER, ["5", "Dự án thí điểm tại Thành phố Hồ Chí", "", "", ""], ["", "Minh, trong đó:", "", "", ""],
            ["a)", "Triển khai nền tảng", "Quý II/2026", "x", "y"]]
    table = grid(rows, page_of=lambda r: 1 if r < 2 else 2)
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [(t.stt, t.task) for t in tasks] == [("5", "Dự án thí điểm tại Thành phố Hồ Chí Minh, trong đó:"), ("a)", "Triển khai nền tảng")]


def test_bullet_continuation_at_the_top_of_a_page_merges_and_keeps_the_section():
    # Held-out benchmark: the tail of a cut cell starts with "- " on the next page (no STT).
    rows = [HEADER, ["I. CÔNG TÁC CHỈ ĐẠO", None, None, None, None],
            ["1", "Gồm các việc: việc một;", "2026", "Phòng A", "Phòng B"],
            ["", "- Việc hai.", "", "", "Phòng C"], ["2", "Việc B", "2027", "x", "y"]]
    table = grid(rows, spans={(1, 0): (1, 5)}, page_of=lambda r: 1 if r < 3 else 2)
    tasks, warnings, _ = tables_to_tasks([table], clean)
    assert [(t.section, t.stt, t.task) for t in tasks] == [
        ("I. CÔNG TÁC CHỈ ĐẠO", "1", "Gồm các việc: việc một;\n- Việc hai."), ("I. CÔNG TÁC CHỈ ĐẠO", "2", "Việc B")]
    assert tasks[0].partners == "Phòng B Phòng C"
    assert [w.code for w in warnings] == ["page-split-merged"]


def test_bullet_row_in_mid_page_stays_a_task_in_its_section():
    rows = [HEADER, ["II. TRIỂN KHAI", None, None, None, None], ["1", "Việc A", "2026", "x", "y"],
            ["", "- Việc con", "2026", "x", "y"], ["2", "Việc B", "2027", "x", "y"]]
    tasks, _, _ = tables_to_tasks([grid(rows, spans={(1, 0): (1, 5)})], clean)
    assert [(t.section, t.stt) for t in tasks] == [("II. TRIỂN KHAI", "1"), ("II. TRIỂN KHAI", ""), ("II. TRIỂN KHAI", "2")]


def test_repeated_header_with_a_cell_read_differently_continues_the_table():
    # A line-less page puts the tail of a cut row under its repeated header: "Sản phẩm dự kiến các mục tiêu".
    header = HEADER + ["Sản phẩm dự kiến"]
    a = grid([header, ["1", "A", "2026", "x", "", "Báo cáo"]])
    b = grid([HEADER + ["Sản phẩm dự kiến các mục tiêu"], ["2", "B", "2027", "x", "", ""]])
    tasks, _, _ = tables_to_tasks([a, b], clean)
    assert [t.extra for t in tasks] == [{"Sản phẩm dự kiến": "Báo cáo"}, {"Sản phẩm dự kiến": ""}]


def test_every_task_has_every_extra_key_even_when_empty():
    table = grid([HEADER + ["Sản phẩm", "Ghi chú"], ["1", "A", "2026", "x", "", "", ""], ["2", "B", "2027", "x", "", "Kế hoạch", ""]])
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [t.extra for t in tasks] == [{"Sản phẩm": "", "Ghi chú": ""}, {"Sản phẩm": "Kế hoạch", "Ghi chú": ""}]


def ocr_grid(rows: list[list[str]], conf: float | None = 80.0) -> Table:
    """A table as OCR gives it: every cell drawn with a box and a confidence (None: a text layer)."""
    cells = [Cell(r, c, text, page=1, bbox=(c * 50.0, r * 20.0, c * 50.0 + 50, r * 20.0 + 20), conf=conf)
             for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Table(cells, len(rows), len(rows[0]), page=1)


@pytest.mark.parametrize("stt_header", ["'TL", "Sl'T", "STT"])
def test_misread_headers_of_an_ocr_table_still_map(stt_header):
    rows = [[stt_header, "Nhiệm vụ", "Thời giai hoàa", "Chủ trì", "Phối hợp"], ["1", "Việc A", "Quý I/2026", "Sở A", "Sở B"]]
    tasks, _, _ = tables_to_tasks([ocr_grid(rows)], clean)
    assert [(t.stt, t.task, t.timeline, t.lead, t.extra) for t in tasks] == [("1", "Việc A", "Quý I/2026", "Sở A", {})]


def test_misread_headers_stay_unmapped_in_a_text_table():
    rows = [["'TL", "Nhiệm vụ", "Thời giai hoàa", "Chủ trì", "Phối hợp"], ["1", "Việc A", "Quý I/2026", "Sở A", "Sở B"]]
    tasks, _, _ = tables_to_tasks([ocr_grid(rows, conf=None)], clean)
    assert tasks[0].timeline == "" and tasks[0].extra == {"'TL": "1", "Thời giai hoàa": "Quý I/2026"}


def test_ocr_people_and_cost_tables_give_no_tasks():
    people = ocr_grid([["Sl'T", "Họ và tến", "Chức vu", "Ghi chu"], ["1", "Nguyễn Văn A", "Trưởng ban", ""]])
    cost = ocr_grid([["TT", "Nội dung", "Số tiên", "Đơn vi tính"], ["1", "Hội nghị", "200", "đồng"]])
    tasks, _, first = tables_to_tasks([people, cost], clean)
    assert tasks == [] and first is None


@pytest.mark.parametrize(
    "text, field",
    [("Thời giai hoàa", "timeline"), ("'TL", "stt"), ("Sl'T", "stt"), ("Chủ trị", "lead"), ("Phối hơp", "partners"),
     ("Nhiệm vu cu thê", "task"), ("Họ và tến", None), ("Số tiên", None), ("Ghi chu", None), ("T", None), ("Năm", None)],
)
def test_fuzzy_header_field(text, field):
    assert fuzzy_header_field(text)[0] == field


def test_section_title_cut_by_the_page_break_is_one_section():
    # soffice splits a wrapped section title: "... DOANH" ends page 1, "NGHIỆP" opens page 2.
    rows = [HEADER, ["1", "Việc A", "2026", "Phòng A", "Phòng B"],
            ["II. HỖ TRỢ CHUYỂN ĐỔI SỐ DOANH", None, None, None, None], ["NGHIỆP", None, None, None, None],
            ["4", "Việc B", "2027", "x", "y"], ["III. HỢP TÁC", None, None, None, None], ["5", "Việc C", "2027", "x", "y"]]
    full = {(r, 0): (1, 5) for r in (2, 3, 5)}
    table = grid(rows, spans=full, page_of=lambda r: 1 if r < 3 else 2)
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [(t.section, t.task) for t in tasks] == [
        ("", "Việc A"), ("II. HỖ TRỢ CHUYỂN ĐỔI SỐ DOANH NGHIỆP", "Việc B"), ("III. HỢP TÁC", "Việc C")]


def test_numbered_section_at_the_top_of_a_page_stays_its_own_section():
    rows = [HEADER, ["1", "Việc A", "2026", "Phòng A", "Phòng B"], ["I. TUYÊN TRUYỀN", None, None, None, None],
            ["II. HỢP TÁC", None, None, None, None], ["2", "Việc B", "2027", "x", "y"]]
    table = grid(rows, spans={(2, 0): (1, 5), (3, 0): (1, 5)}, page_of=lambda r: 1 if r < 3 else 2)
    tasks, _, _ = tables_to_tasks([table], clean)
    assert [t.section for t in tasks] == ["", "II. HỢP TÁC"]


def test_cell_spanning_agency_columns_fills_each_field():
    text = "Theo phân công tại Quyết định số 1441/QĐ-UBND"
    table = grid(
        [HEADER, ["1", "Việc A", "2026", text, None], ["2", "Việc cha, trong đó:", None, None, None]],
        spans={(1, 3): (1, 2), (2, 1): (1, 4)},
    )
    tasks, _, _ = tables_to_tasks([table], clean)
    assert (tasks[0].lead, tasks[0].partners) == (text, text)
    # A task text stretched over the side cells is a parent row: its side fields stay empty.
    assert (tasks[1].task, tasks[1].timeline, tasks[1].lead, tasks[1].partners) == ("Việc cha, trong đó:", "", "", "")


def _ordered(table: Table, order: int) -> Table:
    table.order = order
    return table


def test_tables_under_heading_paragraphs_are_sections_and_restart_numbering():
    from phuluc.schema import Line

    a = _ordered(grid([HEADER, ["1", "Việc A", "2026", "Sở A", ""], ["2", "Việc B", "2026", "Sở B", ""]]), 2)
    b = _ordered(grid([HEADER, ["1", "Việc C", "2026", "UBND xã", ""], ["2", "Việc D", "2026", "UBND xã", ""]]), 4)
    lines = [Line("a) Đối với các sở, ban, ngành:", order=1), Line("b) Đối với các xã, phường:", order=3)]
    tasks, warnings, _ = tables_to_tasks([a, b], clean, lines)
    assert [(t.section, t.stt) for t in tasks] == [
        ("a) Đối với các sở, ban, ngành:", "1"), ("a) Đối với các sở, ban, ngành:", "2"),
        ("b) Đối với các xã, phường:", "1"), ("b) Đối với các xã, phường:", "2"),
    ]
    assert not [w for w in warnings if w.code == "stt-duplicate"]
    assert all(t.appendix == "" for t in tasks)


def test_a_headerless_second_table_under_a_heading_is_its_own_list():
    from phuluc.schema import Line

    a = _ordered(grid([HEADER, ["1", "Việc A", "2026", "Sở A", ""]]), 2)
    b = _ordered(grid([["1", "Việc C", "2026", "UBND xã", ""]]), 4)
    lines = [Line("a) Cấp tỉnh:", order=1), Line("b) Cấp xã:", order=3)]
    tasks, warnings, _ = tables_to_tasks([a, b], clean, lines)
    assert [(t.section, t.task) for t in tasks] == [("a) Cấp tỉnh:", "Việc A"), ("b) Cấp xã:", "Việc C")]
    assert not warnings


def test_a_table_continued_after_a_plain_line_stays_one_table():
    from phuluc.schema import Line

    a = _ordered(grid([HEADER, ["1", "Việc A", "2026", "Sở A", ""]]), 2)
    b = _ordered(grid([["1", "Việc B", "2026", "Sở B", ""]]), 4)
    tasks, warnings, _ = tables_to_tasks([a, b], clean, [Line("(tiếp theo)", order=3)])
    assert [t.section for t in tasks] == ["", ""]
    assert [w.code for w in warnings] == ["stt-duplicate"]


def test_several_appendices_name_each_task_appendix():
    from phuluc.schema import Line

    a = _ordered(grid([HEADER, ["1", "Việc A", "2026", "Sở A", ""]]), 3)
    b = _ordered(grid([HEADER, ["1", "Việc B", "2027", "Sở B", ""]]), 6)
    lines = [
        Line("PHỤ LỤC I", order=1), Line("NHIỆM VỤ NĂM 2026", order=2),
        Line("PHỤ LỤC II", order=4), Line("NHIỆM VỤ NĂM 2027", order=5),
    ]
    tasks, warnings, first = tables_to_tasks([a, b], clean, lines)
    assert [(t.appendix, t.task, t.section) for t in tasks] == [("PHỤ LỤC I", "Việc A", ""), ("PHỤ LỤC II", "Việc B", "")]
    assert not warnings and first is not None and first.order == 3
    # One appendix: the field stays empty.
    tasks, _, _ = tables_to_tasks([a], clean, lines[:2])
    assert tasks[0].appendix == ""


@pytest.mark.parametrize(
    "text, field",
    [
        ("Trách nhiệm\nthực hiện", "lead"), ("Cơ quan thực hiện", "lead"), ("Chủ trì thực hiện", "lead"),
        ("Đơn vị chủ trì thực hiện", "lead"), ("Đơn vị chủ trì/phối hợp", "lead"), ("Cơ quan chủ trì, phối hợp", "lead"),
        ("Phối hợp thực hiện", "partners"), ("Tên nhiệm vụ", "task"), ("Thời hạn hoàn thành", "timeline"),
        ("Dự kiến thời gian", "timeline"), ("Thời gian (Năm 2026)", "timeline"),
        ("Theo dõi, kiểm tra, đôn đốc", None), ("Đơn vị góp ý", None), ("Đơn vị được kiểm tra", None),
    ],
)
def test_header_variants_of_real_plans(text, field):
    assert header_field(text)[0] == field


def test_responsibility_column_is_the_lead_and_extra_keys_are_one_line():
    table = grid([["TT", "Nội dung", "Trách nhiệm\nthực hiện", "Thời gian (Năm 2026)", "Ghi\nchú"],
                  ["1", "Việc A", "Sở Nội vụ", "ngày 23 tháng 1", "x"]])
    tasks, _, _ = tables_to_tasks([table], clean)
    assert (tasks[0].lead, tasks[0].partners, tasks[0].extra, tasks[0].timeline_year) == ("Sở Nội vụ", "", {"Ghi chú": "x"}, 2026)


@pytest.mark.parametrize(
    "header",
    [
        ["STT", "Nội dung góp ý", "Đơn vị góp ý", "Ý kiến của Sở Nội vụ"],  # a comments log
        ["STT", "Đơn vị được kiểm tra", "Thời gian kiểm tra"],  # an inspection schedule
        ["STT", "Nội dung", "Số tiền (triệu đồng)", "Ghi chú"],  # a budget table
    ],
)
def test_non_task_tables_give_no_tasks(header):
    table = grid([header, ["1"] + ["Sở Nội vụ"] * (len(header) - 1)])
    assert tables_to_tasks([table], clean)[0] == []
