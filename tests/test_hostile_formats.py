"""Second round of hostile input (issue 13, items 1-6 and 13): bombs in what the XML declares, inflation
bombs, encrypted and disguised Office files, tables in text boxes and page headers, text that is not text.

Every input is made by `hostile_makers.py` from the samples or from scratch; each is converted
alone (its right result and a one-line true reason) and all together in one batch with good files.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import phuluc
from phuluc.batch import run_batch
from phuluc.extract.pdf_text_layer import judge_text_layer
from phuluc.pipeline import Settings
from phuluc.schema.errors import DamagedFile, PasswordRequired, PhulucError, TooLarge, UnsupportedFormat

_spec = importlib.util.spec_from_file_location("hostile_makers", Path(__file__).with_name("hostile_makers.py"))
makers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(makers)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "vinh-bao-761.docx"
GOOD = [SAMPLE, ROOT / "samples" / "nghe-an-980.pdf"]
HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))

NO_OCR = {"ocr": "never"}  # these tests judge the text layer; scans are read by OCR unless --ocr never


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile2")
    for name, (make, _) in makers.CASES.items():
        make(folder / name)
    return folder


@pytest.fixture(scope="module")
def sample_tasks() -> list[tuple[str, str]]:
    return [(t.stt, t.task) for t in phuluc.convert(SAMPLE).tasks]


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-P", "-m", "phuluc.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


@pytest.mark.parametrize("name", sorted(makers.CASES))
def test_each_alone(files: Path, name: str):
    expected = makers.CASES[name][1]
    if not expected:
        assert phuluc.convert(files / name).tasks or name == "owner-only.pdf"
        return
    with pytest.raises(PhulucError) as e:
        phuluc.convert(files / name, NO_OCR)  # the text layer's verdict (with OCR, scans are read)
    assert e.value.code == expected
    assert e.value.message and "\n" not in e.value.message and e.value.__cause__ is None


# --- 1. counts the XML declares -------------------------------------------------------------------


def test_gridspan_and_numbering_bombs_are_refused_at_once(files: Path):
    for name, words in (("gridspan-bomb.docx", "spanning 10000000 columns"), ("numbering-bomb.docx", "2000000000")):
        start = time.perf_counter()
        with pytest.raises(DamagedFile, match=words):
            phuluc.convert(files / name)
        assert time.perf_counter() - start < 5


def test_a_table_too_big_for_memory_is_too_large(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("phuluc.extract.docx.MAX_TABLE_CELLS", 20)
    with pytest.raises(TooLarge, match="columns and over"):
        phuluc.convert(SAMPLE)


# --- 2. inflation and memory ------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_inflation_bomb_is_refused_at_the_stream_ceiling(tmp_path: Path, engine: str):
    small = makers.inflation_bomb(tmp_path / "small-bomb.pdf", mib=8)
    with pytest.raises(TooLarge, match="inflates to more than 4 MiB"):
        phuluc.convert(small, Settings(max_stream=4, pdf_engine=engine))
    with pytest.raises(PhulucError) as e:  # under the ceiling it is read (and holds no text)
        phuluc.convert(small, Settings(max_stream=16, pdf_engine=engine))
    assert e.value.code == "no-text-layer"


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_text_layer_verdicts_are_the_same_with_both_engines(files: Path, engine: str):
    for name, code in (("no-tounicode.pdf", "undecodable-text"), ("camscanner.pdf", "no-text-layer")):
        with pytest.raises(PhulucError) as e:
            phuluc.convert(files / name, Settings(pdf_engine=engine, ocr="never"))
        assert e.value.code == code
    assert phuluc.convert(files / "owner-only.pdf", Settings(pdf_engine=engine, password="x")).pages == 1


def test_every_expanding_pdf_filter_is_bounded():
    from pdfminer import pdftypes

    from phuluc.extract.pdf_streams import stream_limit

    lzw = bytes.fromhex("800b6050220c0c8501")  # "-----A---B", the example of the PDF reference
    assert pdftypes.lzwdecode(lzw) == b"-----A---B"
    with stream_limit(4):
        for decode, data in ((pdftypes.lzwdecode, lzw), (pdftypes.rldecode, bytes([200, 65, 128])),
                             (pdftypes.zlib.decompress, __import__("zlib").compress(b" " * 100))):
            with pytest.raises(TooLarge):
                decode(data)


def test_the_worker_memory_ceiling_turns_a_hungry_file_into_too_large(tmp_path: Path):
    # A 64 MiB stream is allowed by max_stream but needs more than the 100 MiB that the worker may use.
    bomb = makers.inflation_bomb(tmp_path / "hungry.pdf", mib=64)
    settings = {"max_memory": 100, "max_stream": 128, "timeout": 60}
    results = run_batch([bomb, GOOD[0]], tmp_path / "out", Settings(**settings, pdf_engine="pdfplumber"), jobs=1)
    assert results[0].code == "too-large" and "100 MiB" in results[0].reason, results[0]
    assert results[1].status in ("ok", "warning")
    # PDFium allocates in C: out of memory it ends its process, which costs that file only.
    results = run_batch([bomb, GOOD[0]], tmp_path / "out2", Settings(**settings, pdf_engine="pdfium"), jobs=1)
    assert results[0].code in ("too-large", "worker-died"), results[0]
    assert results[1].status in ("ok", "warning")


def test_worker_memory_limit_setting_is_checked():
    with pytest.raises(ValueError):
        Settings(max_memory=-1)
    with pytest.raises(ValueError):
        Settings(max_stream=0)


# --- 3. OLE containers --------------------------------------------------------------------------


def test_encrypted_docx_needs_and_takes_its_password(files: Path, sample_tasks):
    with pytest.raises(PasswordRequired, match="encrypted with a password: give its password"):
        phuluc.convert(files / "encrypted.docx")
    with pytest.raises(PasswordRequired, match="wrong password"):
        phuluc.convert(files / "encrypted.docx", {"password": "sai"})
    doc = phuluc.convert(files / "encrypted.docx", {"password": "matkhau"})
    assert [(t.stt, t.task) for t in doc.tasks] == sample_tasks
    assert doc.source == "encrypted.docx"


def test_encrypted_docx_with_password_in_the_cli(files: Path, tmp_path: Path):
    result = cli("convert", str(files / "encrypted.docx"), "-o", str(tmp_path / "out"), "--password", "matkhau")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out" / "encrypted.json").read_text(encoding="utf-8"))["tasks"]


def test_other_ole_files_are_named(tmp_path: Path):
    with pytest.raises(UnsupportedFormat, match="an Excel 97-2003 workbook"):
        phuluc.convert(makers.xls_named_doc(tmp_path / "x.doc"))
    with pytest.raises(UnsupportedFormat, match="PowerPoint 97-2003"):
        phuluc.convert(makers.cfb(tmp_path / "p.doc", {"PowerPoint Document": bytes(5000)}))


def test_an_encrypted_doc_needs_its_password(tmp_path: Path):
    fib = bytearray(5000)
    fib[0:4] = b"\xec\xa5\xc1\x00"  # wIdent, nFib
    fib[10:12] = (0x0300).to_bytes(2, "little")  # fEncrypted, fWhichTblStm
    doc = makers.cfb(tmp_path / "locked.doc", {"WordDocument": bytes(fib), "1Table": bytes(5000)})
    with pytest.raises(PasswordRequired, match="a Word 97-2003 document encrypted with a password"):
        phuluc.convert(doc)


def test_a_real_doc_still_goes_to_libreoffice(tmp_path: Path):
    soffice = tmp_path / "fake-soffice"
    soffice.write_text("#!/bin/sh\necho called > \"$(dirname \"$0\")/called\"\nexit 1\n")
    soffice.chmod(0o755)
    doc = makers.cfb(tmp_path / "old.doc", {"WordDocument": b"\xec\xa5" + bytes(5000)})
    with pytest.raises(DamagedFile, match="LibreOffice could not convert"):
        phuluc.convert(doc, Settings(soffice=str(soffice)))
    assert (tmp_path / "called").exists()


# --- 4. files in disguise -------------------------------------------------------------------------


@pytest.mark.parametrize("name,what", [("workbook.docx", "an Excel workbook"), ("slides.docx", "a PowerPoint presentation")])
def test_office_files_named_docx_are_named(files: Path, name: str, what: str):
    with pytest.raises(UnsupportedFormat, match=f"{what}, not a Word document"):
        phuluc.convert(files / name)


def test_odt_named_docx_is_named(tmp_path: Path):
    odt = makers.write_zip(tmp_path / "x.docx", {"mimetype": b"application/vnd.oasis.opendocument.text",
                                                 "content.xml": b"<x/>"})
    with pytest.raises(UnsupportedFormat, match="an OpenDocument text"):
        phuluc.convert(odt)


@pytest.mark.parametrize("name", ["macro.docx", "strict.docx", "missing-image.docx"])
def test_valid_word_variants_read_like_the_sample(files: Path, name: str, sample_tasks):
    doc = phuluc.convert(files / name)
    assert [(t.stt, t.task) for t in doc.tasks] == sample_tasks
    assert doc.document.number == "761/KH-UBND"
    codes = [w.code for w in doc.warnings]
    if name == "missing-image.docx":
        note = next(w for w in doc.warnings if w.code == "partial-recovery")
        assert "word/media/image1.png (an image) is missing" in note.message
    else:
        assert "partial-recovery" not in codes


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("name", sorted(makers.WEB_CASES))
def test_word_save_formats_named_doc_go_through_libreoffice(tmp_path: Path, name: str):
    doc = phuluc.convert(makers.WEB_CASES[name](tmp_path / name))
    assert [(t.stt, t.task, t.timeline, t.lead) for t in doc.tasks] == makers.TASKS
    assert any(w.code == "doc-converted" for w in doc.warnings)


def test_word_save_formats_without_libreoffice_say_what_they_are(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("phuluc.extract.doc_convert.shutil.which", lambda name: None)
    for name, what in (("web-page.doc", "a web page (HTML)"), ("single-file-page.doc", "a single-file web page (MHT)"),
                       ("word-2003.doc", "a Word 2003 XML document"), ("rich-text.doc", "an RTF document")):
        with pytest.raises(PhulucError) as e:
            phuluc.convert(makers.WEB_CASES[name](tmp_path / name))
        assert e.value.code == "legacy-doc" and what in e.value.message and "LibreOffice" in e.value.message


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_a_web_page_never_makes_libreoffice_fetch_anything(tmp_path: Path):
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_OPTIONS = do_PROPFIND = do_GET  # noqa: N815 - LibreOffice asks OPTIONS and HEAD first

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = makers.word_web_page(tmp_path / "linked.doc", url=f"http://127.0.0.1:{server.server_port}")
        doc = phuluc.convert(page)
    finally:
        server.shutdown()
    assert len(doc.tasks) == len(makers.TASKS)
    assert requests == []  # LibreOffice given the raw page asks OPTIONS, HEAD and GET for the image and the CSS


# --- 5. tables where the body does not hold them ----------------------------------------------------


@pytest.mark.parametrize("name", ["text-box.docx", "header-table.docx"])
def test_tables_in_text_boxes_and_headers_are_read_once(files: Path, name: str, sample_tasks):
    doc = phuluc.convert(files / name)
    assert [(t.stt, t.task) for t in doc.tasks] == sample_tasks  # once: the VML fallback is not read again
    assert "no-task-table" not in [w.code for w in doc.warnings]


# --- 6. text that is not text ---------------------------------------------------------------------


def test_fonts_without_unicode_map_are_undecodable_text(files: Path):
    with pytest.raises(PhulucError) as e:
        phuluc.convert(files / "no-tounicode.pdf", NO_OCR)
    assert e.value.code == "undecodable-text" and "(cid:NN)" in e.value.message


def test_a_scan_with_a_stamped_footer_has_no_text_layer(files: Path):
    with pytest.raises(PhulucError) as e:
        phuluc.convert(files / "camscanner.pdf", NO_OCR)
    assert e.value.code == "no-text-layer"


def test_a_scanned_page_among_text_pages_is_named(tmp_path: Path):
    doc = phuluc.convert(makers.half_scanned(tmp_path / "half.pdf"), NO_OCR)
    note = next(w for w in doc.warnings if w.code == "scanned-pages")
    assert note.message.startswith("pages 2 of 2 are scans")


def test_the_text_layer_verdict():
    assert not judge_text_layer([], 0.0).usable
    assert judge_text_layer(list("Scanned by CamScanner"), 0.9).reason == "stamp-only"
    assert judge_text_layer(list("Scanned by CamScanner"), 0.0).usable  # a short text page is still text
    assert judge_text_layer(["(cid:3)"] * 50 + list("abc"), 0.0).reason == "undecodable"
    few = judge_text_layer(["(cid:3)"] + list("Kế hoạch số 761/KH-UBND của Ủy ban nhân dân"), 0.0)
    assert few.usable and few.undecodable == 1
    assert judge_text_layer(list("x" * 500), 1.0).usable  # OCR text over a scan is a text layer


# --- 13. --password on an owner-password-only PDF ---------------------------------------------------------


def test_a_password_given_for_the_batch_does_not_break_owner_only_pdfs(files: Path, tmp_path: Path):
    result = cli("convert", str(files / "owner-only.pdf"), "-o", str(tmp_path / "out"), "--password", "anything")
    assert result.returncode == 0, result.stderr


# --- all together ------------------------------------------------------------------------------


def test_all_in_one_batch_with_good_files(files: Path, tmp_path: Path):
    folder = tmp_path / "in"
    shutil.copytree(files, folder)
    for good in GOOD:
        shutil.copy(good, folder / good.name)
    out = tmp_path / "out"
    result = cli("convert", str(folder), "-o", str(out), "--jobs", "2", "--timeout", "60", "--ocr", "never")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    rows = {Path(r["input"]).name: r for r in report["files"]}
    for name, (_, expected) in makers.CASES.items():
        if expected:
            assert rows[name]["code"] == expected, rows[name]
            assert sum(name in ln and rows[name]["reason"] in ln for ln in result.stderr.splitlines()) == 1, name
        else:
            assert rows[name]["status"] in ("ok", "warning"), rows[name]
    for good in GOOD:
        assert rows[good.name]["status"] in ("ok", "warning") and rows[good.name]["tasks"] > 0
    assert report["totals"]["worker_peak_rss_mib"] < 1024
