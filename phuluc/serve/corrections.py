"""A person's edits → a corrected document in the contract's shape.

The browser sends the text of every cell; the structured fields
(`timeline_parsed`, the agency lists and keys) are derived again by the same
library function the converter uses, so a corrected document is exactly what
the converter would have written had it read the cells right.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from phuluc.normalize.build import add_structured_fields
from phuluc.schema import CORE_FIELDS, DocumentFields, PlanDocument, PlanWarning, Task

MAX_TASKS = 20000
MAX_TEXT = 100_000
DOCUMENT_FIELDS = tuple(DocumentFields.__dataclass_fields__)
TASK_TEXT_FIELDS = ("section", *CORE_FIELDS)


class BadEdit(ValueError):
    """The edit payload is not what the review page sends."""


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise BadEdit(f"{what} must be text (at most {MAX_TEXT} characters)")
    # The browser gives "\r\n" or "\u00a0" where a person typed a break or a space.
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def corrected_document(machine: dict[str, Any], edit: dict[str, Any]) -> tuple[dict[str, Any], list[int | None]]:
    """The machine's document with the edited fields and rows; also each row's machine row index (None: added)."""
    if not isinstance(edit, dict) or not isinstance(edit.get("tasks"), list) or not isinstance(edit.get("document", {}), dict):
        raise BadEdit("expected {document: {...}, tasks: [...]}")
    if len(edit["tasks"]) > MAX_TASKS:
        raise BadEdit(f"at most {MAX_TASKS} rows")
    fields = edit.get("document", {})
    base = PlanDocument.from_dict(machine)
    document = DocumentFields(**{k: _text(fields.get(k, getattr(base.document, k)), k) for k in DOCUMENT_FIELDS})
    tasks: list[Task] = []
    origins: list[int | None] = []
    for i, row in enumerate(edit["tasks"]):
        if not isinstance(row, dict) or not isinstance(row.get("extra", {}), dict):
            raise BadEdit(f"row {i + 1} is not an object")
        task = Task(**{k: _text(row.get(k), f"row {i + 1} {k}") for k in TASK_TEXT_FIELDS})
        task.extra = {_text(k, "column header"): _text(v, f"row {i + 1} {k}") for k, v in row.get("extra", {}).items()}
        origin = row.get("origin")
        origins.append(origin if isinstance(origin, int) and 0 <= origin < len(base.tasks) else None)
        tasks.append(task)
    add_structured_fields(tasks)
    doc = PlanDocument(source=base.source, document=document, tasks=tasks,
                       warnings=[PlanWarning(w.code, w.message, w.page) for w in base.warnings])
    return doc.to_dict(), origins
