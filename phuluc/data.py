"""Tasks as a pandas DataFrame, and the agency table built from it.

`read_tasks` accepts input documents (PDF/DOCX, converted on the fly) and
output folders of `phuluc convert` (their JSON files read back), so an analyst
can work from either.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from phuluc.pipeline import Settings, convert
from phuluc.schema import PlanDocument

DOC_SUFFIXES = {".pdf", ".docx", ".doc"}
NOT_DOCUMENTS = {"report.json"}


def _documents(paths: str | os.PathLike | Iterable[str | os.PathLike], settings: Settings | dict | None) -> list[PlanDocument]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    docs: list[PlanDocument] = []
    for raw in paths:
        p = Path(raw)
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            if f.suffix.lower() == ".json" and f.name not in NOT_DOCUMENTS and not f.name.endswith(".golden.json"):
                data = json.loads(f.read_text(encoding="utf-8"))
                if isinstance(data, dict) and "tasks" in data and "document" in data:
                    docs.append(PlanDocument.from_dict(data))
            elif f.suffix.lower() in DOC_SUFFIXES or not p.is_dir():
                docs.append(convert(f, settings))
    return docs


def _period_start(value: str | None) -> pd.Timestamp:
    """ "2026" → 2026-01-01, "2026-04" → 2026-04-01, "2026-04-30" → that day."""
    if not value:
        return pd.NaT
    return pd.Timestamp(value if len(value) == 10 else (value + "-01" if len(value) == 7 else value + "-01-01"))


def _period_end(value: str | None) -> pd.Timestamp:
    """ "2026" → 2026-12-31, "2026-04" → 2026-04-30, "2026-04-30" → that day."""
    if not value:
        return pd.NaT
    if len(value) == 10:
        return pd.Timestamp(value)
    if len(value) == 7:
        return pd.Timestamp(value + "-01") + pd.offsets.MonthEnd(0)
    return pd.Timestamp(value + "-12-31")


def tasks_frame(docs: list[PlanDocument]) -> pd.DataFrame:
    """One row per task: document fields, task fields, extra columns, parsed fields."""
    rows = []
    for doc in docs:
        d = doc.document
        for t in doc.tasks:
            tp = t.timeline_parsed or {}
            row = {
                "source": doc.source,
                "issuer": d.issuer,
                "number": d.number,
                "date": d.date,
                "section": t.section,
                "stt": t.stt,
                "task": t.task,
                "timeline": t.timeline,
                "lead": t.lead,
                "partners": t.partners,
                "appendix": t.appendix,
                **t.extra,
                "timeline_recurrence": tp.get("recurrence", "unknown"),
                "timeline_start": _period_start(tp.get("start")),
                "timeline_end": _period_end(tp.get("end")),
                "timeline_due_day": tp.get("due_day_of_year"),
                "timeline_years": list(tp.get("years", [])),
                "timeline_before": bool(tp.get("before", False)),
                "lead_list": list(t.lead_list),
                "partners_list": list(t.partners_list),
                "lead_keys": list(t.lead_keys),
                "partners_keys": list(t.partners_keys),
            }
            rows.append(row)
    base = ["source", "issuer", "number", "date", "section", "stt", "task", "timeline", "lead", "partners", "appendix"]
    parsed = [
        "timeline_recurrence", "timeline_start", "timeline_end", "timeline_due_day", "timeline_years",
        "timeline_before", "lead_list", "partners_list", "lead_keys", "partners_keys",
    ]
    extra = list(dict.fromkeys(k for doc in docs for t in doc.tasks for k in t.extra))
    frame = pd.DataFrame(rows, columns=base + extra + parsed)
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    for col in ("timeline_start", "timeline_end"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    if "timeline_recurrence" in frame:
        frame["timeline_recurrence"] = frame["timeline_recurrence"].astype("category")
    return frame


def read_tasks(paths, settings: Settings | dict | None = None) -> pd.DataFrame:
    """Tasks of documents, folders of documents, or `phuluc convert` output folders, as a DataFrame.

    Dates are datetime64 (`date`; `timeline_start`/`timeline_end` as the first and last
    day of the period written); list fields hold Python lists.
    """
    return tasks_frame(_documents(paths, settings))


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
    from phuluc.writers import atomic_write_bytes

    out = Path(out)
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
