"""Output files: per-document JSON and CSV; combined CSV, JSONL and XLSX. Every write is atomic.

A file is written to a temporary name in the same folder and renamed into
place, so an interrupted run never leaves a half-written output. The combined
files are streamed: documents are read one at a time, never all held at once.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from phuluc.columns import BY_KEY, CSV, EXTRA, JSONL, XLSX, extra_keys, flat_keys, iso_date, project, task_records
from phuluc.schema import PlanDocument

TEMP_SUFFIX = ".part"


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO]:
    """A file object on a temporary name beside `path`, renamed to `path` only when the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _file_mode())  # mkstemp makes 0600: colleagues on a shared folder could not open it
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode() -> int:
    """The mode `open()` would give a new file: 0666 less the umask (read without changing it where possible)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: set and restore (not thread-safe, hence the /proc way first)
    os.umask(mask)
    return 0o666 & ~mask


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


def json_bytes(data: Any) -> bytes:
    """The one JSON form of every JSON file phuluc writes: UTF-8, Vietnamese unescaped, indented, one final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, json_bytes(data))


def tasks_csv(docs: Iterable[PlanDocument]) -> bytes:
    """UTF-8 with BOM so that Excel shows Vietnamese; one row per task."""
    records = [r for doc in docs for r in task_records(doc)]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=flat_keys(CSV, extra_keys(records)), lineterminator="\r\n")
    writer.writeheader()
    extras = extra_keys(records)
    for record in records:
        writer.writerow(project(record, CSV, extras))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_document(doc: PlanDocument, json_path: Path, csv_path: Path) -> None:
    write_json(json_path, doc.to_dict())
    atomic_write_bytes(csv_path, tasks_csv([doc]))


def read_document(path: Path) -> PlanDocument | None:
    """A per-document JSON written by `write_document`; None when it is not one (or cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and "tasks" in data and "document" in data):
        return None
    return PlanDocument.from_dict(data)


def read_output_folder(out: Path, entries: Iterable[tuple[str, str]] | None = None,
                       reviewed: bool = False) -> Iterator[tuple[PlanDocument, str]]:
    """The documents of a `phuluc convert` output folder, one at a time, with their input paths.

    `entries` are (output stem, input path) in input order, as the batch knows them;
    without them they come from OUT/report.json (files converted, in input order), or,
    for a folder without a report, from every per-document JSON in it (sorted).
    `reviewed`: a document's OUT/<stem>.corrected.json (phuluc serve) where one exists.
    """
    if entries is None:
        entries = _report_entries(out)
    if entries is None:
        for path in sorted(out.rglob("*.json")):
            if path.name not in NOT_DOCUMENTS and not path.name.endswith((".golden.json", *REVIEW_SUFFIXES)):
                doc = read_document(path)
                if doc is not None:
                    yield doc, path.relative_to(out).as_posix()
        return
    for stem, input_path in entries:
        doc = read_document(reviewed_json_path(out, stem) if reviewed else out / f"{stem}.json")
        if doc is not None:  # removed by hand since: its row in report.json still tells what happened
            yield doc, input_path


NOT_DOCUMENTS = {"report.json"}


# --- review side files (phuluc serve): cell boxes, corrected documents -------------------

BOXES_SUFFIX = ".boxes.json"
CORRECTED_SUFFIX = ".corrected.json"
REVIEW_SUFFIXES = (BOXES_SUFFIX, CORRECTED_SUFFIX)


def write_boxes(doc: PlanDocument, path: Path) -> None:
    """OUT/<stem>.boxes.json: where each task's cells are drawn, for review; none when the format has no positions."""
    tasks = [{name: [{"page": p, "bbox": [round(v, 2) for v in bbox], "conf": conf} for p, bbox, conf in found]
              for name, found in (t.boxes or {}).items() if found} for t in doc.tasks]
    if any(tasks):
        atomic_write_bytes(path, json.dumps({"tasks": tasks}, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def reviewed_json_path(out: Path, stem: str) -> Path:
    """The document as a person corrected it (OUT/<stem>.corrected.json) where one exists, else the machine's JSON."""
    corrected = out / f"{stem}{CORRECTED_SUFFIX}"
    return corrected if corrected.is_file() else out / f"{stem}.json"


def _report_entries(out: Path) -> list[tuple[str, str]] | None:
    try:
        rows = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]
        return [(r["stem"], r.get("input", "")) for r in rows if r.get("stem") and r.get("status") != "error"]
    except (OSError, ValueError, TypeError, KeyError):
        return None


# --- combined outputs for a whole batch ------------------------------------------------

# Excel refuses control characters other than tab and line breaks in a cell.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MAX_CELL = 32767
# What ends a cell cut to Excel's limit, so that nobody takes it for the whole text.
XLSX_CUT_MARK = " […] (cắt bớt: ô Excel chứa tối đa 32.767 ký tự; xem tasks.csv)"
XLSX_CUT_CODE = "xlsx-cell-cut"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
# Column widths in Excel's character units: wide enough for a phrase, never wider than a screen half.
_WIDTH_MIN, _WIDTH_MAX = 6, 60
FILES_COLUMNS = ("input", "status", "code", "reason", "tasks", "pages", "seconds")


def _display_width(text: str) -> int:
    """Width of the longest line of a cell, in characters (text is NFC, so a letter with its marks is one)."""
    return max((len(line) for line in text.split("\n")), default=0)


@dataclass
class CombinedResult:
    paths: list[Path]
    cut: dict[str, list[str]]  # input path → what was cut to fit an Excel cell


class CombinedWriter:
    """tasks.csv, tasks.jsonl and tasks.xlsx for a batch, reading each document once.

    `docs` gives (document, input path) one at a time. The one pass writes tasks.jsonl
    and spools each task's record to a temporary file while it learns the extra
    columns, column widths and row count; CSV and XLSX, whose headers need those,
    are then written from the spool. `files` (called after the tasks, with the cut
    cells) gives the rows of the `files` sheet.
    """

    def __init__(self, out: Path) -> None:
        self.out = out

    def write(self, docs: Iterable[tuple[PlanDocument, str]],
              files: Callable[[dict[str, list[str]]], list[dict[str, Any]]] | None = None) -> CombinedResult:
        paths = [self.out / "tasks.csv", self.out / "tasks.jsonl", self.out / "tasks.xlsx"]
        extras: dict[str, None] = {}
        widths: dict[str, int] = {}
        n_rows = 0
        with tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.out, prefix=".tasks.", suffix=TEMP_SUFFIX) as spool, \
                atomic_open(paths[1], "w", encoding="utf-8", newline="\n") as jsonl_file:
            for doc, input_path in docs:
                for record in task_records(doc, input_path):
                    n_rows += 1
                    jsonl_file.write(json.dumps(project(record, JSONL), ensure_ascii=False) + "\n")
                    spool.write(json.dumps(record, ensure_ascii=False) + "\n")
                    for key in record.get(EXTRA) or {}:
                        extras.setdefault(key, None)
                    for key, value in project(record, XLSX, record.get(EXTRA) or {}).items():
                        widths[key] = max(widths.get(key, 0), min(_display_width(str(value)), _WIDTH_MAX))
            spool.seek(0)
            cut = self._write_flat(spool, list(extras), widths, n_rows, paths, files)
        return CombinedResult(paths, cut)

    def _write_flat(self, spool, extras: list[str], widths: dict[str, int], n_rows: int, paths: list[Path],
                    files) -> dict[str, list[str]]:
        cut: dict[str, list[str]] = {}
        with atomic_open(paths[0], "w", encoding="utf-8-sig", newline="") as csv_file, atomic_open(paths[2], "wb") as xlsx_file:
            writer = csv.DictWriter(csv_file, fieldnames=flat_keys(CSV, extras), lineterminator="\r\n")
            writer.writeheader()
            sheet = _TaskSheet(flat_keys(XLSX, extras), widths, n_rows)
            for line in spool:
                record = json.loads(line)
                writer.writerow(project(record, CSV, extras))
                for key in sheet.append(project(record, XLSX, extras)):
                    stt = record.get("stt") or "?"
                    cut.setdefault(record.get("input", ""), []).append(f"STT {stt}, {key}")
            if files is not None:
                sheet.add_files_sheet(files(cut))
            sheet.book.save(xlsx_file)
        return cut


def _xlsx_text(value: Any) -> tuple[str, bool]:
    """Text for an Excel cell, and whether it had to be cut to Excel's limit (then it ends with a visible mark)."""
    text = _ILLEGAL_XLSX.sub("", "" if value is None else str(value))
    if len(text) <= XLSX_MAX_CELL:
        return text, False
    return text[: XLSX_MAX_CELL - len(XLSX_CUT_MARK)] + XLSX_CUT_MARK, True


class _TaskSheet:
    """The "tasks" sheet, streamed (openpyxl write-only): Vietnamese titles in a bold frozen header,
    autofilter, wrapped text, real dates; the "files" sheet, one row per input."""

    def __init__(self, keys: list[str], widths: dict[str, int], n_rows: int) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self.keys = keys
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("tasks")
        self.sheet.freeze_panes = "A2"
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{n_rows + 1}"
        titles = [BY_KEY[k].title if k in BY_KEY else k for k in keys]
        for i, (key, title) in enumerate(zip(keys, titles, strict=True), start=1):
            width = max(_WIDTH_MIN, len(title) + 2, min(widths.get(key, 0) + 2, _WIDTH_MAX))
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.bold = Font(bold=True)
        self.styles: dict[tuple[str, bool], Any] = {}  # (kind, bold) → openpyxl's style array, registered once
        self.sheet.append([self._cell(self.sheet, title, bold=True) for title in titles])

    def _style(self, sheet, kind: str, bold: bool):
        """The style of a cell of this kind, made once: setting styles cell by cell hashes them every time (slow)."""
        from openpyxl.cell import WriteOnlyCell

        key = (kind, bold)
        if key not in self.styles:
            proto = WriteOnlyCell(sheet)
            proto.alignment = self.wrap
            if kind == "date":
                proto.number_format = XLSX_DATE_FORMAT
            if bold:
                proto.font = self.bold
            self.styles[key] = proto._style
        return copy.copy(self.styles[key])

    def _cell(self, sheet, value: Any, bold: bool = False, kind: str = "text"):
        """A cell; reports through `self.last_cut` whether its text was cut."""
        from openpyxl.cell import WriteOnlyCell

        day = iso_date(value) if kind == "date" else None
        self.last_cut = False
        if day is not None:
            cell = WriteOnlyCell(sheet, value=day)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            cell = WriteOnlyCell(sheet, value=value)
        else:
            text, self.last_cut = _xlsx_text(value)
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # text stays text: a cell starting with "=" is not a formula
        cell._style = self._style(sheet, "date" if day is not None else "text", bold)
        return cell

    def append(self, row: dict[str, Any]) -> list[str]:
        """Add a task row; returns the keys of the cells that had to be cut."""
        cells, cut = [], []
        for key in self.keys:
            cells.append(self._cell(self.sheet, row.get(key, ""), kind=BY_KEY[key].kind if key in BY_KEY else "text"))
            if self.last_cut:
                cut.append(key)
        self.sheet.append(cells)
        return cut

    def add_files_sheet(self, files: list[dict[str, Any]]) -> None:
        """A second sheet with one row per input file: its status, code (the error's, or its warnings') and reason."""
        sheet = self.book.create_sheet("files")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:G{len(files) + 1}"
        for letter, width in zip("ABCDEFG", (50, 9, 18, 60, 7, 7, 8), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.append([self._cell(sheet, title, bold=True) for title in FILES_COLUMNS])
        for f in files:
            row = dict(f, code=f.get("code") or "; ".join(f.get("warnings") or []))
            sheet.append([self._cell(sheet, row.get(c)) if row.get(c) is not None else None for c in FILES_COLUMNS])
