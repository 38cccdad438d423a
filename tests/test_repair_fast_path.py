"""The text repair's fast path (a clean line, and the cache) gives byte for byte the full repair."""

from __future__ import annotations

import pytest

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
