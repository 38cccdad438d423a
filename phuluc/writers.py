"""Output files: per-document JSON and CSV; combined CSV, JSONL and XLSX. Every write is atomic.

A file is written to a temporary name in the same folder and renamed into
place, so an interrupted run never leaves a half-written output. The combined
files are streamed: documents are read one at a time, never all held at once.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from phuluc.schema import CSV_COLUMNS, PlanDocument

TEMP_SUFFIX = ".part"


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO]:
    """A file object on a temporary name beside `path`, renamed to `path` only when the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb") as f:
        f.write(data)


def remove_temp_files(folder: Path) -> int:
    """Delete the temporary files that a killed process left behind (`.<name>.<random>.part`)."""
    removed = 0
    for tmp in folder.rglob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed += 1
    return removed


def document_json(doc: PlanDocument) -> bytes:
    return (json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def extra_columns(docs: Iterable[PlanDocument]) -> list[str]:
    """Extra column headers in first-seen order across documents."""
    seen: dict[str, None] = {}
    for doc in docs:
        for task in doc.tasks:
            for key in task.extra:
                seen.setdefault(key, None)
    return list(seen)


def task_rows(doc: PlanDocument) -> Iterable[dict[str, Any]]:
    """Flat rows in the contract's CSV column order (document fields repeated per task)."""
    d = doc.document
    for task in doc.tasks:
        row = {
            "source": doc.source,
            "issuer": d.issuer,
            "number": d.number,
            "date": d.date,
            "section": task.section,
            "stt": task.stt,
            "task": task.task,
            "timeline": task.timeline,
            "lead": task.lead,
            "partners": task.partners,
            "appendix": task.appendix,
        }
        row.update(task.extra)
        yield row


def tasks_csv(docs: list[PlanDocument]) -> bytes:
    """UTF-8 with BOM so that Excel shows Vietnamese; one row per task."""
    columns = list(CSV_COLUMNS) + extra_columns(docs)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for doc in docs:
        for row in task_rows(doc):
            writer.writerow(row)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_document(doc: PlanDocument, json_path: Path, csv_path: Path) -> None:
    atomic_write_bytes(json_path, document_json(doc))
    atomic_write_bytes(csv_path, tasks_csv([doc]))


def write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


# --- combined outputs for a whole batch ------------------------------------------------

JSONL_DOCUMENT_FIELDS = ("issuer", "number", "date", "title", "plan_title")
# Excel refuses control characters other than tab and line breaks in a cell.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MAX_CELL = 32767
# Column widths in Excel's character units: wide enough for a phrase, never wider than a screen half.
_WIDTH_MIN, _WIDTH_MAX = 6, 60


def task_record(doc: PlanDocument, input_path: str = "") -> Iterable[dict[str, Any]]:
    """One JSON-ready record per task: the source, the document fields and every task field."""
    d = doc.document
    head = {"source": doc.source, "input": input_path}
    head.update({k: getattr(d, k) for k in JSONL_DOCUMENT_FIELDS})
    for task in doc.tasks:
        yield {**head, **task.to_dict()}


def _display_width(text: str) -> int:
    """Width of the longest line of a cell, in characters (text is NFC, so a letter with its marks is one)."""
    return max((len(line) for line in text.split("\n")), default=0)


class CombinedWriter:
    """tasks.csv, tasks.jsonl and tasks.xlsx for a batch, from documents read one by one.

    `docs` is a callable giving a fresh iterator of (document, input path) each time:
    the first pass learns the extra columns, column widths and row count, the second writes.
    """

    def __init__(self, out: Path) -> None:
        self.out = out

    def write(self, docs: Callable[[], Iterable[tuple[PlanDocument, str]]], files: list[dict[str, Any]] | None = None) -> list[Path]:
        extras: dict[str, None] = {}
        widths: dict[str, int] = {}
        n_rows = 0
        for doc, _ in docs():
            for row in task_rows(doc):
                n_rows += 1
                for key, value in row.items():
                    if key not in CSV_COLUMNS:
                        extras.setdefault(key, None)
                    widths[key] = max(widths.get(key, 0), min(_display_width(str(value)), _WIDTH_MAX))
        columns = list(CSV_COLUMNS) + list(extras)
        paths = [self.out / "tasks.csv", self.out / "tasks.jsonl", self.out / "tasks.xlsx"]
        with (
            atomic_open(paths[0], "w", encoding="utf-8-sig", newline="") as csv_file,
            atomic_open(paths[1], "w", encoding="utf-8", newline="\n") as jsonl_file,
            atomic_open(paths[2], "wb") as xlsx_file,
        ):
            writer = csv.DictWriter(csv_file, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
            writer.writeheader()
            sheet = _TaskSheet(columns, widths, n_rows)
            for doc, input_path in docs():
                for row in task_rows(doc):
                    writer.writerow(row)
                    sheet.append(row)
                for record in task_record(doc, input_path):
                    jsonl_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            if files is not None:
                sheet.add_files_sheet(files)
            sheet.book.save(xlsx_file)
        return paths


def _xlsx_text(value: Any) -> str:
    return _ILLEGAL_XLSX.sub("", "" if value is None else str(value))[:XLSX_MAX_CELL]


class _TaskSheet:
    """The "tasks" sheet, streamed (openpyxl write-only): bold frozen header, autofilter, wrapped text."""

    def __init__(self, columns: list[str], widths: dict[str, int], n_rows: int) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self.columns = columns
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("tasks")
        self.sheet.freeze_panes = "A2"
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n_rows + 1}"
        for i, name in enumerate(columns, start=1):
            width = max(_WIDTH_MIN, len(name) + 2, min(widths.get(name, 0) + 2, _WIDTH_MAX))
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.wrap = Alignment(wrap_text=True, vertical="top")  # one style object shared by every cell
        self.sheet.append([self._cell(name, self.wrap, Font(bold=True)) for name in columns])

    def _cell(self, value: Any, alignment, font=None):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet, value=_xlsx_text(value))
        cell.data_type = "s"  # text stays text: a cell starting with "=" is not a formula
        cell.alignment = alignment
        if font is not None:
            cell.font = font
        return cell

    def append(self, row: dict[str, Any]) -> None:
        self.sheet.append([self._cell(row.get(name, ""), self.wrap) for name in self.columns])

    def add_files_sheet(self, files: list[dict[str, Any]]) -> None:
        """A second sheet with one row per input file: its status and reason."""
        columns = ["input", "status", "code", "reason", "tasks", "pages", "seconds"]
        sheet = self.book.create_sheet("files")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:G{len(files) + 1}"
        for letter, width in zip("ABCDEFG", (50, 9, 18, 60, 7, 7, 8), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.append(columns)
        for f in files:
            sheet.append([_xlsx_text(f.get(c)) if isinstance(f.get(c), str) else f.get(c) for c in columns])
