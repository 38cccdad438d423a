"""What the review page shows of one document: its rows, where their cells are, what to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from phuluc.qa import golden_path
from phuluc.schema import CORE_FIELDS
from phuluc.serve.folder import OutputFolder

LOW_CONFIDENCE = 60.0  # OCR confidence (0-100) under which a cell is marked for a look
COLUMNS = ("section", *CORE_FIELDS)


def _box_pages(boxes: dict[str, list[dict]]) -> set[int]:
    return {b["page"] for found in boxes.values() for b in found if b.get("page") is not None}


def row_notes(task: dict[str, Any], boxes: dict[str, list[dict]], warnings: list[dict]) -> list[str]:
    """The document warnings that point at this row (by its STT and page, or a page break it spans)."""
    pages = _box_pages(boxes)
    stt = (task.get("stt") or "").strip()
    notes = []
    for w in warnings:
        code, message, page = w.get("code", ""), w.get("message", ""), w.get("page")
        on_page = page is None or not pages or page in pages
        if code in ("stt-gap", "stt-duplicate") and stt and on_page and (
                message.endswith(f" {stt}") or message.startswith(f"STT {stt} appears")):
            notes.append(f"{code}: {message}")
        elif code == "page-split-merged" and page in pages and min(pages) < page:
            notes.append(f"{code}: {message}")
        elif code == "low-confidence" and page is not None and page in pages and _low_cells(boxes):
            notes.append(f"{code}: {message}")
    return notes


def _low_cells(boxes: dict[str, list[dict]]) -> set[str]:
    return {name for name, found in boxes.items()
            if any(b.get("conf") is not None and b["conf"] < LOW_CONFIDENCE for b in found)}


def review_context(folder: OutputFolder, stem: str, row: dict[str, Any]) -> dict[str, Any]:
    doc, version = folder.current(stem)
    boxes = folder.boxes(stem)
    origins = doc.get("review", {}).get("origins") or list(range(len(doc.get("tasks", []))))
    extra: dict[str, None] = {}
    for t in doc.get("tasks", []):
        extra.update(dict.fromkeys(t.get("extra", {})))
    rows = []
    for i, task in enumerate(doc.get("tasks", [])):
        origin = origins[i] if i < len(origins) else None
        found = boxes[origin] if origin is not None and origin < len(boxes) else {}
        rows.append({"task": task, "origin": origin, "notes": row_notes(task, found, doc.get("warnings", [])),
                     "low": _low_cells(found), "pages": sorted(_box_pages(found))})
    saved_on = doc.get("review", {}).get("input_sha256")
    stale = bool(saved_on and row.get("sha256") and saved_on != row["sha256"])
    return {
        "stale": stale,
        "stem": stem, "row": row, "doc": doc, "version": version, "rows": rows, "columns": COLUMNS,
        "extra_columns": list(extra), "boxes": boxes, "input_name": Path(row["input"]).name,
        "golden": golden_path(Path(row["input"])).is_file(), "corrected": version > 0,
    }
