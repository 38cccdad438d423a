"""PDF glyphs → lines → text, from the glyphs' geometry.

pdfplumber's `extract_text()` inserts a space wherever two characters are more than
3 points apart. Producers that draw Vietnamese letters as separate runs, in a second
font or with wrong width data, then read as "PH Ụ L Ụ C". Here a space comes from a
space glyph when the line has them (every office producer draws them), otherwise from a
gap measured in ems of the font size; combining marks drawn as glyphs of their own are
put back on their base letter. The Vietnamese text repair downstream cleans the rest.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Final

from mypy_extensions import mypyc_attr

from phuluc.schema import SOFT_BREAK, Word

# (The constants are Final: compiled, they are read without a lookup in the module's dict.)
# Without space glyphs: a gap of more than this many ems between two glyphs is a word space.
WORD_GAP_EM: Final = 0.2
# With space glyphs: only a gap this wide adds a space (a tab drawn as a bare gap; glyphs of one
# word stand far closer, even with narrowed widths).
WIDE_GAP_EM: Final = 0.5
# Two glyphs belong to one line when their baselines differ by less than this many ems.
BASELINE_TOL_EM: Final = 0.45

# Spacing accents that some fonts map their mark glyphs to; attached to the letter they overlap.
SPACING_ACCENTS: Final = {
    "\u00b4": "\u0301", "\u02ca": "\u0301", "\u0060": "\u0300", "\u02cb": "\u0300",
    "\u02dc": "\u0303", "\u007e": "\u0303", "\u02c0": "\u0309", "\u02c1": "\u0309",
    "\u02d9": "\u0307", "\u00b8": "\u0327", "\u02c6": "\u0302", "\u005e": "\u0302", "\u02d8": "\u0306",
}
_BOTTOM: Final = attrgetter("bottom")
_X0: Final = attrgetter("x0")
_SUBSET: Final = re.compile(r"^[A-Z]{6}\+")
_HYPHEN_END: Final = re.compile(r"\w-$")


@mypyc_attr(allow_interpreted_subclasses=True)  # compiled (setup.py); OCR's glyphs carry a confidence
@dataclass(slots=True, init=False)
class Glyph:
    """One drawn character in page space (points, origin top-left, `top` < `bottom`)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str = ""

    # Written out (not the dataclass's): compiled, it is native code, made once a character.
    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, size: float,
                 font: str = "") -> None:
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.top = top
        self.bottom = bottom
        self.size = size
        self.font = font

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def font_name(raw: str) -> str:
    """ "BAAAAA+LiberationSerif" → "LiberationSerif" (the subset tag is not part of the name)."""
    return _SUBSET.sub("", raw or "")


def round_half_even(x: float) -> int:
    """`round(x)` of a finite float (a half goes to the even neighbour), in native code once compiled:
    mypyc calls the builtin `round` through the interpreter, which cost more than a glyph's other
    work. Exact: `x - floor(x)` loses nothing for a float."""
    whole = math.floor(x)
    rest = x - whole
    if rest > 0.5 or (rest == 0.5 and whole % 2 == 1):
        return whole + 1
    return whole


def dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop glyphs drawn twice at the same place (fake bold, shadow text)."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Glyph] = []
    for g in glyphs:
        key = (g.text, round_half_even(g.x0), round_half_even(g.top))
        if key in seen:
            continue
        seen.add(key)
        out.append(g)
    return out


def group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs → visual lines, top to bottom, each sorted left to right.

    Lines are clustered by baseline against the first glyph of the line (not chained), so
    a drop of a few points inside a line (a second font with another descent) stays on it.
    """
    if not glyphs:
        return []
    ordered = sorted(glyphs, key=_BOTTOM)
    lines: list[list[Glyph]] = []
    current: list[Glyph] = []
    anchor = 0.0
    tol = 0.0
    for g in ordered:
        if current and g.bottom - anchor > tol:
            lines.append(current)
            current = []
        if not current:
            anchor = g.bottom
            tol = BASELINE_TOL_EM * max(g.size, 1.0)
        current.append(g)
    lines.append(current)
    for line in lines:
        line.sort(key=_X0)
    return lines


def _is_space(text: str) -> bool:
    # Not cached: compiled, a direct call and a strip cost less than a call through functools.cache.
    return not text.strip()


@cache
def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.combining(ch) for ch in text)


class _Unit:
    """A base glyph with the marks put back on it."""

    __slots__ = ("glyph", "marks", "text")

    def __init__(self, glyph: Glyph) -> None:
        self.glyph = glyph
        self.text = glyph.text
        self.marks: list[Glyph] = []


def _units(line: list[Glyph]) -> list[_Unit]:
    """Base glyphs (and spaces) in x order, with separately drawn marks attached."""
    units: list[_Unit] = []
    marks: list[tuple[Glyph, str]] = []
    for g in line:
        if _is_mark(g.text):
            marks.append((g, g.text))
        else:
            units.append(_Unit(g))
    # A spacing accent counts as a mark only where it sits on a letter.
    if any(u.text in SPACING_ACCENTS for u in units):
        kept: list[_Unit] = []
        for i, u in enumerate(units):
            if u.text in SPACING_ACCENTS and _overlapping_letter(units, i) is not None:
                marks.append((u.glyph, SPACING_ACCENTS[u.text]))
            else:
                kept.append(u)
        units = kept
    if not marks:
        return units
    bases = [u for u in units if not _is_space(u.text)]
    if not bases:
        return units + [_Unit(g) for g, _ in marks]
    starts = [u.glyph.x0 for u in bases]
    for g, text in marks:
        cx = g.cx
        i = bisect.bisect_right(starts, cx) - 1
        candidates = [j for j in (i, i + 1, i - 1) if 0 <= j < len(bases)]
        inside = [j for j in candidates if bases[j].glyph.x0 - 0.5 <= cx <= bases[j].glyph.x1 + 0.5]
        j = inside[0] if inside else min(candidates, key=lambda k: _distance(bases[k].glyph, cx))
        bases[j].text += text
        bases[j].marks.append(g)
    return units


def _overlapping_letter(units: list[_Unit], i: int) -> int | None:
    g = units[i].glyph
    for j in (i - 1, i + 1, i - 2):
        if 0 <= j < len(units) and units[j].text.isalpha():
            o = units[j].glyph
            overlap = min(g.x1, o.x1) - max(g.x0, o.x0)
            if overlap > 0.5 * max(g.x1 - g.x0, 0.1):
                return j
    return None


def _distance(g: Glyph, x: float) -> float:
    return 0.0 if g.x0 <= x <= g.x1 else min(abs(g.x0 - x), abs(g.x1 - x))


def _word_units(line: list[Glyph]) -> list[list[_Unit]]:
    """The line's words (glyphs sorted by x0), each as its units: a space goes where the
    producer drew a space glyph, or where the gap is wider than a word space."""
    units = _units(line)
    has_spaces = any(_is_space(u.text) for u in units)
    words: list[list[_Unit]] = []
    prev: Glyph | None = None
    pending_space = False
    for u in units:
        text = u.text
        if _is_space(text):
            pending_space = prev is not None
            continue
        g = u.glyph
        if prev is None:
            words.append([u])
        else:
            em = max(min(g.size, prev.size), 1.0)
            gap = g.x0 - prev.x1
            if pending_space or gap > (WIDE_GAP_EM if has_spaces else WORD_GAP_EM) * em:
                words.append([u])
            else:
                words[-1].append(u)
        prev = g
        pending_space = False
    return words


@cache
def _needs_units(text: str) -> bool:
    """A glyph that may be a mark to put back on its letter."""
    return _is_mark(text) or text in SPACING_ACCENTS


def has_marks(line: list[Glyph]) -> bool:
    """The line has glyphs that may be marks to put back on their letters (the slow path)."""
    return any(_needs_units(g.text) for g in line)


def line_text(line: list[Glyph]) -> str:
    """The text of one visual line (glyphs sorted by x0), words rebuilt from geometry."""
    if has_marks(line):
        return unicodedata.normalize("NFC", " ".join("".join(u.text for u in word) for word in _word_units(line)))
    return _plain_text(line, WIDE_GAP_EM if any(_is_space(g.text) for g in line) else WORD_GAP_EM)


def _plain_text(line: list[Glyph], wide: float) -> str:
    """`line_text` of a line without marks, a space where a space glyph or a gap of `wide` ems
    stands: the glyphs are their own units, and the words those of `_word_units` without a
    wrapper a glyph; the reader's hottest text loop."""
    out: list[str] = []
    prev: Glyph | None = None
    pending_space = False
    for g in line:
        text = g.text
        if _is_space(text):
            pending_space = prev is not None
            continue
        if prev is not None:
            em = g.size if g.size < prev.size else prev.size
            if em < 1.0:
                em = 1.0
            if pending_space or g.x0 - prev.x1 > wide * em:
                out.append(" ")
        out.append(text)
        prev = g
        pending_space = False
    return unicodedata.normalize("NFC", "".join(out))


def word_glyphs(line: list[Glyph]) -> list[list[Glyph]]:
    """The words of one visual line as the glyphs that draw each (marks included)."""
    if has_marks(line):
        return [[g for u in word for g in (u.glyph, *u.marks)] for word in _word_units(line)]
    return _plain_words(line)


def glyph_box(glyphs: list[Glyph]) -> tuple[float, float, float, float]:
    """The box (x0, top, x1, bottom) around some glyphs, in one pass."""
    first = glyphs[0]
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    for g in glyphs:
        if g.x0 < x0:
            x0 = g.x0
        if g.top < top:
            top = g.top
        if g.x1 > x1:
            x1 = g.x1
        if g.bottom > bottom:
            bottom = g.bottom
    return x0, top, x1, bottom


def line_words(line: list[Glyph]) -> list[Word]:
    """The words of one visual line with their boxes; joined by spaces they are `line_text`."""
    if any(_needs_units(g.text) for g in line):
        groups = [([g for u in word for g in (u.glyph, *u.marks)], "".join(u.text for u in word))
                  for word in _word_units(line)]
    else:
        groups = [(glyphs, "".join(g.text for g in glyphs)) for glyphs in _plain_words(line)]
    return [Word(unicodedata.normalize("NFC", text), *glyph_box(glyphs), size=glyphs[0].size) for glyphs, text in groups]


def _plain_words(line: list[Glyph]) -> list[list[Glyph]]:
    """`_word_units` for a line without marks: each glyph is its own unit."""
    wide = WIDE_GAP_EM if any(_is_space(g.text) for g in line) else WORD_GAP_EM
    words: list[list[Glyph]] = []
    prev: Glyph | None = None
    pending_space = False
    for g in line:
        if _is_space(g.text):
            pending_space = prev is not None
            continue
        if prev is None or pending_space or g.x0 - prev.x1 > wide * max(min(g.size, prev.size), 1.0):
            words.append([g])
        else:
            words[-1].append(g)
        prev = g
        pending_space = False
    return words


def most_common(values: list[str]) -> str:
    """The value met most often, the first met of them on a tie, "" for none: `Counter`'s
    most_common(1), without a Counter (a class written in Python) for each cell and line."""
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    best = ""
    most = 0
    for v, n in counts.items():
        if n > most:
            best = v
            most = n
    return best


def dominant_font(glyphs: list[Glyph]) -> str:
    return most_common([g.font for g in glyphs if not _is_space(g.text)])


def _extent(line: list[Glyph]) -> tuple[float, float]:
    ink = [g for g in line if not _is_space(g.text)] or line
    return min(g.x0 for g in ink), max(g.x1 for g in ink)


def _first_word_width(line: list[Glyph]) -> float:
    ink = [g for g in line if not _is_space(g.text)]
    if not ink:
        return 0.0
    has_spaces = len(ink) < len(line)
    start = ink[0].x0
    end = ink[0].x1
    prev = ink[0]
    for g in line[line.index(ink[0]) + 1:]:
        if _is_space(g.text):
            if has_spaces:
                break
            continue
        if not has_spaces and g.x0 - prev.x1 > WORD_GAP_EM * max(g.size, 1.0):
            break
        end = max(end, g.x1)
        prev = g
    return end - start


def _cut_token(text: str, line_width: float, width: float, em: float) -> bool:
    """A line that is one long token filling the box: the word processor cut it mid-word.
    Only codes and long tokens (Vietnamese syllables are short and fit)."""
    token = text.strip()
    if " " in token or line_width < width - 1.0 * em:
        return False
    return len(token) >= 9 or bool(re.search(r"[/_.\d]", token))


def block_text(lines: list[list[Glyph]], left: float, right: float, forced_break: str = SOFT_BREAK) -> str:
    """A cell's lines → text: wrapped lines joined by a soft break, forced breaks kept.

    A line break is forced (a new paragraph or a manual break) when the next line's first
    word would have fitted at the end of the line, or when a paragraph gap stands between
    the lines; the word processor would otherwise have filled the line. The box's inner
    width is estimated from the nearest text to its left side (the cell padding).
    """
    texts = [line_text(line) for line in lines]
    if len(lines) < 2:
        return texts[0] if texts else ""
    extents = [_extent(line) for line in lines]
    pad = min(max(x0 - left, 0.0) for x0, _ in extents)
    pad = min(pad, 12.0)
    width = (right - pad) - (left + pad)
    pitches = [lines[i + 1][0].bottom - lines[i][0].bottom for i in range(len(lines) - 1)]
    usual = sorted(pitches)[len(pitches) // 2]
    trailing = [bool(line) and _is_space(line[-1].text) for line in lines]
    out = [texts[0]]
    for i in range(1, len(lines)):
        prev_x0, prev_x1 = extents[i - 1]
        em = max(lines[i][0].size, 1.0)
        need = (prev_x1 - prev_x0) + 0.35 * em + _first_word_width(lines[i])
        forced = need < width - 0.5 * em
        gap = pitches[i - 1] > usual + 0.4 * em and pitches[i - 1] > 1.5 * em
        sep = "\n" if gap else (forced_break if forced else SOFT_BREAK)
        if sep == SOFT_BREAK and texts[i][:1].isalnum() and not trailing[i - 1]:
            # Producers that draw the space where a line wraps (LibreOffice) tell a wrap at a
            # space from one inside a word; without that evidence a hyphen joins codes and
            # ranges ("KH-" / "UBND", "2026-" / "2030") but not "IV/2025-" / "Quý".
            evidence = any(trailing)
            if _HYPHEN_END.search(texts[i - 1]) and (
                evidence or texts[i][0].islower() or texts[i][0].isdigit() or texts[i - 1][-2].isupper()
            ):
                sep = ""  # "Mobile-" / "Money": wrapped after a hyphen inside a word
            elif _cut_token(texts[i - 1], prev_x1 - prev_x0, width, em) and not texts[i][0].islower():
                # A code wider than the cell ("STEM/STEA" / "M"), cut where the line ran out; it goes
                # on in capitals or digits, while "của" after a full line is the next word.
                sep = ""
        out.append(sep)
        out.append(texts[i])
    return "".join(out)
