"""The one list of task-table columns, and the one row builder that every output uses.

tasks.csv, tasks.jsonl, tasks.xlsx and the DataFrame of `read_tasks` are each a
projection of the same record: `task_records` builds one record per task with every
column of `COLUMNS`, and `project` keeps the columns of one output in their order.
A new field is added here, once, and reaches every output that names it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from phuluc.schema import PlanDocument, Task

CSV, JSONL, XLSX, FRAME = "csv", "jsonl", "xlsx", "frame"
ALL = frozenset({CSV, JSONL, XLSX, FRAME})
EXTRA = "extra"  # the column whose place the task's extra columns (keyed by header) take in flat outputs


@dataclass(frozen=True)
class TaskContext:
    """What a column value is read from: the document, one of its tasks, and the input's path in the batch."""

    doc: PlanDocument
    task: Task
    input: str = ""


@dataclass(frozen=True)
class Column:
    key: str  # the contract's key: the CSV header, the JSONL key, the DataFrame column
    title: str  # the Vietnamese title on tasks.xlsx, for people
    value: Callable[[TaskContext], Any]
    outputs: frozenset[str] = ALL
    kind: str = "text"  # "date": an ISO date string, written to tasks.xlsx as a real date


def period_start(value: str | None) -> str:
    """ "2026" → "2026-01-01", "2026-04" → "2026-04-01", "2026-04-30" → itself; "" when there is none."""
    if not value:
        return ""
    return value if len(value) == 10 else (value + "-01" if len(value) == 7 else value + "-01-01")


def period_end(value: str | None) -> str:
    """ "2026" → "2026-12-31", "2026-04" → "2026-04-30", "2026-04-30" → itself; "" when there is none."""
    if not value:
        return ""
    if len(value) == 10:
        return value
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:7])
        return f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return value + "-12-31"


def _doc(name: str) -> Callable[[TaskContext], Any]:
    return lambda c: getattr(c.doc.document, name)


def _task(name: str) -> Callable[[TaskContext], Any]:
    return lambda c: getattr(c.task, name)


def _parsed(name: str, default: Any) -> Callable[[TaskContext], Any]:
    return lambda c: (c.task.timeline_parsed or {}).get(name, default)


def _copy_list(name: str) -> Callable[[TaskContext], Any]:
    return lambda c: list(getattr(c.task, name))


_FLAT = frozenset({CSV, XLSX, FRAME})
_NO_CSV = frozenset({JSONL, XLSX, FRAME})

COLUMNS: tuple[Column, ...] = (
    Column("source", "Tệp nguồn", lambda c: c.doc.source),
    Column("input", "Đường dẫn tệp", lambda c: c.input, frozenset({JSONL})),
    Column("issuer", "Cơ quan ban hành", _doc("issuer")),
    Column("number", "Số hiệu", _doc("number")),
    Column("date", "Ngày ban hành", _doc("date"), kind="date"),
    Column("title", "Trích yếu", _doc("title"), _NO_CSV),
    Column("plan_title", "Tên kế hoạch", _doc("plan_title"), frozenset({JSONL, FRAME})),
    Column("section", "Mục", _task("section")),
    Column("stt", "STT", _task("stt")),
    Column("task", "Nhiệm vụ", _task("task")),
    Column("timeline", "Thời hạn", _task("timeline")),
    Column("lead", "Chủ trì", _task("lead")),
    Column("partners", "Phối hợp", _task("partners")),
    Column("appendix", "Phụ lục", _task("appendix")),
    Column(EXTRA, "", lambda c: dict(c.task.extra)),
    Column("timeline_parsed", "", lambda c: dict(c.task.timeline_parsed), frozenset({JSONL})),
    Column("timeline_recurrence", "", _parsed("recurrence", "unknown"), frozenset({FRAME})),
    Column("timeline_start", "Bắt đầu", lambda c: period_start(_parsed("start", "")(c)), frozenset({XLSX, FRAME}), "date"),
    Column("timeline_end", "Kết thúc", lambda c: period_end(_parsed("end", "")(c)), frozenset({XLSX, FRAME}), "date"),
    Column("timeline_due_day", "", _parsed("due_day_of_year", None), frozenset({FRAME})),
    Column("timeline_due_day_of_month", "", _parsed("due_day_of_month", None), frozenset({FRAME})),
    Column("timeline_years", "", lambda c: list(_parsed("years", [])(c)), frozenset({FRAME})),
    Column("timeline_before", "", lambda c: bool(_parsed("before", False)(c)), frozenset({FRAME})),
    Column("lead_list", "", _copy_list("lead_list"), frozenset({JSONL, FRAME})),
    Column("partners_list", "", _copy_list("partners_list"), frozenset({JSONL, FRAME})),
    Column("lead_keys", "", _copy_list("lead_keys"), frozenset({JSONL, FRAME})),
    Column("partners_keys", "", _copy_list("partners_keys"), frozenset({JSONL, FRAME})),
    Column("warnings", "Cảnh báo của văn bản",
           lambda c: "; ".join(dict.fromkeys(w.code for w in c.doc.warnings)), frozenset({XLSX})),
)
BY_KEY = {c.key: c for c in COLUMNS}


def columns_for(output: str) -> list[Column]:
    return [c for c in COLUMNS if output in c.outputs]


def task_records(doc: PlanDocument, input_path: str = "") -> Iterator[dict[str, Any]]:
    """One record per task with every column's value (`extra` as a dict), in `COLUMNS` order."""
    for task in doc.tasks:
        context = TaskContext(doc, task, input_path)
        yield {c.key: c.value(context) for c in COLUMNS}


def project(record: dict[str, Any], output: str, extras: Iterable[str] = ()) -> dict[str, Any]:
    """The record's columns for one output, in order. Flat outputs (CSV, XLSX, DataFrame) put each of
    `extras` (extra-column headers, "" where this task has none) where `extra` stands; JSONL keeps the dict."""
    row: dict[str, Any] = {}
    for column in columns_for(output):
        if column.key == EXTRA and output != JSONL:
            extra = record.get(EXTRA) or {}
            for key in extras:
                if key not in row:  # a header named like a contract column never overwrites it
                    row[key] = extra.get(key, "")
        else:
            row[column.key] = record.get(column.key, "")
    return row


def flat_keys(output: str, extras: Iterable[str]) -> list[str]:
    """The header of a flat output: its columns with the extra headers in place of `extra`."""
    keys: list[str] = []
    for column in columns_for(output):
        if column.key == EXTRA:
            keys += [k for k in extras if k not in keys]
        else:
            keys.append(column.key)
    return list(dict.fromkeys(keys))


def extra_keys(records: Iterable[dict[str, Any]]) -> list[str]:
    """Extra column headers in first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        for key in record.get(EXTRA) or {}:
            seen.setdefault(key, None)
    return list(seen)


def iso_date(text: Any) -> dt.date | None:
    """An ISO date string as a date (None when it is empty or not a full date)."""
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None
