"""The writers, called directly: one column list, one row builder, one reader, one JSON form."""

from __future__ import annotations

import csv
import dataclasses
import errno
import json
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

import phuluc.writers as writers
from phuluc.columns import COLUMNS, CSV, JSONL, columns_for, flat_keys, period_end, period_start
from phuluc.schema import CSV_COLUMNS, DocumentFields, PlanDocument, PlanWarning, Task
from phuluc.writers import XLSX_CUT_MARK, XLSX_MAX_CELL, CombinedWriter, json_bytes, read_output_folder, write_document


def doc(source: str = "a.docx", **extra: str) -> PlanDocument:
    return PlanDocument(
        source=source,
        document=DocumentFields(issuer="UBND xã A", number="1/KH-UBND", date="2026-04-06", title="Kế hoạch"),
        tasks=[Task(section="I", stt="1", task="Rà soát", timeline="Quý II/2026", lead="Phòng X", extra=dict(extra),
                    timeline_parsed={"recurrence": "once", "start": "2026-04", "end": "2026-06"})],
        warnings=[PlanWarning("stt-gap", "STT 1 is followed by 3")],
    )


def test_every_field_of_the_records_is_a_column():
    # The column list is the one place to add a field: a field missing from it would be missing from tasks.jsonl.
    keys = {c.key for c in columns_for(JSONL)}
    task_fields = {f.name for f in dataclasses.fields(Task)} - {"page", "boxes", "timeline_year"}  # not in the JSON contract
    assert task_fields <= keys
    assert {f.name for f in dataclasses.fields(DocumentFields)} <= keys
    assert flat_keys(CSV, []) == list(CSV_COLUMNS)
    assert len({c.key for c in COLUMNS}) == len(COLUMNS)


def test_jsonl_record_is_the_document_fields_and_the_task_as_in_its_json(tmp_path: Path):
    d = doc(**{"Sản phẩm": "Báo cáo"})
    CombinedWriter(tmp_path).write(iter([(d, "sub/a.docx")]))
    record = json.loads((tmp_path / "tasks.jsonl").read_text(encoding="utf-8"))
    assert record == {"source": "a.docx", "input": "sub/a.docx", **dataclasses.asdict(d.document), **d.tasks[0].to_dict()}


def test_csv_puts_extra_columns_after_the_contract_columns(tmp_path: Path):
    docs = [doc("a.docx", **{"Sản phẩm": "Báo cáo"}), doc("b.docx", **{"Kinh phí": "10"})]
    CombinedWriter(tmp_path).write(iter([(d, d.source) for d in docs]))
    rows = list(csv.reader((tmp_path / "tasks.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == [*CSV_COLUMNS, "Sản phẩm", "Kinh phí"]
    assert rows[1][-2:] == ["Báo cáo", ""] and rows[2][-2:] == ["", "10"]
    # The per-document CSV is the same projection.
    write_document(docs[0], tmp_path / "a.json", tmp_path / "a.csv")
    one = list(csv.reader((tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert one == [[*CSV_COLUMNS, "Sản phẩm"], rows[1][:-1]]


def test_a_cell_over_the_excel_limit_is_cut_with_a_mark_and_reported(tmp_path: Path):
    d = doc()
    d.tasks[0].task = "x" * (XLSX_MAX_CELL + 10)
    seen = {}
    result = CombinedWriter(tmp_path).write(iter([(d, "a.docx")]), files=lambda cut: seen.update(cut) or [])
    assert result.cut == {"a.docx": ["STT 1, task"]} == seen
    sheet = load_workbook(tmp_path / "tasks.xlsx")["tasks"]
    value = sheet.cell(2, [c.value for c in sheet[1]].index("Nhiệm vụ") + 1).value
    assert len(value) == XLSX_MAX_CELL and value.endswith(XLSX_CUT_MARK)
    # CSV and JSONL keep the whole text.
    assert json.loads((tmp_path / "tasks.jsonl").read_text(encoding="utf-8"))["task"] == d.tasks[0].task


def test_the_combined_writer_reads_each_document_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("a", "b"):
        write_document(doc(f"{name}.docx"), tmp_path / f"{name}.json", tmp_path / f"{name}.csv")
    reads: list[str] = []
    real = writers.read_document
    monkeypatch.setattr(writers, "read_document", lambda p: reads.append(p.name) or real(p))
    CombinedWriter(tmp_path).write(read_output_folder(tmp_path, [("a", "a.docx"), ("b", "b.docx")]))
    assert reads == ["a.json", "b.json"]
    assert len((tmp_path / "tasks.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_output_folder_without_report_is_read_from_its_json_files(tmp_path: Path):
    write_document(doc("b.docx"), tmp_path / "x" / "b.json", tmp_path / "x" / "b.csv")
    write_document(doc("a.docx"), tmp_path / "a.json", tmp_path / "a.csv")
    (tmp_path / "notes.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "a.golden.json").write_bytes(json_bytes(doc("golden.docx").to_dict()))
    assert [(d.source, p) for d, p in read_output_folder(tmp_path)] == [("a.docx", "a.json"), ("b.docx", "x/b.json")]


def test_json_bytes_is_utf8_indented_with_a_final_newline():
    assert json_bytes({"a": "Việt"}) == '{\n  "a": "Việt"\n}\n'.encode()


def test_periods_become_first_and_last_days():
    assert (period_start("2026"), period_end("2026")) == ("2026-01-01", "2026-12-31")
    assert (period_start("2024-02"), period_end("2024-02")) == ("2024-02-01", "2024-02-29")
    assert period_start("") == period_end(None) == ""


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX modes")
def test_outputs_honour_the_umask(tmp_path: Path):
    old = os.umask(0o022)
    try:
        write_document(doc(), tmp_path / "a.json", tmp_path / "a.csv")
        os.umask(0o077)
        writers.write_json(tmp_path / "private.json", {})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600


def test_a_full_disk_stops_the_batch_once_and_keeps_what_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from phuluc.batch import run_batch
    from phuluc.run_errors import DiskFull

    samples = Path(__file__).resolve().parents[1] / "samples"
    files = [samples / "vinh-bao-761.docx", samples / "nghe-an-980.docx", samples / "dong-nai-179.docx"]
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] > 2:  # the first file's JSON and CSV fit; then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(writers.os, "replace", replace)
    with pytest.raises(DiskFull, match="no space left on device.*1 of 3 files were written"):
        run_batch(files, tmp_path / "out", jobs=0)
    out = tmp_path / "out"
    assert (out / "vinh-bao-761.json").exists()
    assert not (out / "dong-nai-179.json").exists()  # not tried after the disk filled up
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    monkeypatch.setattr(writers.os, "replace", real_replace)
    # With room again, the same command finishes the job.
    results = run_batch(files, out, jobs=0)
    assert [r.status != "error" for r in results] == [True, True, True] and (out / "tasks.xlsx").exists()


def test_a_full_disk_in_the_cli_is_one_line_and_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import phuluc.cli as cli
    from phuluc.run_errors import DiskFull

    def full(*args, **kwargs):
        raise DiskFull("no space left on device in out: 0 of 1 files were written and are kept")

    monkeypatch.setattr(cli, "run_batch", full)
    result = cli.invoke(["convert", "x.docx", "-o", str(tmp_path)])
    assert result.returncode == 1 and result.stderr == "phuluc: no space left on device in out: 0 of 1 files were written and are kept\n"
