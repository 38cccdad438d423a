"""The command line, run as a user runs it: a subprocess, real files, exit codes."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from phuluc.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "phuluc.cli", *args], input=stdin, capture_output=True, text=True, encoding="utf-8"
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "xa-a").mkdir(parents=True)
    shutil.copy(SAMPLES / "vinh-bao-761.docx", src / "vinh-bao-761.docx")
    shutil.copy(SAMPLES / "nghe-an-980.docx", src / "xa-a" / "nghe-an-980.docx")
    return src


def test_convert_folder_writes_contract_outputs(folder: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run("convert", str(folder), "-o", str(out))
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
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 3
    assert any("empty.docx" in ln and "empty" in ln for ln in lines)
    assert (out / "vinh-bao-761.json").exists()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["error"] == 3
    assert {f["code"] for f in report["files"] if f["status"] == "error"} == {"empty-file", "unsupported-format"}


def test_missing_input_is_a_clean_error(tmp_path: Path):
    result = run("convert", str(tmp_path / "nope.pdf"), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "nope.pdf" in result.stderr and "Traceback" not in result.stderr


def test_bad_usage_exits_2():
    assert run("convert").returncode == 2
    assert run("no-such-command").returncode == 2
    assert run().returncode == 2


def test_normalize_text_one_line_out_per_line_in():
    lines = ["PH Ụ   L Ụ C   NHI Ệ M   V Ụ", "", "Kế hoạch số 761 /KH - UBND"]
    result = run("normalize-text", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0
    out = result.stdout.split("\n")[:-1]
    assert out == ["PHỤ LỤC NHIỆM VỤ", "", "Kế hoạch số 761/KH-UBND"]


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
