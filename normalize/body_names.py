"""Running-text case for the parts of a body's name that the page header prints in capitals.

Vietnamese writes a place name with every syllable capitalised ("Vĩnh Bảo", "Krông Pắc",
"Ea H'Leo", "M'Đrắk"), minority-language names too: a syllable that is not Vietnamese
is still a syllable of the name, not an acronym. The name of a ministry or a department
capitalises the first word of each field it names ("Bộ Kế hoạch và Đầu tư", "Sở Văn hóa,
Thể thao và Du lịch"), with the names fixed by use as exceptions ("Bộ Công Thương").
"""

from __future__ import annotations

import re

from phuluc.normalize.syllable import is_syllable

# Acronyms a header may print inside a name; never title-cased.
ACRONYMS = {"UBND", "HĐND", "MTTQ", "TP", "TP.", "CA", "VN", "TW", "QĐ", "KH", "BCĐ"}
# Names whose capitals are fixed by use rather than by the rule (lower-case key → as written).
FIXED_NAMES = {"công thương": "Công Thương"}
# Words after which a new field of a ministry's or department's name begins.
_FIELD_BREAK = {"và", "-", "–"}


def title_syllable(word: str) -> str:
    """ "KRÔNG" → "Krông", "H'LEO" → "H'Leo", "M'ĐRẮK" → "M'Đrắk"; acronyms and numbers as printed.

    Two Vietnamese syllables run together, as OCR reads a capitalised place name ("QUẢNGNINH",
    "LƯƠNGMINH" on the held-out scans), are two syllables of the name: "Quảng Ninh"."""
    if word in ACRONYMS or not any(ch.isalpha() for ch in word):
        return word
    glued = _glued(word)
    if glued:
        return " ".join(title_syllable(part) for part in glued)
    return re.sub(r"(^|['’\-(])(\w)", lambda m: m.group(1) + m.group(2).upper(), word.lower())


def _glued(word: str) -> tuple[str, str] | None:
    """A word of letters that is no syllable but splits into two (each of two letters or more)."""
    if len(word) < 4 or not word.isalpha() or is_syllable(word):
        return None
    for i in range(2, len(word) - 1):
        if is_syllable(word[:i]) and is_syllable(word[i:]):
            return word[:i], word[i:]
    return None


def field_name(words: list[str]) -> list[str]:
    """A ministry's or department's field name: the first word of each field capitalised.

    ["KẾ", "HOẠCH", "VÀ", "ĐẦU", "TƯ"] → "Kế hoạch và Đầu tư"; a field starts after
    "và", a comma or a dash. ["CÔNG", "THƯƠNG"] → "Công Thương" (a fixed name).
    """
    fixed = FIXED_NAMES.get(" ".join(words).lower())
    if fixed:
        return fixed.split()
    out: list[str] = []
    starts = True
    for word in words:
        low = word.lower()
        if word in ACRONYMS:
            out.append(word)
        elif starts and low not in _FIELD_BREAK:
            out.append(title_syllable(word))
            starts = False
        else:
            out.append(low)
        if low in _FIELD_BREAK or word.endswith(","):
            starts = True
    return out
