"""ASCII folding for matching keys: unidecode's transliteration, at the speed of `str.translate`.

unidecode replaces each character on its own (its table row for the code point), in a Python
loop over the text; a plan's header, agency and time-frame keys are folded thousands of times.
Here each distinct character is looked up in unidecode once and the text is translated in C,
with byte for byte unidecode's result (tests/test_ascii_fold.py).
"""

from __future__ import annotations

from unidecode import unidecode

# Distinct characters kept: plans use a few hundred; a hostile file with a million distinct
# characters must not grow the table without bound (past this they are looked up each time).
_MAX_ENTRIES = 20_000


class _Transliterations(dict):
    """A `str.translate` table that fills itself: code point -> unidecode of that character."""

    def __missing__(self, code: int) -> str:
        value = unidecode(chr(code))
        if len(self) < _MAX_ENTRIES:
            self[code] = value
        return value


_TABLE = _Transliterations()


def ascii_fold(text: str) -> str:
    """`unidecode(text)`: letters without diacritics ("Đề án" -> "De an"), everything in ASCII."""
    if text.isascii():
        return text
    return text.translate(_TABLE)
