"""Tests for phuluc.normalize.timeline.parse_timeline.

The table tests/data/timeline_phrases.tsv is the spec: each row is a real (or
issue-listed) timeline cell with its parse written as a person reads it.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phuluc.normalize.timeline import RECURRENCES, parse_timeline

DATA = Path(__file__).parent / "data"
KEYS = {"recurrence", "start", "end", "due_day_of_year", "due_day_of_month", "years", "before", "text"}


def load_table() -> list[tuple[str, dict]]:
    rows = []
    with open(DATA / "timeline_phrases.tsv", encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    for rec in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append((rec["text"].replace("\\n", "\n"), json.loads(rec["expected"])))
    return rows


TABLE = load_table()


def test_table_size():
    assert len(TABLE) >= 80
    assert len({t for t, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize("text,expected", TABLE, ids=[t[:40] for t, _ in TABLE])
def test_phrase(text, expected):
    got = parse_timeline(text)
    assert got["text"] == text
    got = {k: v for k, v in got.items() if k != "text"}
    assert got == expected


def test_nfd_input_same_as_nfc():
    for text in ["Trước ngày 15/02 hằng năm", "Quý IV năm 2026", "Thường xuyên, liên tục"]:
        nfd = unicodedata.normalize("NFD", text)
        a, b = parse_timeline(text), parse_timeline(nfd)
        assert b["text"] == nfd
        a.pop("text")
        b.pop("text")
        assert a == b


def test_empty_and_none():
    for value in ["", "   ", None]:
        got = parse_timeline(value)
        assert got["recurrence"] == "unknown"
        assert got["start"] is None and got["end"] is None and got["years"] == []


@given(st.text(max_size=80))
def test_schema_holds_for_any_text(text):
    got = parse_timeline(text)
    assert set(got) == KEYS
    assert got["recurrence"] in RECURRENCES
    assert got["text"] == text
    assert got["years"] == sorted(set(got["years"]))
    assert isinstance(got["before"], bool)
    for key in ("start", "end"):
        v = got[key]
        assert v is None or (len(v) in (4, 7, 10) and v[:4].isdigit())
    if got["start"] and got["end"]:
        assert got["start"][:4] <= got["end"][:4]
    if got["recurrence"] == "unknown":
        assert got["start"] is None and got["end"] is None


def test_the_column_year_dates_cells_written_without_one():
    # A column titled "Thời gian (Năm 2026)" whose cells say "ngày 23 tháng 1".
    got = parse_timeline("ngày 23 tháng 1", 2026)
    assert (got["recurrence"], got["start"], got["end"], got["years"]) == ("once", "2026-01-23", "2026-01-23", [2026])
    # The cell's own year, or a cycle, wins over the column's year.
    assert parse_timeline("Quí IV-2025", 2026)["years"] == [2025]
    got = parse_timeline("Trước ngày 25 hằng tháng", 2026)
    assert (got["recurrence"], got["due_day_of_month"], got["years"]) == ("monthly", 25, [])
