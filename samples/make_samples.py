"""Build the DOCX samples and their golden files from the same data.

Each sample is written twice from one description: as a Word document
(python-docx, with the XML tweaks real plans have: merged cells, manual line
breaks, repeated header rows, automatic numbering, tracked changes, NFD text)
and as `<stem>.golden.json`, the contract output a person expects. The golden
comes from the description, never from phuluc's output, so a sample can catch
a bug instead of recording it. Task texts are real: from the Vĩnh Bảo seed and
from the published appendices in samples/src/*.json.

    python samples/make_samples.py          # rewrite samples/*.docx and *.golden.json
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from phuluc.normalize.build import add_structured_fields
from phuluc.schema import DocumentFields, Task

HERE = Path(__file__).parent
SRC = HERE / "src"
BR = "\u2028"  # in sample text: a manual line break (w:br) inside a paragraph
MERGE = object()  # in a row: this cell continues the vertically merged cell above
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


# --------------------------------------------------------------------------- expected text


def expected(text: str) -> str:
    """The contract's clean text: NFC, wraps joined by one space, paragraphs kept, blanks dropped."""
    text = unicodedata.normalize("NFC", text)
    paragraphs = [re.sub(r"\s+", " ", p.replace(BR, " ")).strip() for p in text.split("\n")]
    return "\n".join(p for p in paragraphs if p)


def md_cell(text: str, wraps: str = " ") -> str:
    """Source cell text (original line breaks) → sample text: a line starting with a bullet
    opens a new paragraph; other line breaks become `wraps` (a space, or BR for w:br)."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if out and not re.match(r"^[-+•]\s", line):
            out[-1] += wraps + line
        else:
            out.append(line)
    return "\n".join(out)


# --------------------------------------------------------------------------- docx helpers


def new_document(landscape: bool = True) -> docx.Document:
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(1.5)
    return doc


def write_paragraph(paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """Write text into a paragraph; BR characters become manual line breaks (w:br)."""
    pieces = text.split(BR)
    for i, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        run.bold = bold
        run.italic = italic
        if i < len(pieces) - 1:
            run.add_break()


def write_cell(cell, text: str, bold: bool = False, align=None) -> None:
    """Cell text with "\\n" as paragraph breaks."""
    paragraphs = text.split("\n")
    first = cell.paragraphs[0]
    for p in cell.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    write_paragraph(first, paragraphs[0], bold)
    if align is not None:
        first.alignment = align
    for extra in paragraphs[1:]:
        p = cell.add_paragraph()
        write_paragraph(p, extra, bold)


def add_para(doc, text: str, bold=False, italic=False, center=False, page_break_before=False):
    p = doc.add_paragraph()
    write_paragraph(p, text, bold, italic)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if page_break_before:
        p.paragraph_format.page_break_before = True
    return p


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def header_table(doc, left: list[str], right: list[str] | None = None) -> None:
    """The two-block page header as a borderless table: issuer | national motto."""
    right = right or MOTTO
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    write_cell(table.cell(0, 0), "\n".join(left), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    write_cell(table.cell(0, 1), "\n".join(right), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def header_with_number(doc, left: list[str], number: str, place_date: str, right: list[str] | None = None) -> None:
    """A full plan's page header: issuer | motto, then "Số: ..." | "<place>, ngày ...", borderless."""
    table = doc.add_table(rows=2, cols=2)
    no_borders(table)
    write_cell(table.cell(0, 0), "\n".join(left), bold=True)
    write_cell(table.cell(0, 1), "\n".join(right or MOTTO), bold=True)
    write_cell(table.cell(1, 0), number)
    write_cell(table.cell(1, 1), place_date)


def header_tabs(doc, left: list[str], right: list[str] | None = None) -> None:
    """The two-block page header as tab-separated paragraphs (no table)."""
    right = right or MOTTO
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        add_para(doc, f"{a}\t\t{b}", bold=True)


def mark_header_row(row) -> None:
    """Repeat this row at the top of each page (w:tblHeader), as plans do."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


@dataclass
class Grid:
    """A task table to draw: header rows and body rows of cell texts (MERGE continues a cell)."""

    header: list[list[object]]
    rows: list[list[object]]
    widths: list[float]
    hmerge: list[tuple[int, int, int]] = field(default_factory=list)  # (row, first col, last col), rows counted over header+body
    repeat_header: bool = True


def draw_table(doc, grid: Grid):
    all_rows = grid.header + grid.rows
    n_cols = len(grid.widths)
    table = doc.add_table(rows=len(all_rows), cols=n_cols)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for c, w in enumerate(grid.widths):
        for row in table.rows:
            row.cells[c].width = Cm(w)
    # Horizontal merges first (section rows, spanning headers), then vertical merges.
    for r, first, last in grid.hmerge:
        table.cell(r, first).merge(table.cell(r, last))
    for r, values in enumerate(all_rows):
        for c, value in enumerate(values):
            if value is MERGE or value is None:
                continue
            span_end = r + 1
            while span_end < len(all_rows) and c < len(all_rows[span_end]) and all_rows[span_end][c] is MERGE:
                span_end += 1
            cell = table.cell(r, c)
            if span_end > r + 1:
                cell = cell.merge(table.cell(span_end - 1, c))
            write_cell(cell, str(value), bold=r < len(grid.header))
    if grid.repeat_header:
        for r in range(len(grid.header)):
            mark_header_row(table.rows[r])
    return table


# --------------------------------------------------------------------------- samples


@dataclass
class Sample:
    stem: str
    doc: docx.Document
    document: dict
    tasks: list[Task]
    warnings: list[dict] = field(default_factory=list)

    def golden(self) -> dict:
        add_structured_fields(self.tasks)
        return {
            "source": f"{self.stem}.docx",
            "document": asdict(DocumentFields(**self.document)),  # fields not given are ""
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": self.warnings,
        }


def task(stt, text, timeline="", lead="", partners="", section="", extra=None) -> Task:
    return Task(
        section=expected(section),
        stt=stt,
        task=expected(text),
        timeline=expected(timeline),
        lead=expected(lead),
        partners=expected(partners),
        extra={k: expected(v) for k, v in (extra or {}).items()},
    )


def stt_gap(a: str, b: str) -> dict:
    return {"code": "stt-gap", "message": f"STT {a} is followed by {b}"}


def title_block(doc, lines: list[str], attached: str) -> None:
    for i, line in enumerate(lines):
        add_para(doc, line, bold=i < 2 or line.isupper(), center=True)
    add_para(doc, attached, italic=True, center=True)


VINH_BAO_TASKS = [
    ("1", "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện, trọng tâm là: Đề án số 04-ĐA/TU ngày 14/01/2026 của Thành ủy Hải Phòng và Nghị quyết số 05-NQ/TU ngày 14/01/2026 của Ban Chấp hành Đảng bộ thành phố về xây dựng mô hình chủ nghĩa xã hội gắn với con người xã hội chủ nghĩa tại thành phố Hải Phòng giai đoạn 2026 - 2030 và những năm tiếp theo; Đề án thực hiện mô hình “Chính quyền thân thiện” tại xã, phường, đặc khu trên địa bàn thành phố Hải Phòng giai đoạn 2026 - 2030 và những năm tiếp theo; Quyết định số 5049/QĐ-UBND ngày 11/12/2025 của Ủy ban nhân dân thành phố ban hành Bộ tiêu chí, Bảng thang điểm và quy trình xét công nhận “Chính quyền thân thiện” cấp xã trên địa bàn thành phố Hải Phòng.",
     "Hằng năm", "Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công, Ban Xây dựng Đảng ủy; Ủy ban Mặt trận Tổ quốc Việt Nam xã và các cơ quan có liên quan"),
    ("2", "Hướng dẫn các cơ sở đẩy mạnh phong trào: Toàn dân xây dựng đời sống văn hóa gắn với các tiêu chí Chính quyền thân thiện; lồng ghép nội dung mô hình vào bình xét các danh hiệu văn hóa hằng năm",
     "Hằng năm", "Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công, Ban Xây dựng Đảng ủy; Ủy ban Mặt trận Tổ quốc Việt Nam xã và các cơ quan có liên quan"),
    ("3", "Xây dựng Kế hoạch triển khai thực hiện “Chính quyền thân thiện” và đăng ký mức đạt chuẩn “Chính quyền thân thiện” hằng năm gửi về Sở Nội vụ tổng hợp, theo dõi",
     f"Trước ngày 15/02{BR}hằng năm", "Phòng Văn hóa - Xã hội", f"Các cơ quan,{BR}đơn vị liên quan"),
    ("4", "Tổ chức thực hiện các tiêu chí của mô hình Chính quyền thân thiện tại các cơ quan, đơn vị bảo đảm đúng quy định",
     "Thường xuyên", f"Các cơ quan,{BR}đơn vị", "Phòng Văn hóa - Xã hội"),
    ("6", "Xây dựng báo cáo tự đánh giá, chấm điểm kết quả thực hiện các tiêu chí mô hình Chính quyền thân thiện theo mức đăng ký hằng năm, gửi báo cáo về Ủy ban nhân dân thành phố (qua Sở Nội vụ)",
     f"Trước ngày 15/11{BR}hằng năm", "Phòng Văn hóa - Xã hội", f"Các cơ quan,{BR}đơn vị"),
    ("7", "Báo cáo kết quả triển khai thực hiện Chính quyền thân thiện xã trên địa bàn xã.",
     "Tháng 12 hằng năm", "Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công, Ban Xây dựng Đảng ủy; Ủy ban Mặt trận Tổ quốc Việt Nam xã và các cơ quan có liên quan"),
    ("8", "Tổng hợp dự toán kinh phí, tham mưu, đề xuất Ủy ban nhân dân xã bố trí kinh phí ngân sách hàng năm để thực hiện.",
     "Hằng năm", "Phòng Kinh tế", f"Phòng Văn hóa - Xã hội,{BR}các cơ quan, đơn vị"),
    ("9", "Tiếp tục đẩy mạnh thực hiện cải cách thủ tục hành chính, đổi mới cơ chế hoạt động của Trung tâm phục vụ hành chính công cấp xã, bảo đảm đi vào thực chất, hiệu quả hướng đến mục tiêu phục vụ, tạo điều kiện tốt nhất cho người dân, doanh nghiệp",
     "Hằng năm", "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND và UBND, các cơ quan, đơn vị thuộc xã"),
    ("10", "Sơ kết 2 năm và tổng kết giai đoạn thực hiện Chính quyền thân thiện",
     f"Năm 2027{BR}và năm 2030", f"Phòng Văn hóa{BR}- Xã hội", f"Ban Xây dựng Đảng ủy;{BR}Ủy ban Mặt trận Tổ quốc{BR}Việt Nam xã và các cơ quan{BR}có liên quan"),
]

VINH_BAO_TITLE = [
    "PHỤ LỤC",
    "NHIỆM VỤ CỤ THỂ",
    "Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo",
    "giai đoạn 2026 - 2030 và những năm tiếp theo",
]
VINH_BAO_DOCUMENT = {
    "issuer": "Ủy ban nhân dân xã Vĩnh Bảo",
    "number": "761/KH-UBND",
    "date": "2026-04-06",
    "title": "PHỤ LỤC NHIỆM VỤ CỤ THỂ Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo giai đoạn 2026 - 2030 và những năm tiếp theo",
}
CORE_HEADER = ["STT", "Nhiệm vụ cụ thể", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp"]


def vinh_bao() -> Sample:
    """The seed appendix (Vĩnh Bảo, 761/KH-UBND) as the commune wrote it: STT 5 is missing."""
    doc = new_document()
    header_table(doc, ["ỦY BAN NHÂN DÂN", "XÃ VĨNH BẢO"])
    title_block(doc, VINH_BAO_TITLE, "(Kèm theo Kế hoạch số 761/KH-UBND ngày 06/4/2026 của Ủy ban nhân dân xã)")
    rows = [list(t) for t in VINH_BAO_TASKS]
    draw_table(doc, Grid([CORE_HEADER], rows, [1.2, 11.5, 3.5, 4.0, 5.5]))
    tasks = [task(*t) for t in VINH_BAO_TASKS]
    return Sample("vinh-bao-761", doc, dict(VINH_BAO_DOCUMENT), tasks, [stt_gap("4", "6")])


def load_src(name: str) -> dict:
    return json.loads((SRC / f"{name}.json").read_text(encoding="utf-8"))


def nghe_an() -> Sample:
    """Other column order and an extra column; Roman-numeral section rows; tab-separated page header."""
    src = load_src("nghe-an-980")
    doc = new_document()
    header_tabs(doc, ["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"])
    title_block(
        doc,
        ["PHỤ LỤC", "DANH MỤC NHIỆM VỤ TRIỂN KHAI THI HÀNH NGHỊ ĐỊNH QUY ĐỊNH", "CHI TIẾT MỘT SỐ ĐIỀU CỦA LUẬT PHÒNG THỦ DÂN SỰ"],
        "(Kèm theo Kế hoạch số 980/KH-UBND ngày 18 tháng 11 năm 2025 của UBND tỉnh Nghệ An)",
    )
    header = [md_cell(h) for h in src["header"]]
    body, hmerge, tasks = [], [], []
    section = ""
    for row in src["rows"]:
        if "section" in row:
            stt, title = row["section"][0], md_cell(row["section"][1])
            hmerge.append((1 + len(body), 1, 5))
            body.append([stt, title, None, None, None, None])
            section = f"{stt}. {expected(title)}"
            continue
        # The source's "TT- BTC" is a typing slip that the text repair mends like any broken code.
        c = [md_cell(x, BR).replace("TT- BTC", "TT-BTC") for x in row["cells"]]
        body.append(c)
        tasks.append(task(c[0], c[1], c[4], c[2], c[3], section, {header[5]: c[5]}))
    draw_table(doc, Grid([header], body, [1.0, 9.0, 3.5, 4.0, 3.0, 5.0], hmerge))
    document = {
        "issuer": "Ủy ban nhân dân tỉnh Nghệ An",
        "number": "980/KH-UBND",
        "date": "2025-11-18",
        "title": "PHỤ LỤC DANH MỤC NHIỆM VỤ TRIỂN KHAI THI HÀNH NGHỊ ĐỊNH QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU CỦA LUẬT PHÒNG THỦ DÂN SỰ",
    }
    return Sample("nghe-an-980", doc, document, tasks)


def bulletize(text: str) -> str:
    """Turn "intro: a; b; c" into an intro paragraph and "- " bullet paragraphs (as many plans write)."""
    head, sep, rest = text.partition(": ")
    parts = [p.strip() for p in (rest if sep else text).split("; ") if p.strip()]
    if len(parts) < 2:
        return text
    bullets = [f"- {p};" for p in parts[:-1]] + [f"- {parts[-1]}"]
    return "\n".join(([head + ":"] if sep else []) + bullets)


def dong_nai() -> Sample:
    """A long table over many pages: two levels of sections, a column-index row, bullets, no page header."""
    src = load_src("dong-nai-179")
    doc = new_document()
    title_block(
        doc,
        ["PHỤ LỤC", "DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỰC HIỆN CHIẾN LƯỢC QUỐC GIA PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ GIAI ĐOẠN 2026-2030 TRÊN ĐỊA BÀN TỈNH"],
        "(Kèm theo Kế hoạch số 179/KH-UBND ngày 18 tháng 11 năm 2025)",
    )
    header = [md_cell(h) for h in src["header"]]
    index_row = [f"({i})" for i in range(1, 7)]
    rows = src["rows"]
    while rows and "section" in rows[-1]:
        rows = rows[:-1]
    body, hmerge, tasks = [], [], []
    section = ""
    for n, row in enumerate(rows):
        if "section" in row:
            stt, title = row["section"][0], md_cell(row["section"][1])
            hmerge.append((2 + len(body), 0, 5))
            text = f"{stt}. {title}"
            body.append([text, None, None, None, None, None])
            section = expected(text)
            continue
        c = [md_cell(x) for x in row["cells"]]
        if n % 4 == 1:
            c[1] = bulletize(c[1])
        body.append(c)
        tasks.append(task(c[0], c[1], c[4], c[2], c[3], section, {header[5]: c[5]}))
    draw_table(doc, Grid([header, index_row], body, [1.2, 10.0, 3.5, 4.5, 2.8, 3.6], hmerge))
    document = {
        "issuer": "",
        "number": "179/KH-UBND",
        "date": "2025-11-18",
        "title": "PHỤ LỤC DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỰC HIỆN CHIẾN LƯỢC QUỐC GIA PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ GIAI ĐOẠN 2026-2030 TRÊN ĐỊA BÀN TỈNH",
    }
    return Sample("dong-nai-179", doc, document, tasks)


def two_level() -> Sample:
    """Two-row header ("Cơ quan thực hiện" over "Chủ trì | Phối hợp"), vertical merges, full-width sections."""
    src = load_src("ubnd-617")
    doc = new_document()
    header_with_number(doc, ["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH", "-------"], "Số: 617/KH-UBND",
                       "Tây Ninh, ngày 01 tháng 12 năm 2025", [*MOTTO, "---------------"])
    title_block(doc, ["PHỤ LỤC", "NHIỆM VỤ THÚC ĐẨY CHUYỂN ĐỔI SỐ TRONG DOANH NGHIỆP"],
                "(Kèm theo Kế hoạch số 617/KH-UBND ngày 01/12/2025 của Ủy ban nhân dân tỉnh)")
    header = [
        ["STT", "Tên nhiệm vụ", "Cơ quan thực hiện", None, "Thời gian hoàn thành"],
        [MERGE, MERGE, "Chủ trì", "Phối hợp", MERGE],
    ]
    body, hmerge, tasks = [], [(0, 2, 3)], []
    section = ""
    prev_lead = None
    for row in src["rows"]:
        if "section" in row:
            title = md_cell(row["section"][0])
            hmerge.append((2 + len(body), 0, 4))
            body.append([title, None, None, None, None])
            section = expected(title)
            prev_lead = None
            continue
        stt, text, lead, partners, timeline = (md_cell(x, BR) for x in row["cells"])
        # The same lead on consecutive rows is one merged cell, as authors draw it.
        lead_cell = MERGE if lead == prev_lead else lead
        prev_lead = lead
        body.append([stt, text, lead_cell, partners, timeline])
        tasks.append(task(stt, text, timeline, lead, partners, section))
    draw_table(doc, Grid(header, body, [1.2, 11.0, 3.5, 5.5, 3.5], hmerge))
    document = {
        "issuer": "Ủy ban nhân dân tỉnh Tây Ninh",
        "number": "617/KH-UBND",
        "date": "2025-12-01",
        "title": "PHỤ LỤC NHIỆM VỤ THÚC ĐẨY CHUYỂN ĐỔI SỐ TRONG DOANH NGHIỆP",
    }
    return Sample("tay-ninh-617-two-level", doc, document, tasks)


def full_plan() -> Sample:
    """A whole plan: header, body, a cost table, the signature table, then the appendix; STT 4 twice."""
    src = load_src("ha-noi-310")
    doc = new_document(landscape=False)
    header_with_number(doc, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"], "Số: 310/KH-UBND", "Hà Nội, ngày 24 tháng 12 năm 2025")
    plan_name = "Phát triển hạ tầng 5G, IoT trong các khu công nghệ cao, khu công nghiệp, cụm công nghiệp trên địa bàn thành phố Hà Nội đến năm 2030"
    add_para(doc, "KẾ HOẠCH", bold=True, center=True)
    add_para(doc, plan_name, bold=True, center=True)
    add_para(doc, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    add_para(doc, "1. Mục đích: Phát triển hạ tầng viễn thông hiện đại, đồng bộ, đáp ứng yêu cầu chuyển đổi số của doanh nghiệp trong các khu công nghệ cao, khu công nghiệp.")
    add_para(doc, "II. KINH PHÍ THỰC HIỆN", bold=True)
    cost = doc.add_table(rows=3, cols=3)
    cost.style = doc.styles["Table Grid"]
    for r, values in enumerate([["STT", "Nội dung", "Số tiền (triệu đồng)"], ["1", "Khảo sát hiện trạng hạ tầng", "500"], ["2", "Tuyên truyền, hội nghị", "200"]]):
        for c, v in enumerate(values):
            write_cell(cost.cell(r, c), v)
    add_para(doc, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    add_para(doc, "Các cơ quan, đơn vị căn cứ nhiệm vụ được giao tại Phụ lục kèm theo Kế hoạch này tổ chức triển khai thực hiện.")
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    write_cell(sign.cell(0, 0), "Nơi nhận:\n- Thường trực Thành ủy;\n- Các sở, ban, ngành;\n- Lưu: VT, KT.")
    write_cell(sign.cell(0, 1), "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn A", bold=True)
    add_para(doc, "PHỤ LỤC", bold=True, center=True, page_break_before=True)
    add_para(doc, "NHIỆM VỤ CHỦ YẾU CỦA KẾ HOẠCH PHÁT TRIỂN HẠ TẦNG 5G, IoT TRONG CÁC KHU CÔNG NGHỆ CAO, KHU CÔNG NGHIỆP, CỤM CÔNG NGHIỆP TRÊN ĐỊA BÀN THÀNH PHỐ HÀ NỘI ĐẾN NĂM 2030", bold=True, center=True)
    add_para(doc, "(Kèm theo Kế hoạch số 310/KH-UBND ngày 24/12/2025 của UBND thành phố Hà Nội)", italic=True, center=True)
    header = [md_cell(h) for h in src["header"]]
    body, tasks = [], []
    for n, row in enumerate(src["rows"]):
        c = [md_cell(x, BR) for x in row["cells"]]
        if n == 4:
            c[0] = "4"  # the author numbered two rows "4"
        body.append(c)
        tasks.append(task(c[0], c[1], c[4], c[2], c[3]))
    draw_table(doc, Grid([header], body, [1.0, 7.0, 3.2, 3.2, 2.6]))
    document = {
        "issuer": "Ủy ban nhân dân thành phố Hà Nội",
        "number": "310/KH-UBND",
        "date": "2025-12-24",
        "title": "PHỤ LỤC NHIỆM VỤ CHỦ YẾU CỦA KẾ HOẠCH PHÁT TRIỂN HẠ TẦNG 5G, IoT TRONG CÁC KHU CÔNG NGHỆ CAO, KHU CÔNG NGHIỆP, CỤM CÔNG NGHIỆP TRÊN ĐỊA BÀN THÀNH PHỐ HÀ NỘI ĐẾN NĂM 2030",
        "plan_title": f"KẾ HOẠCH {plan_name}",
    }
    return Sample("ha-noi-310-full-plan", doc, document, tasks, [{"code": "stt-duplicate", "message": "STT 4 appears twice"}, stt_gap("4", "6")])


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfd_gaps() -> Sample:
    """Decomposed (NFD) text, a parent row with sub-items, a blank STT, a skipped STT, two extra columns."""
    src = load_src("hcm-2820")
    doc = new_document()
    header_table(doc, [nfd("ỦY BAN NHÂN DÂN"), nfd("THÀNH PHỐ HỒ CHÍ MINH")], [nfd(m) for m in MOTTO])
    title_block(doc, [nfd("PHỤ LỤC"), nfd("KẾ HOẠCH TRIỂN KHAI HỆ THỐNG THÔNG TIN VÀ CƠ SỞ DỮ LIỆU QUỐC GIA VỀ QUY HOẠCH")],
                nfd("(Kèm theo Quyết định số 2820/QĐ-UBND ngày 19 tháng 11 năm 2025 của Ủy ban nhân dân Thành phố)"))
    header = [md_cell(h) for h in src["header"]]
    body, hmerge, tasks = [], [], []
    section = ""
    rows = [r for r in src["rows"]]
    # Make the numbering as imperfect as real plans: no STT on one row, a number skipped after it.
    data_seen = 0
    for row in rows:
        if "section" in row:
            stt, title = row["section"][0], md_cell(row["section"][1])
            hmerge.append((1 + len(body), 1, 6))
            body.append([nfd(stt), nfd(title), None, None, None, None, None])
            section = f"{stt}. {expected(title)}"
            continue
        c = [md_cell(x, BR) for x in row["cells"]]
        data_seen += 1
        if data_seen == 2:
            # A parent row with empty side cells, then its sub-items a), b).
            parent = "Chuẩn bị các điều kiện triển khai, trong đó:"
            body.append(["2", nfd(parent), "", "", "", "", ""])
            tasks.append(task("2", parent, section=section, extra={header[5]: "", header[6]: ""}))
            for letter, sub in (("a)", c), ("b)", None)):
                if sub is None:
                    sub = list(c)
                    sub[1] = "Bố trí kinh phí thực hiện từ nguồn chi thường xuyên của ngân sách thành phố."
                body.append([letter] + [nfd(x) for x in sub[1:]])
                tasks.append(task(letter, sub[1], sub[4], sub[2], sub[3], section, {header[5]: sub[5], header[6]: sub[6]}))
            continue
        if data_seen == 3:
            c[0] = ""  # the author left STT blank
        if data_seen == 4:
            c[0] = "5"  # and skipped 4
        body.append([nfd(x) for x in c])
        tasks.append(task(c[0], c[1], c[4], c[2], c[3], section, {header[5]: c[5], header[6]: c[6]}))
    draw_table(doc, Grid([[nfd(h) for h in header]], body, [1.0, 8.0, 3.2, 3.8, 2.8, 3.4, 3.4], hmerge))
    document = {
        "issuer": "Ủy ban nhân dân thành phố Hồ Chí Minh",
        "number": "2820/QĐ-UBND",
        "date": "2025-11-19",
        "title": "PHỤ LỤC KẾ HOẠCH TRIỂN KHAI HỆ THỐNG THÔNG TIN VÀ CƠ SỞ DỮ LIỆU QUỐC GIA VỀ QUY HOẠCH",
    }
    warnings = []
    stts = [t.stt for t in tasks]
    if "5" in stts:
        prev = [s for s in stts[: stts.index("5")] if s.isdigit()][-1]
        if int(prev) + 1 < 5:
            warnings.append(stt_gap(prev, "5"))
    return Sample("hcm-2820-nfd", doc, document, tasks, warnings)


def no_task_table() -> Sample:
    """A decision with a people table and a signature table, but no task table: zero tasks, a warning."""
    doc = new_document(landscape=False)
    header_with_number(doc, ["ỦY BAN NHÂN DÂN", "PHƯỜNG SA ĐÉC"], "Số: 155/QĐ-UBND", "Sa Đéc, ngày 31 tháng 12 năm 2025")
    add_para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    add_para(doc, "Về việc thành lập Ban bầu cử đại biểu Hội đồng nhân dân phường nhiệm kỳ 2026 - 2031", bold=True, center=True)
    add_para(doc, "Điều 1. Thành lập Ban bầu cử gồm các ông (bà) có tên sau:")
    people = doc.add_table(rows=3, cols=3)
    people.style = doc.styles["Table Grid"]
    for r, values in enumerate([["STT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn A", "Trưởng ban"], ["2", "Trần Thị B", "Phó Trưởng ban"]]):
        for c, v in enumerate(values):
            write_cell(people.cell(r, c), v)
    add_para(doc, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    write_cell(sign.cell(0, 0), "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.")
    write_cell(sign.cell(0, 1), "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", bold=True)
    document = {"issuer": "Ủy ban nhân dân phường Sa Đéc", "number": "155/QĐ-UBND", "date": "2025-12-31", "title": ""}
    warning = {"code": "no-task-table", "message": "no table with task columns (STT, Nhiệm vụ, Chủ trì, ...) was found"}
    return Sample("sa-dec-no-task-table", doc, document, [], [warning])


def split_tables() -> Sample:
    """One task table split by the author into three tables: "(tiếp theo)", a repeated header, then none."""
    src = load_src("dong-nai-179")
    data = [r for r in src["rows"] if "cells" in r][10:22]
    doc = new_document()
    header_table(doc, ["ỦY BAN NHÂN DÂN", "ĐẶC KHU CÁT HẢI"])
    title_block(doc, ["PHỤ LỤC", "NHIỆM VỤ PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ"],
                "(Kèm theo Kế hoạch số 52/KH-UBND ngày 20 tháng 3 năm 2026 của Ủy ban nhân dân đặc khu Cát Hải)")
    header = ["Số TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]
    tasks = []
    pieces = [data[:5], data[5:9], data[9:]]
    for i, piece in enumerate(pieces):
        body = []
        for row in piece:
            stt, text, lead, partners, timeline, _ = (md_cell(x) for x in row["cells"])
            body.append([stt, text, lead, partners, timeline])
            tasks.append(task(stt, text, timeline, lead, partners))
        if i:
            add_para(doc, "(tiếp theo)", italic=True)
        draw_table(doc, Grid([header] if i < 2 else [], body, [1.2, 11.0, 4.0, 5.0, 3.0]))
    document = {
        "issuer": "Ủy ban nhân dân đặc khu Cát Hải",
        "number": "52/KH-UBND",
        "date": "2026-03-20",
        "title": "PHỤ LỤC NHIỆM VỤ PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ",
    }
    return Sample("cat-hai-52-split", doc, document, tasks)


def set_numbering(doc, paragraphs) -> None:
    """Number paragraphs with Word's automatic list numbering ("%1")."""
    numbering = doc.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "%1")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    for p in paragraphs:
        p_pr = p._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        for tag, val in (("w:ilvl", "0"), ("w:numId", "90")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            num_pr.append(el)
        p_pr.append(num_pr)


def tracked(paragraph, kept: str, deleted: str, inserted: str) -> None:
    """Append a tracked deletion and insertion after the paragraph's text."""
    del_el = OxmlElement("w:del")
    del_el.set(qn("w:id"), "1")
    del_el.set(qn("w:author"), "VP")
    run = OxmlElement("w:r")
    dt = OxmlElement("w:delText")
    dt.set(qn("xml:space"), "preserve")
    dt.text = deleted
    run.append(dt)
    del_el.append(run)
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "2")
    ins.set(qn("w:author"), "VP")
    run2 = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = inserted
    run2.append(t)
    ins.append(run2)
    paragraph._p.append(del_el)
    paragraph._p.append(ins)


def content_control(paragraph) -> None:
    """Wrap the paragraph's runs in a content control (w:sdt), as form templates do."""
    p = paragraph._p
    runs = [r for r in p if r.tag == qn("w:r")]
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    for r in runs:
        content.append(r)
    p.append(sdt)


def word_features() -> Sample:
    """Automatic STT numbering, tracked changes, content controls, empty paragraphs in cells."""
    doc = new_document()
    header_table(doc, ["ỦY BAN NHÂN DÂN", "PHƯỜNG LÊ CHÂN"])
    title_block(doc, ["PHỤ LỤC", "NHIỆM VỤ CỤ THỂ THỰC HIỆN MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN”"],
                "(Kèm theo Kế hoạch số 45/KH-UBND ngày 10/3/2026 của Ủy ban nhân dân phường)")
    rows = [list(t[1:]) for t in VINH_BAO_TASKS[:6]]
    body = [["", r[0], r[1], r[2], r[3]] for r in rows]
    table = draw_table(doc, Grid([["TT", "Nội dung nhiệm vụ", "Tiến độ", "Chủ trì", "Phối hợp"]], body, [1.2, 11.5, 3.5, 4.0, 5.5]))
    set_numbering(doc, [table.cell(r, 0).paragraphs[0] for r in range(1, len(body) + 1)])
    tasks = [task(str(i + 1), *r) for i, r in enumerate(rows)]
    # Row 2: a tracked change in the task text ("hằng năm" deleted, "năm 2026" inserted).
    cell = table.cell(2, 1)
    tracked(cell.paragraphs[-1], "", " hằng năm", " năm 2026")
    tasks[1].task = tasks[1].task + " năm 2026"
    # Row 3: the lead inside a content control; row 4: empty paragraphs around the timeline.
    content_control(table.cell(3, 3).paragraphs[0])
    cell = table.cell(4, 2)
    cell.add_paragraph("")
    cell._tc.insert(cell._tc.index(cell.paragraphs[0]._p), copy.deepcopy(cell.paragraphs[-1]._p))
    document = {
        "issuer": "Ủy ban nhân dân phường Lê Chân",
        "number": "45/KH-UBND",
        "date": "2026-03-10",
        "title": "PHỤ LỤC NHIỆM VỤ CỤ THỂ THỰC HIỆN MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN”",
    }
    return Sample("le-chan-45-word-features", doc, document, tasks)


def tcvn3(text: str, upper: bool = False) -> str:
    """Encode Unicode text as TCVN3 (what a .VnTime document stores); .VnTimeH stores capitals as small letters."""
    from phuluc.normalize.legacy import TCVN3_TABLE

    table = {unicodedata.normalize("NFC", u): b for b, u in TCVN3_TABLE.items() if len(u) == 1}
    out = []
    for ch in unicodedata.normalize("NFC", text.lower() if upper else text):
        if ch in table:
            out.append(table[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            raise ValueError(f"{ch!r} has no TCVN3 code")
    return "".join(out)


def legacy_font(cell_or_paragraph, font: str) -> None:
    paragraphs = getattr(cell_or_paragraph, "paragraphs", [cell_or_paragraph])
    for p in paragraphs:
        for run in p.runs:
            run.font.name = font
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), font)


def legacy_tcvn3() -> Sample:
    """An older plan typed in .VnTime/.VnTimeH (TCVN3): the text must come out as Unicode."""
    src = load_src("ubnd-617")
    doc = new_document()
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    write_cell(table.cell(0, 0), tcvn3("ỦY BAN NHÂN DÂN\nXÃ TIÊN LÃNG", upper=True))
    write_cell(table.cell(0, 1), tcvn3("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", upper=True) + "\n" + tcvn3("Độc lập - Tự do - Hạnh phúc"))
    legacy_font(table.cell(0, 0), ".VnTimeH")
    legacy_font(table.cell(0, 1).paragraphs[0], ".VnTimeH")
    legacy_font(table.cell(0, 1).paragraphs[1], ".VnTime")
    for line, font in (("PHỤ LỤC", ".VnTimeH"), ("NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026", ".VnTimeH")):
        legacy_font(add_para(doc, tcvn3(line, upper=True), bold=True, center=True), font)
    legacy_font(add_para(doc, tcvn3("(Kèm theo Kế hoạch số 18/KH-UBND ngày 15 tháng 01 năm 2026 của UBND xã)"), italic=True), ".VnTime")
    header = ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian thực hiện"]
    body, tasks = [], []
    for row in src["rows"]:
        if "cells" not in row:
            continue
        c = [md_cell(x) for x in row["cells"]]
        try:
            encoded = [tcvn3(x) for x in c]
        except ValueError:
            continue  # a capital with a tone mark: .VnTime cannot write it
        body.append(encoded)
        tasks.append(task(c[0], c[1], c[4], c[2], c[3]))
    t = draw_table(doc, Grid([[tcvn3(h, upper=True) for h in header]], body, [1.2, 11.0, 3.5, 5.5, 3.5]))
    for r, row in enumerate(t.rows):
        for cell in row.cells:
            legacy_font(cell, ".VnTimeH" if r == 0 else ".VnTime")
    document = {
        "issuer": "Ủy ban nhân dân xã Tiên Lãng",
        "number": "18/KH-UBND",
        "date": "2026-01-15",
        "title": "PHỤ LỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026",
    }
    warning = {"code": "legacy-encoding", "message": "text in legacy fonts (.VnTime, .VnTimeH) was converted to Unicode"}
    return Sample("tien-lang-18-vntime", doc, document, tasks, [warning])


SAMPLES = [vinh_bao, nghe_an, dong_nai, two_level, full_plan, nfd_gaps, no_task_table, split_tables, word_features, legacy_tcvn3]


def save_deterministic(doc: docx.Document, path: Path) -> None:
    """Save with fixed timestamps, so that regenerating an unchanged sample gives the same bytes."""
    import datetime
    import io
    import zipfile

    fixed = datetime.datetime(2026, 1, 1)
    doc.core_properties.author = "phuluc samples"
    doc.core_properties.created = doc.core_properties.modified = fixed
    doc.core_properties.last_modified_by = "phuluc samples"
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6]), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def main() -> None:
    from real_samples import REAL_SAMPLES  # the real-plan layouts of issue 12, drawn with these helpers

    for make in SAMPLES + REAL_SAMPLES:
        sample = make()
        path = HERE / f"{sample.stem}.docx"
        save_deterministic(sample.doc, path)
        golden = sample.golden()
        (HERE / f"{sample.stem}.golden.json").write_text(json.dumps(golden, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(golden['tasks'])} tasks")


if __name__ == "__main__":
    main()
