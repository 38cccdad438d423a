"""Legacy Vietnamese encodings: TCVN3 (ABC, ".VnTime" fonts), VNI (VNI-Windows,
"VNI-Times" fonts) and UTF-8 mis-read as cp1252/latin-1 ("Viá»‡t").

Text extracted from documents typeset in these fonts arrives as latin-1/cp1252
characters standing for the legacy bytes.  The tables here are written from the
published code charts of the two encodings.

* :func:`decode_tcvn3` -- TCVN 5712:1993 VN3 (lower-case code points; the ".VnTimeH"
  capital fonts reuse them, pass ``upper=True``).
* :func:`decode_vni` -- VNI for Windows (base letter followed by tone/hat bytes).
* :func:`decode_mojibake` -- UTF-8 bytes that were decoded as cp1252.
* :func:`font_encoding` -- guess the encoding from a font name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from phuluc.normalize.syllable import is_syllable

__all__ = [
    "LEGACY_OK",
    "TCVN3_TABLE",
    "VNI_TABLE",
    "decode_tcvn3",
    "decode_vni",
    "decode_mojibake",
    "font_encoding",
    "looks_legacy",
]

# --------------------------------------------------------------------------- TCVN3
# byte -> Unicode.  TCVN3 has precomposed capitals only for Ă Â Ê Ô Ơ Ư Đ;
# toned capitals come from the ".VnTimeH" fonts, whose glyphs for the lower-case
# codes are capitals.
_TCVN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    # a: à ả ã á ạ
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    # ă: ằ ẳ ẵ ắ ặ
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    # â: ầ ẩ ẫ ấ ậ
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    # e: è ẻ ẽ é ẹ
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    # ê: ề ể ễ ế ệ
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    # i: ì ỉ ĩ í ị
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    # o: ò ỏ õ ó ọ
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    # ô: ồ ổ ỗ ố ộ
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    # ơ: ờ ở ỡ ớ ợ
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    # u: ù ủ ũ ú ụ
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    # ư: ừ ử ữ ứ ự
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    # y: ỳ ỷ ỹ ý ỵ
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3_TABLE: dict[str, str] = {chr(b): u for b, u in _TCVN3.items()}
# the same bytes may arrive through cp1252 instead of latin-1 (only 0x80-0x9F differ,
# and TCVN3 letters do not use that range).

# --------------------------------------------------------------------------- VNI
# VNI writes a base letter followed by one modifier byte (tone, hat, breve or
# hat/breve+tone).  ơ/ư/đ and some i/y forms are single bytes.
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_TONES_UP = {"Ù": "\u0301", "Ø": "\u0300", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323"}
# hat (circumflex) + tone, for a e o
_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_HAT_UP = {"Â": "", "Á": "\u0301", "À": "\u0300", "Å": "\u0309", "Ã": "\u0303", "Ä": "\u0323"}
# breve + tone, for a only
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_BREVE_UP = {"Ê": "", "É": "\u0301", "È": "\u0300", "Ú": "\u0309", "Ü": "\u0303", "Ë": "\u0323"}

_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ",
    "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _build_vni() -> dict[str, str]:
    t: dict[str, str] = {}
    for lower in (True, False):
        tones = _TONES if lower else _TONES_UP
        hat = _HAT if lower else _HAT_UP
        breve = _BREVE if lower else _BREVE_UP
        bases = "aeiouy" if lower else "AEIOUY"
        for b in bases:
            for m, comb in tones.items():
                t[b + m] = _nfc(b + comb)
        for b in (("a", "e", "o") if lower else ("A", "E", "O")):
            for m, comb in hat.items():
                t[b + m] = _nfc(b + "\u0302" + comb)
        a = "a" if lower else "A"
        for m, comb in breve.items():
            t[a + m] = _nfc(a + "\u0306" + comb)
        # horn letters ơ (ô) and ư (ö) followed by a tone byte
        for b, horn in ((("ô", "o"), ("ö", "u")) if lower else (("Ô", "O"), ("Ö", "U"))):
            for m, comb in tones.items():
                t[b + m] = _nfc(horn + "\u031b" + comb)
    # lower-case base with upper-case modifier and vice versa happen in mixed-case
    # words typed with caps lock; not added (ambiguous with real text).
    return t


VNI_TABLE: dict[str, str] = {**_build_vni(), **_VNI_SINGLE}
_VNI_PAIRS = {k for k in VNI_TABLE if len(k) == 2}


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """Decode TCVN3 text (seen as latin-1 characters) to Unicode NFC."""
    out = "".join(TCVN3_TABLE.get(c, c) for c in text)
    if upper:
        out = out.upper()
    return _nfc(out)


def decode_vni(text: str) -> str:
    """Decode VNI-Windows text (seen as latin-1 characters) to Unicode NFC."""
    out = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i:i + 2]
        if len(pair) == 2 and pair in _VNI_PAIRS:
            out.append(VNI_TABLE[pair])
            i += 2
            continue
        c = text[i]
        out.append(_VNI_SINGLE.get(c, c))
        i += 1
    return _nfc("".join(out))


_CP1252_EXTRA = {
    "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87, "ˆ": 0x88,
    "‰": 0x89, "Š": 0x8A, "‹": 0x8B, "Œ": 0x8C, "Ž": 0x8E, "‘": 0x91, "’": 0x92, "“": 0x93,
    "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97, "˜": 0x98, "™": 0x99, "š": 0x9A, "›": 0x9B,
    "œ": 0x9C, "ž": 0x9E, "Ÿ": 0x9F,
}


def _to_bytes(text: str) -> bytes | None:
    b = bytearray()
    for c in text:
        o = ord(c)
        if o < 256:
            b.append(o)
        elif c in _CP1252_EXTRA:
            b.append(_CP1252_EXTRA[c])
        else:
            return None
    return bytes(b)


def _utf8_length(b: int) -> int:
    """How many bytes a UTF-8 sequence starting with `b` has (0: not a lead byte)."""
    if 0xC2 <= b <= 0xDF:
        return 2
    if 0xE0 <= b <= 0xEF:
        return 3
    if 0xF0 <= b <= 0xF4:
        return 4
    return 0


_LOST_A0 = "\x00"  # marks where a no-break-space byte was folded into an ordinary space


def _decode_sloppy(text: str) -> str:
    """Decode every complete UTF-8 sequence hidden in cp1252/latin-1 characters, keep the rest.

    Two damages are undone that a strict decode refuses (ftfy does the same):
    * bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) arrive as C1 control
      characters ("Ä\x90" is "Đ"): they are taken as their byte;
    * the byte 0xA0, read as a no-break space and then folded into a space ("ngÃ y"):
      a space where a continuation byte must come is taken as 0xA0, and the spot is marked
      with `_LOST_A0` so that the caller decides whether a real space followed.
    """
    units = [_to_bytes(c) for c in text]
    out: list[str] = []
    i = 0
    while i < len(text):
        lead = units[i]
        n = _utf8_length(lead[0]) if lead else 0
        seq, j, lost = bytearray(lead or b""), i + 1, False
        while n and len(seq) < n and j < len(text):
            b = units[j][0] if units[j] else None
            if b is not None and 0x80 <= b <= 0xBF:
                seq.append(b)
            elif b == 0x20 and len(seq) == n - 1 and not lost:
                seq.append(0xA0)
                lost = True
            else:
                break
            j += 1
        if n and len(seq) == n - 1 and j == len(text) and not lost:
            seq.append(0xA0)  # the line ended in the lost byte: its space was trimmed away
        if n and len(seq) == n:
            try:
                ch = bytes(seq).decode("utf-8")
            except UnicodeDecodeError:
                ch = ""
            if ch and unicodedata.category(ch)[0] in "LMNPSZ":
                out.append(ch + (_LOST_A0 if lost and j < len(text) and text[j] != " " else ""))
                i = j
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def decode_mojibake(text: str, joins: Callable[[str, str], bool] | None = None) -> str:
    """Undo UTF-8 read as cp1252/latin-1 ("Viá»‡t" -> "Việt", "Ä\x90oÃ n" -> "Đoàn").

    Sequences are decoded wherever they are complete, so a line mixing clean and damaged
    words is handled and undecodable characters are kept. Where a lost no-break space
    was the last byte of a letter ("ngÃ y"), the letter is joined to the next word when
    `joins(left, right)` says the two make one word (default: the result is a
    Vietnamese syllable), and a space is kept otherwise ("vÃ các" -> "và các").
    """
    decoded = _decode_sloppy(text)
    if _LOST_A0 not in decoded:
        return _nfc(decoded)
    joins = joins or (lambda left, right: is_syllable(left + right))
    parts = decoded.split(_LOST_A0)
    out = parts[0]
    for part in parts[1:]:
        left = re.search(r"\w*$", out).group(0)
        right = re.match(r"\w*", part).group(0)
        out += part if right and joins(_nfc(left), _nfc(right)) else " " + part
    return _nfc(out)


@lru_cache(maxsize=1024)
def font_encoding(font: str) -> str:
    """'tcvn3', 'tcvn3h' (capitals font), 'vni' or '' from a font name."""
    f = (font or "").strip().lower()
    if "+" in f:  # PDF subset prefix ABCDEF+.VnTime
        f = f.split("+", 1)[1]
    f = f.replace(" ", "")
    if f.startswith(".vn") or f.startswith("vn") and not f.startswith("vni"):
        core = f.lstrip(".")
        core = core.split(",")[0].split("-")[0]
        if core.endswith("h") or core.endswith("hbold") or core.endswith("hitalic") or "h-" in f or core.endswith("hbolditalic"):
            return "tcvn3h"
        return "tcvn3"
    if f.startswith("vni"):
        return "vni"
    return ""


# Characters legacy-encoded text can hold: latin-1 and the cp1252 extras (its bytes read as cp1252).
LEGACY_OK = set(chr(i) for i in range(256)) | set(_CP1252_EXTRA)


def looks_legacy(text: str) -> bool:
    """True if ``text`` has non-ASCII characters and all of them lie in latin-1/cp1252,
    i.e. it could be legacy-encoded bytes.  Text with real Vietnamese letters outside
    latin-1 (ơ, ư, ạ, ...) is Unicode already."""
    has_high = False
    for c in text:
        if c not in LEGACY_OK:
            return False
        if ord(c) >= 0x80:
            has_high = True
    return has_high
