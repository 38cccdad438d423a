"""The text repair's fast paths (a line proven clean, and the cache) give byte for byte the full repair."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phuluc.normalize import repair
from phuluc.normalize.legacy import font_encoding

LINES = [
    "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện",  # clean
    "Kế hoạch số 761/KH-UBND ngày 06/4/2026 của Ủy ban nhân dân xã",  # clean, with a code
    "PH Ụ   L Ụ C   NHI Ệ M   V Ụ",  # spaced letters
    "761 /KH - UBND",  # spaced code
    "Qu ả n l ý , gi á m s á t",
    "Ke\u0302\u0301 hoa\u0323ch",  # NFD
    "Phßng V¨n hãa",  # TCVN3 bytes
    "Annual report 2026",
    "",
]


def full_repair(line: str, font: str) -> str:
    """The repair without its fast path: passes until nothing changes."""
    out = repair._repair_once(line, font)
    for _ in range(3):
        again = repair._repair_once(out, "")
        if again == out:
            break
        out = again
    return out


@pytest.mark.parametrize("font", ["", "LiberationSerif", ".VnTime"])
@pytest.mark.parametrize("line", LINES)
def test_fast_path_gives_the_full_repair(line: str, font: str):
    repair._repaired.cache_clear()
    first = repair.repair_text(line, font)
    again = repair.repair_text(line, font)  # from the cache
    assert first == again == full_repair(line, font)


def test_fast_path_is_taken_only_without_a_legacy_font():
    assert not font_encoding("LiberationSerif") and font_encoding(".VnTime")


def test_legacy_decodings_are_reported_from_the_cache_too():
    repair._repaired.cache_clear()
    line, font = "Phßng V¨n hãa", ".VnTime"
    first: set = set()
    second: set = set()
    assert repair.repair_text(line, font, first) == repair.repair_text(line, font, second)
    assert first == second == {("tcvn3", ".VnTime")}


def _golden_lines() -> list[str]:
    """Every line of every text in the samples' golden files: clean text as plans write it."""
    lines: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            lines.update(value.split("\n"))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.glob("samples*/*.golden.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return sorted(lines)


GOLDEN_LINES = _golden_lines()


def _damaged(line: str, rng: random.Random) -> str:
    """One kind of the damage PDFs do: a space inside a word, a wide gap, NFD, a spaced code or slash."""
    kind = rng.randrange(5)
    if kind == 0 and len(line) > 2:
        k = rng.randrange(1, len(line) - 1)
        return line[:k] + " " + line[k:]
    if kind == 1:
        return line.replace(" ", "   ", 1)
    if kind == 2:
        return unicodedata.normalize("NFD", line)
    if kind == 3:
        return line.replace("/", " / ").replace("-", " - ")
    return " ".join(" ".join(word) if word.isupper() and len(word) > 2 else word for word in line.split(" "))


def test_a_line_proven_clean_is_what_the_full_repair_gives():
    rng = random.Random(15)
    lines = GOLDEN_LINES + [_damaged(line, rng) for line in GOLDEN_LINES for _ in range(3)] + LINES
    proven = [line for line in lines if repair._is_clean(line)]
    assert proven
    assert [line for line in proven if full_repair(line, "") != line] == []


def test_most_clean_lines_take_the_fast_path():
    """Not a path that proves nothing: real plans' clean lines are recognised, titles in capitals too."""
    unchanged = [line for line in GOLDEN_LINES if full_repair(line, "") == line]
    assert len(unchanged) > 300
    proven = [line for line in unchanged if repair._is_clean(line)]
    assert len(proven) >= 0.95 * len(unchanged)


@pytest.mark.parametrize("line", [
    "PH Ụ   L Ụ C", "761 /KH - UBND", "Qu ả n l ý", "Ke\u0302\u0301 hoa\u0323ch", "Phßng V¨n hãa",
    "H Đ ND xã", "nhi ệm vụ", "tổ  chức", " tổ chức", "tổ chức ", "( Kèm theo Kế hoạch", "Vi\u200bệt",
    "- , đã xong", "Số 12 /2026", "Sở Tài chính ;",
])
def test_damaged_lines_are_not_proven_clean(line: str):
    assert not repair._is_clean(line)


_PIECES = sorted({word for line in GOLDEN_LINES[:400] for word in line.split()}) + [
    "ng", "h", "iêm", "Ụ", "C", "UB", "ND", "H", "Đ", "BCH", "TƯ", "PHỤ", "LỤC", "GD", "ĐT", "X", "/", "-", "(", ")",
    ",", "2026", "Ð", "\u00a0",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=10), st.lists(st.sampled_from(["", " ", "  "]), max_size=10))
@settings(max_examples=500, deadline=None)
def test_proven_clean_on_random_lines(pieces: list[str], gaps: list[str]):
    line = "".join(piece + (gaps[k] if k < len(gaps) else " ") for k, piece in enumerate(pieces))
    if repair._is_clean(line):
        assert repair._repair_once(line, "") == line
