"""Rule-based validator for Vietnamese syllables (chữ Quốc ngữ spelling rules).

A syllable is onset + (medial) + nucleus + (coda) + tone.  The rules below are
written from the standard description of Vietnamese orthography:

* onsets b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x;
* c/k/q: ``k`` before i, y, e, ê (and iê), ``q`` only as ``qu``, ``c`` elsewhere;
  ``gh``/``ngh`` before i, e, ê and ``g``/``ng`` elsewhere; ``gi`` merges with a
  following ``i`` (gì, giết);
* stop codas p, t, c, ch take only sắc or nặng;
* the tone mark may sit in the old ("hòa", "thúy") or new ("hoà", "thuý")
  position;
* accepted letter cases: lower, UPPER and Capitalised.

No word list is used, so the module is license-clean.  Results are cached.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["is_syllable", "split_tone", "tone_key", "VIET_LETTERS", "TONE_MARKS"]

# combining tone marks: huyền, sắc, ngã, hỏi, nặng
TONE_MARKS = {"\u0300": 2, "\u0301": 1, "\u0303": 4, "\u0309": 3, "\u0323": 5}
_TONE_BY_ID = {v: k for k, v in TONE_MARKS.items()}

_VOWELS = set("aăâeêioôơuưy")
_HAT = set("ăâêôơư")

ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)

# Rimes without a medial: nucleus -> codas
_RIMES_PLAIN = {
    "a": ["", "c", "ch", "i", "m", "n", "ng", "nh", "o", "p", "t", "u", "y"],
    "ă": ["c", "k", "m", "n", "ng", "p", "t"],
    "â": ["c", "m", "n", "ng", "p", "t", "u", "y"],
    "e": ["", "c", "m", "n", "ng", "o", "p", "t"],
    "ê": ["", "ch", "m", "n", "nh", "p", "t", "u"],
    "i": ["", "a", "ch", "m", "n", "nh", "p", "t", "u"],
    "y": [""],
    "iê": ["c", "m", "n", "ng", "p", "t", "u"],
    "o": ["", "c", "i", "m", "n", "ng", "p", "t"],
    "oo": ["c", "ng"],
    "ô": ["", "c", "i", "m", "n", "ng", "p", "t"],
    "ơ": ["", "i", "m", "n", "p", "t"],
    "u": ["", "a", "c", "i", "m", "n", "ng", "p", "t", "y"],
    "uô": ["c", "i", "m", "n", "ng", "t"],
    "ư": ["", "a", "c", "i", "m", "n", "ng", "t", "u"],
    "ươ": ["c", "i", "m", "n", "ng", "p", "t", "u"],
}
# Rimes with medial o (before a, ă, e) and medial u (before â, ê, y, yê, ơ)
_RIMES_MEDIAL = {
    "oa": ["", "c", "ch", "i", "m", "n", "ng", "nh", "o", "p", "t", "y"],
    "oă": ["c", "m", "n", "ng", "p", "t"],
    "oe": ["", "n", "o", "t"],
    "uâ": ["n", "ng", "t", "y"],
    "uê": ["", "ch", "n", "nh", "t", "u"],
    "uy": ["", "a", "ch", "n", "nh", "p", "t", "u"],
    "uyê": ["n", "t"],
    "uơ": ["", "n"],
}

_PLAIN = {n + c for n, cs in _RIMES_PLAIN.items() for c in cs}
_MEDIAL = {n + c for n, cs in _RIMES_MEDIAL.items() for c in cs}
# after qu the u is part of the onset: qua, quân, quyết, quốc, qui (old spelling)
_AFTER_QU = {r[1:] for r in _MEDIAL} | {r[1:] for r in _PLAIN if r.startswith("uô")} | {"i", "it"}
_AFTER_QU.discard("")
_STOPS = ("c", "ch", "p", "t", "k")
_FRONT = ("i", "e", "ê", "y")  # need k / gh / ngh

VIET_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzđ"
    + "".join(
        unicodedata.normalize("NFC", v + m)
        for v in "aăâeêioôơuưy"
        for m in ["", *TONE_MARKS]
    )
)
VIET_LETTERS = frozenset(VIET_LETTERS | {c.upper() for c in VIET_LETTERS})


@lru_cache(maxsize=4096)
def _split_char(ch: str) -> tuple[str, int]:
    d = unicodedata.normalize("NFD", ch)
    tone = 0
    base = []
    for c in d:
        if c in TONE_MARKS:
            tone = TONE_MARKS[c]
        else:
            base.append(c)
    return unicodedata.normalize("NFC", "".join(base)), tone


def split_tone(s: str) -> tuple[str, int, int]:
    """Return (toneless text, tone id 0..5, index of the toned letter or -1).

    Tone id -1 is returned when the text carries more than one tone mark."""
    out = []
    tone, pos = 0, -1
    for i, ch in enumerate(s):
        b, t = _split_char(ch)
        out.append(b)
        if t:
            if tone:
                return "".join(out), -1, -1
            tone, pos = t, i
    return "".join(out), tone, pos


def _allowed_tone_positions(vowels: str, has_coda: bool) -> set[int]:
    n = len(vowels)
    if n == 1:
        return {0}
    hats = [i for i, c in enumerate(vowels) if c in _HAT]
    if hats:
        return {hats[-1]}
    if has_coda:
        return {n - 1}
    if vowels in ("oa", "oe", "uy"):
        return {0, 1}
    if n == 3:
        return {1}
    if vowels == "oo":
        return {1}
    return {0}


def _check_parse(onset: str, rime: str, tone: int, tpos: int, offset: int) -> bool:
    """onset/rime are lower-case and toneless; tpos is the tone index in the whole word."""
    if onset == "" and rime.startswith("yê"):
        rime = "i" + rime[1:]
        onset = "#"  # marks the no-onset yê spelling
    if onset == "qu":
        if rime not in _AFTER_QU:
            return False
    elif onset == "gi" and rime[:1] not in _VOWELS:
        return False
    else:
        if rime not in _PLAIN and rime not in _MEDIAL:
            return False
    first = rime[:1]
    # spelling of /k/, /ɣ/, /ŋ/
    if onset == "c" and (first in _FRONT or rime in _MEDIAL):
        return False
    if onset == "k" and first not in _FRONT:
        return False
    if onset == "g" and first in ("e", "ê", "y"):
        return False
    if onset == "ng" and first in _FRONT:
        return False
    if onset in ("gh", "ngh") and first not in ("i", "e", "ê"):
        return False
    if onset == "gi" and first in ("i", "y"):
        return False
    # iê is written yê without onset (yên), iê after an onset (tiên)
    if rime.startswith("iê") and onset == "":
        return False
    if onset == "" and first == "i" and rime not in ("i", "ia", "im", "in", "inh", "ich", "it", "ip", "iu"):
        return False
    if rime == "y" and onset not in ("", "h", "k", "l", "m", "s", "t", "v", "qu"):
        return False
    # medial after labial onsets is not Vietnamese (loanwords aside; be strict)
    if onset in ("b", "m", "p", "ph") and rime in _MEDIAL and rime != "uyt":  # buýt
        return False
    # vowel group / coda
    vi = 0
    while vi < len(rime) and rime[vi] in _VOWELS:
        vi += 1
    vowels, coda = rime[:vi], rime[vi:]
    # "y" and "i" as final glide are vowels here: rime 'ay' -> vowels 'ay'
    if tone and coda in _STOPS and tone not in (1, 5):
        return False
    if tone:
        rel = tpos - offset
        if rel < 0 or rel >= len(vowels):
            return False
        if rel not in _allowed_tone_positions(vowels, bool(coda)):
            return False
    return True


@lru_cache(maxsize=200_000)
def is_syllable(s: str) -> bool:
    """True if ``s`` is one valid Vietnamese syllable (NFC; lower, UPPER or Capitalised)."""
    if not s or len(s) > 8:
        return False
    if not (s.islower() or s.isupper() or (s[0].isupper() and (len(s) == 1 or s[1:].islower()))):
        return False
    low = s.lower()
    if any(c not in VIET_LETTERS for c in low):
        return False
    base, tone, tpos = split_tone(low)
    if tone < 0:
        return False
    for onset in ONSETS:
        if not base.startswith(onset):
            continue
        rime = base[len(onset):]
        if not rime:
            continue
        if _check_parse(onset, rime, tone, tpos, len(onset)):
            return True
    return False


@lru_cache(maxsize=200_000)
def tone_key(s: str) -> str:
    """Lower-case, tone-position-independent key: 'hòa' and 'hoà' -> 'hoa2'."""
    base, tone, _ = split_tone(s.lower())
    return f"{base}{max(tone, 0)}"


def canonical(s: str) -> str:
    """Alias kept for callers: same as :func:`tone_key`."""
    return tone_key(s)


def syllable_with_tone(base: str, tone: int, pos: int) -> str:
    """Place tone ``tone`` on letter ``pos`` of toneless ``base`` (NFC)."""
    if not tone:
        return base
    return unicodedata.normalize("NFC", base[:pos + 1] + _TONE_BY_ID[tone] + base[pos + 1:])
