"""Structured fields derived from a task's text (the text fields stay as printed)."""

from __future__ import annotations

from phuluc.normalize.agencies import agency_key, split_agencies
from phuluc.normalize.timeline import parse_timeline
from phuluc.schema import Task


def add_structured_fields(tasks: list[Task]) -> None:
    """Fill `timeline_parsed`, the agency lists and their matching keys from the text fields."""
    for task in tasks:
        task.timeline_parsed = parse_timeline(task.timeline)
        task.lead_list = split_agencies(task.lead)
        task.partners_list = split_agencies(task.partners)
        task.lead_keys = [agency_key(a) for a in task.lead_list]
        task.partners_keys = [agency_key(a) for a in task.partners_list]
