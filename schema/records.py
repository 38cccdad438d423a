"""The records of the output contract (docs/contract.md).

The JSON written for a document is exactly `PlanDocument.to_dict()`; the JSON
Schema in `plan.schema.json` describes the same shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CORE_FIELDS = ("stt", "task", "timeline", "lead", "partners")
CSV_COLUMNS = ("source", "issuer", "number", "date", "section", "stt", "task", "timeline", "lead", "partners", "appendix")


@dataclass
class DocumentFields:
    """What the plan says about itself; "" where the document does not say it."""

    issuer: str = ""
    number: str = ""
    date: str = ""  # ISO YYYY-MM-DD
    title: str = ""
    plan_title: str = ""  # the plan's own title ("KẾ HOẠCH Cải cách ..."), "" for an appendix alone


@dataclass
class Task:
    """One task row of the appendix table."""

    section: str = ""
    stt: str = ""
    task: str = ""
    timeline: str = ""
    lead: str = ""
    partners: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # Structured fields derived from the text; the text fields stay as printed.
    timeline_parsed: dict[str, Any] = field(default_factory=dict)
    lead_list: list[str] = field(default_factory=list)
    partners_list: list[str] = field(default_factory=list)
    lead_keys: list[str] = field(default_factory=list)  # agency_key() of each lead_list item
    partners_keys: list[str] = field(default_factory=list)
    appendix: str = ""  # "PHỤ LỤC II" when the document has several appendices, else ""
    page: int | None = None  # where the row starts; not part of the JSON contract
    timeline_year: int | None = None  # the year the timeline column's title names ("Thời gian (Năm 2026)"); not in the JSON
    # Where each field's cell is drawn: {field or extra header: [(page, bbox, conf), ...]}; not part of
    # the JSON contract (the batch keeps it in a side file, OUT/<stem>.boxes.json, for review).
    boxes: dict[str, list] | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("page")
        d.pop("timeline_year")
        d.pop("boxes")
        return d


@dataclass
class PlanWarning:
    """Something a reviewer should look at. `code` is stable; `message` is for people."""

    code: str
    message: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.page is not None:
            d["page"] = self.page
        return d


# Stable warning codes, documented in the README.
WARNING_CODES = {
    "no-task-table": "the document holds no table whose headers name the task fields",
    "stt-gap": "an STT number is followed by one that skips numbers",
    "stt-duplicate": "an STT value appears twice in the same section",
    "borderless-table": "columns were inferred from word positions (no ruling lines): less certain",
    "page-split-merged": "a row cut by a page break was merged back into one task",
    "legacy-encoding": "text in a legacy font encoding (TCVN3/VNI) was converted to Unicode",
    "partial-recovery": "the file is damaged; only part of it could be read",
    "doc-converted": "a legacy .doc file (or RTF, a web page, Word 2003 XML) was converted through LibreOffice",
    "undecodable-text": "some text is in fonts without a Unicode map: pages not read, or characters shown as \ufffd",
    "scanned-pages": "some pages are scans without a text layer and were not read (the others were)",
    "library-message": "a PDF or XML library logged a message about this file",
    "xlsx-cell-cut": "a cell was cut to fit Excel's 32,767 characters in tasks.xlsx (tasks.csv and tasks.jsonl hold it whole)",
    "ocr": "pages were read from page images by OCR (which pages, mean word confidence)",
    "low-confidence": "a cell read by OCR with a word under the confidence threshold (STT, field, confidence)",
}


@dataclass
class PlanDocument:
    """One converted input file."""

    source: str
    document: DocumentFields = field(default_factory=DocumentFields)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    pages: int | None = None  # not part of the JSON contract; reported in report.json

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": asdict(self.document),
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlanDocument:
        """Read back a JSON written by `to_dict` (for `read_tasks` on an output folder)."""
        tasks = []
        for t in d.get("tasks", []):
            known = {k: t[k] for k in Task.__dataclass_fields__ if k in t and k not in ("page", "boxes", "timeline_year")}
            tasks.append(Task(**known))
        return cls(
            source=d.get("source", ""),
            document=DocumentFields(**{k: d.get("document", {}).get(k, "") for k in DocumentFields.__dataclass_fields__}),
            tasks=tasks,
            warnings=[PlanWarning(w["code"], w.get("message", ""), w.get("page")) for w in d.get("warnings", [])],
        )
