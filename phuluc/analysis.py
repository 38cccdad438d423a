"""Tasks as a pandas DataFrame, and the agency table built from it.

`read_tasks` accepts input documents (PDF/DOCX, converted on the fly) and
output folders of `phuluc convert` (their JSON files read back), so an analyst
can work from either. The columns are those of `phuluc.columns` marked for the frame.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from phuluc.batch import find_inputs
from phuluc.columns import FRAME, extra_keys, flat_keys, project, task_records
from phuluc.pipeline import Settings, convert
from phuluc.run_errors import OutputFolderError
from phuluc.schema import PlanDocument
from phuluc.writers import atomic_write_bytes, read_document, read_output_folder


class EmptyTasksWarning(UserWarning):
    """read_tasks found no document where it was pointed."""


def _documents(paths: str | os.PathLike | Iterable[str | os.PathLike], settings: Settings | dict | None) -> Iterator[PlanDocument]:
    """Documents from files (converted), folders of documents (converted) and output folders (read back)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from (doc for doc, _ in read_output_folder(p))
            yield from (convert(inp.path, settings) for inp in find_inputs([p]))
        elif p.suffix.lower() == ".json":
            doc = read_document(p)
            if doc is not None:
                yield doc
        else:
            yield convert(p, settings)


def tasks_frame(docs: Iterable[PlanDocument]) -> pd.DataFrame:
    """One row per task: document fields, task fields, extra columns, parsed fields (`phuluc.columns`)."""
    records = [r for doc in docs for r in task_records(doc)]
    extras = extra_keys(records)
    frame = pd.DataFrame([project(r, FRAME, extras) for r in records], columns=flat_keys(FRAME, extras))
    for col in ("date", "timeline_start", "timeline_end"):
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d", errors="coerce")
    frame["timeline_recurrence"] = frame["timeline_recurrence"].astype("category")
    return frame


def read_tasks(paths, settings: Settings | dict | None = None) -> pd.DataFrame:
    """Tasks of documents, folders of documents, or `phuluc convert` output folders, as a DataFrame.

    Dates are datetime64 (`date`; `timeline_start`/`timeline_end` as the first and last
    day of the period written); list fields hold Python lists. Warns (EmptyTasksWarning)
    when the paths hold no document at all.
    """
    docs = list(_documents(paths, settings))
    if not docs:
        warnings.warn(f"no converted document or PDF/DOCX file in {paths}", EmptyTasksWarning, stacklevel=2)
    return tasks_frame(docs)


def agencies_frame(tasks: pd.DataFrame) -> pd.DataFrame:
    """One row per agency key: how many tasks it leads or partners, in how many documents, earliest deadline."""
    stats: dict[str, dict] = {}
    names: dict[str, Counter] = {}
    for row in tasks.itertuples(index=False):
        for role in ("lead", "partners"):
            for name, key in zip(getattr(row, f"{role}_list"), getattr(row, f"{role}_keys"), strict=False):
                s = stats.setdefault(key, {"lead_tasks": 0, "partner_tasks": 0, "documents": set(), "deadlines": []})
                s["lead_tasks" if role == "lead" else "partner_tasks"] += 1
                s["documents"].add(row.source)
                if role == "lead" and not pd.isna(row.timeline_end):
                    s["deadlines"].append(row.timeline_end)
                names.setdefault(key, Counter())[name] += 1
    records = [
        {
            "key": key,
            "agency": names[key].most_common(1)[0][0],
            "lead_tasks": s["lead_tasks"],
            "partner_tasks": s["partner_tasks"],
            "documents": len(s["documents"]),
            "earliest_deadline": min(s["deadlines"]) if s["deadlines"] else pd.NaT,
        }
        for key, s in stats.items()
    ]
    columns = ["key", "agency", "lead_tasks", "partner_tasks", "documents", "earliest_deadline"]
    frame = pd.DataFrame(records, columns=columns)
    frame["earliest_deadline"] = pd.to_datetime(frame["earliest_deadline"])
    return frame.sort_values(["lead_tasks", "partner_tasks", "key"], ascending=[False, False, True], ignore_index=True)


def write_agencies(out: str | os.PathLike) -> pd.DataFrame:
    """Write OUT/agencies.csv (and an "agencies" sheet in OUT/tasks.xlsx when it exists) from OUT's JSON files."""
    out = Path(out)
    if not out.is_dir():
        raise OutputFolderError(f"{out}: not a folder (give an output folder of phuluc convert)")
    frame = agencies_frame(read_tasks(out))
    csv_frame = frame.assign(earliest_deadline=frame["earliest_deadline"].dt.strftime("%Y-%m-%d").fillna(""))
    atomic_write_bytes(out / "agencies.csv", ("\ufeff" + csv_frame.to_csv(index=False, lineterminator="\r\n")).encode("utf-8"))
    xlsx = out / "tasks.xlsx"
    if xlsx.exists():
        import io

        from openpyxl import load_workbook

        book = load_workbook(xlsx)
        if "agencies" in book.sheetnames:
            del book["agencies"]
        sheet = book.create_sheet("agencies")
        sheet.append(list(csv_frame.columns))
        for row in csv_frame.itertuples(index=False):
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for col, width in zip("ABCDEF", (40, 50, 12, 14, 12, 18), strict=True):
            sheet.column_dimensions[col].width = width
        buf = io.BytesIO()
        book.save(buf)
        atomic_write_bytes(xlsx, buf.getvalue())
    return frame
