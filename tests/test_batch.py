"""The batch: inputs and globs, unique output names, deterministic results, resume, combined outputs, progress."""

from __future__ import annotations

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest

from phuluc.batch import Input, find_inputs, output_stems, run_batch, summary
from phuluc.cli import Invocation, invoke
from phuluc.progress import Progress
from phuluc.schema import PlanDocument

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DOCX = SAMPLES / "vinh-bao-761.docx"
PDF = SAMPLES / "nghe-an-980.pdf"


def cli(*args: str) -> Invocation:
    return invoke(list(args))  # in this process; tests/test_cli.py keeps the subprocess smoke tests


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """plans/xa-a/ke-hoach.docx, plans/xa-b/ke-hoach.docx (same name), plans/xa-b/sub/nghe-an.pdf, and a text file."""
    root = tmp_path / "plans"
    for folder, src, name in (("xa-a", DOCX, "ke-hoach.docx"), ("xa-b", SAMPLES / "dong-nai-179.docx", "ke-hoach.docx"),
                              ("xa-b/sub", PDF, "nghe-an.pdf")):
        (root / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, root / folder / name)
    (root / "xa-a" / "notes.txt").write_text("not an input", encoding="utf-8")
    (root / "xa-a" / "~$ke-hoach.docx").write_bytes(b"Word lock file")
    return root


def names(stems: list[Path]) -> list[str]:
    return [s.as_posix() for s in stems]


# --- inputs and names -------------------------------------------------------------------------


def test_folder_is_searched_recursively_and_sorted(tree: Path):
    found = find_inputs([tree])
    assert [i.rel.as_posix() for i in found] == ["xa-a/ke-hoach.docx", "xa-b/ke-hoach.docx", "xa-b/sub/nghe-an.pdf"]
    assert names(output_stems(found)) == ["xa-a/ke-hoach", "xa-b/ke-hoach", "xa-b/sub/nghe-an"]


def test_glob_patterns_are_expanded_without_a_shell(tree: Path, tmp_path: Path):
    found = find_inputs([str(tree / "**" / "*.pdf")])
    assert [i.rel.as_posix() for i in found] == ["xa-b/sub/nghe-an.pdf"]
    found = find_inputs([str(tree / "xa-*" / "*.docx")])
    assert [i.rel.as_posix() for i in found] == ["xa-a/ke-hoach.docx", "xa-b/ke-hoach.docx"]
    out = tmp_path / "out"
    result = cli("convert", str(tree / "**" / "*.docx"), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert (out / "xa-a" / "ke-hoach.json").exists() and (out / "xa-b" / "ke-hoach.json").exists()


def test_a_pattern_matching_nothing_is_a_clean_error_and_writes_nothing(tmp_path: Path):
    result = cli("convert", str(tmp_path / "nothing" / "*.pdf"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no file matches this pattern" in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_inputs_and_empty_folders_write_nothing(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    for args in ([str(tmp_path / "nope.pdf")], [str(tmp_path / "empty")], [str(tmp_path / "nope.pdf"), str(tmp_path / "x*.docx")]):
        result = cli("convert", *args, "-o", str(tmp_path / "out"))
        assert result.returncode == 2, args
        assert result.stderr.startswith("phuluc: nothing to convert") and result.stderr.count("\n") == 1
        assert not (tmp_path / "out").exists()
    # One real input among missing ones: the batch runs and the missing file is a failed row.
    result = cli("convert", str(tmp_path / "nope.pdf"), str(DOCX), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 1 and "nope.pdf: the file does not exist" in result.stderr


def test_explicit_files_with_one_name_are_told_apart_by_their_folders(tree: Path):
    a, b = tree / "xa-a" / "ke-hoach.docx", tree / "xa-b" / "ke-hoach.docx"
    stems = output_stems(find_inputs([a, b]))
    assert names(stems) == ["xa-a/ke-hoach", "xa-b/ke-hoach"]
    # Same again one level up when the parents share a name too.
    deep = [Input(Path("/p/x/a.pdf"), Path("a.pdf")), Input(Path("/q/x/a.pdf"), Path("a.pdf")), Input(Path("/q/y/a.pdf"), Path("a.pdf"))]
    assert names(output_stems(deep)) == ["p/x/a", "q/x/a", "y/a"]


def test_same_stem_and_reserved_names_use_the_whole_file_name():
    inputs = [Input(Path("/f/x.pdf"), Path("x.pdf")), Input(Path("/f/X.docx"), Path("X.docx")),
              Input(Path("/f/tasks.pdf"), Path("tasks.pdf")), Input(Path("/f/report.docx"), Path("report.docx")),
              Input(Path("/f/sub/tasks.pdf"), Path("sub/tasks.pdf"))]
    assert names(output_stems(inputs)) == ["x.pdf", "X.docx", "tasks.pdf", "report.docx", "sub/tasks"]


def test_same_file_given_twice_is_converted_once(tree: Path):
    f = tree / "xa-a" / "ke-hoach.docx"
    assert len(find_inputs([f, tree / "xa-a", str(f)])) == 1


def test_content_decides_the_format_not_the_extension(tmp_path: Path):
    shutil.copy(DOCX, tmp_path / "really-a-docx.pdf")
    results = run_batch([tmp_path / "really-a-docx.pdf"], tmp_path / "out", jobs=1)
    assert results[0].status != "error" and results[0].tasks == 9


# --- results ------------------------------------------------------------------------------------


def test_results_do_not_depend_on_scheduling(tmp_path: Path):
    files = sorted(SAMPLES.glob("*.docx"))[:6] + sorted(SAMPLES.glob("*.pdf"))[:6]
    outs = {}
    for jobs in (0, 1, 2):
        out = tmp_path / f"out{jobs}"
        results = run_batch(files, out, jobs=jobs, max_tasks_per_worker=2)  # 2: workers recycled many times
        assert [r.input for r in results] == [str(f) for f in files]
        outs[jobs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                      if p.suffix in (".json", ".csv", ".jsonl") and p.name != "report.json"}
    assert outs[0] == outs[1] == outs[2]


def test_combined_outputs(tmp_path: Path):
    files = [DOCX, PDF, SAMPLES / "sa-dec-no-task-table.docx"]
    out = tmp_path / "out"
    results = run_batch(files, out, jobs=2)
    n_tasks = sum(r.tasks for r in results)
    lines = (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == n_tasks
    first = json.loads(lines[0])
    assert first["source"] == "vinh-bao-761.docx" and first["number"] == "761/KH-UBND" and first["stt"] == "1"
    assert {"issuer", "date", "title", "task", "lead", "partners", "extra", "timeline_parsed", "input"} <= set(first)
    csv_text = (out / "tasks.csv").read_bytes()
    assert csv_text.startswith(b"\xef\xbb\xbf") and len(csv_text.decode("utf-8-sig").splitlines()) >= n_tasks + 1

    from openpyxl import load_workbook

    book = load_workbook(out / "tasks.xlsx")
    sheet = book["tasks"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{n_tasks + 1}"
    header = [c.value for c in sheet[1]]
    assert header[:13] == ["Tệp nguồn", "Cơ quan ban hành", "Số hiệu", "Ngày ban hành", "Trích yếu", "Mục", "STT",
                           "Nhiệm vụ", "Thời hạn", "Chủ trì", "Phối hợp", "Phụ lục", "Sản phẩm dự kiến"]
    assert header[-3:] == ["Bắt đầu", "Kết thúc", "Cảnh báo của văn bản"]
    assert all(c.font.bold for c in sheet[1])
    task_col = header.index("Nhiệm vụ") + 1
    assert sheet.cell(2, task_col).alignment.wrap_text
    widths = {name: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width for i, name in enumerate(header)}
    assert widths["Nhiệm vụ"] == 60 and 6 <= widths["STT"] <= 10 and widths["Cơ quan ban hành"] > 20
    assert sheet.cell(2, 1).value == "vinh-bao-761.docx"
    assert sheet.cell(2, 4).value == datetime.datetime(2026, 4, 6) and sheet.cell(2, 4).number_format == "DD/MM/YYYY"
    assert sheet.cell(2, len(header)).value == "stt-gap"
    files_sheet = book["files"]
    assert all(c.font.bold for c in files_sheet[1])
    rows = list(files_sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [r.status for r in results]
    assert rows[0][2] == "stt-gap"  # a warning's code is in the code column


def test_xlsx_keeps_text_that_looks_like_a_formula_and_drops_control_characters(tmp_path: Path):
    from openpyxl import load_workbook

    from phuluc.schema import Task
    from phuluc.writers import CombinedWriter

    doc = PlanDocument(source="x.docx", tasks=[Task(stt="1", task="=HYPERLINK(\"http://x\")", lead="A\x0bB")])
    CombinedWriter(tmp_path).write(iter([(doc, "x.docx")]))
    sheet = load_workbook(tmp_path / "tasks.xlsx")["tasks"]
    assert sheet.cell(2, 8).value == '=HYPERLINK("http://x")' and sheet.cell(2, 8).data_type == "s"
    assert sheet.cell(2, 10).value == "AB"


def test_report_rows(tmp_path: Path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage")
    results = run_batch([DOCX, tmp_path / "bad.pdf"], tmp_path / "out", jobs=1)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    good, bad = report["files"]
    assert good["status"] == "warning" and good["tasks"] == 9 and good["reason"] == "stt-gap" and good["seconds"] > 0
    assert bad["status"] == "error" and bad["code"] == "damaged-file" and bad["reason"]
    assert len(good["sha256"]) == 64 and report["phuluc_version"]
    totals = report["totals"]
    assert totals["files"] == 2 and totals["error"] == 1 and totals["tasks"] == 9 and totals["worker_peak_rss_mib"] > 0
    text = summary(results, "out", 1.0)
    assert len(text.splitlines()) <= 24 and "damaged-file 1" in text and "bad.pdf" in text


# --- resume -------------------------------------------------------------------------------------


def test_second_run_skips_up_to_date_files_and_still_combines_them(tree: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = run_batch([tree], out, jobs=1)
    csv_before = (out / "tasks.csv").read_bytes()
    second = run_batch([tree], out, jobs=1)
    assert [r.skipped for r in second] == [True, True, True]
    assert [r.tasks for r in second] == [r.tasks for r in first]
    assert (out / "tasks.csv").read_bytes() == csv_before  # skipped files are read back into the combined outputs
    # A changed file is converted again, the others stay skipped.
    shutil.copy(DOCX, tree / "xa-b" / "ke-hoach.docx")
    third = run_batch([tree], out, jobs=1)
    assert [r.skipped for r in third] == [True, False, True]
    assert third[1].tasks == 9
    # --force redoes everything.
    assert not any(r.skipped for r in run_batch([tree], out, jobs=1, force=True))


def test_a_new_version_or_settings_redo_everything(tree: Path, tmp_path: Path):
    out = tmp_path / "out"
    run_batch([tree], out, jobs=1)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["phuluc_version"] = "0.0.1"
    (out / "report.json").write_text(json.dumps(report), encoding="utf-8")
    assert not any(r.skipped for r in run_batch([tree], out, jobs=1))
    assert not any(r.skipped for r in run_batch([tree], out, {"max_pages": 50}, jobs=1))


def test_a_file_that_became_bad_loses_its_old_outputs(tmp_path: Path):
    f = tmp_path / "x.docx"
    shutil.copy(DOCX, f)
    out = tmp_path / "out"
    run_batch([f], out, jobs=1)
    assert (out / "x.json").exists()
    f.write_bytes(b"")
    results = run_batch([f], out, jobs=1)
    assert results[0].code == "empty-file"
    assert not (out / "x.json").exists() and not (out / "x.csv").exists()
    assert (out / "tasks.jsonl").read_text(encoding="utf-8") == ""


def test_cli_second_run_says_up_to_date(tree: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert cli("convert", str(tree), "-o", str(out)).returncode == 0
    result = cli("convert", str(tree), "-o", str(out))
    assert result.returncode == 0 and "3 up to date" in result.stdout
    result = cli("convert", str(tree), "-o", str(out), "--force")
    assert "up to date" not in result.stdout


# --- progress -----------------------------------------------------------------------------------


def test_progress_bar_on_a_terminal(tmp_path: Path):
    stream = io.StringIO()
    progress = Progress(0, stream=stream, tty=True)
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 broken")
    run_batch([DOCX, tmp_path / "bad.docx", PDF], tmp_path / "out", jobs=2, progress=progress)
    text = stream.getvalue()
    assert "\r" in text and "3/3 files" in text and "1 failed" in text
    assert "bad.docx: " in text and text.endswith("\n")


def test_progress_lines_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(2, stream=stream, tty=False, interval=0.0)

    class R:
        status, tasks, warnings, input, reason, skipped = "ok", 5, [], "a.pdf", "", False

    progress.update(R())
    progress.update(R())
    assert "\r" not in stream.getvalue()
    assert "progress: 2/2 files, 10 tasks, 0 failed" in stream.getvalue()


def test_quiet_prints_only_errors(tmp_path: Path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    result = cli("convert", str(DOCX), str(tmp_path / "empty.pdf"), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 1
    assert result.stdout == ""
    assert [ln for ln in result.stderr.splitlines() if ln] == [f"{tmp_path / 'empty.pdf'}: The file is empty (0 bytes)."]


def test_bad_option_values_are_usage_errors(tmp_path: Path):
    for args in (["--jobs", "0"], ["--timeout", "-1"], ["--max-pages", "x"]):
        assert cli("convert", str(DOCX), "-o", str(tmp_path / "out"), *args).returncode == 2


# --- workers and libraries ----------------------------------------------------------------------


@pytest.mark.parametrize(("bootstrap", "expected"), [
    ("conn.send(('cannot-start', \"ImportError: cannot import name '__version__' from 'phuluc'\"))\nraise SystemExit(3)",
     "ImportError: cannot import name '__version__'"),
    ("import os\nos._exit(7)", "exit status 7"),
])
def test_a_worker_that_cannot_start_stops_the_run_with_its_own_reason(bootstrap, expected, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    import phuluc.workers
    from phuluc.run_errors import WorkersCannotStart

    monkeypatch.setattr(phuluc.workers, "_BOOTSTRAP", bootstrap)
    with pytest.raises(WorkersCannotStart, match="could not start") as e:
        run_batch([DOCX, PDF], tmp_path / "out", jobs=2)
    assert expected in str(e.value) and "memory" not in str(e.value)


def test_library_logging_becomes_the_file_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    import logging

    import phuluc.one_file
    from phuluc.one_file import convert_one

    real = phuluc.one_file.convert

    def noisy(path, settings=None):
        logging.getLogger("pdfminer.pdfinterp").warning("Refusing to execute circular reference to content stream 6")
        return real(path, settings)

    monkeypatch.setattr(phuluc.one_file, "convert", noisy)
    result = convert_one(Input(DOCX, Path(DOCX.name)), Path("x"), tmp_path, phuluc.pipeline.Settings())
    assert "library-message" in result.warnings and result.status == "warning"
    doc = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert {"code": "library-message",
            "message": "pdfminer.pdfinterp: Refusing to execute circular reference to content stream 6"} in doc["warnings"]
    assert capsys.readouterr().err == ""  # nothing on stderr without a file name


def test_summary_keeps_the_reason_and_shortens_the_path():
    from phuluc.batch import FileResult

    long = "/srv/" + "very-long-folder-name/" * 10 + "plan.pdf"
    failed = FileResult(input=long, source="plan.pdf", status="error", code="damaged-file",
                        reason="damaged PDF file (PSSyntaxError: invalid token)")
    line = [ln for ln in summary([failed], "out", width=100).splitlines() if "plan.pdf" in ln][0]
    assert line.endswith(": damaged PDF file (PSSyntaxError: invalid token)") and "…" in line
    assert line.lstrip().startswith("/srv/") and "plan.pdf:" in line
