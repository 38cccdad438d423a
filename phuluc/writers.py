"""Output files: per-document JSON and CSV, combined CSV. Every write is atomic.

A file is written to a temporary name in the same folder and renamed into
place, so an interrupted run never leaves a half-written output.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from phuluc.schema import CSV_COLUMNS, PlanDocument


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
