"""Repair damaged Vietnamese text extracted from PDF/DOCX plans.

Public API::

    repair_text(text, font="") -> str      # one line (newlines: each line separately)
    repair_lines(lines) -> Iterator[str]   # one output line per input line

Damage handled:

1. and 2. spaces inside syllables ("PH Ụ   L Ụ C", "Qu ả n l ý"): a Viterbi search over
   which single spaces to delete; a merge is allowed only when it forms a valid
   syllable (:func:`phuluc.normalize.syllable.is_syllable`) and segmentations are
   ranked with syllable unigram/bigram frequencies (``data/syllable_freq.tsv.gz``);
   wide gaps (2+ spaces) are true word gaps and are never merged.
3. random splits inside words ("Bộ t iêu chí", "nhữ ng") -- the same search.
4. spacing of punctuation and document codes ("761 /KH - UBND" -> "761/KH-UBND",
   "( Kèm" -> "(Kèm", "H Đ ND" -> "HĐND").
5. Unicode damage: NFD, detached combining marks, zero-width characters, odd spaces,
   "Ð" (U+00D0) for "Đ".
6. legacy encodings TCVN3, VNI and UTF-8-read-as-cp1252 (``phuluc.normalize.legacy``),
   chosen from the font name or, failing that, from the text.

The function never raises and is idempotent; clean Vietnamese and clean foreign text
come back unchanged (apart from white space collapsed to single spaces).
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Final

import regex

from phuluc.normalize.legacy import (
    LEGACY_OK,
    decode_mojibake,
    decode_tcvn3,
    decode_vni,
    font_encoding,
    looks_legacy,
)
from phuluc.normalize.syllable import VIET_LETTERS, is_syllable, tone_key

__all__ = ["repair_text", "repair_lines"]

# ----------------------------------------------------------------------------- model

MAX_LETTERS: Final = 7  # longest Vietnamese syllable: nghiêng, khuyếch
LAMBDA = 0.7  # bigram interpolation weight
UNSEEN = 0.3  # pseudo-count of a valid syllable never seen in the corpus
BAD_LOGP = math.log(1e-9)  # a letter fragment that is not a syllable ("ng", "Th")
MERGE_PENALTY = 1.0  # nats charged per deleted space when the line shows damage
CLEAN_PENALTY = 14.0  # nats per deleted space when every mergeable token is a syllable
WIDE_BONUS = 2.0  # nats credited per deleted single space when the line uses wide gaps


class _Model:
    def __init__(self, uni: dict[str, int], bi: dict[tuple[str, str], int]):
        self.uni = uni
        self.bi = bi
        self.total = sum(uni.values()) or 1
        self.denom = self.total + UNSEEN * 12000
        self._cache: dict[tuple[str | None, str], float] = {}

    def p_uni(self, k: str) -> float:
        return (self.uni.get(k, 0) + UNSEEN) / self.denom

    def logp(self, prev: str | None, k: str) -> float:
        key = (prev, k)
        v = self._cache.get(key)
        if v is None:
            pu = self.p_uni(k)
            if prev is not None and prev in self.uni:
                c = self.bi.get((prev, k), 0)
                p = LAMBDA * c / self.uni[prev] + (1 - LAMBDA) * pu
            else:
                p = pu
            v = math.log(p)
            if len(self._cache) > 500_000:
                self._cache.clear()
            self._cache[key] = v
        return v


@cache
def _model() -> _Model:
    uni: dict[str, int] = {}
    bi: dict[tuple[str, str], int] = {}
    try:
        data = resources.files("phuluc.normalize.data").joinpath("syllable_freq.tsv.gz").read_bytes()
        for line in gzip.decompress(data).decode("utf-8").splitlines():
            kind, key, cnt = line.split("\t")
            if kind == "U":
                uni[key] = int(cnt)
            else:
                a, b = key.split(" ")
                bi[a, b] = int(cnt)
    except Exception:  # missing data file: degrade to rules only
        pass
    return _Model(uni, bi)


# ----------------------------------------------------------------------------- unicode

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u180e"), None)
_ODD_SPACES = regex.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u000b\u000c\u0085\u2028\u2029]")
_DETACHED_MARK = regex.compile(r"(?<=\S)[ \u00a0]+(?=[\u0300-\u036f])")
_VN_ONLY = regex.compile(r"[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
_ETH = regex.compile(r"[Ðð]")
_PUNCT_SPLIT = regex.compile(r"^(\p{P}*)(.*?)(\p{P}*)$")
_RUNS = regex.compile(r"[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]+")


def _valid_count(text: str) -> tuple[int, int]:
    """(valid syllables containing non-ASCII letters, non-ASCII tokens that are not)."""
    good = bad = 0
    for tok in text.split():
        core = _PUNCT_SPLIT.match(tok).group(2)
        if not core or core.isascii():
            continue
        if is_syllable(core):
            good += 1
        else:
            bad += 1
    return good, bad


# What a repair decoded from a legacy encoding: (encoding, font name or "" when the text alone told).
Decoded = set[tuple[str, str]]


def _legacy(text: str, font: str, decoded: Decoded | None = None) -> str:
    """Decode legacy-encoded text when the font says so or the text clearly is.

    Each TCVN3/VNI decoding that changed the text is added to `decoded`, so the
    legacy-encoding warning names only conversions that happened.
    """
    enc = font_encoding(font)
    if enc and all(ch in LEGACY_OK for ch in text):
        # The font says it: decode, unless the text was already converted to Unicode
        # with the old font name kept (then decoding would make it less Vietnamese).
        out = decode_vni(text) if enc == "vni" else decode_tcvn3(text, upper=enc == "tcvn3h")
        good, bad = _valid_count(text)
        new_good, new_bad = _valid_count(out)
        if not (new_good < good and new_bad > bad):
            return _noted(text, out, enc, font, decoded)
    if not looks_legacy(text):
        return text
    base_good, base_bad = _valid_count(text)
    if enc == "" and base_bad == 0:
        return text  # all non-ASCII tokens are already valid Vietnamese
    cands: list[tuple[str, str]] = []  # (encoding, decoded text)
    if enc in ("tcvn3", "tcvn3h"):
        cands.append((enc, decode_tcvn3(text, upper=enc == "tcvn3h")))
    elif enc == "vni":
        cands.append(("vni", decode_vni(text)))
    if not cands or enc == "":
        cands += [("mojibake", decode_mojibake(text, _joins)), ("tcvn3", decode_tcvn3(text)), ("vni", decode_vni(text))]
    best, best_enc, best_score = text, "", (base_good - base_bad, 0)
    for i, (c_enc, c) in enumerate(cands):
        if c == text:
            continue
        good, bad = _valid_count(c)
        if good <= base_good or bad > base_bad:
            continue
        score = (good - bad, -i)
        if score > best_score:
            best, best_enc, best_score = c, c_enc, score
    return _noted(text, best, best_enc, font, decoded)


def _joins(left: str, right: str) -> bool:
    """Do two pieces around a lost no-break-space byte make one word ("ngà" + "y" -> "ngày")?

    Yes when the whole is a syllable and a more frequent one than the rarer piece
    ("và" + "các" stays two words; "là" + "y" too, since "lày" is rarer than "y").
    """
    whole = left + right
    if not is_syllable(whole):
        return False
    if not (is_syllable(left) and is_syllable(right)):
        return True
    uni = _model().uni
    return uni.get(tone_key(whole), 0) >= min(uni.get(tone_key(left), 0), uni.get(tone_key(right), 0))


def _noted(text: str, out: str, enc: str, font: str, decoded: Decoded | None) -> str:
    """Record a TCVN3/VNI decoding that changed the text (UTF-8 read as cp1252 is no font encoding)."""
    if decoded is not None and out != text and enc in ("tcvn3", "tcvn3h", "vni"):
        decoded.add((enc, font if font_encoding(font) else ""))
    return out


def _unicode_clean(text: str, font: str, decoded: Decoded | None = None) -> str:
    text = text.translate(_ZERO_WIDTH)
    text = text.replace("\t", "   ")
    text = _ODD_SPACES.sub(" ", text)
    detached = bool(_DETACHED_MARK.search(text))
    if detached:
        text = _DETACHED_MARK.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if detached:
        text = regex.sub(r"\p{L}+", _restore_hat, text)
    text = _legacy(text, font, decoded)
    text = text.replace("\u00ad", "")
    if _ETH.search(text):
        text = _fix_eth(text)
    return text


_HAT_VARIANTS = {"a": "âă", "e": "ê", "o": "ôơ", "u": "ư", "A": "ÂĂ", "E": "Ê", "O": "ÔƠ", "U": "Ư"}


def _restore_hat(m: regex.Match) -> str:
    """A detached mark may have lost its companion hat ("Vie ̣t" -> "Viẹt"): if the word
    is not a syllable but becomes one with a hat/horn added, use the most frequent."""
    w = m.group(0)
    if is_syllable(w) or len(w) > MAX_LETTERS:
        return w
    nfd = unicodedata.normalize("NFD", w)
    best, best_c = w, -1
    for i, ch in enumerate(nfd):
        for v in _HAT_VARIANTS.get(ch, ""):
            cand = unicodedata.normalize("NFC", nfd[:i] + unicodedata.normalize("NFD", v) + nfd[i + 1:])
            if is_syllable(cand):
                c = _model().uni.get(tone_key(cand), 0)
                if c > best_c:
                    best, best_c = cand, c
    return best


def _fix_eth(text: str) -> str:
    vn_line = bool(_VN_ONLY.search(_ETH.sub("", text)))

    def fix(m: regex.Match) -> str:
        tok = m.group(0)
        new = tok.replace("Ð", "Đ").replace("ð", "đ")
        core = _PUNCT_SPLIT.match(new).group(2)
        if vn_line or is_syllable(core) or len(core) <= 2:
            return new
        return tok

    return regex.sub(r"\S*[Ðð]\S*", fix, text)


# ----------------------------------------------------------------------------- tokens


_LETTER_SET: Final = frozenset(VIET_LETTERS)


class _Tok:
    __slots__ = ("text", "gap", "letters", "upper")

    def __init__(self, text: str, gap: int):
        self.text = text
        self.gap = gap  # spaces before this token (0 = glued to the previous token)
        self.letters = _LETTER_SET.issuperset(text)
        self.upper = self.letters and text.isupper()


@lru_cache(maxsize=100_000)
def _syl_key(word: str) -> str | None:
    return tone_key(word) if is_syllable(word) else None


def _segments(toks: list[_Tok]) -> list[list[int]]:
    """ends[i] = list of j > i+1 such that tokens i..j-1 may merge into one syllable."""
    n = len(toks)
    out: list[list[int]] = [[] for _ in range(n)]
    for i in range(n - 1):
        t = toks[i]
        if not t.letters or toks[i + 1].gap != 1:
            continue
        word = t.text
        for j in range(i + 1, n):
            u = toks[j]
            if u.gap != 1 or not u.letters:
                break
            word += u.text
            if len(word) > MAX_LETTERS:
                break
            if _syl_key(word) is not None:
                out[i].append(j + 1)
    return out


def _unit_key(toks: list[_Tok], i: int, j: int) -> tuple[str | None, bool]:
    """(syllable key or None, is a letter unit) for tokens i..j-1 merged."""
    if j - i == 1:
        t = toks[i]
        if not t.letters:
            return None, False
        return _syl_key(t.text), True
    return _syl_key("".join(t.text for t in toks[i:j])), True


def _merge_spaces(toks: list[_Tok]) -> list[_Tok]:
    """Delete the single spaces that break syllables: a Viterbi search over the segmentations.

    Over 60 lines: one dynamic program whose scoring, table and back-trace share their
    state; cut into steps it would read worse.
    """
    ends = _segments(toks)
    if not any(ends):
        return toks  # fast path: no two tokens can form a syllable
    n = len(toks)
    m = _model()
    gaps = [t.gap for t in toks[1:]]
    wide = sum(1 for g in gaps if g >= 2)
    bonus = WIDE_BONUS if gaps and wide >= 2 and wide >= 0.3 * len(gaps) else 0.0
    # a line whose mergeable tokens are all syllables already looks clean: merge
    # only on strong evidence (damaging correct text is worse than missing a repair)
    damaged = bonus > 0 or any(
        toks[k].letters and _syl_key(toks[k].text) is None
        for i, e in enumerate(ends) if e
        for k in range(i, max(e))
    )
    penalty = (MERGE_PENALTY if damaged else CLEAN_PENALTY) - bonus

    # best[j] maps start index i of the last unit (ending at j) -> (score, back pointer)
    best: list[dict[int, tuple[float, int]]] = [dict() for _ in range(n + 1)]
    best[0][-1] = (0.0, -1)
    keys: dict[tuple[int, int], tuple[str | None, bool]] = {}

    def key(i: int, j: int) -> tuple[str | None, bool]:
        k = keys.get((i, j))
        if k is None:
            k = keys[i, j] = _unit_key(toks, i, j)
        return k

    for i in range(n):
        if not best[i]:
            continue
        cand_ends = [i + 1, *ends[i]]
        for j in cand_ends:
            k, is_letter = key(i, j)
            nmerge = j - i - 1
            for s, (score, _) in best[i].items():
                if s < 0:
                    prev = None
                else:
                    prev = key(s, i)[0] if toks[i].gap else None
                if not is_letter:
                    c = 0.0
                elif k is None:
                    c = BAD_LOGP
                else:
                    c = m.logp(prev, k)
                c -= nmerge * penalty
                tot = score + c
                cur = best[j].get(i)
                if cur is None or tot > cur[0]:
                    best[j][i] = (tot, s)
    # backtrack
    start = max(best[n], key=lambda s: best[n][s][0])
    units = []
    j = n
    while j > 0:
        i = start
        units.append((i, j))
        start = best[j][i][1]
        j = i
    units.reverse()
    out = []
    for i, j in units:
        if j - i == 1:
            out.append(toks[i])
        else:
            out.append(_Tok("".join(t.text for t in toks[i:j]), toks[i].gap))
    return out


_CODE_LETTERS: Final = regex.compile(r"^[B-DF-HJ-NP-TV-ZĐ]{1,4}$")  # upper-case, no vowels
_KNOWN_CODES: Final = frozenset(
    """UBND HĐND MTTQ MTTQVN BCH BCHTƯ UBTVQH HĐBC HĐBCQG BCĐ BTV VPCP TTCP TTHC UNESCO
    BTC BNV BTP BCA BQP BYT BGDĐT BTNMT BNNPTNT BKHĐT BCT BXD BGTVT BVHTTDL BLĐTBXH
    KTXH CNTT CĐS GDĐT ĐBQH THPT THCS""".split()
)


def _is_code(texts: list[str]) -> bool:
    """Do these capitals, joined, make a code: a known one, or consonants only with a single letter?"""
    if "".join(texts) in _KNOWN_CODES:
        return True
    return all(_CODE_LETTERS.match(t) for t in texts) and any(len(t) == 1 for t in texts)


def _join_codes(toks: list[_Tok]) -> list[_Tok]:
    """'H Đ ND' -> 'HĐND', 'UB ND' -> 'UBND': runs of upper-case letter tokens
    separated by single spaces that join into a known code, or that are all
    consonant-only with at least one single letter."""
    if not any(t.upper for t in toks):
        return toks
    out: list[_Tok] = []
    i, n = 0, len(toks)
    while i < n:
        if not toks[i].upper:
            out.append(toks[i])
            i += 1
            continue
        j = i + 1
        while j < n and toks[j].upper and toks[j].gap == 1:
            j += 1
        if j - i >= 2:
            joined = None
            # longest sub-run starting at i that forms a known code
            for k in range(j, i + 1, -1):
                texts = [t.text for t in toks[i:k]]
                if _is_code(texts):
                    joined = ("".join(texts), k)
                    break
            if joined:
                out.append(_Tok(joined[0], toks[i].gap))
                i = joined[1]
                continue
        out.append(toks[i])
        i += 1
    return out


# ----------------------------------------------------------------------------- punctuation

_SP_BEFORE = regex.compile(r" +(?=[,;!?)\]}]|[”’»](?:\s|$|\p{P})|:(?![/\d])|\.(?![.\d]))")
_SP_AFTER = regex.compile(r"(?<=(?:^|\s)[(\[{“‘«]) +(?=[\p{L}\p{N}])")
_SLASH_ASYM = regex.compile(
    r"(?<=[0-9A-ZĐ]) +/(?=[0-9A-ZĐ])|(?<=[0-9A-ZĐ])/ +(?=[0-9A-ZĐ])|(?<=\p{Ll}) +/(?=\p{Ll})"
)
_SLASH_CODE = regex.compile(r"(?<=[0-9A-ZĐ]) +/ +(?=[0-9A-ZĐ])")
_DASH = regex.compile(r"(?<=(?:^|\s)(\S*?[0-9A-ZĐ]|\S*/[A-ZĐ]\p{L}*)) *- *(?=([A-ZĐ][\w/.-]*))")


def _dash_ok(m: regex.Match) -> str:
    left, right = m.group(1), m.group(2)
    # "761/KH - UBND", "1039/TTr- CP": the part after the slash is a document code.
    left_code = "/" in left and regex.search(r"/[A-ZĐ][A-ZĐa-zđ]{0,3}$", left)
    right_code = "/" in right and regex.match(r"[A-ZĐ]+/", right)
    if left_code or (right_code and regex.search(r"(?:^|[/(])\d+$|^[A-ZĐ]+$", left)):
        return "-"
    return m.group(0)


def _slash_ok(m: regex.Match) -> str:
    """Join a spaced slash unless it ends a URL ("https://a.vn/2025/ Cục ...")."""
    start = m.string.rfind(" ", 0, m.start()) + 1
    word = m.string[start:m.start() + 1]
    if "://" in word or "www." in word:
        return m.group(0)
    return "/"


def _punct(s: str) -> str:
    s = _SP_BEFORE.sub("", s)
    s = _SP_AFTER.sub("", s)
    if "/" in s:
        s = _SLASH_ASYM.sub(_slash_ok, s)
        s = _SLASH_CODE.sub("/", s)
    if "-" in s:
        s = _DASH.sub(_dash_ok, s)
    return s


# ----------------------------------------------------------------------------- API


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    for mt in _RUNS.finditer(text):
        toks.append(_Tok(mt.group(0), (mt.start() - pos) if toks else 0))
        pos = mt.end()
    return toks


def _render(toks: list[_Tok]) -> str:
    return "".join((" " + t.text) if (t.gap and k) else t.text for k, t in enumerate(toks))


def _repair_once(text: str, font: str, decoded: Decoded | None = None) -> str:
    text = _unicode_clean(text, font, decoded)
    toks = _tokens(text)
    if not toks:
        return ""
    if not text.isascii():  # all-ASCII lines are English, codes or numbers: no syllable merging
        toks = _merge_spaces(toks)
    toks = _join_codes(toks)
    return _punct(_render(toks))


def _repair_line(line: str, font: str, decoded: Decoded | None = None) -> str:
    out, notes = _repaired(line, font)
    if decoded is not None and notes:
        decoded.update(notes)
    return out


# ----------------------------------------------------------------------------- clean lines

# Anything the Unicode step would change, and any white space but the plain space (the stdlib's
# `re`: several times faster than `regex` on a character class; the class lists regex's \s too).
_UNCLEAN: Final = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad\u0300-\u036f\u00d0\u00f0"
    "\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
# Where `_punct` could change a line: a space before closing punctuation, after an opening one, or
# beside a slash or a dash (not a dash opening the line, a bullet: `_DASH` cannot match it).
_PUNCT_TRIGGER: Final = re.compile(r" [,;!?)\]}\u201d\u2019\u00bb:./-]|[(\[{\u201c\u2018\u00ab/-] ")
_VIET_CLASS = "[" + regex.escape("".join(sorted(VIET_LETTERS))) + "]+"
# A chunk's first and last token when they are letter tokens of Vietnamese letters only (`_Tok.letters`):
# a run of those letters that no other letter or mark continues.
_HEAD_LETTERS: Final = regex.compile(_VIET_CLASS + r"(?![\p{L}\p{M}])")
_TAIL_LETTERS: Final = regex.compile(r"(?<![\p{L}\p{M}])" + _VIET_CLASS + "$")


def _head_letters(chunk: str) -> str:
    """The chunk's first token if it is a letter token of Vietnamese letters only (else "")."""
    end = 0
    while end < len(chunk) and chunk[end] in _LETTER_SET:
        end += 1
    if end and end < len(chunk) and not chunk[end].isascii():
        match = _HEAD_LETTERS.match(chunk)  # is the run cut by another letter or a mark? `regex` decides
        return match.group() if match else ""
    return chunk[:end]  # cut by ASCII (a digit or punctuation) or the end: the whole token


def _tail_letters(chunk: str) -> str:
    """The chunk's last token if it is a letter token of Vietnamese letters only (else "")."""
    start = len(chunk)
    while start and chunk[start - 1] in _LETTER_SET:
        start -= 1
    if start and start < len(chunk) and not chunk[start - 1].isascii():
        match = _TAIL_LETTERS.search(chunk)
        return match.group() if match else ""
    return chunk[start:]


def _joins_a_code(run: list[str]) -> bool:
    """Would `_join_codes` join the first tokens of this run of capitals ("H Đ ND" -> "HĐND")?"""
    return any(_is_code(run[:k]) for k in range(len(run), 1, -1))


def _is_clean(line: str) -> bool:
    """Would one repair pass give `line` back unchanged (for a font without a legacy encoding)?

    Nearly every line of a born-digital plan is clean, and proving it costs a fraction of the
    repair: no character the Unicode step changes, single spaces only, no legacy-looking text,
    no two letter tokens across a space that merge into a syllable (`_segments` finds none),
    no capitals across a space that join into a code (`_join_codes` finds none) and no
    punctuation spacing to fix. False means "not proven": the full repair runs.
    tests/test_repair_fast_path.py checks it against the full repair.
    """
    if "  " in line or line[:1] == " " or line[-1:] == " " or _UNCLEAN.search(line):
        return False
    if not unicodedata.is_normalized("NFC", line):
        return False
    if looks_legacy(line) and _valid_count(line)[1]:
        return False  # latin-1 letters only ("Báo cáo" too) and some not Vietnamese: maybe TCVN3 or VNI
    chunks = line.split(" ")
    merges = not line.isascii()  # all-ASCII lines get no syllable merging (_repair_once)
    heads: list[str] = []  # each chunk's leading letter token, "" when it has none
    wholes: list[bool] = []  # the chunk is one letter token
    tails: list[str] = []  # each chunk's trailing letter token, "" when it has none
    for chunk in chunks:
        whole = _LETTER_SET.issuperset(chunk)
        heads.append(chunk if whole else _head_letters(chunk))
        wholes.append(whole)
        tails.append(chunk if whole else _tail_letters(chunk))
    n = len(chunks)
    for k in range(n - 1):
        tail_text = tails[k]
        head_text = heads[k + 1]
        if not tail_text or not head_text:
            continue
        if tail_text.isupper() and head_text.isupper():
            run = [tail_text, head_text]  # capitals across single spaces, as `_join_codes` reads them
            m = k + 1
            while wholes[m] and m + 1 < n and heads[m + 1].isupper():
                m += 1
                run.append(heads[m])
            if _joins_a_code(run):
                return False
        if not merges:
            continue
        if len(tail_text) + len(head_text) > MAX_LETTERS:
            continue  # too long for one syllable, and longer with more tokens
        word = tail_text
        m = k + 1
        while m < n and heads[m]:
            word += heads[m]
            if len(word) > MAX_LETTERS:
                break
            if _syl_key(word) is not None:
                return False
            if not wholes[m]:
                break  # the next token is glued to this one: no space to delete after it
            m += 1
    return not _PUNCT_TRIGGER.search(line, 1 if line.startswith("- ") else 0) or _punct(line) == line


@lru_cache(maxsize=50_000)
def _repaired(line: str, font: str) -> tuple[str, frozenset[tuple[str, str]]]:
    """One line repaired to a fixed point, and the legacy decodings that took part. Cached: a plan
    repeats its cells (agencies, time frames, headers on every page), and both are a pure function
    of (line, font); the caller's `decoded` gets the notes on every call, cached or not."""
    if not font_encoding(font) and _is_clean(line):
        return line, frozenset()  # the fixed point already (tests/test_repair_fast_path.py)
    notes: Decoded = set()
    out = _repair_once(line, font, notes)
    if out == line and not font_encoding(font):
        # Fast path for a clean line: the pass changed nothing, and the next pass would read the
        # same text with the same (no) encoding, so it is the fixed point already.
        return out, frozenset(notes)
    for _ in range(3):  # fixed point: guarantees idempotence
        # The font names the encoding of the input only: once decoded, the text is Unicode.
        again = _repair_once(out, "", notes)
        if again == out:
            break
        out = again
    return out, frozenset(notes)


def repair_text(text: object, font: str = "", decoded: Decoded | None = None) -> str:
    """Repair one line of extracted Vietnamese text (see module doc). Never raises.

    `decoded`, when given, collects the legacy encodings actually decoded (for the warning).
    """
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if "\n" in text or "\r" in text:
            return "\n".join(_repair_line(x, font, decoded) for x in regex.split(r"\r\n|\r|\n", text))
        return _repair_line(text, font, decoded)
    except Exception:  # pragma: no cover - last resort, never raise
        try:
            return " ".join(unicodedata.normalize("NFC", str(text)).split())
        except Exception:
            return ""


def repair_lines(lines: Iterable[str]) -> Iterator[str]:
    """Repair each line; yields exactly one output line per input line."""
    for line in lines:
        yield repair_text(line.rstrip("\r\n") if isinstance(line, str) else line)
