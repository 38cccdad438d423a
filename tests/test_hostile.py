"""Bad and hostile input: each case alone, and all of them in one batch with good files.

Every bad file gets one line on stderr naming it and the reason, a row in report.json,
and the batch goes on; the exit status is 1 at the end. The files are made here, in tmp_path.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

import phuluc
from phuluc.batch import run_batch
from phuluc.cli import Invocation, invoke
from phuluc.pipeline import Settings
from phuluc.schema.errors import LegacyDoc, PhulucError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
GOOD = [SAMPLES / "vinh-bao-761.docx", SAMPLES / "nghe-an-980.pdf"]
HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
POSIX = os.name == "posix"


def cli(*args: str) -> Invocation:
    return invoke(list(args))  # in this process; tests/test_cli.py keeps the subprocess smoke tests


# --- makers -----------------------------------------------------------------------------------


def pdf(path: Path, pages: int = 1, encrypt=None, text: bool = True, rows: int = 4) -> Path:
    c = canvas.Canvas(str(path), pagesize=(842, 595), encrypt=encrypt, invariant=1)
    for page in range(pages):
        if text:
            c.setFont("Helvetica", 10)
            c.drawString(300, 560, f"PHU LUC page {page + 1}")
            for r in range(rows):
                c.drawString(60, 500 - r * 24, f"{r + 1}   Task {r + 1} of page {page + 1}   2026   Office")
                c.line(50, 515 - r * 24, 700, 515 - r * 24)
        else:  # a "scan": a picture of a page, no text layer
            from PIL import Image

            img = Image.new("L", (200, 100), 255)
            for x in range(20, 180):
                img.putpixel((x, 50), 0)
            c.drawInlineImage(img, 50, 50, width=700, height=450)
        c.showPage()
    c.save()
    return path


def docx_with(path: Path, document_xml: bytes | None = None, extra: dict[str, bytes] | None = None,
              src: Path = SAMPLES / "vinh-bao-761.docx") -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml" and document_xml is not None:
                data = document_xml
            z.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def sample_document_xml() -> str:
    with zipfile.ZipFile(SAMPLES / "vinh-bao-761.docx") as z:
        return z.read("word/document.xml").decode("utf-8")


def with_doctype(doctype: str, entity: str) -> bytes:
    body = sample_document_xml().split("?>", 1)[1]
    body = body.replace("Tuyên truyền", entity + "Tuyên truyền", 1)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype + body).encode("utf-8")


BILLION_LAUGHS = "<!DOCTYPE w:document [<!ENTITY lol \"lol\">" + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)) + "]>"
EXTERNAL = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'


def bomb_declared(path: Path) -> Path:
    """A DOCX whose document.xml declares 1 GiB (the header lies; check_zip must refuse before inflating)."""
    docx_with(path)
    data = bytearray(path.read_bytes())
    # Patch the uncompressed size in the central directory entry of word/document.xml.
    name = b"word/document.xml"
    cd = data.find(b"PK\x01\x02")
    while cd != -1:
        n = int.from_bytes(data[cd + 28:cd + 30], "little")
        if data[cd + 46:cd + 46 + n] == name:
            data[cd + 24:cd + 28] = (2**30).to_bytes(4, "little")
        cd = data.find(b"PK\x01\x02", cd + 4)
    path.write_bytes(bytes(data))
    return path


def bomb_ratio(path: Path) -> Path:
    """A DOCX with a real 40 MiB part that compresses 1000:1."""
    xml = sample_document_xml()
    padded = xml.replace("<w:body>", "<w:body>" + " " * (40 * 2**20), 1).encode("utf-8")
    return docx_with(path, padded)


def fake_soffice(tmp: Path, body: str) -> Path:
    script = tmp / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return script


# name -> (maker, expected code, where "" means converted: ok or warning)
CASES = {
    "empty.pdf": (lambda p: p.write_bytes(b"") or p, "empty-file"),
    "truncated.pdf": (lambda p: p.write_bytes((SAMPLES / "nghe-an-980.pdf").read_bytes()[:20000]) or p, "damaged-file"),
    "user-password.pdf": (lambda p: pdf(p, encrypt=StandardEncryption("secret", ownerPassword="owner")), "password-required"),
    "owner-only.pdf": (lambda p: pdf(p, encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0)), ""),
    "png-named.pdf": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)) or p, "unsupported-format"),
    "text-named.docx": (lambda p: p.write_text("Kế hoạch số 1\n", encoding="utf-8") or p, "unsupported-format"),
    "scan.pdf": (lambda p: pdf(p, text=False), "no-text-layer"),
    "no-table.docx": (lambda p: Path(shutil.copy(SAMPLES / "sa-dec-no-task-table.docx", p)), ""),
    "bomb-declared.docx": (bomb_declared, "too-large"),
    "bomb-ratio.docx": (bomb_ratio, "too-large"),
    "billion-laughs.docx": (lambda p: docx_with(p, with_doctype(BILLION_LAUGHS, "&lol9;")), "damaged-file"),
    "external-entity.docx": (lambda p: docx_with(p, with_doctype(EXTERNAL, "&xxe;")), "damaged-file"),
    "many-pages.pdf": (lambda p: pdf(p, pages=300, rows=1), "too-large"),  # with --max-pages 100
    "broken-xml.docx": (lambda p: docx_with(p, b"<w:document><w:body><w:p>"), "damaged-file"),
}
BATCH_ARGS = ["--max-pages", "100", "--timeout", "20"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in CASES.items():
        make(folder / name)
    return folder


# PDFs with both engines: each must refuse or read them alike.
SINGLE = [(name, engine) for name in sorted(CASES) for engine in (("pdfium", "pdfplumber") if name.endswith(".pdf") else ("pdfium",))]


@pytest.mark.parametrize(("name", "engine"), SINGLE)
def test_single_file(hostile: Path, tmp_path: Path, name: str, engine: str):
    expected = CASES[name][1]
    result = cli("convert", str(hostile / name), "-o", str(tmp_path / "out"), *BATCH_ARGS, "--pdf-engine", engine)
    assert "Traceback" not in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    row = report["files"][0]
    if expected:
        assert result.returncode == 1, result.stderr
        assert row["status"] == "error" and row["code"] == expected, row
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and name in lines[0] and row["reason"] in lines[0]
        assert not (tmp_path / "out" / f"{Path(name).stem}.json").exists()
    else:
        assert result.returncode == 0, result.stderr
        assert row["status"] in ("ok", "warning")
        assert (tmp_path / "out" / f"{Path(name).stem}.json").exists()


def test_all_in_one_batch_with_good_files(hostile: Path, tmp_path: Path):
    folder = tmp_path / "in"
    shutil.copytree(hostile, folder)
    for good in GOOD:
        shutil.copy(good, folder / good.name)
    out = tmp_path / "out"
    result = cli("convert", str(folder), "-o", str(out), "--jobs", "2", *BATCH_ARGS)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    rows = {Path(r["input"]).name: r for r in report["files"]}
    for name, (_, expected) in CASES.items():
        if expected:
            assert rows[name]["code"] == expected, rows[name]
            assert any(name in ln and rows[name]["reason"] in ln for ln in result.stderr.splitlines()), name
        else:
            assert rows[name]["status"] in ("ok", "warning"), rows[name]
    for good in GOOD:
        assert rows[good.name]["status"] in ("ok", "warning") and rows[good.name]["tasks"] > 0
        assert (out / f"{good.stem}.json").exists()
    assert report["totals"]["error"] == sum(1 for _, code in CASES.values() if code)
    assert not list(out.rglob("*.part"))


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_user_password_given(hostile: Path, tmp_path: Path, engine: str):
    result = cli("convert", str(hostile / "user-password.pdf"), "-o", str(tmp_path / "out"), "--password", "secret",
                 "--pdf-engine", engine)
    assert result.returncode == 0, result.stderr


def test_no_task_table_is_a_warning_not_an_error(hostile: Path, tmp_path: Path):
    result = cli("convert", str(hostile / "no-table.docx"), "-o", str(tmp_path / "out"))
    assert result.returncode == 0
    assert "no-table.docx: warning: no task table" in result.stderr
    doc = json.loads((tmp_path / "out" / "no-table.json").read_text(encoding="utf-8"))
    assert doc["tasks"] == [] and [w["code"] for w in doc["warnings"]] == ["no-task-table"]


def test_entities_are_neither_expanded_nor_fetched(hostile: Path):
    for name in ("billion-laughs.docx", "external-entity.docx"):
        start = time.monotonic()
        with pytest.raises(PhulucError) as e:
            phuluc.convert(hostile / name)
        assert time.monotonic() - start < 5
        assert "DTD" in str(e.value)
    # The parser python-docx uses resolves no entity and loads no DTD even without the guard.
    from docx.oxml.parser import oxml_parser
    from lxml import etree

    root = etree.fromstring(with_doctype(EXTERNAL, "&xxe;"), oxml_parser)
    text = "".join(root.itertext())
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0"
    assert hostname not in text


def test_zip_bomb_refused_before_inflating(hostile: Path):
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(PhulucError) as e:
        phuluc.convert(hostile / "bomb-ratio.docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert e.value.code == "too-large"
    assert peak < 20 * 2**20  # nothing near the 40 MiB inside was inflated


@pytest.mark.skipif(not POSIX, reason="named pipes")
def test_a_file_that_blocks_on_read_times_out_and_the_batch_goes_on(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD[0], folder / "a.docx")
    os.mkfifo(folder / "b-fifo.pdf")  # reading blocks forever
    shutil.copy(GOOD[1], folder / "c.pdf")
    start = time.monotonic()
    result = cli("convert", str(folder / "a.docx"), str(folder / "b-fifo.pdf"), str(folder / "c.pdf"),
                 "-o", str(tmp_path / "out"), "--jobs", "1", "--timeout", "2")
    assert time.monotonic() - start < 30
    assert result.returncode == 1
    assert "b-fifo.pdf: the conversion took longer than 2 s" in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in report["files"]] == ["ok", "error", "warning"] or report["files"][2]["status"] != "error"
    assert report["files"][1]["code"] == "timeout"
    assert (tmp_path / "out" / "c.json").exists()


def test_thousands_of_pages_time_out_with_jobs_1(tmp_path: Path):
    big = pdf(tmp_path / "big.pdf", pages=1500, rows=2)
    start = time.monotonic()
    # pdfplumber's engine: PDFium reads these simple pages so fast that 1,500 can finish within the limit.
    settings = Settings(max_pages=100_000, timeout=1.5, pdf_engine="pdfplumber")
    results = run_batch([big, GOOD[0]], tmp_path / "out", settings, jobs=1)
    assert time.monotonic() - start < 30
    assert results[0].code == "timeout"
    assert results[1].status in ("ok", "warning")


@pytest.mark.skipif(not POSIX, reason="shell script as a fake LibreOffice")
def test_hung_libreoffice_is_killed_with_its_worker(tmp_path: Path):
    pidfile = tmp_path / "pid"
    soffice = fake_soffice(tmp_path, f"echo $$ > {pidfile}\nexec sleep 60")
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    results = run_batch([doc, GOOD[0]], tmp_path / "out", Settings(soffice=str(soffice), timeout=2), jobs=1)
    assert results[0].code == "timeout", results[0]
    assert results[1].status in ("ok", "warning")
    pid = int(pidfile.read_text())
    assert _dead(pid), "the fake LibreOffice outlived its worker"  # the process group was killed, not only the worker


def _dead(pid: int, wait: float = 5.0) -> bool:
    """Gone, or a zombie waiting for init to reap it."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not POSIX, reason="shell script as a fake LibreOffice")
def test_a_worker_that_dies_costs_one_file(tmp_path: Path):
    soffice = fake_soffice(tmp_path, "kill -9 $PPID; sleep 5")
    doc = tmp_path / "crash.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    results = run_batch([GOOD[0], doc, GOOD[1]], tmp_path / "out", Settings(soffice=str(soffice), timeout=20), jobs=1)
    assert [r.status != "error" for r in results] == [True, False, True]
    assert results[1].code == "worker-died" and "signal 9" in results[1].reason


def test_legacy_doc_without_libreoffice_is_a_clear_error(tmp_path: Path, monkeypatch):
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    monkeypatch.setattr("phuluc.extract.doc_convert.shutil.which", lambda name: None)
    with pytest.raises(LegacyDoc) as e:
        phuluc.convert(doc)
    assert "LibreOffice" in str(e.value) and ".docx" in str(e.value)


def test_file_vanishing_mid_run(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.docx", "b.docx", "c.docx"):
        shutil.copy(GOOD[0], folder / name)

    class DeleteNext:
        total = 0

        def update(self, result):
            if result.source == "a.docx":
                (folder / "b.docx").unlink()  # gone after the batch found it, before it is read

        def tick(self):
            pass

        def close(self):
            pass

    results = run_batch([folder], tmp_path / "out", jobs=1, progress=DeleteNext())
    assert [r.status == "error" for r in results] == [False, True, False]
    assert results[1].code == "unreadable" and "does not exist" in results[1].reason


@pytest.mark.skipif(not POSIX or os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file(tmp_path: Path):
    f = tmp_path / "locked.docx"
    shutil.copy(GOOD[0], f)
    f.chmod(0)
    results = run_batch([f], tmp_path / "out", jobs=1)
    assert results[0].code == "unreadable"


@pytest.mark.skipif(not POSIX, reason="signals")
def test_ctrl_c_exits_130_with_a_note_and_no_half_written_file(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        shutil.copy(GOOD[0], folder / f"a{i}.docx")
    fifo = tmp_path / "z-blocks.pdf"
    os.mkfifo(fifo)  # given by name: reading it blocks, which keeps the batch busy until it is interrupted
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-P", "-m", "phuluc.cli", "convert", str(folder), str(fifo), "-o", str(out),
                             "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out / "a2.json").exists():
        time.sleep(0.1)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in stderr
    assert "interrupted after 3 of 4 files" in stderr and "resume" in stderr
    assert not list(out.rglob("*.part"))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True and len(report["files"]) == 3
    # A second run resumes: the finished files are skipped.
    results = run_batch([folder], out, jobs=1)
    assert [r.skipped for r in results] == [True, True, True]
