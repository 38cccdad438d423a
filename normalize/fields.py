"""Structured fields derived from a task's text (the text fields stay as printed)."""

from __future__ import annotations

from phuluc.schema import Task

try:  # TEMPORARY until normalize/timeline.py and normalize/agencies.py land
    from phuluc.normalize.agencies import split_agencies
    from phuluc.normalize.timeline import parse_timeline
except ImportError:  # pragma: no cover

    def split_agencies(text: str) -> list[str]:
        return [text] if text else []

    def parse_timeline(text: str) -> dict:
        return {}


def add_structured_fields(tasks: list[Task]) -> None:
    """Fill `timeline_parsed`, `lead_list` and `partners_list` from the text fields."""
    for task in tasks:
        task.timeline_parsed = parse_timeline(task.timeline)
        task.lead_list = split_agencies(task.lead)
        task.partners_list = split_agencies(task.partners)
