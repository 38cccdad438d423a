"""Grid → PlanDocument: the normalizing half of the pipeline, the same for every format.

    tasks from the tables (`table`) → issuer, number, date, title from the page header
    and the text around the table (`page_header`) → structured fields per task
    (`timeline`, `agencies`) → warnings: the extractor's notes, the tables' notes,
    legacy encodings the text repair decoded, no task table.
"""

from __future__ import annotations

import functools

from phuluc.normalize.agencies import agency_key, split_agencies
from phuluc.normalize.page_header import document_fields
from phuluc.normalize.repair import Decoded
from phuluc.normalize.table import tables_to_tasks
from phuluc.normalize.text import clean_inline, clean_text
from phuluc.normalize.timeline import parse_timeline
from phuluc.schema import Grid, PlanDocument, PlanWarning, Task


def build_document(grid: Grid) -> PlanDocument:
    """Read the tasks, the document fields and the warnings out of one extracted grid."""
    decoded: Decoded = set()  # what the text repair really decoded from TCVN3/VNI
    tasks, warnings, first = tables_to_tasks(grid.tables, functools.partial(clean_text, decoded=decoded), grid.lines)
    fields = document_fields(grid, functools.partial(clean_inline, decoded=decoded), first.order if first else None)
    add_structured_fields(tasks)
    notes = [PlanWarning(code, message) for code, message in grid.notes]
    for table in grid.tables:
        notes += [PlanWarning(code, message, table.page) for code, message in table.notes]
    if decoded:
        notes.append(PlanWarning("legacy-encoding", legacy_message(decoded)))
    if not tasks:
        notes.append(PlanWarning("no-task-table", "no table with task columns (STT, Nhiệm vụ, Chủ trì, ...) was found"))
    return PlanDocument(source=grid.source, document=fields, tasks=tasks, warnings=notes + warnings, pages=grid.pages)


def legacy_message(decoded: Decoded) -> str:
    """Name the legacy fonts whose text was converted (the encoding, when the text alone told)."""
    fonts = sorted({font for _, font in decoded if font})
    encodings = sorted({enc.removesuffix("h").upper() for enc, font in decoded if not font})
    kind = "legacy encodings" if encodings else "legacy fonts"
    return f"text in {kind} ({', '.join(fonts + encodings)}) was converted to Unicode"


def add_structured_fields(tasks: list[Task]) -> None:
    """Fill `timeline_parsed`, the agency lists and their matching keys from the text fields.

    A plan names the same agencies and time frames row after row: each distinct text is read
    once per document, and every task gets its own copies."""
    agencies: dict[str, tuple[list[str], list[str]]] = {}
    timelines: dict[tuple[str, int | None], dict] = {}
    for task in tasks:
        timeline = timelines.get((task.timeline, task.timeline_year))
        if timeline is None:
            timeline = timelines[task.timeline, task.timeline_year] = parse_timeline(task.timeline, task.timeline_year)
        task.timeline_parsed = {**timeline, "years": list(timeline["years"])}  # its only mutable value
        task.lead_list, task.lead_keys = _agencies(task.lead, agencies)
        task.partners_list, task.partners_keys = _agencies(task.partners, agencies)


def _agencies(text: str, seen: dict[str, tuple[list[str], list[str]]]) -> tuple[list[str], list[str]]:
    """The agencies named in `text` and their keys, new lists (read once per distinct text)."""
    known = seen.get(text)
    if known is None:
        names = split_agencies(text)
        known = seen[text] = (names, [agency_key(a) for a in names])
    return list(known[0]), list(known[1])
