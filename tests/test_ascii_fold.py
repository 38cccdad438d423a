"""ascii_fold gives unidecode's result byte for byte (it only makes it faster)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from phuluc.normalize.ascii_fold import ascii_fold
from phuluc.normalize.syllable import VIET_LETTERS


def test_vietnamese_letters_and_plan_text():
    letters = "".join(sorted(VIET_LETTERS))
    text = "Cơ quan chủ trì “Phối hợp” – Đề án số 06/ĐA-UBND… ỦY BAN NHÂN DÂN\u00a0XÃ • ½ № 北京 \U0001f600"
    for s in (letters, text, "", "plain ASCII"):
        assert ascii_fold(s) == unidecode(s)
    assert ascii_fold("Đề án") == "De an"


@given(st.text(max_size=60))
@settings(max_examples=500, deadline=None)
def test_any_text(s: str):
    assert ascii_fold(s) == unidecode(s)
