"""The command line: commands run in this process (`invoke`), exit codes, one-line errors;
three smoke tests run it as a user does, in a subprocess."""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from phuluc.cli import build_parser, invoke

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
POSIX = os.name == "posix"


def run(*args: str, stdin: str = ""):
    return invoke(list(args), stdin=stdin)


def subprocess_run(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    # -P: the installed phuluc, not the source folders of the working directory (a compiled install)
    return subprocess.run([sys.executable, "-P", "-m", "phuluc.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=timeout)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "xa-a").mkdir(parents=True)
    shutil.copy(SAMPLES / "vinh-bao-761.docx", src / "vinh-bao-761.docx")
    shutil.copy(SAMPLES / "nghe-an-980.docx", src / "xa-a" / "nghe-an-980.docx")
    return src


# --- smoke tests: the command as a user runs it ------------------------------------------------


def test_convert_folder_writes_contract_outputs(folder: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = subprocess_run("convert", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads((out / "vinh-bao-761.json").read_text(encoding="utf-8"))
    assert doc["document"]["number"] == "761/KH-UBND"
    assert (out / "xa-a" / "nghe-an-980.json").exists()  # relative path kept
    raw = (out / "tasks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Vietnamese
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["issuer"] == "Ủy ban nhân dân xã Vĩnh Bảo"
    assert list(rows[0])[:10] == ["source", "issuer", "number", "date", "section", "stt", "task", "timeline", "lead", "partners"]
    assert "Sản phẩm dự kiến" in rows[0]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["files"] == 2 and report["totals"]["error"] == 0


def test_workers_ignore_a_folder_named_phuluc_in_the_current_directory(folder: Path, tmp_path: Path):
    # An output folder called "phuluc" (or a clone) in the current directory once shadowed the installed package
    # in the workers, and every file was blamed on memory as "worker-died".
    cwd = tmp_path / "cwd"
    (cwd / "phuluc").mkdir(parents=True)
    (cwd / "phuluc" / "notes.txt").write_text("not the package", encoding="utf-8")
    script = Path(sys.executable).with_name("phuluc")
    if not script.exists():
        pytest.skip("the phuluc console script is not installed beside this Python")
    result = subprocess.run([str(script), "convert", str(folder), "-o", str(tmp_path / "out"),
                             "--jobs", "2"], capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=120)
    assert result.returncode == 0, result.stderr
    totals = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["totals"]
    assert totals["error"] == 0 and totals["ok"] + totals["warning"] == 2


@pytest.mark.skipif(not POSIX, reason="SIGTERM")
def test_sigterm_is_handled_as_ctrl_c(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(40):
        shutil.copy(SAMPLES / "nghe-an-980.pdf", src / f"plan-{i:02d}.pdf")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-P", "-m", "phuluc.cli", "convert", str(src), "-o", str(out), "--jobs", "1", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    deadline = time.monotonic() + 60
    while len(list(out.glob("plan-*.json"))) < 3 and time.monotonic() < deadline:  # the first two are recorded
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert "interrupted after" in stderr and "Traceback" not in stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["interrupted"] and 1 <= report["totals"]["files"] < 40
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]


# --- in this process ---------------------------------------------------------------------------


def test_same_stem_outputs_are_named_by_whole_file_name(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "vinh-bao-761.docx", src / "x.docx")
    (src / "x.pdf").write_bytes(b"\x89PNG\r\n\x1a\n not a pdf")
    out = tmp_path / "out"
    result = run("convert", str(src), "-o", str(out))
    assert (out / "x.docx.json").exists()
    assert result.returncode == 1
    assert "x.pdf" in result.stderr and "PNG" in result.stderr


def test_bad_files_do_not_stop_the_batch(folder: Path, tmp_path: Path):
    (folder / "empty.docx").write_bytes(b"")
    (folder / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    (folder / "text.docx").write_text("not a word file", encoding="utf-8")
    out = tmp_path / "out"
    result = run("convert", str(folder), "-o", str(out))
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 3
    assert any("empty.docx" in ln and "empty" in ln for ln in lines)
    assert (out / "vinh-bao-761.json").exists()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["error"] == 3
    assert {f["code"] for f in report["files"] if f["status"] == "error"} == {"empty-file", "unsupported-format"}


def test_bad_usage_exits_2():
    assert run("convert").returncode == 2
    assert run("no-such-command").returncode == 2
    assert run().returncode == 2


@pytest.mark.parametrize("case", ["file", "under-a-file", "proc"])
def test_an_unusable_output_folder_is_one_line_and_exit_2(case: str, tmp_path: Path):
    target = tmp_path / "taken"
    target.write_text("a file", encoding="utf-8")
    out = {"file": target, "under-a-file": target / "sub", "proc": Path("/proc/phuluc-out")}[case]
    if case == "proc" and not Path("/proc").is_dir():
        pytest.skip("no /proc")
    result = run("convert", str(SAMPLES / "vinh-bao-761.docx"), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("phuluc: ") and str(out) in result.stderr


def test_qa_html_to_an_unwritable_path_and_agencies_on_a_missing_folder(tmp_path: Path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for name in ("vinh-bao-761.docx", "vinh-bao-761.golden.json"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    result = run("qa", str(tmp_path), "--html", str(tmp_path / "file" / "report.html"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "report.html" in result.stderr
    result = run("agencies", str(tmp_path / "nope"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "not a folder" in result.stderr


def test_a_second_run_into_a_held_output_folder_refuses(tmp_path: Path):
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".phuluc.lock", "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("4242")
        lock.flush()
        result = run("convert", str(SAMPLES / "vinh-bao-761.docx"), "-o", str(out))
    assert result.returncode == 2 and "another phuluc run (process 4242)" in result.stderr
    assert not (out / "report.json").exists()
    assert run("convert", str(SAMPLES / "vinh-bao-761.docx"), "-o", str(out), "-q").returncode == 0  # released


@pytest.mark.skipif(not POSIX, reason="file names with control characters")
def test_names_are_escaped_in_error_lines_and_the_summary(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad\nname\x1b[2J.pdf").write_bytes(b"")
    result = run("convert", str(src), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "\x1b" not in result.stderr + result.stdout
    error_lines = [ln for ln in result.stderr.splitlines() if ln]
    assert len(error_lines) == 1 and "bad\\nname\\x1b[2J.pdf: The file is empty" in error_lines[0]
    assert "bad\\nname\\x1b[2J.pdf: The file is empty (0 bytes)." in result.stdout


def test_normalize_text_one_line_out_per_line_in():
    lines = ["PH Ụ   L Ụ C   NHI Ệ M   V Ụ", "", "Kế hoạch số 761 /KH - UBND"]
    result = run("normalize-text", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0
    out = result.stdout.split("\n")[:-1]
    assert out == ["PHỤ LỤC NHIỆM VỤ", "", "Kế hoạch số 761/KH-UBND"]


def test_the_cli_is_a_face():
    # It imports no extractor or normalizer and opens no file itself: the library does the work.
    text = (ROOT / "phuluc" / "cli.py").read_text(encoding="utf-8")
    assert not re.search(r"phuluc\.(extract|normalize)|import (extract|normalize)", text)
    assert not re.search(r"\bopen\(|write_(text|bytes)\(|atomic_", text)
    functions = [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.FunctionDef)]
    assert not [n for f in functions for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom)]  # at the top


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert sub.description or sub.format_help()
        assert re.search(rf"phuluc {re.escape(name)}\b", readme), f"`phuluc {name}` is not documented in README.md"


def test_every_warning_code_is_documented_in_the_readme():
    from phuluc.schema import WARNING_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in WARNING_CODES:
        assert f"| `{code}` |" in readme, f"warning code {code} is not in the README's table"
