"""Producers of the held-out benchmark: one appendix drawn as Word, LibreOffice, Chromium, reportlab and a scanner would.

Each function writes one file from an `Appendix`; none of them uses phuluc.
"""

from __future__ import annotations

import html
import math
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from heldout_data import Appendix

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")  # version 2 has the Vietnamese letters


def _landscape(app: Appendix) -> bool:
    return len(app.layout.headers) >= 6


# --- DOCX (python-docx) ---------------------------------------------------------------------------------------

def _docx_header(doc, app: Appendix) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    t = doc.add_table(rows=1, cols=2)  # the page header: issuer | motto, never ruled
    left, right = t.rows[0].cells
    left.paragraphs[0].add_run(app.issuer_upper).bold = True
    left.add_paragraph("-------")
    right.paragraphs[0].add_run(MOTTO[0]).bold = True
    right.add_paragraph().add_run(MOTTO[1]).bold = True
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for k, line in enumerate(app.title_lines):
        p = doc.add_paragraph()
        p.add_run(line).bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if k == 0:
            p.paragraph_format.space_before = 12
    p = doc.add_paragraph()
    p.add_run(app.kem_theo).italic = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _fill_cell(cell, paras: list[str], bold: bool = False) -> None:
    cell.paragraphs[0].text = ""
    for k, text in enumerate(paras or [""]):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        p.add_run(text).bold = bold


def write_docx(app: Appendix, path: Path, ruled: bool) -> None:
    """A Word appendix; `ruled=False` is a table with every border turned off (Word's "No Border")."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12 if len(app.layout.headers) < 6 else 11)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    if _landscape(app):
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.left_margin = sec.right_margin = Cm(2)
    _docx_header(doc, app)
    n = len(app.layout.headers)
    table = doc.add_table(rows=1, cols=n)
    if ruled:
        table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, app.layout.headers, strict=True):
        _fill_cell(cell, [text], bold=True)
    _repeat_header(table.rows[0])
    for row in app.rows:
        cells = table.add_row().cells
        if "section" in row:
            merged = cells[0].merge(cells[-1])
            _fill_cell(merged, [row["section"]], bold=True)
        else:
            for cell, paras in zip(cells, row["cells"], strict=True):
                _fill_cell(cell, paras)
    _set_widths(table, app, sec.page_width - sec.left_margin - sec.right_margin)
    if app.signature:
        doc.add_paragraph()
        p = doc.add_paragraph()
        p.add_run("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\n\nNguyễn Văn An").bold = True
        p.paragraph_format.left_indent = Cm(9 if not _landscape(app) else 16)
    doc.save(path)


def _set_widths(table, app: Appendix, usable) -> None:
    weights = {"stt": 0.6, "task": 4.0, "timeline": 1.4, "lead": 1.8, "partners": 1.8}
    w = [weights.get(r, 1.5) for r in app.layout.roles]
    total = sum(w)
    table.autofit = False
    for col, x in zip(table.columns, w, strict=True):
        col.width = int(usable * x / total)  # LibreOffice takes the grid's widths
    for row in table.rows:
        for cell, x in zip(row.cells, w, strict=False):
            cell.width = int(usable * x / total)


def soffice_pdf(docx_path: Path, out_dir: Path) -> Path:
    """DOCX → PDF with LibreOffice (a private profile, so parallel runs do not collide)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                       check=True, capture_output=True, timeout=240)
    return out_dir / (docx_path.stem + ".pdf")


# --- HTML → Chromium --------------------------------------------------------------------------------------------

def _html(app: Appendix) -> str:
    e = html.escape
    n = len(app.layout.headers)
    size = "A4 landscape" if _landscape(app) else "A4"
    rows = ["<tr>" + "".join(f"<th>{e(h)}</th>" for h in app.layout.headers) + "</tr>"]
    for row in app.rows:
        if "section" in row:
            rows.append(f'<tr><td colspan="{n}"><b>{e(row["section"])}</b></td></tr>')
        else:
            rows.append("<tr>" + "".join("<td>" + "<br>".join(e(p) for p in paras) + "</td>"
                                         for paras in row["cells"]) + "</tr>")
    title = "".join(f"<p class=c><b>{e(t)}</b></p>" for t in app.title_lines)
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: {size}; margin: 18mm 15mm; }}
body {{ font-family: 'Liberation Serif', 'Times New Roman', serif; font-size: 12pt; }}
.c {{ text-align: center; margin: 2pt 0; }}
table.t {{ border-collapse: collapse; width: 100%; }}
table.t td, table.t th {{ border: none; padding: 3pt 5pt; vertical-align: top; text-align: left; }}
table.t th {{ text-align: center; }}
table.h {{ width: 100%; }} table.h td {{ text-align: center; vertical-align: top; width: 50%; }}
</style></head><body>
<table class=h><tr><td><b>{e(app.issuer_upper)}</b><br>-------</td>
<td><b>{e(MOTTO[0])}</b><br><b>{e(MOTTO[1])}</b></td></tr></table>
<div style="height:12pt"></div>{title}<p class=c><i>{e(app.kem_theo)}</i></p>
<table class=t><thead>{rows[0]}</thead><tbody>{''.join(rows[1:])}</tbody></table></body></html>"""


def chromium_pdf(app: Appendix, path: Path) -> None:
    """A borderless HTML table printed by headless Chromium."""
    src = path.with_suffix(".html")
    src.write_text(_html(app), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp}",
                        "--no-pdf-header-footer", f"--print-to-pdf={path}", src.as_uri()],
                       check=True, capture_output=True, timeout=180)
    src.unlink()


# --- reportlab, no lines ----------------------------------------------------------------------------------------

def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "HSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("HSerif", str(FONT_DIR / "LiberationSerif-Regular.ttf")))
        pdfmetrics.registerFont(TTFont("HSerif-Bold", str(FONT_DIR / "LiberationSerif-Bold.ttf")))


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, cur = [], ""
    for word in text.split():
        cand = f"{cur} {word}".strip()
        if stringWidth(cand, font, size) <= width or not cur:
            cur = cand
        else:
            lines.append(cur)
            cur = word
    return lines + ([cur] if cur else [])


def reportlab_pdf(app: Appendix, path: Path) -> None:
    """Text drawn line by line at column positions: no table object, no ruling lines (a report generator's output)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    _register_fonts()
    size = 10.5
    pw, ph = landscape(A4) if _landscape(app) else A4
    c = canvas.Canvas(str(path), pagesize=(pw, ph))
    margin, lead = 40, size * 1.25
    weights = {"stt": 0.6, "task": 4.0, "timeline": 1.4, "lead": 1.8, "partners": 1.8}
    w = [weights.get(r, 1.5) for r in app.layout.roles]
    xs, x = [], margin
    for wi in w:
        xs.append(x)
        x += (pw - 2 * margin) * wi / sum(w)
    widths = [(pw - 2 * margin) * wi / sum(w) - 8 for wi in w]
    y = _rl_page_top(c, app, pw, ph, size, lead)

    def block(cells: list[list[str]], bold: bool) -> list[list[str]]:
        font = "HSerif-Bold" if bold else "HSerif"
        return [[ln for p in paras for ln in _wrap(p, wd, font, size)] for paras, wd in zip(cells, widths, strict=True)]

    head = block([[h] for h in app.layout.headers], True)
    y = _rl_row(c, head, xs, y, lead, True, size)
    for row in app.rows:
        lines = ([[row["section"]]] + [[]] * (len(xs) - 1)) if "section" in row else block(row["cells"], False)
        height = max(len(col) for col in lines) * lead + 6
        if y - height < margin:
            c.showPage()
            y = ph - margin
            y = _rl_row(c, head, xs, y, lead, True, size)
        y = _rl_row(c, lines, xs, y, lead, "section" in row, size)
    c.save()


def _rl_page_top(c, app: Appendix, pw: float, ph: float, size: float, lead: float) -> float:
    y = ph - 45
    for text, cx in ((app.issuer_upper, pw * 0.27), (MOTTO[0], pw * 0.7)):
        c.setFont("HSerif-Bold", size)
        c.drawCentredString(cx, y, text)
    c.drawCentredString(pw * 0.7, y - lead, MOTTO[1])
    c.setFont("HSerif", size)
    c.drawCentredString(pw * 0.27, y - lead, "-------")
    y -= 3.2 * lead
    for line in app.title_lines:
        for part in _wrap(line, pw - 120, "HSerif-Bold", size + 1):
            c.setFont("HSerif-Bold", size + 1)
            c.drawCentredString(pw / 2, y, part)
            y -= lead + 1
    c.setFont("HSerif", size)
    for part in _wrap(app.kem_theo, pw - 120, "HSerif", size):
        c.drawCentredString(pw / 2, y, part)
        y -= lead
    return y - lead


def _rl_row(c, lines: list[list[str]], xs: list[float], y: float, lead: float, bold: bool, size: float) -> float:
    c.setFont("HSerif-Bold" if bold else "HSerif", size)
    for col, x in zip(lines, xs, strict=True):
        for k, ln in enumerate(col):
            c.drawString(x, y - k * lead, ln)
    return y - max(1, max(len(col) for col in lines)) * lead - 6


# --- scans ------------------------------------------------------------------------------------------------------

def _seal(size: int):
    """A red round seal (two rings, a star, a band of marks) on a transparent square."""
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    red = (205, 30, 40, 200)
    d.ellipse([2, 2, size - 3, size - 3], outline=red, width=max(3, size // 40))
    r2 = int(size * 0.33)
    c = size // 2
    d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=red, width=max(2, size // 70))
    pts = []
    for k in range(10):
        r = size * (0.14 if k % 2 == 0 else 0.06)
        a = math.pi / 2 + k * math.pi / 5
        pts.append((c + r * math.cos(a), c - r * math.sin(a)))
    d.polygon(pts, fill=red)
    for k in range(36):  # the ring of lettering, as dashes
        a = 2 * math.pi * k / 36
        r = size * 0.41
        d.line([(c + r * math.cos(a), c + r * math.sin(a)), (c + (r - size * 0.05) * math.cos(a),
                c + (r - size * 0.05) * math.sin(a))], fill=red, width=max(2, size // 90))
    return im


def scan_pages(pdf: Path, dpi: int, rng: random.Random, seal_where: str, max_pages: int = 3) -> list:
    """Render, lean, seal, add noise: what an office scanner makes of a printed page (PIL images)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(str(pdf))
    images = []
    n = min(len(doc), max_pages)
    for i in range(n):
        im = doc[i].render(scale=dpi / 72).to_pil().convert("RGB")
        w, h = im.size
        if (seal_where == "corner" and i == 0) or (seal_where == "signature" and i == n - 1):
            s = int(dpi * 1.5)  # a 38 mm seal
            seal = _seal(s)
            x = int(w * (0.62 if seal_where == "signature" else rng.uniform(0.7, 0.8)))
            y = int(h * (rng.uniform(0.55, 0.75) if seal_where == "signature" else rng.uniform(0.25, 0.35)))
            im.paste(seal, (min(x, w - s), min(y, h - s)), seal)
        angle = rng.uniform(0.3, 2.0) * rng.choice([-1, 1])
        im = im.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
        a = np.asarray(im).astype(np.int16)
        a = a + np.random.default_rng(rng.randint(0, 2**31)).normal(0, 9, a.shape[:2])[..., None].astype(np.int16)
        a = (a * 0.96 + 6).clip(0, 255).astype(np.uint8)  # a slightly grey paper
        images.append((Image.fromarray(a), angle))
    return images


def write_scan(images: list, dpi: int, quality: int, path: Path, work: Path) -> list[Path]:
    """JPEG pages (the scanner's compression) put into an image-only PDF; returns the JPEG files."""
    from PIL import Image

    jpgs = []
    for k, (im, _) in enumerate(images):
        j = work / f"{path.stem}-p{k + 1}.jpg"
        im.save(j, quality=quality)
        jpgs.append(j)
    pages = [Image.open(j) for j in jpgs]
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
    return jpgs


def ocr_layer_pdf(jpgs: list[Path], path: Path, work: Path) -> None:
    """The same scan with Tesseract's invisible text layer (`tesseract list out -l vie pdf`)."""
    lst = work / f"{path.stem}.txt"
    lst.write_text("\n".join(str(j) for j in jpgs) + "\n")
    subprocess.run(["tesseract", str(lst), str(path.with_suffix("")), "-l", "vie", "pdf"],
                   check=True, capture_output=True, timeout=600)


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
