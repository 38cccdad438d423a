"""Build the PDF samples.

1. Each `samples/*.docx` is printed to `samples/<stem>.pdf` with LibreOffice when
   `soffice` is installed: the PDF shares the DOCX's golden file (same stem).
2. reportlab draws PDFs that LibreOffice does not make, each with its own golden
   written from the same description (the truth, never phuluc's output):
   - `broken-glyphs-vinh-bao`: Vietnamese letters drawn as separate runs in a second
     copy of the font with narrowed widths, tone marks as glyphs of their own
     (pdfplumber's extract_text() reads "PH Ụ L Ụ C").
   - `rotated-ubnd-617`: pages stored portrait with /Rotate 90, read as landscape.
   - `long-table-dong-nai`: a table over many pages, rows cut by the page breaks,
     the header repeated, a vertically merged cell across a break, page numbers.
   - `owner-password-ha-noi`: encrypted with an owner password only (opens without one).

    python samples/make_pdf_samples.py           # all
    python samples/make_pdf_samples.py --no-soffice
    python samples/make_pdf_samples.py --goldens-only    # golden files only, every PDF kept as it is
    python samples/make_pdf_samples.py --only=STEM       # print only this DOCX twin (repeatable)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from phuluc.normalize.build import add_structured_fields
from phuluc.schema import DocumentFields, Task
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent
SRC = HERE / "src"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MERGE = "\x00merge"  # in a row: this cell continues the vertically merged cell above
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def expected(text: str) -> str:
    """The contract's clean text of one cell: NFC, white space collapsed (wraps are spaces)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont("Serif", str(FONT_DIR / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("Serif-Bold", str(FONT_DIR / "DejaVuSerif-Bold.ttf")))
    # The same faces again under another name, with every non-ASCII width cut to 30%:
    # the glyphs draw as before, but their boxes no longer reach the next letter.
    for name, file in (("SerifVN", "DejaVuSerif.ttf"), ("SerifVN-Bold", "DejaVuSerif-Bold.ttf")):
        font = TTFont(name, str(FONT_DIR / file))
        widths = font.face.charWidths
        for code in list(widths):
            if code > 127:
                widths[code] = widths[code] * 0.3
        pdfmetrics.registerFont(font)


@dataclass
class Spec:
    """One sample: what the page says, and how to draw it."""

    stem: str
    left: list[str]
    right: list[str]
    title: list[str]
    attached: str
    columns: list[tuple[str, float]]  # header label, width (points)
    rows: list[str | list[str]]  # a str is a full-width section row
    fields: tuple[str, ...]  # the contract field of each column ("extra:<label>" for others)
    document: dict
    size: float = 11.0
    landscape: bool = True
    rotate: bool = False
    broken: bool = False
    encrypt: StandardEncryption | None = None
    tasks: list[Task] = field(default_factory=list)

    def golden(self) -> dict:
        tasks = []
        section = ""
        above: list[str] = [""] * len(self.columns)
        for row in self.rows:
            if isinstance(row, str):
                section = expected(row)
                continue
            values = [above[c] if v == MERGE else v for c, v in enumerate(row)]
            above = values
            t = Task(section=section)
            for name, v in zip(self.fields, values, strict=True):
                if name.startswith("extra:"):
                    t.extra[name[6:]] = expected(v)
                else:
                    setattr(t, name, expected(v))
            tasks.append(t)
        add_structured_fields(tasks)
        return {"source": f"{self.stem}.pdf", "document": asdict(DocumentFields(**self.document)),
                "tasks": [t.to_dict() for t in tasks], "warnings": []}


class Painter:
    """Draws a Spec page by page: header, title, then the table with rows cut at page ends."""

    def __init__(self, spec: Spec, path: Path) -> None:
        self.spec = spec
        w, h = 595.28, 841.89
        self.width, self.height = (h, w) if spec.landscape else (w, h)
        pagesize = (w, h) if spec.rotate or not spec.landscape else (h, w)
        self.c = canvas.Canvas(str(path), pagesize=pagesize, encrypt=spec.encrypt, invariant=1)
        self.c.setTitle(spec.stem)
        self.page = 0
        self.lead = spec.size * 1.25
        self.pad = 4.0
        self.left = (self.width - sum(w for _, w in spec.columns)) / 2
        self.xs = [self.left]
        for _, w in spec.columns:
            self.xs.append(self.xs[-1] + w)

    # --- text -------------------------------------------------------------------------
    def font(self, bold: bool, vn: bool = False) -> str:
        return ("SerifVN" if vn else "Serif") + ("-Bold" if bold else "")

    def text_width(self, text: str, bold: bool = False) -> float:
        return pdfmetrics.stringWidth(text, self.font(bold), self.spec.size)

    def draw(self, x: float, y: float, text: str, bold: bool = False) -> None:
        """Draw at (x, y) from the top; broken mode draws non-ASCII letters as runs of their own."""
        c, size = self.c, self.spec.size
        base_y = self.height - y
        if not self.spec.broken:
            c.setFont(self.font(bold), size)
            c.drawString(x, base_y, text)
            return
        for i, run in enumerate(re.split(r"([^\x00-\x7f])", text)):
            if not run:
                continue
            true_w = self.text_width(run, bold)
            if i % 2 == 0:
                c.setFont(self.font(bold), size)
                c.drawString(x, base_y, run)
            else:
                # Centered in its true advance; every other letter with its tone mark apart.
                parts = unicodedata.normalize("NFD", run)
                tone = "".join(ch for ch in parts if ch in TONES)
                body = unicodedata.normalize("NFC", "".join(ch for ch in parts if ch not in TONES))
                offset = 0.35 * true_w
                c.setFont(self.font(bold, vn=True), size)
                if tone and (int(x) % 2 == 0) and not body.isascii():
                    c.drawString(x + offset, base_y, body)
                    c.drawString(x + offset, base_y, tone)
                elif tone and (int(x) % 2 == 0):
                    c.setFont(self.font(bold), size)
                    c.drawString(x, base_y, body)
                    c.setFont(self.font(bold, vn=True), size)
                    c.drawString(x + offset, base_y, tone)
                else:
                    c.drawString(x + offset, base_y, run)
            x += true_w

    def wrap(self, text: str, width: float, bold: bool = False) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}" if line else word
                if line and self.text_width(trial, bold) > width:
                    lines.append(line)
                    line = word
                else:
                    line = trial
            if line:
                lines.append(line)
        return lines

    def centered(self, y: float, text: str, center: float, bold: bool = False) -> None:
        self.draw(center - self.text_width(text, bold) / 2, y, text, bold)

    # --- pages ------------------------------------------------------------------------
    def new_page(self) -> float:
        if self.page:
            self.c.showPage()
        self.page += 1
        if self.spec.rotate:
            self.c.setPageRotation(90)
            # Drawn in the displayed (landscape) frame: x' = W - Y, y' = X.
            self.c.transform(0, 1, -1, 0, self.height, 0)
        self.c.setLineWidth(0.6)
        if self.page > 1:
            self.centered(28, str(self.page), self.width / 2)
        return 50.0

    def header(self) -> float:
        y = self.new_page()
        spec = self.spec
        if spec.left:
            for i, (a, b) in enumerate(zip(spec.left + [""] * 4, spec.right + [""] * 4, strict=False)):
                if not a and not b:
                    break
                if a:
                    self.centered(y + i * self.lead * 1.2, a, self.left + 110, bold=i < 2)
                if b:
                    self.centered(y + i * self.lead * 1.2, b, self.width - self.left - 170, bold=i < 2)
            y += (max(len(spec.left), len(spec.right)) + 1) * self.lead * 1.2
        for line in spec.title:
            self.centered(y, line, self.width / 2, bold=True)
            y += self.lead * 1.2
        self.centered(y, spec.attached, self.width / 2)
        return y + self.lead

    def table_header(self, y: float) -> float:
        lines = [self.wrap(label, w - 2 * self.pad, bold=True) for label, w in self.spec.columns]
        h = max(len(ls) for ls in lines) * self.lead + 2 * self.pad
        for c, ls in enumerate(lines):
            for i, line in enumerate(ls):
                mid = (self.xs[c] + self.xs[c + 1]) / 2
                self.centered(y + self.pad + (i + 0.8) * self.lead, line, mid, bold=True)
        self.rules(y, y + h, [True] * len(lines))
        return y + h

    def rules(self, top: float, bottom: float, top_rule: list[bool]) -> None:
        c, H = self.c, self.height
        for col, on in enumerate(top_rule):
            if on:
                c.line(self.xs[col], H - top, self.xs[col + 1], H - top)
        for x in self.xs:
            c.line(x, H - top, x, H - bottom)

    def close_table(self, y: float) -> None:
        self.c.line(self.xs[0], self.height - y, self.xs[-1], self.height - y)

    def render(self) -> None:
        spec = self.spec
        limit = self.height - 45
        y = self.table_header(self.header())
        n = len(spec.columns)
        for row in spec.rows:
            if isinstance(row, str):
                lines = [self.wrap(row, self.xs[-1] - self.xs[0] - 2 * self.pad, bold=True)]
                if y + len(lines[0]) * self.lead + 2 * self.pad > limit:
                    self.close_table(y)
                    y = self.table_header(self.new_page())
                h = len(lines[0]) * self.lead + 2 * self.pad
                for i, line in enumerate(lines[0]):
                    self.draw(self.xs[0] + self.pad, y + self.pad + (i + 0.8) * self.lead, line, bold=True)
                self.c.line(self.xs[0], self.height - y, self.xs[-1], self.height - y)
                self.c.line(self.xs[0], self.height - y, self.xs[0], self.height - y - h)
                self.c.line(self.xs[-1], self.height - y, self.xs[-1], self.height - y - h)
                y += h
                continue
            cells = [self.wrap("" if v == MERGE else v, self.xs[c + 1] - self.xs[c] - 2 * self.pad) for c, v in enumerate(row)]
            top_rule = [v != MERGE for v in row]
            while True:
                need = max(len(ls) for ls in cells) * self.lead + 2 * self.pad
                room = int((limit - y - 2 * self.pad) / self.lead)
                if y + need <= limit or room < 2:
                    if y + need > limit:  # no room for two lines: the row starts on the next page
                        self.close_table(y)
                        y = self.table_header(self.new_page())
                        top_rule = [True] * n
                        continue
                    self.paint_row(y, cells, top_rule)
                    y += need
                    break
                # Cut the row at the page end; the rest continues on the next page.
                head = [ls[:room] for ls in cells]
                self.paint_row(y, head, top_rule)
                y += room * self.lead + 2 * self.pad
                self.close_table(y)
                cells = [ls[room:] for ls in cells]
                y = self.table_header(self.new_page())
                top_rule = [True] * n
        self.close_table(y)
        self.c.showPage()
        self.c.save()

    def paint_row(self, y: float, cells: list[list[str]], top_rule: list[bool]) -> None:
        h = max(len(ls) for ls in cells) * self.lead + 2 * self.pad
        for c, ls in enumerate(cells):
            for i, line in enumerate(ls):
                x = self.xs[c] + self.pad
                if c == 0:
                    x = (self.xs[0] + self.xs[1] - self.text_width(line)) / 2
                self.draw(x, y + self.pad + (i + 0.8) * self.lead, line)
        self.rules(y, y + h, top_rule)


# --------------------------------------------------------------------------- samples


def src_rows(name: str, ncols: int) -> list[str | list[str]]:
    data = json.loads((SRC / f"{name}.json").read_text(encoding="utf-8"))
    rows: list[str | list[str]] = []
    for row in data["rows"]:
        if "section" in row:
            stt, title = (row["section"] + [""])[:2]
            rows.append(expected(f"{stt}. {title}" if title else stt))
        else:
            rows.append([expected(v) for v in row["cells"][:ncols]])
    while rows and isinstance(rows[-1], str):
        rows.pop()
    return rows


def vinh_bao_broken() -> Spec:
    tasks = [
        ["1", "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện, trọng tâm là Đề án số 04-ĐA/TU ngày 14/01/2026 của Thành ủy Hải Phòng", "Hằng năm", "Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công, Ban Xây dựng Đảng ủy"],
        ["2", "Hướng dẫn các cơ sở đẩy mạnh phong trào: Toàn dân xây dựng đời sống văn hóa gắn với các tiêu chí Chính quyền thân thiện", "Hằng năm", "Phòng Văn hóa - Xã hội", "Ủy ban Mặt trận Tổ quốc Việt Nam xã và các cơ quan có liên quan"],
        ["3", "Xây dựng Kế hoạch triển khai thực hiện “Chính quyền thân thiện” và đăng ký mức đạt chuẩn hằng năm gửi về Sở Nội vụ tổng hợp, theo dõi", "Trước ngày 15/02 hằng năm", "Phòng Văn hóa - Xã hội", "Các cơ quan, đơn vị liên quan"],
        ["4", "Tổ chức thực hiện các tiêu chí của mô hình Chính quyền thân thiện tại các cơ quan, đơn vị bảo đảm đúng quy định", "Thường xuyên", "Các cơ quan, đơn vị", "Phòng Văn hóa - Xã hội"],
        ["5", "Tổng hợp dự toán kinh phí, tham mưu, đề xuất Ủy ban nhân dân xã bố trí kinh phí ngân sách hằng năm để thực hiện", "Hằng năm", "Phòng Kinh tế", "Văn phòng HĐND và UBND xã"],
    ]
    return Spec(
        stem="broken-glyphs-vinh-bao",
        left=["ỦY BAN NHÂN DÂN", "XÃ VĨNH BẢO", "Số: 761/KH-UBND"],
        right=MOTTO + ["Vĩnh Bảo, ngày 06 tháng 4 năm 2026"],
        title=["PHỤ LỤC NHIỆM VỤ CỤ THỂ", "Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo"],
        attached="(Kèm theo Kế hoạch số 761/KH-UBND ngày 06/4/2026 của Ủy ban nhân dân xã Vĩnh Bảo)",
        columns=[("STT", 40), ("Nhiệm vụ cụ thể", 300), ("Thời gian thực hiện", 100), ("Cơ quan chủ trì", 120), ("Cơ quan phối hợp", 160)],
        rows=["I. CÔNG TÁC TUYÊN TRUYỀN", *tasks[:2], "II. TỔ CHỨC THỰC HIỆN", *tasks[2:]],
        fields=("stt", "task", "timeline", "lead", "partners"),
        document={"issuer": "Ủy ban nhân dân xã Vĩnh Bảo", "number": "761/KH-UBND", "date": "2026-04-06",
                  "title": "PHỤ LỤC NHIỆM VỤ CỤ THỂ Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo"},
        broken=True,
    )


def rotated() -> Spec:
    rows = src_rows("ubnd-617", 5)
    return Spec(
        stem="rotated-ubnd-617",
        left=["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH", "Số: 617/KH-UBND"],
        right=MOTTO + ["Tây Ninh, ngày 15 tháng 10 năm 2025"],
        title=["PHỤ LỤC", "NHIỆM VỤ CHUYỂN ĐỔI SỐ TRONG DOANH NGHIỆP"],
        attached="(Kèm theo Kế hoạch số 617/KH-UBND ngày 15/10/2025 của Ủy ban nhân dân tỉnh)",
        columns=[("STT", 40), ("Tên nhiệm vụ", 330), ("Cơ quan chủ trì", 110), ("Cơ quan phối hợp", 160), ("Thời gian hoàn thành", 100)],
        rows=rows,
        fields=("stt", "task", "lead", "partners", "timeline"),
        document={"issuer": "Ủy ban nhân dân tỉnh Tây Ninh", "number": "617/KH-UBND", "date": "2025-10-15",
                  "title": "PHỤ LỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ TRONG DOANH NGHIỆP"},
        rotate=True,
    )


def long_table() -> Spec:
    rows = src_rows("dong-nai-179", 6)
    # A lead merged down over two rows that straddle a page break.
    tasks = [i for i, r in enumerate(rows) if not isinstance(r, str)]
    for i in tasks[10:40:7]:
        nxt = i + 1
        if nxt < len(rows) and not isinstance(rows[nxt], str):
            rows[nxt] = [rows[nxt][0], rows[nxt][1], MERGE, *rows[nxt][3:]]
            rows[i] = [rows[i][0], rows[i][1], rows[i][2], *rows[i][3:]]
    return Spec(
        stem="long-table-dong-nai",
        left=["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI"],
        right=MOTTO,
        title=["PHỤ LỤC", "DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ"],
        attached="(Kèm theo Kế hoạch số 179/KH-UBND ngày 18 tháng 11 năm 2025 của Ủy ban nhân dân tỉnh)",
        columns=[("STT", 36), ("Nhiệm vụ, giải pháp", 250), ("Đơn vị thực hiện", 100), ("Đơn vị phối hợp", 110), ("Thời gian thực hiện", 70), ("Sản phẩm đầu ra", 90)],
        rows=rows,
        fields=("stt", "task", "lead", "partners", "timeline", "extra:Sản phẩm đầu ra"),
        document={"issuer": "Ủy ban nhân dân tỉnh Đồng Nai", "number": "179/KH-UBND", "date": "2025-11-18",
                  "title": "PHỤ LỤC DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ"},
        landscape=False,
        size=10.0,
    )


def owner_password() -> Spec:
    rows = src_rows("ha-noi-310", 5)
    return Spec(
        stem="owner-password-ha-noi",
        left=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "Số: 310/KH-UBND"],
        right=MOTTO + ["Hà Nội, ngày 24 tháng 12 năm 2025"],
        title=["PHỤ LỤC", "NHIỆM VỤ PHÁT TRIỂN HẠ TẦNG SỐ TRONG CÁC KHU CÔNG NGHIỆP"],
        attached="(Kèm theo Kế hoạch số 310/KH-UBND ngày 24/12/2025 của Ủy ban nhân dân Thành phố)",
        columns=[("TT", 36), ("Nội dung/nhiệm vụ", 300), ("Cơ quan chủ trì", 140), ("Cơ quan phối hợp", 170), ("Thời gian thực hiện", 100)],
        rows=rows,
        fields=("stt", "task", "lead", "partners", "timeline"),
        document={"issuer": "Ủy ban nhân dân thành phố Hà Nội", "number": "310/KH-UBND", "date": "2025-12-24",
                  "title": "PHỤ LỤC NHIỆM VỤ PHÁT TRIỂN HẠ TẦNG SỐ TRONG CÁC KHU CÔNG NGHIỆP"},
        encrypt=StandardEncryption(userPassword="", ownerPassword="phuluc-owner", canPrint=1, canModify=0, canCopy=0),
    )


def write_reportlab(spec: Spec, out: Path, pdf: bool = True) -> None:
    if pdf:
        Painter(spec, out / f"{spec.stem}.pdf").render()
    golden = json.dumps(spec.golden(), ensure_ascii=False, indent=2) + "\n"
    (out / f"{spec.stem}.golden.json").write_text(golden, encoding="utf-8")


def convert_docx(out: Path, only: list[str] | None = None) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not found: the DOCX twins are not regenerated", file=sys.stderr)
        return
    # A DOCX in a legacy font (.VnTime, VNI-Times) prints here with a substitute font:
    # its PDF would lose the font name (and TCVN3's "ư", a soft hyphen), so it has no twin.
    docs = [d for d in sorted(HERE.glob("*.docx")) if not _legacy_fonts(d) and (not only or d.stem in only)]
    with tempfile.TemporaryDirectory(prefix="phuluc-pdf-") as tmp:
        env = dict(os.environ, HOME=tmp)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(out), *map(str, docs)],
                       check=True, capture_output=True, timeout=600, env=env)


def _legacy_fonts(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        xml = b"".join(zf.read(name) for name in ("word/document.xml", "word/styles.xml") if name in zf.namelist())
    return bool(re.search(rb"\.VnTime|VNI-", xml))


def main() -> None:
    register_fonts()
    goldens_only = "--goldens-only" in sys.argv  # rewrite the golden files, keep every PDF's bytes
    only = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")]  # --only=STEM: print these twins
    if "--no-soffice" not in sys.argv and not goldens_only:
        convert_docx(HERE, only)
    for make in (vinh_bao_broken, rotated, long_table, owner_password):
        write_reportlab(make(), HERE, pdf=not goldens_only and not only)


if __name__ == "__main__":
    main()
