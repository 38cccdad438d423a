"""Samples shaped like the real plans of issue 12, built with the helpers of make_samples.py.

Each shows a layout that published plans use and the first samples did not: seven
columns with an agency cell spanning Chủ trì and Phối hợp, tasks in two tables under
"a)"/"b)" headings, two appendices in one full plan, a Central Highlands commune,
a province, and a page header whose motto wraps (its LibreOffice PDF twin). Task texts
come from the published appendices in samples/src/*.json (see SOURCES there) and the
Vĩnh Bảo seed; the golden files are written from these descriptions.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from make_samples import (
    BR,
    MOTTO,
    VINH_BAO_TASKS,
    Grid,
    Sample,
    add_para,
    draw_table,
    header_with_number,
    load_src,
    md_cell,
    new_document,
    no_borders,
    task,
    title_block,
    write_cell,
)

SEVEN = ["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Chủ trì thực hiện", "Phối hợp thực hiện",
         "Theo dõi, kiểm tra, đôn đốc"]
BY_DECISION = "Theo phân công tại Quyết định số 1441/QĐ-UBND ngày 15/7/2025 của UBND tỉnh"


def _rows_2629() -> list[dict]:
    """The Chính phủ số programme's tasks (QĐ 2629/QĐ-TTg), with the STT they were printed with."""
    return [r for r in load_src("ttg-2629")["rows"] if "cells" in r and r["cells"][0]]


def dong_thap_seven_columns() -> Sample:
    """A province's plan in seven columns, section rows, and an agency cell spanning Chủ trì and Phối hợp."""
    doc = new_document()
    header_with_number(doc, ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP"], "Số: 214/KH-UBND", "Đồng Tháp, ngày 20 tháng 01 năm 2026")
    title_block(doc, ["PHỤ LỤC", "NHIỆM VỤ PHÁT TRIỂN CHÍNH PHỦ SỐ NĂM 2026"],
                "(Kèm theo Kế hoạch số 214/KH-UBND ngày 20/01/2026 của Ủy ban nhân dân tỉnh Đồng Tháp)")
    sections = [("I", "HOÀN THIỆN THỂ CHẾ", _rows_2629()[:6]), ("II", "PHÁT TRIỂN DỮ LIỆU SỐ", _rows_2629()[6:11])]
    body, hmerge, tasks = [], [], []
    watch = ["Văn phòng UBND tỉnh", "Sở Nội vụ"]
    for roman, title, rows in sections:
        hmerge.append((1 + len(body), 0, 6))
        body.append([f"{roman}. {title}"] + [None] * 6)
        for k, row in enumerate(rows):
            stt, text, lead, partners, product, timeline = (md_cell(x, BR) for x in row["cells"])
            follow = watch[k % 2]
            if k in (2, 4):  # the author wrote one cell across both agency columns
                hmerge.append((1 + len(body), 4, 5))
                body.append([stt, text, product, timeline, BY_DECISION, None, follow])
                lead = partners = BY_DECISION
            else:
                body.append([stt, text, product, timeline, lead, partners, follow])
            extra = {"Sản phẩm": product, "Theo dõi, kiểm tra, đôn đốc": follow}
            tasks.append(task(stt, text, timeline, lead, partners, f"{roman}. {title}", extra))
    draw_table(doc, Grid([SEVEN], body, [1.0, 7.5, 3.5, 2.6, 3.2, 3.6, 2.6], hmerge))
    document = {
        "issuer": "Ủy ban nhân dân tỉnh Đồng Tháp",
        "number": "214/KH-UBND",
        "date": "2026-01-20",
        "title": "PHỤ LỤC NHIỆM VỤ PHÁT TRIỂN CHÍNH PHỦ SỐ NĂM 2026",
    }
    return Sample("dong-thap-214-seven-columns", doc, document, tasks)


def stacked_header(doc, upper: str, lower: str, number: str, place_date: str) -> None:
    """A department's header: its parent body over its own name, the motto beside."""
    header_with_number(doc, [upper, lower], number, place_date)


LAM_DONG_A = [
    ("1", 0, "ngày 23 tháng 1", "Các sở, ban, ngành"),
    ("2", 1, "Trước ngày 25 hằng tháng", "Các sở, ban, ngành; Sở Tài chính"),
    ("3", 2, "Quí IV-2025", "Sở Khoa học và Công nghệ, Sở Nội vụ"),
    ("4", 3, "ngày 15 tháng 6", "Sở Nội vụ"),
]
LAM_DONG_B = [
    ("1", 4, "Trước ngày 05 của tháng liền kề", "HĐND và UBND xã"),
    ("2", 5, "Trước ngày 31/01 năm liền kề", "UBND các xã, phường"),
    ("3", 6, "ngày 30 tháng 11", "Phòng Kinh tế, Văn hóa - Xã hội xã"),
]


def lam_dong_two_tables() -> Sample:
    """A department's plan: "Trách nhiệm thực hiện" as the only agency column, a year in the
    timeline header, and the tasks in two tables under "a)" and "b)" headings (STT restarts)."""
    src = load_src("ubnd-617")["rows"]
    texts = [md_cell(r["cells"][1], BR) for r in src if "cells" in r]
    doc = new_document()
    stacked_header(doc, "UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ", "Số: 58/KH-SNV", "Lâm Đồng, ngày 12 tháng 01 năm 2026")
    title_block(doc, ["PHỤ LỤC", "PHÂN CÔNG NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026"],
                "(Kèm theo Kế hoạch số 58/KH-SNV ngày 12/01/2026 của Sở Nội vụ)")
    header = ["TT", "Nội dung", "Trách nhiệm\nthực hiện", "Thời gian (Năm 2026)"]  # a paragraph break in a title
    tasks = []
    for heading, rows in (("a) Đối với các sở, ban, ngành:", LAM_DONG_A), ("b) Đối với các xã, phường:", LAM_DONG_B)):
        add_para(doc, heading, bold=True)
        body = []
        for stt, k, timeline, lead in rows:
            body.append([stt, texts[k], lead, timeline])
            t = task(stt, texts[k], timeline, lead, "", heading)
            t.timeline_year = 2026  # the column's title names the year of its dates
            tasks.append(t)
        draw_table(doc, Grid([header], body, [1.0, 13.0, 6.0, 4.5]))
    document = {
        "issuer": "Sở Nội vụ",
        "number": "58/KH-SNV",
        "date": "2026-01-12",
        "title": "PHỤ LỤC PHÂN CÔNG NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026",
    }
    return Sample("lam-dong-58-two-tables", doc, document, tasks)


def bo_cong_thuong_two_appendices() -> Sample:
    """A ministry's full plan: body, signature, then PHỤ LỤC I and PHỤ LỤC II, each with its table."""
    doc = new_document(landscape=False)
    header_with_number(doc, ["BỘ CÔNG THƯƠNG"], "Số: 96/KH-BCT", "Hà Nội, ngày 05 tháng 01 năm 2026")
    plan = "Triển khai Chương trình phát triển Chính phủ số năm 2026"
    add_para(doc, "KẾ HOẠCH", bold=True, center=True)
    add_para(doc, plan, bold=True, center=True)
    add_para(doc, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    add_para(doc, "Triển khai đồng bộ các nhiệm vụ tại Phụ lục I và Phụ lục II kèm theo Kế hoạch này.")
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    write_cell(sign.cell(0, 0), "Nơi nhận:\n- Như trên;\n- Lưu: VT, TMĐT.")
    write_cell(sign.cell(0, 1), "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn B", bold=True)
    header = ["TT", f"Nhiệm vụ, giải{BR}pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", f"Thời gian thực{BR}hiện"]
    rows = _rows_2629()
    tasks = []
    parts = [("PHỤ LỤC I", "NHIỆM VỤ HOÀN THIỆN THỂ CHẾ", rows[:5]), ("PHỤ LỤC II", "NHIỆM VỤ XÂY DỰNG TIÊU CHUẨN, HƯỚNG DẪN", rows[5:10])]
    for i, (head, title, part) in enumerate(parts):
        add_para(doc, head, bold=True, center=True, page_break_before=True)
        add_para(doc, title, bold=True, center=True)
        add_para(doc, "(Kèm theo Kế hoạch số 96/KH-BCT ngày 05/01/2026 của Bộ Công Thương)", italic=True, center=True)
        body = []
        for row in part:
            stt, text, lead, partners, result, timeline = (md_cell(x, BR) for x in row["cells"])
            body.append([stt, text, lead, partners, result, timeline])
            t = task(stt, text, timeline, lead, partners, "", {"Kết quả": result})
            t.appendix = head
            tasks.append(t)
        draw_table(doc, Grid([header], body, [0.9, 6.0, 2.6, 3.3, 2.6, 2.0]))
    document = {
        "issuer": "Bộ Công Thương",
        "number": "96/KH-BCT",
        "date": "2026-01-05",
        "title": "PHỤ LỤC I NHIỆM VỤ HOÀN THIỆN THỂ CHẾ",
        "plan_title": f"KẾ HOẠCH {plan}",
    }
    return Sample("bo-cong-thuong-96-two-appendices", doc, document, tasks)


KRONG_PAC = [
    (0, "Trước ngày 25 hằng tháng", "Phòng Văn hóa - Xã hội", "HĐND và UBND xã"),
    (2, "Trước ngày 31/01 năm liền kề", "Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Văn hóa - Xã hội xã"),
    (3, "Thường xuyên", "Các cơ quan, đơn vị", "Phòng Văn hóa - Xã hội"),
    (4, "Trước ngày 05 của tháng liền kề", "Phòng Văn hóa - Xã hội", "Đảng ủy, HĐND, UBND xã Krông Pắc"),
    (6, "Quí IV-2025", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội, các cơ quan, đơn vị"),
]


def krong_pac_commune() -> Sample:
    """A Central Highlands commune: a minority-language place name in the header, monthly deadlines."""
    doc = new_document()
    header_with_number(doc, ["ỦY BAN NHÂN DÂN", "XÃ KRÔNG PẮC"], "Số: 35/KH-UBND", "Krông Pắc, ngày 10 tháng 02 năm 2026")
    title_block(doc, ["PHỤ LỤC", "NHIỆM VỤ CỤ THỂ THỰC HIỆN MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN”"],
                "(Kèm theo Kế hoạch số 35/KH-UBND ngày 10/02/2026 của Ủy ban nhân dân xã Krông Pắc)")
    header = ["STT", "Nhiệm vụ cụ thể", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp"]
    body, tasks = [], []
    for n, (k, timeline, lead, partners) in enumerate(KRONG_PAC, start=1):
        text = VINH_BAO_TASKS[k][1].replace("Vĩnh Bảo", "Krông Pắc")
        body.append([str(n), text, timeline, lead, partners])
        tasks.append(task(str(n), text, timeline, lead, partners))
    draw_table(doc, Grid([header], body, [1.2, 11.5, 3.5, 4.0, 5.5]))
    document = {
        "issuer": "Ủy ban nhân dân xã Krông Pắc",
        "number": "35/KH-UBND",
        "date": "2026-02-10",
        "title": "PHỤ LỤC NHIỆM VỤ CỤ THỂ THỰC HIỆN MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN”",
    }
    return Sample("krong-pac-35-commune", doc, document, tasks)


def dong_thap_motto_wraps() -> Sample:
    """A narrow motto cell: printed by LibreOffice, "CỘNG HÒA … VIỆT" / "NAM" wraps, and the
    PDF's header lines alternate between the two blocks (its twin is the PDF sample)."""
    src = load_src("ha-noi-310")
    doc = new_document(landscape=False)
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    table.autofit = False
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(7.5), Cm(5.6)
    write_cell(table.cell(0, 0), "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP", bold=True)
    write_cell(table.cell(0, 1), "\n".join(MOTTO), bold=True)
    for cell in table.rows[0].cells:  # every line centred in its block, as headers are printed
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_block(doc, ["PHỤ LỤC", "NHIỆM VỤ PHÁT TRIỂN HẠ TẦNG SỐ"],
                "(Kèm theo Kế hoạch số 77/KH-UBND ngày 03/3/2026 của Ủy ban nhân dân tỉnh Đồng Tháp)")
    header = [md_cell(h) for h in src["header"]]
    body, tasks = [], []
    for row in src["rows"]:
        c = [md_cell(x, BR) for x in row["cells"]]
        body.append(c)
        tasks.append(task(c[0], c[1], c[4], c[2], c[3]))
    draw_table(doc, Grid([header], body, [1.0, 7.0, 3.2, 3.2, 2.6]))
    document = {
        "issuer": "Ủy ban nhân dân tỉnh Đồng Tháp",
        "number": "77/KH-UBND",
        "date": "2026-03-03",
        "title": "PHỤ LỤC NHIỆM VỤ PHÁT TRIỂN HẠ TẦNG SỐ",
    }
    return Sample("dong-thap-77-motto-wraps", doc, document, tasks)


REAL_SAMPLES = [dong_thap_seven_columns, lam_dong_two_tables, bo_cong_thuong_two_appendices, krong_pac_commune,
                dong_thap_motto_wraps]
