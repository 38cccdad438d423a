"""Issuer, number, date and title from the text around the table."""

from __future__ import annotations

import pytest

from phuluc.normalize.page_header import (
    document_fields,
    issuer_from_block,
    page_header,
    parse_date,
    running_case,
    split_blocks,
)
from phuluc.schema import Grid, Line, Word


def clean(text: str, font: str = "") -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "upper, expected",
    [
        ("ỦY BAN NHÂN DÂN XÃ VĨNH BẢO", "Ủy ban nhân dân xã Vĩnh Bảo"),
        ("ỦY BAN NHÂN DÂN PHƯỜNG LÊ CHÂN", "Ủy ban nhân dân phường Lê Chân"),
        ("ỦY BAN NHÂN DÂN ĐẶC KHU CÁT HẢI", "Ủy ban nhân dân đặc khu Cát Hải"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "Ủy ban nhân dân thành phố Hải Phòng"),
        ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "Ủy ban nhân dân tỉnh Nghệ An"),
        ("UBND XÃ AN LÃO", "UBND xã An Lão"),
        ("SỞ NỘI VỤ", "Sở Nội vụ"),
        ("HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH", "Hội đồng nhân dân tỉnh Quảng Ninh"),
        ("HỘI NÔNG DÂN XÃ VĨNH BẢO", "Hội Nông dân xã Vĩnh Bảo"),
    ],
)
def test_running_case(upper, expected):
    assert running_case(upper) == expected


def test_issuer_block_lines():
    assert issuer_from_block(["ỦY BAN NHÂN DÂN", "XÃ VĨNH BẢO", "-------", "Số: 761/KH-UBND"]) == "Ủy ban nhân dân xã Vĩnh Bảo"
    # A body under its parent: the lower line issues the document.
    assert issuer_from_block(["UBND TỈNH NGHỆ AN", "SỞ NỘI VỤ"]) == "Sở Nội vụ"
    assert issuer_from_block([]) == ""


@pytest.mark.parametrize(
    "text, iso",
    [
        ("ngày 06/4/2026", "2026-04-06"),
        ("ngày 06/ 4/ 2026", "2026-04-06"),
        ("Vĩnh Bảo, ngày 20 tháng 3 năm 2026", "2026-03-20"),
        ("ngày   tháng 3 năm 2026", ""),
        ("ngày 31/13/2026", ""),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_appendix_fields_from_lines():
    lines = [
        Line("ỦY BAN NHÂN DÂN", order=1), Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", order=1),
        Line("XÃ VĨNH BẢO", order=2), Line("Độc lập - Tự do - Hạnh phúc", order=2),
        Line("PHỤ LỤC", order=3), Line("NHIỆM VỤ CỤ THỂ", order=4),
        Line("(Kèm theo Kế hoạch số 761/KH-UBND", order=5), Line("ngày 06/4/2026 của Ủy ban nhân dân xã)", order=6),
    ]
    fields = document_fields(Grid("x", lines=lines), clean, table_order=7)
    assert fields.issuer == "Ủy ban nhân dân xã Vĩnh Bảo"
    assert (fields.number, fields.date) == ("761/KH-UBND", "2026-04-06")
    assert fields.title == "PHỤ LỤC NHIỆM VỤ CỤ THỂ"


def test_nothing_invented():
    fields = document_fields(Grid("x", lines=[Line("Báo cáo", order=1)]), clean, None)
    assert (fields.issuer, fields.number, fields.date, fields.title) == ("", "", "", "")


def test_blank_draft_number_is_not_a_number():
    lines = [Line("PHỤ LỤC", order=1), Line("(Kèm theo Kế hoạch số: /KH-UBND ngày / /2025 của UBND thành phố)", order=2)]
    fields = document_fields(Grid("x", lines=lines), clean, 3)
    assert (fields.number, fields.date) == ("", "")


def test_issuer_from_the_attached_line_when_no_page_header():
    lines = [Line("PHỤ LỤC", order=1), Line("(Kèm theo Kế hoạch số 5/KH-UBND ngày 1/2/2026 của Ủy ban nhân dân xã Đắk Mil)", order=2)]
    assert document_fields(Grid("x", lines=lines), clean, 3).issuer == "Ủy ban nhân dân xã Đắk Mil"
    # "của Ủy ban nhân dân xã" names no commune: nothing is guessed.
    lines[1] = Line("(Kèm theo Kế hoạch số 5/KH-UBND ngày 1/2/2026 của Ủy ban nhân dân xã)", order=2)
    assert document_fields(Grid("x", lines=lines), clean, 3).issuer == ""


def _line(order: int, top: float, *runs: tuple[float, str]) -> Line:
    """A PDF line from (x0, text) runs: 5-point glyphs at size 10, words split at spaces."""
    words = []
    for x0, text in runs:
        x = x0
        for word in text.split():
            words.append(Word(word, x, top, x + 5 * len(word), top + 10, size=10.0))
            x += 5 * len(word) + 3
    return Line(" ".join(w.text for w in words), page=1, x0=words[0].x0, top=top, order=order, words=words)


def test_pdf_header_blocks_are_split_by_the_words_positions():
    lines = [
        _line(1, 50, (40, "ỦY BAN NHÂN DÂN"), (300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        _line(2, 64, (50, "XÃ VĨNH BẢO"), (320, "Độc lập - Tự do - Hạnh phúc")),
        _line(3, 90, (40, "Số: 761/KH-UBND"), (300, "Vĩnh Bảo, ngày 06 tháng 4 năm 2026")),
        _line(4, 130, (150, "KẾ HOẠCH TRIỂN KHAI NHIỆM VỤ CỦA XÃ VĨNH BẢO NĂM 2026")),  # crosses the split: a title
    ]
    left, right = split_blocks(lines)
    assert [ln.text for ln in left] == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH BẢO", "Số: 761/KH-UBND"]
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc"
    fields = document_fields(Grid("x.pdf", lines=lines), clean, None)
    assert (fields.issuer, fields.number, fields.date) == ("Ủy ban nhân dân xã Vĩnh Bảo", "761/KH-UBND", "2026-04-06")


def test_two_titles_side_by_side_are_no_page_header():
    lines = [_line(1, 50, (40, "BÁO CÁO"), (300, "KẾT QUẢ"))]
    assert page_header(Grid("x.pdf", lines=lines), clean, None) == ([], [])


def test_plan_title_from_a_full_plan_and_none_for_an_appendix_alone():
    from phuluc.normalize.plan_title import plan_title
    from phuluc.schema import Line

    def read(texts):
        return plan_title([Line(t, order=i) for i, t in enumerate(texts)], lambda t, f: " ".join(t.split()), None)

    body = ["KẾ HOẠCH", "Cải cách hành chính nhà nước", "giai đoạn 2026 - 2030", "-----", "Căn cứ Luật ..."]
    assert read(body) == "KẾ HOẠCH Cải cách hành chính nhà nước giai đoạn 2026 - 2030"
    assert read(["KẾ HOẠCH", "Thực hiện công tác bầu cử", "I. MỤC ĐÍCH, YÊU CẦU"]) == "KẾ HOẠCH Thực hiện công tác bầu cử"
    assert read(["PHỤ LỤC", "NHIỆM VỤ CỤ THỂ", "(Kèm theo Kế hoạch số 761/KH-UBND ngày 06/4/2026)"]) == ""
    assert read(["Các đơn vị thực hiện kế hoạch này."]) == ""


@pytest.mark.parametrize(
    "upper, running",
    [
        ("ỦY BAN NHÂN DÂN XÃ KRÔNG PẮC", "Ủy ban nhân dân xã Krông Pắc"),
        ("ỦY BAN NHÂN DÂN XÃ EA H'LEO", "Ủy ban nhân dân xã Ea H'Leo"),
        ("ỦY BAN NHÂN DÂN XÃ M'ĐRẮK", "Ủy ban nhân dân xã M'Đrắk"),
        ("UBND XÃ ĐẮK GLEI", "UBND xã Đắk Glei"),
        ("ỦY BAN NHÂN DÂN XÃ CHƯ PĂH", "Ủy ban nhân dân xã Chư Păh"),
        ("ỦY BAN NHÂN DÂN XÃ SI MA CAI", "Ủy ban nhân dân xã Si Ma Cai"),
        ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "Ủy ban nhân dân tỉnh Đồng Tháp"),
        ("BỘ CÔNG THƯƠNG", "Bộ Công Thương"),
        ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "Bộ Kế hoạch và Đầu tư"),
        ("SỞ NỘI VỤ", "Sở Nội vụ"),
        ("HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH", "Hội đồng nhân dân tỉnh Quảng Ninh"),
        ("HỘI NÔNG DÂN XÃ VĨNH BẢO", "Hội Nông dân xã Vĩnh Bảo"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
    ],
)
def test_issuer_case_at_every_level_and_for_minority_place_names(upper, running):
    from phuluc.normalize.page_header import running_case

    assert running_case(upper) == running


def test_stacked_bodies_the_lower_one_issues():
    from phuluc.normalize.page_header import issuer_from_block

    assert issuer_from_block(["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"]) == "Sở Nội vụ"
    assert issuer_from_block(["ỦY BAN BẦU CỬ XÃ PHỐ BẢNG", "TIỂU BAN THÔNG TIN, TUYÊN TRUYỀN"]) == "Tiểu ban thông tin, tuyên truyền"
