"""Makers of hostile and disguised inputs (issue 13, items 1-6 and 13), built from the samples in code.

Each maker writes one small file and returns its path. The tests in
test_hostile_formats.py convert each alone and all of them in one batch with good files.
"""

from __future__ import annotations

import base64
import copy
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_DOCX = SAMPLES / "vinh-bao-761.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The tasks of a small appendix, for the formats built from scratch (HTML, RTF, Word 2003 XML).
TASKS = [
    ("1", "Tuyên truyền Kế hoạch đến cán bộ, công chức", "Quý II/2026", "Văn phòng HĐND và UBND xã"),
    ("2", "Rà soát thủ tục hành chính", "Hằng năm", "Phòng Kinh tế"),
    ("3", "Tổng kết, đánh giá kết quả thực hiện", "Tháng 12/2030", "UBND xã"),
]
HEADER = ("STT", "Nhiệm vụ", "Thời gian thực hiện", "Cơ quan chủ trì")


# --- DOCX from the sample ------------------------------------------------------------------


def sample_parts(src: Path = SAMPLE_DOCX) -> dict[str, bytes]:
    with zipfile.ZipFile(src) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _task_table(root) -> etree._Element:
    body = root.find(W + "body")
    return next(t for t in body.findall(W + "tbl") if "Nhiệm vụ" in "".join(t.itertext()))


def gridspan_bomb(path: Path) -> Path:
    """30 rows whose last cell spans 10,000,000 columns (a 37 KB file that took 11.7 GiB)."""
    parts = sample_parts()
    root = etree.fromstring(parts["word/document.xml"])
    table = _task_table(root)
    rows = table.findall(W + "tr")
    for tr in (rows * 4)[:30]:
        tc = tr.findall(W + "tc")[-1]
        pr = tc.find(W + "tcPr")
        if pr is None:
            pr = etree.SubElement(tc, W + "tcPr")
            tc.insert(0, pr)
        span = pr.find(W + "gridSpan")
        if span is None:
            span = etree.SubElement(pr, W + "gridSpan")
        span.set(W + "val", "10000000")
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return write_zip(path, parts)


def numbering_bomb(path: Path) -> Path:
    """A list numbered from 2,000,000,000 in upper Roman (ran into the 120 s timeout)."""
    parts = sample_parts()
    numbering = parts["word/numbering.xml"].decode("utf-8")
    numbering = re.sub(r'<w:start w:val="\d+"/>', '<w:start w:val="2000000000"/>', numbering)
    numbering = re.sub(r'<w:numFmt w:val="\w+"/>', '<w:numFmt w:val="upperRoman"/>', numbering)
    assert "2000000000" in numbering
    parts["word/numbering.xml"] = numbering.encode("utf-8")
    return write_zip(path, parts)


def encrypted_docx(path: Path, password: str = "matkhau") -> Path:
    """The sample DOCX encrypted as Word's "Encrypt with Password" does (ECMA-376 agile, in a CFB)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(SAMPLE_DOCX, "rb") as f, open(path, "wb") as out:
        OOXMLFile(f).encrypt(password, out)
    return path


def docm(path: Path) -> Path:
    """The sample as a macro-enabled document (.docm content type) named .docx."""
    parts = sample_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return write_zip(path, parts)


def strict_docx(path: Path) -> Path:
    """The sample in Strict Open XML: every transitional namespace of the schemas moved to purl.oclc.org."""
    parts = sample_parts()
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")) and name != "[Content_Types].xml":
            parts[name] = re.sub(rb"http://schemas\.openxmlformats\.org/(\w+)/2006/(?!relationships\"|content-types)",
                                 rb"http://purl.oclc.org/ooxml/\1/", data)
    assert b"purl.oclc.org/ooxml/wordprocessingml/main" in parts["word/document.xml"]
    assert b"purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in parts["_rels/.rels"]
    return write_zip(path, parts)


def missing_image(path: Path) -> Path:
    """The sample with a relationship to an image part that the archive lacks."""
    parts = sample_parts()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        b' Target="media/image1.png"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
    return write_zip(path, parts)


def xlsx(path: Path) -> Path:
    """A real Excel workbook named .docx."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(list(HEADER))
    for task in TASKS:
        wb.active.append(list(task))
    wb.save(path)
    return path


def pptx(path: Path) -> Path:
    """A minimal PowerPoint package named .docx."""
    ct = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return write_zip(path, {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/ppt/presentation.xml" ContentType="{ct}"/></Types>').encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
            b' Target="ppt/presentation.xml"/></Relationships>'),
        "ppt/presentation.xml": b'<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    })


def _text_box(table: etree._Element, *, with_fallback: bool) -> etree._Element:
    """A paragraph anchoring a floating text box that holds `table` (DrawingML, with Word's VML fallback)."""
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    v = "urn:schemas-microsoft-com:vml"
    p = etree.Element(W + "p")
    r = etree.SubElement(p, W + "r")
    alt = etree.SubElement(r, f"{{{mc}}}AlternateContent")
    choice = etree.SubElement(alt, f"{{{mc}}}Choice", Requires="wps")
    drawing = etree.SubElement(choice, W + "drawing")
    anchor = etree.SubElement(drawing, f"{{{wp}}}anchor")
    graphic = etree.SubElement(anchor, f"{{{a}}}graphic")
    data = etree.SubElement(graphic, f"{{{a}}}graphicData", uri=wps)
    shape = etree.SubElement(data, f"{{{wps}}}wsp")
    box = etree.SubElement(etree.SubElement(shape, f"{{{wps}}}txbx"), W + "txbxContent")
    box.append(copy.deepcopy(table))
    etree.SubElement(box, W + "p")
    if with_fallback:  # Word repeats the box as VML for old readers: read once, not twice
        fallback = etree.SubElement(alt, f"{{{mc}}}Fallback")
        pict = etree.SubElement(fallback, W + "pict")
        vbox = etree.SubElement(etree.SubElement(pict, f"{{{v}}}shape"), f"{{{v}}}textbox")
        content = etree.SubElement(vbox, W + "txbxContent")
        content.append(copy.deepcopy(table))
        etree.SubElement(content, W + "p")
    return p


def table_in_text_box(path: Path) -> Path:
    """The sample with its task table moved into a floating text box."""
    parts = sample_parts()
    root = etree.fromstring(parts["word/document.xml"])
    table = _task_table(root)
    table.addprevious(_text_box(table, with_fallback=True))
    table.getparent().remove(table)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return write_zip(path, parts)


def table_in_header(path: Path) -> Path:
    """The sample with its task table moved into the page header part."""
    parts = sample_parts()
    root = etree.fromstring(parts["word/document.xml"])
    table = _task_table(root)
    table.getparent().remove(table)
    sect = root.find(f"{W}body/{W}sectPr")
    ref = etree.Element(W + "headerReference", nsmap={"r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"})
    ref.set(W + "type", "default")
    ref.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", "rId90")
    sect.insert(0, ref)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    header = etree.Element(W + "hdr", nsmap={"w": W_NS})
    header.append(table)
    etree.SubElement(header, W + "p")
    parts["word/header1.xml"] = etree.tostring(header, xml_declaration=True, encoding="UTF-8")
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"'
        b' Target="header1.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/header1.xml" ContentType='
        b'"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>')
    return write_zip(path, parts)


# --- CFB (OLE compound files) ------------------------------------------------------------------


def cfb(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding `streams` (each >= 4096 bytes)."""
    sector = 512
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    data = b""
    entries = [("Root Entry", 5, end, 0)]
    for name, blob in streams.items():
        assert len(blob) >= 4096, "streams under 4096 bytes would live in the mini stream"
        start = len(fat)
        n = -(-len(blob) // sector)
        fat += [start + i + 1 for i in range(n - 1)] + [end]
        data += blob.ljust(n * sector, b"\0")
        entries.append((name, 2, start, len(blob)))
    assert len(fat) <= 128 and len(entries) <= 4
    directory = b""
    for i, (name, kind, start, size) in enumerate(entries):
        encoded = (name + "\0").encode("utf-16-le")
        child = 1 if kind == 5 and len(entries) > 1 else nostream
        right = i + 1 if kind == 2 and i + 1 < len(entries) else nostream  # siblings as a right-leaning chain
        directory += (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, nostream, right, child)
                      + bytes(16) + struct.pack("<I", 0) + bytes(16) + struct.pack("<IQ", start, size))
    directory = directory.ljust(sector, b"\0")
    empty = bytes(64) + struct.pack("<HBBIII", 0, 0, 0, nostream, nostream, nostream) + bytes(48)
    directory = directory[:128 * len(entries)] + empty * (4 - len(entries))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", free) * (128 - len(fat))
    path.write_bytes(header + fat_sector + directory + data)
    return path


def xls_named_doc(path: Path) -> Path:
    return cfb(path, {"Workbook": b"\x09\x08" + bytes(5000)})


# --- web formats saved as .doc -----------------------------------------------------------------


def _html_table(url: str = "") -> str:
    rows = "".join(f"<tr>{''.join(f'<td><p>{c}</p></td>' for c in task)}</tr>" for task in TASKS)
    head = "".join(f"<td><p><b>{h}</b></p></td>" for h in HEADER)
    picture = f'<p><img src="{url}/logo.png"></p><link rel="stylesheet" href="{url}/style.css">' if url else ""
    return (f"<p>PHỤ LỤC NHIỆM VỤ CỤ THỂ</p>{picture}"
            f'<table border="1" style="background:url({url}/bg.png)"><tr>{head}</tr>{rows}</table>')


def word_web_page(path: Path, url: str = "") -> Path:
    """Word's "Web Page" save (HTML with Office namespaces), named .doc; `url` adds images that must not be fetched."""
    path.write_text(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
        '<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=ProgId content=Word.Document>'
        f"</head><body lang=VI>{_html_table(url)}</body></html>", encoding="utf-8")
    return path


def mht_page(path: Path) -> Path:
    """Word's "Single File Web Page" (MHT: the page as a MIME message), in windows-1258 as Vietnamese Word writes it."""
    html = ('<html><head><meta http-equiv=Content-Type content="text/html; charset=utf-8"></head><body>'
            + _html_table() + "</body></html>").encode("utf-8")
    path.write_bytes(
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01DA"\r\n\r\n'
        b"This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
        b"------=_NextPart_01DA\r\nContent-Location: file:///C:/phuluc.htm\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Type: text/html; charset="utf-8"\r\n\r\n' + base64.encodebytes(html)
        + b"\r\n------=_NextPart_01DA--\r\n")
    return path


def word2003_xml(path: Path) -> Path:
    """Word 2003 XML ("WordprocessingML 2003"), named .doc."""
    def cell(text: str) -> str:
        return f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = "".join("<w:tr>" + "".join(cell(c) for c in row) + "</w:tr>" for row in [HEADER, *TASKS])
    grid = "<w:tblGrid>" + '<w:gridCol w:w="2000"/>' * 4 + "</w:tblGrid>"
    border = ''.join(f'<w:{s} w:val="single" w:sz="4"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
        '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body>'
        "<w:p><w:r><w:t>PHỤ LỤC NHIỆM VỤ CỤ THỂ</w:t></w:r></w:p>"
        f"<w:tbl><w:tblPr><w:tblBorders>{border}</w:tblBorders></w:tblPr>{grid}{rows}</w:tbl>"
        "<w:p/></w:body></w:wordDocument>", encoding="utf-8")
    return path


def rtf(path: Path) -> Path:
    """An RTF document (Vietnamese as \\uN escapes), named .doc."""
    def esc(text: str) -> str:
        return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)

    rows = ""
    for row in [HEADER, *TASKS]:
        rows += "\\trowd" + "".join(f"\\clbrdrt\\brdrs\\clbrdrl\\brdrs\\clbrdrb\\brdrs\\clbrdrr\\brdrs\\cellx{2000 * (i + 1)}"
                                    for i in range(4))
        rows += "".join(f"\\pard\\intbl {esc(c)}\\cell" for c in row) + "\\row\n"
    path.write_text("{\\rtf1\\ansi\\ansicpg1252\\uc1{\\fonttbl{\\f0 Times New Roman;}}\\f0\\pard "
                    + esc("PHỤ LỤC NHIỆM VỤ CỤ THỂ") + "\\par\n" + rows + "\\pard\\par}", encoding="ascii")
    return path


# --- PDF ---------------------------------------------------------------------------------------


def _raw_pdf(path: Path, content_stream: bytes, filter_: bytes = b"/FlateDecode") -> Path:
    """A one-page PDF whose content stream is `content_stream` (already encoded), with a correct xref."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(content_stream), filter_) + content_stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def inflation_bomb(path: Path, mib: int = 1024) -> Path:
    """A PDF whose content stream inflates to `mib` MiB of blanks (the issue's 1 GiB; the ceiling is 128 MiB)."""
    z = zlib.compressobj(1)  # fast; 1 GiB of blanks packs into ~4.5 MiB
    chunk = b" " * 2**20
    packed = b"".join(z.compress(chunk) for _ in range(mib)) + z.flush()
    return _raw_pdf(path, packed)


def no_tounicode_pdf(path: Path) -> Path:
    """Text in an embedded font whose /ToUnicode map is gone: pdfminer reads it as (cid:NN)."""
    pdfmetrics.registerFont(TTFont("DejaVuHostile", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(842, 595), pageCompression=0, invariant=1)
    c.setFont("DejaVuHostile", 11)
    c.drawString(300, 560, "PHỤ LỤC NHIỆM VỤ CỤ THỂ")
    for i, (stt, task, when, lead) in enumerate(TASKS):
        c.drawString(60, 500 - i * 24, f"{stt}   {task}   {when}   {lead}")
        c.line(50, 515 - i * 24, 780, 515 - i * 24)
    c.showPage()
    c.save()
    data = path.read_bytes()
    assert b"/ToUnicode" in data
    path.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))  # same length: the xref stays right
    return path


def _scan_page(c: canvas.Canvas) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("L", (420, 300), 255)
    draw = ImageDraw.Draw(img)
    for y in range(30, 280, 18):
        draw.line((20, y, 400, y), fill=0)
    c.drawInlineImage(img, 20, 40, width=555, height=780)
    c.setFont("Helvetica", 7)
    c.drawString(240, 20, "Scanned by CamScanner")
    c.showPage()


def stamped_scan(path: Path) -> Path:
    """A scanned page (a picture of text) whose only text is the phone app's stamp in the footer."""
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    _scan_page(c)
    c.save()
    return path


def half_scanned(path: Path) -> Path:
    """A page of text, then a stamped scan: the text is read, the scan is named in a warning."""
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    c.setFont("Helvetica", 10)
    for r in range(30):
        c.drawString(60, 780 - r * 20, f"{r + 1}   Task {r + 1} of the plan   2026   Office of the commune")
    c.showPage()
    _scan_page(c)
    c.save()
    return path


def owner_only_pdf(path: Path) -> Path:
    """A PDF restricted by an owner password only (opens without a password)."""
    c = canvas.Canvas(str(path), pagesize=(842, 595), encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0),
                      invariant=1)
    c.setFont("Helvetica", 10)
    for r in range(4):
        c.drawString(60, 500 - r * 24, f"{r + 1}   Task {r + 1}   2026   Office")
    c.showPage()
    c.save()
    return path


# name -> (maker, expected code; "" when the file converts)
CASES = {
    "gridspan-bomb.docx": (gridspan_bomb, "damaged-file"),
    "numbering-bomb.docx": (numbering_bomb, "damaged-file"),
    "encrypted.docx": (encrypted_docx, "password-required"),
    "excel-97.doc": (xls_named_doc, "unsupported-format"),
    "workbook.docx": (xlsx, "unsupported-format"),
    "slides.docx": (pptx, "unsupported-format"),
    "macro.docx": (docm, ""),
    "strict.docx": (strict_docx, ""),
    "missing-image.docx": (missing_image, ""),
    "text-box.docx": (table_in_text_box, ""),
    "header-table.docx": (table_in_header, ""),
    "inflation-bomb.pdf": (inflation_bomb, "too-large"),
    "no-tounicode.pdf": (no_tounicode_pdf, "undecodable-text"),
    "camscanner.pdf": (stamped_scan, "no-text-layer"),
    "owner-only.pdf": (owner_only_pdf, ""),
}
# Need LibreOffice: converted when it is installed, `legacy-doc` without it.
WEB_CASES = {
    "web-page.doc": word_web_page,
    "single-file-page.doc": mht_page,
    "word-2003.doc": word2003_xml,
    "rich-text.doc": rtf,
}


if __name__ == "__main__":  # write every case into a folder: python tests/hostile_makers.py OUT
    import sys

    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, (make, _) in CASES.items():
        make(folder / name)
    for name, make in WEB_CASES.items():
        make(folder / name)
    print(f"{len(CASES) + len(WEB_CASES)} files in {folder}")
