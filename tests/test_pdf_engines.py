"""The two PDF engines check each other: pdfium and pdfplumber give the same JSON.

Every PDF sample, and small PDFs made here for what PDFium's text API does its own way
(spaces it makes up, spaces drawn as text objects of their own, hyphens at a line end,
invisible OCR text, text at size 0, glyphs mapped to several code points).
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import phuluc
from phuluc.extract import pdf as pdf_reader
from phuluc.extract.pdf import read_pdf
from phuluc.pipeline import Settings
from phuluc.schema.errors import DamagedFile, NoTextLayer, PasswordRequired

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PDFS = sorted(SAMPLES.glob("*.pdf"))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
ENGINES = ("pdfium", "pdfplumber")


def both(path: Path, **settings) -> list[dict]:
    return [phuluc.convert(path, {"pdf_engine": engine, **settings}).to_dict() for engine in ENGINES]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_every_sample_gives_the_same_json_with_both_engines(path: Path):
    pdfium, plumber = both(path)
    assert pdfium == plumber


def _font() -> str:
    if "EngineSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("EngineSerif", FONT))
    return "EngineSerif"


def _lines(path: Path) -> list[list[str]]:
    return [[ln.text for ln in read_pdf(path, engine=engine).lines] for engine in ENGINES]


def test_spaces_pdfium_makes_up_or_leaves_out(tmp_path: Path):
    path = tmp_path / "spaces.pdf"
    font = _font()
    c = canvas.Canvas(str(path), pagesize=(600, 400))
    c.setFont(font, 12)
    # Letters set 0.15 em apart without a space glyph: one word (PDFium makes up a space there).
    x = 50.0
    for part in ("NHI", "ỆM"):
        c.drawString(x, 300, part)
        x += c.stringWidth(part, font, 12) + 1.8
    # Each word and each space its own text object, the words set tight: the space objects have no
    # ink, and PDFium's text page leaves them out (the gaps alone, 0.15 em, are no word space).
    x = 50.0
    for part in ("là", " ", "Đề", " ", "án"):
        c.drawString(x, 260, part)
        x += c.stringWidth(part, font, 12) - (2.0 if part == " " else 0.0)
    c.save()
    pdfium, plumber = _lines(path)
    assert pdfium == plumber == ["NHIỆM", "là Đề án"]


def test_hyphen_at_a_line_end_invisible_text_and_size_zero(tmp_path: Path):
    path = tmp_path / "text.pdf"
    font = _font()
    c = canvas.Canvas(str(path), pagesize=(600, 400))
    for y, text, mode, size in [(350, "Nhìn thấy", 0, 12), (320, "Lớp chữ ẩn OCR", 3, 12), (290, "Cỡ chữ không", 0, 0),
                                (260, "Triển khai Mobile-", 0, 12), (246, "Money cho người dân", 0, 12)]:
        t = c.beginText(50, y)
        t.setFont(font, size)
        t.setTextRenderMode(mode)
        t.textOut(text)
        c.drawText(t)
    c.save()
    pdfium, plumber = _lines(path)
    # PDFium marks the hyphen before a line break as its own code; invisible text (an OCR layer) is
    # read, text at size 0 is not (it has no place on the page).
    assert pdfium == plumber == ["Nhìn thấy", "Lớp chữ ẩn OCR", "Triển khai Mobile-", "Money cho người dân"]


def _table_pdf(path: Path, encrypt=None, sideways: bool = False, ruled: bool = True) -> Path:
    font = _font()
    rows = [["STT", "Nhiệm vụ", "Thời gian thực hiện", "Cơ quan chủ trì"], ["1", "Tuyên truyền, phổ biến", "Hằng năm", "Văn phòng"],
            ["2", "Xây dựng kế hoạch", "Quý I/2026", "Phòng Kinh tế"]]
    cols = [50, 90, 300, 450, 600]
    c = canvas.Canvas(str(path), pagesize=(842, 595), encrypt=encrypt)
    if sideways:
        c.translate(595, 0)
        c.rotate(90)
    c.setFont(font, 11)
    c.drawString(300, 560, "PHỤ LỤC NHIỆM VỤ")
    for r, row in enumerate(rows):
        for col, value in enumerate(row):
            c.drawString(cols[col] + 4, 500 - r * 30, value)
    if ruled:
        for r in range(len(rows) + 1):
            c.line(cols[0], 520 - r * 30, cols[-1], 520 - r * 30)
        for x in cols:
            c.line(x, 520, x, 520 - len(rows) * 30)
    c.save()
    return path


@pytest.mark.parametrize("kind", ["ruled", "sideways", "borderless", "owner-password"])
def test_made_tables_read_alike(tmp_path: Path, kind: str):
    enc = StandardEncryption(userPassword="", ownerPassword="owner", canCopy=0) if kind == "owner-password" else None
    path = _table_pdf(tmp_path / f"{kind}.pdf", encrypt=enc, sideways=kind == "sideways", ruled=kind != "borderless")
    pdfium, plumber = both(path)
    assert pdfium == plumber
    assert [t["stt"] for t in pdfium["tasks"]] == ["1", "2"]


def test_user_password_with_both_engines(tmp_path: Path):
    path = _table_pdf(tmp_path / "u.pdf", encrypt=StandardEncryption(userPassword="secret", ownerPassword="owner"))
    for engine in ENGINES:
        with pytest.raises(PasswordRequired):
            read_pdf(path, engine=engine)
        with pytest.raises(PasswordRequired, match="wrong password"):
            read_pdf(path, password="nope", engine=engine)
    pdfium, plumber = both(path, password="secret")
    assert pdfium == plumber


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_file_reads_alike_or_fails_alike(tmp_path: Path, keep: float):
    data = (SAMPLES / "long-table-dong-nai.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    results = []
    for engine in ENGINES:
        try:
            results.append(phuluc.convert(path, {"pdf_engine": engine}).to_dict())
        except (DamagedFile, NoTextLayer) as e:
            results.append(e.code)
    assert results[0] == results[1]


def test_a_file_one_engine_cannot_open_is_read_by_the_other(tmp_path: Path, monkeypatch):
    path = SAMPLES / "vinh-bao-761.pdf"
    expected = phuluc.convert(path).to_dict()
    real = pdf_reader._source
    for broken in ENGINES:
        def source(p, password, engine, broken=broken):
            if engine == broken:
                raise DamagedFile(f"{engine} cannot open it")
            return real(p, password, engine)

        monkeypatch.setattr(pdf_reader, "_source", source)
        for engine in ENGINES:
            assert phuluc.convert(path, {"pdf_engine": engine}).to_dict() == expected


def test_damaged_for_both_engines_keeps_the_first_engines_reason(tmp_path: Path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with pytest.raises(DamagedFile):
        read_pdf(path, engine="pdfium")
    with pytest.raises(DamagedFile):
        read_pdf(path, engine="pdfplumber")


def test_engine_setting_is_checked():
    assert Settings().pdf_engine == "pdfium"
    with pytest.raises(ValueError, match="pdf_engine"):
        Settings(pdf_engine="poppler")
    with pytest.raises(ValueError, match="unknown PDF engine"):
        read_pdf(SAMPLES / "vinh-bao-761.pdf", engine="poppler")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(not CHROMIUM, reason="needs chromium to print a PDF from another producer (Skia)")
def test_a_browser_printed_plan_reads_alike(tmp_path: Path):
    golden = json.loads((SAMPLES / "vinh-bao-761.golden.json").read_text(encoding="utf-8"))
    rows = "".join(
        f"<tr><td>{t['stt']}</td><td>{html.escape(t['task'])} <s>bỏ đi</s></td><td>{html.escape(t['timeline'])}</td>"
        f"<td>{html.escape(t['lead'])}</td><td>{html.escape(t['partners'])}</td></tr>" for t in golden["tasks"])
    page = tmp_path / "plan.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><style>body{font-family:"DejaVu Serif";font-size:12px}'
        "table{border-collapse:collapse;width:100%} td,th{border:1px solid #000;padding:3px;vertical-align:top}</style>"
        '</head><body><p style="text-align:center"><b>PHỤ LỤC<br>NHIỆM VỤ CỤ THỂ</b><br><i>(Kèm theo Kế hoạch số '
        "761/KH-UBND ngày 06/4/2026 của Ủy ban nhân dân xã Vĩnh Bảo)</i></p><table><tr><th>STT</th><th>Nhiệm vụ</th>"
        "<th>Thời gian thực hiện</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th></tr>" + rows + "</table></body></html>",
        encoding="utf-8")
    out = tmp_path / "plan.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}",
                    "--no-pdf-header-footer", page.as_uri()], capture_output=True, timeout=120, check=False)
    if not out.exists():
        pytest.skip("chromium could not print")
    pdfium, plumber = both(out)
    assert pdfium == plumber
    got = [(t["stt"], t["task"], t["lead"]) for t in pdfium["tasks"]]
    assert got == [(t["stt"], t["task"], t["lead"]) for t in golden["tasks"]]  # struck words dropped, wraps joined


def test_line_text_without_marks_gives_the_words_of_the_full_path():
    import random
    import unicodedata

    from phuluc.extract import pdf_words
    from phuluc.extract.pdf_words import Glyph

    rng = random.Random(15)
    for _ in range(500):
        x, line = 10.0, []
        for _ in range(rng.randint(1, 30)):
            text = rng.choice("abcĐệ  ,.-1")
            size = rng.choice([0.5, 8.0, 11.0, 12.0])
            width = rng.uniform(0.0, 7.0)
            line.append(Glyph(text, x, x + width, 100.0, 100.0 + size, size, "F"))
            x += width + rng.choice([0.0, 0.5, 1.5, 3.0, 8.0])
        full = unicodedata.normalize("NFC", " ".join("".join(u.text for u in w) for w in pdf_words._word_units(line)))
        assert pdf_words.line_text(line) == full


def test_fake_bold_drawn_twice_a_little_apart_reads_once_with_pdfium(tmp_path: Path):
    # Where the engines part: PDFium drops a text object drawn again at nearly the same place (fake
    # bold), pdfminer keeps both copies and only exact repeats are dropped after it.
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path), pagesize=(600, 400))
    c.setFont(_font(), 12)
    for dx in (0.0, 0.4):
        c.drawString(50 + dx, 350, "PHỤ LỤC NHIỆM VỤ")
    c.save()
    assert [ln.text for ln in read_pdf(path, engine="pdfium").lines] == ["PHỤ LỤC NHIỆM VỤ"]


def _draw_pages(path: Path, pages: list[list[list[str]]], cols: list[float]) -> None:
    """A table without lines: each page's rows drawn at the column positions, 30 pt apart."""
    c = canvas.Canvas(str(path), pagesize=(842, 595))
    for rows in pages:
        c.setFont(_font(), 11)
        for r, row in enumerate(rows):
            for col, value in enumerate(row):
                c.drawString(cols[col] + 4, 500 - r * 30, value)
        c.showPage()
    c.save()


def test_a_first_page_of_one_row_borrows_the_columns_of_the_next_page(tmp_path: Path):
    """A line-less list whose first page holds few rows under the header, their "Thời gian" cells
    empty: that page alone shows no gutter between "Nhiệm vụ" and "Thời gian" (the two merge);
    the next page's rows do, and the second pass reads the first page with them."""
    cols = [50, 90, 330, 430, 560]
    head = ["STT", "Nhiệm vụ", "Thời gian", "Chủ trì", "Phối hợp"]
    pages = [[head, ["1", "Nâng cấp hạ tầng mạng", "", "Văn phòng", "Phòng Kinh tế"],
              ["2", "Số hóa hồ sơ", "", "Phòng Nội vụ", "Các xã"]],
             [["3", "Xây dựng kế hoạch", "Quý I/2026", "Phòng Tư pháp", "Các cơ quan"],
              ["4", "Tuyên truyền, phổ biến", "Hằng năm", "Phòng Văn hóa", "Các xã"],
              ["5", "Triển khai nền tảng dữ liệu", "Năm 2027", "Văn phòng", "Phòng Kinh tế"]]]
    path = tmp_path / "first-page-one-row.pdf"
    _draw_pages(path, pages, cols)
    for engine in ("pdfium", "pdfplumber"):
        tables = read_pdf(path, engine=engine).tables
        assert [t.n_cols for t in tables] == [5, 5], engine
        first = {(c.row, c.col): c.text for c in tables[0].cells}
        assert first[(0, 2)] == "Thời gian" and first[(1, 1)] == "Nâng cấp hạ tầng mạng", engine


def test_pages_of_few_rows_borrow_the_columns_of_a_later_page_of_the_same_table(tmp_path: Path):
    """Two pages whose rows leave "Thời gian" empty under the repeated header, the third fills it:
    both earlier pages are read in the third page's columns, not only the one just before it
    (held-out Word lists: "Chủ trì thực hiện Phối hợp thực hiện" read as one column on three pages)."""
    cols = [50, 90, 330, 430, 560]
    head = ["STT", "Nhiệm vụ", "Thời gian", "Chủ trì", "Phối hợp"]
    pages = [[head, ["1", "Nâng cấp hạ tầng mạng", "", "Văn phòng", "Phòng Kinh tế"],
              ["2", "Số hóa hồ sơ", "", "Phòng Nội vụ", "Các xã"]],
             [head, ["3", "Rà soát thủ tục", "", "Phòng Tư pháp", "Các cơ quan"],
              ["4", "Tập huấn cán bộ", "", "Phòng Nội vụ", "Các xã"]],
             [head, ["5", "Xây dựng kế hoạch", "Quý I/2026", "Phòng Tư pháp", "Các cơ quan"],
              ["6", "Tuyên truyền, phổ biến", "Hằng năm", "Phòng Văn hóa", "Các xã"],
              ["7", "Triển khai nền tảng dữ liệu", "Năm 2027", "Văn phòng", "Phòng Kinh tế"]]]
    path = tmp_path / "two-pages-few-rows.pdf"
    _draw_pages(path, pages, cols)
    for engine in ("pdfium", "pdfplumber"):
        tables = read_pdf(path, engine=engine).tables
        assert [t.n_cols for t in tables] == [5, 5, 5], engine
        assert all({(c.row, c.col): c.text for c in t.cells}[(0, 2)] == "Thời gian" for t in tables), engine
