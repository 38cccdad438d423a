"""Tests for phuluc.normalize.agencies (split_agencies, agency_key).

tests/data/agency_cells.tsv is the spec: real lead/partner cells from the text
appendices (plus hand-written edge cases) with the split a person reads.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phuluc.normalize.agencies import _split_top, agency_key, split_agencies

DATA = Path(__file__).parent / "data"


def load_table() -> list[tuple[str, list[str]]]:
    with open(DATA / "agency_cells.tsv", encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [
        (rec["text"].replace("\\n", "\n"), json.loads(rec["expected"]))
        for rec in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


TABLE = load_table()


def test_table_size():
    assert len(TABLE) >= 60


@pytest.mark.parametrize("text,expected", TABLE, ids=[t[:40] for t, _ in TABLE])
def test_split(text, expected):
    assert split_agencies(text) == expected


def test_nfd_input():
    text = "Sở Tài chính, Sở Nội vụ và các sở, ngành liên quan"
    got = split_agencies(unicodedata.normalize("NFD", text))
    assert got == ["Sở Tài chính", "Sở Nội vụ", "các sở, ngành liên quan"]


@given(st.text(max_size=60))
def test_split_never_crashes_and_keeps_words(text):
    parts = split_agencies(text)
    assert all(p and p == p.strip() for p in parts)


@pytest.mark.parametrize(
    "a,b",
    [
        ("UBND xã", "Ủy ban nhân dân xã"),
        ("Ủy ban MTTQ Việt Nam xã", "Ủy ban Mặt trận Tổ quốc Việt Nam xã"),
        ("UBMTTQ xã", "Ủy ban Mặt trận Tổ quốc xã"),
        ("Phòng Văn hoá - Xã hội", "Phòng Văn hóa-Xã hội"),
        ("Phòng VH-XH", "Phòng Văn hóa - Xã hội"),
        ("các cơ quan có liên quan", "Các cơ quan liên quan"),
        ("HĐND xã", "Hội đồng nhân dân xã"),
        ("Văn phòng HĐND và UBND", "VP HĐND & UBND"),
        ("CA xã", "Công an xã"),
        ("TT Văn hóa - Thể thao", "Trung tâm Văn hóa - Thể thao"),
        ("BCH Quân sự xã", "Ban Chỉ huy Quân sự xã"),
        ("Ban CHQS xã", "Ban Chỉ huy Quân sự xã"),
        ("Phòng KT", "Phòng Kinh tế"),
        ("ĐTN xã", "Đoàn Thanh niên xã"),
        ("Hội LHPN xã", "Hội Liên hiệp Phụ nữ xã"),
        ("Hội CCB xã", "Hội Cựu chiến binh xã"),
        ("Hội ND xã", "Hội Nông dân xã"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL"),
        ("Thuỷ lợi", "Thủy lợi"),
        ("  Sở   Tài chính. ", "Sở Tài chính"),
        ("Sở Tai chinh", "SỞ TÀI CHÍNH"),
    ],
)
def test_key_equal(a, b):
    assert agency_key(a) == agency_key(b)


@pytest.mark.parametrize(
    "a,b",
    [
        ("Sở Tài chính", "Sở Nội vụ"),
        ("UBND xã", "UBND tỉnh"),
        ("Các cơ quan liên quan", "Các cơ quan"),
        ("Hội đồng nhân dân xã", "Ủy ban nhân dân xã"),
    ],
)
def test_key_distinct(a, b):
    assert agency_key(a) != agency_key(b)


def test_tt_outside_agency_position_is_untouched():
    assert "trung tam" not in agency_key("Thông tư số 12/2025/TT-BTC")
    assert agency_key("TT 12/2025") == "tt 12 2025"


def test_key_nfd():
    assert agency_key(unicodedata.normalize("NFD", "Ủy ban nhân dân xã")) == agency_key("UBND xã")


def _split_top_by_char(text: str, seps: str) -> list[tuple[str, str]]:
    """The plain definition of `_split_top`: walk the characters, try the separator at depth 0."""
    out, depth, buf, sep_before, i, pattern = [], 0, [], "", 0, re.compile(seps)
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        m = pattern.match(text, i) if depth == 0 else None
        if m and m.end() > i:
            out.append((sep_before, "".join(buf)))
            sep_before, buf, i = m.group(0).strip(), [], m.end()
            continue
        buf.append(ch)
        i += 1
    out.append((sep_before, "".join(buf)))
    return out


@given(st.lists(st.sampled_from(["Sở", "a", " ", ",", ";", "/", "(", ")", "[", "]", " và ", "và", "  "]), max_size=16))
@settings(max_examples=1000, deadline=None)
def test_split_top_splits_at_separators_outside_brackets(parts: list[str]):
    text = "".join(parts)
    for seps in (r";", r"\s*,\s*|\s+và\s+|\s*/\s*"):
        assert _split_top(text, seps) == _split_top_by_char(text, seps)
