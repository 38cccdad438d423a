"""Build the line-less PDF samples: task tables printed without any ruling line.

Each sample is one description (a `Spec` of make_pdf_samples: page header, title, columns,
rows, the field of each column) printed by one producer, and a golden written from the
same description (never from phuluc's output):

- `nghe-an-980-chromium`: an HTML table without borders printed by headless Chromium: an
  extra column "Sản phẩm dự kiến", two-line column titles, section rows "I | title" whose
  title spans the other columns, multi-line cells, the header repeated (`<thead>`) on the
  second page, the issuer | motto blocks above.
- `dong-nai-179-reportlab`: drawn by reportlab with the lines left out: full-width section
  rows, rows cut by the page breaks and the header repeated on every page.
- `tay-ninh-617-word-noborders`: a Word table with its borders turned off (python-docx),
  printed by LibreOffice: a two-row header ("Cơ quan thực hiện" over "Chủ trì | Phối
  hợp"), the page header with number and date.

    python samples/make_lineless_samples.py     # needs chromium and soffice for two of them
    python samples/make_lineless_samples.py --goldens-only
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from make_pdf_samples import MOTTO, Painter, Spec, register_fonts, src_rows
from make_samples import add_para, new_document, no_borders, write_cell

HERE = Path(__file__).parent
CM = 72 / 2.54


def write_golden(spec: Spec) -> None:
    golden = json.dumps(spec.golden(), ensure_ascii=False, indent=2) + "\n"
    (HERE / f"{spec.stem}.golden.json").write_text(golden, encoding="utf-8")


# --------------------------------------------------------------------------- Chromium


def nghe_an_spec() -> Spec:
    rows = [r if isinstance(r, str) else [v.replace("TT- BTC", "TT-BTC") for v in r] for r in src_rows("nghe-an-980", 6)]
    return Spec(
        stem="nghe-an-980-chromium",
        left=["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "Số: 980/KH-UBND"],
        right=MOTTO + ["Nghệ An, ngày 18 tháng 11 năm 2025"],
        title=["PHỤ LỤC", "DANH MỤC NHIỆM VỤ TRIỂN KHAI THI HÀNH NGHỊ ĐỊNH QUY ĐỊNH",
               "CHI TIẾT MỘT SỐ ĐIỀU CỦA LUẬT PHÒNG THỦ DÂN SỰ"],
        attached="(Kèm theo Kế hoạch số 980/KH-UBND ngày 18 tháng 11 năm 2025 của UBND tỉnh Nghệ An)",
        columns=[("TT", 1.0 * CM), ("Nội dung thực hiện", 6.0 * CM), ("Cơ quan chủ trì", 2.6 * CM),
                 ("Cơ quan phối hợp", 3.0 * CM), ("Thời gian hoàn thành", 2.2 * CM), ("Sản phẩm dự kiến", 3.2 * CM)],
        rows=rows,
        fields=("stt", "task", "lead", "partners", "timeline", "extra:Sản phẩm dự kiến"),
        document={"issuer": "Ủy ban nhân dân tỉnh Nghệ An", "number": "980/KH-UBND", "date": "2025-11-18",
                  "title": "PHỤ LỤC DANH MỤC NHIỆM VỤ TRIỂN KHAI THI HÀNH NGHỊ ĐỊNH QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU "
                           "CỦA LUẬT PHÒNG THỦ DÂN SỰ"},
        landscape=False,
        size=12.0,
    )


CSS = """
@page { size: A4; margin: 1.5cm 1.5cm 1.5cm 2cm; }
body { font-family: 'Liberation Serif', 'Times New Roman', serif; font-size: 12pt; }
.head { display: flex; justify-content: space-between; text-align: center; font-weight: bold; }
.head div:first-child { width: 38%; } .head div:last-child { width: 60%; }
.title { text-align: center; font-weight: bold; margin: 0; }
.attached { text-align: center; font-style: italic; margin: 4pt 0 12pt; }
table { border-collapse: collapse; table-layout: fixed; }
th, td { padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { text-align: center; vertical-align: middle; }
td.stt { text-align: center; }
tr { break-inside: avoid; }
"""


def chromium_html(spec: Spec) -> str:
    """The Spec as an HTML page; a section row "I. TITLE" is drawn as "I | TITLE" over the other columns."""
    e = html.escape
    head = "".join(f"<div>{'<br>'.join(e(x) for x in block)}</div>" for block in (spec.left, spec.right))
    title = "".join(f'<p class="title">{e(t)}</p>' for t in spec.title)
    cols = "".join(f'<col style="width:{w:.1f}pt">' for _, w in spec.columns)
    ths = "".join(f"<th>{e(label)}</th>" for label, _ in spec.columns)
    body = []
    for row in spec.rows:
        if isinstance(row, str):
            stt, _, text = row.partition(". ")
            body.append(f'<tr><td class="stt"><b>{e(stt)}</b></td><td colspan="{len(spec.columns) - 1}"><b>{e(text)}</b></td></tr>')
        else:
            tds = "".join(f'<td{" class=stt" if c == 0 else ""}>{e(v)}</td>' for c, v in enumerate(row))
            body.append(f"<tr>{tds}</tr>")
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>{CSS}</style></head><body>'
            f'<div class="head">{head}</div><br>{title}<p class="attached">{e(spec.attached)}</p>'
            f"<table><colgroup>{cols}</colgroup><thead><tr>{ths}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            "</body></html>")


def print_chromium(page: str, out: Path) -> bool:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print(f"chromium not found: {out.name} is not regenerated", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory(prefix="phuluc-html-") as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", src.as_uri()],
                       check=True, capture_output=True, timeout=120)
    return True


# --------------------------------------------------------------------------- reportlab


def dong_nai_spec() -> Spec:
    return Spec(
        stem="dong-nai-179-reportlab",
        left=["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI"],
        right=MOTTO,
        title=["PHỤ LỤC", "DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ"],
        attached="(Kèm theo Kế hoạch số 179/KH-UBND ngày 18 tháng 11 năm 2025 của Ủy ban nhân dân tỉnh)",
        columns=[("STT", 36), ("Nhiệm vụ, giải pháp", 260), ("Đơn vị thực hiện", 110), ("Đơn vị phối hợp", 120),
                 ("Thời gian thực hiện", 80), ("Sản phẩm đầu ra", 110)],
        rows=src_rows("dong-nai-179", 6)[:40],
        fields=("stt", "task", "lead", "partners", "timeline", "extra:Sản phẩm đầu ra"),
        document={"issuer": "Ủy ban nhân dân tỉnh Đồng Nai", "number": "179/KH-UBND", "date": "2025-11-18",
                  "title": "PHỤ LỤC DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ"},
        size=10.0,
    )


class LinelessPainter(Painter):
    """make_pdf_samples' painter with every rule left out (the text stands where it stood)."""

    def __init__(self, spec: Spec, path: Path) -> None:
        super().__init__(spec, path)
        self.c.line = lambda *args, **kwargs: None


# --------------------------------------------------------------------------- Word, borders off


def tay_ninh_spec() -> Spec:
    rows = src_rows("ubnd-617", 5)
    return Spec(
        stem="tay-ninh-617-word-noborders",
        left=["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH"],
        right=MOTTO,
        title=["PHỤ LỤC", "NHIỆM VỤ THÚC ĐẨY CHUYỂN ĐỔI SỐ TRONG DOANH NGHIỆP"],
        attached="(Kèm theo Kế hoạch số 617/KH-UBND ngày 01/12/2025 của Ủy ban nhân dân tỉnh)",
        columns=[("STT", 1.2 * CM), ("Tên nhiệm vụ", 11.0 * CM), ("Chủ trì", 3.5 * CM), ("Phối hợp", 5.5 * CM),
                 ("Thời gian hoàn thành", 3.5 * CM)],
        rows=rows,
        fields=("stt", "task", "lead", "partners", "timeline"),
        document={"issuer": "Ủy ban nhân dân tỉnh Tây Ninh", "number": "617/KH-UBND", "date": "2025-12-01",
                  "title": "PHỤ LỤC NHIỆM VỤ THÚC ĐẨY CHUYỂN ĐỔI SỐ TRONG DOANH NGHIỆP"},
    )


def word_document(spec: Spec):
    """The Spec as a Word document whose every table has its borders turned off."""
    doc = new_document()
    head = doc.add_table(rows=2, cols=2)
    no_borders(head)
    write_cell(head.cell(0, 0), "\n".join(spec.left), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    write_cell(head.cell(0, 1), "\n".join(spec.right), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    write_cell(head.cell(1, 0), "Số: 617/KH-UBND", align=WD_ALIGN_PARAGRAPH.CENTER)
    write_cell(head.cell(1, 1), "Tây Ninh, ngày 01 tháng 12 năm 2025", align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in spec.title:
        add_para(doc, line, bold=True, center=True)
    add_para(doc, spec.attached, italic=True, center=True)
    n = len(spec.columns)
    table = doc.add_table(rows=2, cols=n)
    no_borders(table)
    table.autofit = False
    labels = ["STT", "Tên nhiệm vụ", "Cơ quan thực hiện", None, "Thời gian hoàn thành"]
    for c, label in enumerate(labels):
        if label:
            write_cell(table.cell(0, c), label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    table.cell(0, 2).merge(table.cell(0, 3))
    for c in (0, 1, 4):
        table.cell(0, c).merge(table.cell(1, c))
    write_cell(table.cell(1, 2), "Chủ trì", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    write_cell(table.cell(1, 3), "Phối hợp", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in spec.rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            write_cell(merged, row, bold=True)
            continue
        for c, value in enumerate(row):
            write_cell(cells[c], value, align=WD_ALIGN_PARAGRAPH.CENTER if c == 0 else None)
    for row in table.rows:
        for c, (_, w) in enumerate(spec.columns):
            row.cells[c].width = Pt(w)
            for p in row.cells[c].paragraphs:
                p.paragraph_format.space_after = Pt(3)
    return doc


def print_word(spec: Spec, out: Path) -> bool:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print(f"soffice not found: {out.name} is not regenerated", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory(prefix="phuluc-docx-") as tmp:
        src = Path(tmp) / f"{spec.stem}.docx"
        word_document(spec).save(src)
        env = dict(os.environ, HOME=tmp)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(out.parent), str(src)],
                       check=True, capture_output=True, timeout=300, env=env)
    return True


def main() -> None:
    if "--goldens-only" in sys.argv:  # rewrite the golden files, keep every PDF's bytes
        for spec in (nghe_an_spec(), dong_nai_spec(), tay_ninh_spec()):
            write_golden(spec)
        return
    register_fonts()
    spec = nghe_an_spec()
    if print_chromium(chromium_html(spec), HERE / f"{spec.stem}.pdf"):
        write_golden(spec)
    spec = dong_nai_spec()
    LinelessPainter(spec, HERE / f"{spec.stem}.pdf").render()
    write_golden(spec)
    spec = tay_ninh_spec()
    if print_word(spec, HERE / f"{spec.stem}.pdf"):
        write_golden(spec)


if __name__ == "__main__":
    main()
