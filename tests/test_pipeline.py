"""The pipeline's two halves called directly: detect_format (bytes, not names) and normalize.build.build_document (grid → tasks)."""

from __future__ import annotations

from pathlib import Path

import pytest

import phuluc.pipeline as pipeline
from phuluc.normalize.build import build_document
from phuluc.schema import Cell, Grid, Line, Table
from phuluc.schema.errors import EmptyFile, Unreadable, UnsupportedFormat

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.mark.parametrize(("head", "fmt"), [
    (b"%PDF-1.7\n", "pdf"),
    (b"\r\n\x00junk before the header %PDF-1.4\n", "pdf"),  # readers accept junk within the first KiB
    (b"PK\x03\x04" + bytes(30), "docx"),
])
def test_detect_format_reads_the_bytes(head: bytes, fmt: str, tmp_path: Path):
    path = tmp_path / "named-wrongly.txt"
    path.write_bytes(head + bytes(100))
    assert pipeline.detect_format(path) == fmt


def test_detect_format_refuses_what_it_cannot_read(tmp_path: Path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(EmptyFile):
        pipeline.detect_format(tmp_path / "empty.pdf")
    (tmp_path / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(UnsupportedFormat, match="PNG image"):
        pipeline.detect_format(tmp_path / "image.pdf")
    (tmp_path / "notes.docx").write_text("chỉ là văn bản", encoding="utf-8")
    with pytest.raises(UnsupportedFormat, match="plain text"):
        pipeline.detect_format(tmp_path / "notes.docx")
    with pytest.raises(Unreadable, match="does not exist"):
        pipeline.detect_format(tmp_path / "missing.pdf")


def _table(rows: list[list[str]]) -> Table:
    cells = [Cell(row=r, col=c, text=text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Table(cells=cells, n_rows=len(rows), n_cols=len(rows[0]), order=4)  # after the title lines


def test_build_document_turns_a_grid_into_tasks_and_fields():
    grid = Grid(
        source="plan.docx",
        lines=[Line(text="PHỤ LỤC", order=1), Line(text="Nhiệm vụ chuyển đổi số năm 2026", order=2),
               Line(text="(Kèm theo Kế hoạch số 12/KH-UBND ngày 06/4/2026 của Ủy ban nhân dân xã Tân Phú)", order=3)],
        tables=[_table([
            ["STT", "Nhiệm vụ", "Thời gian thực hiện", "Chủ trì", "Phối hợp", "Sản phẩm"],
            ["1", "Rà soát thủ tục hành chính", "Quý II/2026", "Văn phòng HĐND và UBND", "Các phòng", "Báo cáo"],
            ["3", "Tổ chức tập huấn", "Hằng năm", "Phòng Văn hóa - Xã hội", "", ""],
        ])],
    )
    doc = build_document(grid)
    assert doc.source == "plan.docx"
    assert doc.document.number == "12/KH-UBND" and doc.document.date == "2026-04-06"
    assert doc.document.title == "PHỤ LỤC Nhiệm vụ chuyển đổi số năm 2026"
    assert [(t.stt, t.task, t.timeline, t.lead) for t in doc.tasks] == [
        ("1", "Rà soát thủ tục hành chính", "Quý II/2026", "Văn phòng HĐND và UBND"),
        ("3", "Tổ chức tập huấn", "Hằng năm", "Phòng Văn hóa - Xã hội"),
    ]
    assert doc.tasks[0].extra == {"Sản phẩm": "Báo cáo"} and doc.tasks[0].partners_list == ["Các phòng"]
    assert doc.tasks[1].timeline_parsed["recurrence"] == "yearly"
    assert [w.code for w in doc.warnings] == ["stt-gap"]


def test_build_document_without_a_task_table_says_so():
    grid = Grid(source="letter.docx", lines=[Line(text="Kính gửi: các phòng")],
                tables=[_table([["Nội dung", "Số tiền"], ["In ấn", "2.000.000"]])])
    doc = build_document(grid)
    assert doc.tasks == [] and [w.code for w in doc.warnings] == ["no-task-table"]
