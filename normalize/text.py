"""Cell and line text as the contract wants it.

Extractors hand over text with paragraph breaks as "\\n" and soft line breaks
(wrapped lines, DOCX `w:br`) as U+2028. Here wrapped lines are joined with one
space, a wrapped line that starts a bullet after a finished sentence starts a
new paragraph, each paragraph goes through the Vietnamese text repair, and
empty paragraphs are dropped.
"""

from __future__ import annotations

import re

from phuluc.normalize.ocr_tones import restore_tones
from phuluc.normalize.repair import Decoded, repair_text
from phuluc.schema import SOFT_BREAK
from phuluc.schema.grid import OCR_FONT

_BULLET = re.compile(r"^\s*([-+•–]|\d+[.)]|[a-zđ][.)])\s")
_ENDS_CLAUSE = re.compile(r"[.:;!?]\s*$")
# A hyphen attached to a word or number at the end of a line, the next line starting with a digit:
# a range wrapped at its hyphen ("Năm 2025-" / "2030") goes on without a space; "2026 -" / "2030" keeps it.
_RANGE_CUT = re.compile(r"\w-\s*$")


def join_soft_lines(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs.

    A line starting with a bullet ("- ", "+ ", "a) ") opens a new paragraph when the
    text before it ends a clause (".", ":", ";"), is itself a bullet item, or another
    bullet follows (a list); a lone dash after an unfinished line is a wrapped dash
    ("Phòng Văn hóa" / "- Xã hội") and joins with one space. A range wrapped at its
    hyphen ("2025-" / "2030") joins without one.
    """
    lines = [line for line in lines if line.strip()]
    bullets = [bool(_BULLET.match(line)) for line in lines]
    paragraphs: list[str] = []
    for i, line in enumerate(lines):
        if paragraphs and bullets[i]:
            prev = paragraphs[-1]
            if _ENDS_CLAUSE.search(prev) or _BULLET.match(prev) or any(bullets[i + 1 :]):
                paragraphs.append(line)
                continue
        if paragraphs:
            sep = "" if _RANGE_CUT.search(paragraphs[-1]) and line.lstrip()[:1].isdigit() else " "
            paragraphs[-1] = paragraphs[-1].rstrip() + sep + line.lstrip()
        else:
            paragraphs.append(line)
    return paragraphs


def clean_text(raw: str, font: str = "", decoded: Decoded | None = None) -> str:
    """Clean one cell or field: paragraphs kept as "\\n", wraps joined, text repaired.

    `decoded` collects the legacy encodings the repair decoded (see `repair_text`).
    """
    if not raw:
        return ""
    out: list[str] = []
    for paragraph in raw.split("\n"):
        for joined in join_soft_lines(paragraph.split(SOFT_BREAK)):
            fixed = repair_text(joined, font, decoded)
            if font == OCR_FONT:
                fixed = restore_tones(fixed)
            if fixed:
                out.append(fixed)
    return "\n".join(out)


def clean_inline(raw: str, font: str = "", decoded: Decoded | None = None) -> str:
    """Clean text that must be one line (document fields, headers): all breaks become spaces."""
    fixed = repair_text(re.sub(f"[\n{SOFT_BREAK}]+", " ", raw or ""), font, decoded)
    return restore_tones(fixed) if font == OCR_FONT else fixed


# A code cut at its hyphen by a page break: "1552/BTTTT-" | "TTH và …", "KH-" | "UBND".
_CODE_CUT_BEFORE = re.compile(r"[A-ZĐ\d]-\s*$")
_CODE_CUT_AFTER = re.compile(r"^\s*[A-ZĐ\d][A-ZĐ\d/-]*(?=[\s,;.)]|$)")


def join_continuation(before: str, after: str) -> str:
    """Join text cut by a page break: one space, or a new paragraph when `after` opens a bullet;
    a code cut at its hyphen ("…/BTTTT-" | "TTH") goes on without a space, as within a cell."""
    if not before:
        return after
    if not after:
        return before
    if _CODE_CUT_BEFORE.search(before) and _CODE_CUT_AFTER.match(after):
        return before.rstrip() + after.lstrip()
    paragraphs = join_soft_lines(before.split("\n")[-1:] + after.split("\n")[:1])
    head = before.split("\n")[:-1]
    tail = after.split("\n")[1:]
    return "\n".join(head + paragraphs + tail)
