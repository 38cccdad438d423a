"""Split agency cells ("Cơ quan chủ trì" / "Cơ quan phối hợp") and key agency names.

``split_agencies(text) -> list[str]``
    Split a cell into agencies, keeping each name as written (whitespace
    collapsed, bullets and trailing punctuation removed). Rules, in order:

    1. Line breaks are line wrapping ("Bộ Khoa học và\\nCông nghệ" is one
       name) unless the next line starts with a bullet ("- ", "+ ", "•"):
       each bullet is its own agency list.
    2. Split on ";" (never inside parentheses).
    3. Inside a piece, split on ",", " và " and "/" only where the next words
       start a new agency: a capitalised agency head ("Sở", "Ban", "Phòng",
       "Bộ", "Cục", "Đài", "Báo", "Hội", "Đoàn", "Viện", "Trường", "Thành
       phố X", ...), an unambiguous multi-word or abbreviated head ("Ủy ban",
       "UBND", "Văn phòng", "Trung tâm", "Công an", "Chi cục", "Kho bạc",
       "Ngân hàng", "Hội đồng", "Đảng ủy", "Bộ Chỉ huy", "MTTQ", ...), or a
       collective starting with "các" ("các cơ quan, đơn vị", "các sở,
       ngành"). Words that continue a list stay in it: "Các sở, ban, ngành",
       "Các cơ quan, đơn vị liên quan", "UBND các xã, phường", "Cơ quan, địa
       phương liên quan". A bare "cơ quan/đơn vị/địa phương" after a named
       agency starts a new item ("Văn phòng Ban Chỉ huy và cơ quan, địa
       phương liên quan" -> 2 items); "doanh nghiệp", "cộng đồng", "người
       dân", "hiệp hội", "tổ chức" always do.
    4. Names with "và" or "," inside are never split, because the word after
       it is not an agency head: "Khoa học và Công nghệ", "Văn hóa, Thể thao
       và Du lịch", "Tuyên giáo và Dân vận", "Lao động - Thương binh và Xã
       hội". "Văn phòng HĐND và UBND" (and "Văn phòng Đảng ủy và UBND", ...)
       is one office. " - " never splits ("Phòng Văn hóa - Xã hội").
    5. "Sở VHTTDL/ Sở VHTT" (alternative names) splits into both names;
       "UBND các tỉnh/ thành phố" does not.

``agency_key(name) -> str``
    A matching key: abbreviations expanded (UBND, HĐND, MTTQ, UBMTTQ, CA, VP,
    TT, QS, BCH, CHQS, VH-XH, KT, ĐTN, LHPN, CCB, ND, BHXH, BQL, TP, KH&CN,
    NN&MT, GD&ĐT, VHTTDL, TN&MT, LĐTBXH, TT&TT, KH&ĐT), "Việt Nam" after
    "Mặt trận Tổ quốc" dropped, then folded with unidecode (case, diacritics
    and old/new tone placement: hoá = hóa, uỷ = ủy), "&" read as "và",
    punctuation turned into spaces and spaces collapsed. The filler "có" in
    "có liên quan" is dropped, so "các cơ quan có liên quan" and "Các cơ quan
    liên quan" match; "liên quan", "khác" and a leading "các" are kept (a
    collective is not the same as a named agency). "TT" is read as "Trung
    tâm" only in agency position (start of the name, not before a number or
    "số", so "TT 12/2025/TT-BTC" is untouched).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from phuluc.normalize.ascii_fold import ascii_fold

__all__ = ["split_agencies", "agency_key"]

_BULLET = re.compile(r"^\s*(?:[-+•–*]|\d+[.)])\s+")

# Heads that must be capitalised to start a new agency (single common words).
_CAP_HEADS = [
    "sở", "ban", "phòng", "bộ", "cục", "đài", "báo", "hội", "đoàn", "viện", "trường", "tòa án", "toà án",
    "thành phố", "tỉnh", "huyện", "quận", "thị xã", "xã", "phường", "tổng cục", "thanh tra", "tổng thanh tra",
    "công ty", "tổng công ty", "học viện", "đại học", "quỹ", "tập đoàn", "thông tấn xã", "liên minh",
    "bảo hiểm", "thuế", "ngân hàng", "kho bạc", "đảng ủy", "đảng uỷ", "chính phủ", "quốc hội",
]
# Heads that start a new agency whatever their case.
_ANY_HEADS = [
    "ủy ban", "uỷ ban", "văn phòng", "trung tâm", "công an", "chi cục", "kho bạc", "ngân hàng", "bệnh viện",
    "hội đồng", "liên đoàn", "viện kiểm sát", "tòa án nhân dân", "toà án nhân dân", "bộ chỉ huy", "ban chỉ huy",
    "ban quản lý", "bộ đội biên phòng", "mặt trận", "quân sự", "thành ủy", "thành uỷ", "tỉnh ủy", "tỉnh uỷ",
    "huyện ủy", "huyện uỷ", "đảng ủy", "đảng uỷ", "hội liên hiệp", "đoàn thanh niên", "bảo hiểm xã hội",
    "cục thuế", "chi nhánh", "tổng công ty", "công ty", "cơ quan thường trực",
]
_ACRONYM_HEAD = re.compile(
    r"^(?:UBND|UBMTTQ|MTTQ|HĐND|HDND|BCH|BCHQS|CHQS|BHXH|BQL|VP|CA|TT|ĐTN|LHPN|CCB|HND|HLHPN|KBNN|NHNN|CQ)\b"
)
_ALWAYS_NEW = [
    "doanh nghiệp", "cộng đồng", "người dân", "hiệp hội", "tổ chức", "nhân dân", "nhà cung cấp", "nhà đầu tư",
    "nhà khoa học", "chuyên gia",
]
_BARE_COLLECTIVE = ["cơ quan", "đơn vị", "địa phương"]


def _starts(low: str, words: list[str]) -> bool:
    return any(low == w or low.startswith(w + " ") or low.startswith(w + ",") for w in words)


def _is_collective(piece: str) -> bool:
    low = piece.strip().lower()
    return low.startswith("các ") or _starts(low, _BARE_COLLECTIVE + ["bộ, ", "sở, ", "ban, ", "ngành"])


def _starts_new(nxt: str, current: str, sep: str) -> bool:
    s = nxt.lstrip()
    if not s:
        return False
    low = s.lower()
    if _ACRONYM_HEAD.match(s):
        # "Văn phòng HĐND và UBND": "và UBND" after an office of HĐND/Đảng ủy stays inside the name
        if sep == "và" and re.match(r"(?i)^văn phòng\b", current.strip()) and re.match(r"^(?:UBND|HĐND|HDND)\b", s):
            return False
        return True
    if low.startswith("các ") or low == "các":
        return True
    if _starts(low, _ALWAYS_NEW):
        return True
    if _starts(low, _ANY_HEADS):
        if sep == "và" and re.match(r"(?i)^văn phòng\b", current.strip()) and _starts(
            low, ["ủy ban", "uỷ ban", "hội đồng"]
        ):
            return False
        return True
    if s[0].isupper() and _starts(low, _CAP_HEADS):
        if _starts(low, ["thành phố", "tỉnh", "huyện", "quận", "thị xã", "xã", "phường"]):
            # an administrative unit only when a proper name follows: "Thành phố Hồ Chí Minh"
            rest = s.split(None, 2 if _starts(low, ["thành phố", "thị xã"]) else 1)
            return len(rest) > (2 if _starts(low, ["thành phố", "thị xã"]) else 1) and rest[-1][:1].isupper()
        return True
    if _starts(low, _BARE_COLLECTIVE) and not _is_collective(current):
        return True
    return False


def _split_top(text: str, seps: str) -> list[tuple[str, str]]:
    """Split at separators outside parentheses; returns (separator before piece, piece).

    No separator holds a bracket, so the depth at a separator is that of the text before it."""
    out: list[tuple[str, str]] = []
    sep_before = ""
    start = 0  # where the current piece starts
    depth = 0
    counted = 0  # the brackets before here are counted in `depth`
    brackets = any(b in text for b in "()[]")
    for m in re.finditer(seps, text):
        if m.end() == m.start():
            continue
        if brackets:
            for ch in text[counted : m.start()]:
                if ch in "([":
                    depth += 1
                elif ch in ")]":
                    depth = max(0, depth - 1)
            counted = m.start()
        if depth == 0:
            out.append((sep_before, text[start : m.start()]))
            sep_before = m.group(0).strip()
            start = m.end()
    out.append((sep_before, text[start:]))
    return out


_SPACES = re.compile(r"\s+")
_LEADING_JOINER = re.compile(r"^(?:và|,)\s+")


def _clean(piece: str) -> str:
    piece = _BULLET.sub("", piece)
    piece = _SPACES.sub(" ", piece).strip()
    piece = piece.strip(" ,;.:")
    piece = _LEADING_JOINER.sub("", piece)
    return piece.strip()


_OPEN_END = re.compile(
    r"(?i)(?:\b(?:ủy ban|uỷ ban|ban|văn phòng|bộ|sở|phòng|trung tâm|hội|đoàn|của|và|thuộc|cơ quan|các|với|tại)|[,/(-])\s*$"
)


def _lines_to_segments(text: str) -> list[str]:
    """Join wrapped lines; a bullet, or a line starting a new agency after a complete line, starts a segment."""
    segments: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if (
            not segments
            or _BULLET.match(line)
            or (not _OPEN_END.search(segments[-1]) and line.lstrip()[:1].isupper() and _starts_new(line, segments[-1], "\n"))
        ):
            segments.append(line)
        else:
            segments[-1] += " " + line
    return segments


_HEAD_TWICE = re.compile(r"\b(Sở|Bộ)\s+\1\b")
_SO_BO_HEAD = re.compile(r"^\s*(?:Sở|Bộ)\s")
_SAME_LEVEL = re.compile(r"(?<=\S)\s+(?=(?:Sở|Bộ)\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÉÈẺẼẸÝỲỶỸỴ])")


def _split_same_level(piece: str) -> list[str]:
    """'Sở Khoa học và Công nghệ Sở Công Thương' (missing comma) -> two names."""
    piece = _HEAD_TWICE.sub(r"\1", piece)
    if not _SO_BO_HEAD.match(piece) or "(" in piece:
        return [piece]
    parts = []
    last = 0
    for m in _SAME_LEVEL.finditer(piece):
        if len(piece[last : m.start()].split()) >= 3:
            parts.append(piece[last : m.start()])
            last = m.end()
    parts.append(piece[last:])
    return parts


# Bodies a commune (and any level) has once: "HĐND và UBND xã" names two of them at one level.
_BODY = r"(?:HĐND|HDND|UBND|Hội đồng nhân dân|Ủy ban nhân dân|Uỷ ban nhân dân|Đảng ủy|Đảng uỷ)"
# The commune departments since the 2025 reform, which a list may name after one "Phòng".
_DEPARTMENTS = ("Kinh tế", "Văn hóa - Xã hội", "Văn hoá - Xã hội", "Kinh tế, Hạ tầng và Đô thị", "Kinh tế - Hạ tầng")
_DEPT = "|".join(re.escape(d) for d in sorted(_DEPARTMENTS, key=len, reverse=True))
_LEVEL = r"(?:(?:các |cấp )?(?:xã|phường|đặc khu|thị trấn|tỉnh|huyện|quận|thị xã|thành phố)\b.*)"
_BARE = re.compile(rf"^(?:{_BODY}|Phòng (?:{_DEPT}))$")
_WITH_LEVEL = re.compile(rf"^(?:{_BODY}|Phòng (?:{_DEPT})) ({_LEVEL})$")
_SHARED_PHONG = re.compile(rf"^Phòng ((?:{_DEPT})(?:(?:, | và )(?:{_DEPT}))+) ({_LEVEL})$")


def carry_level(items: list[str]) -> list[str]:
    """Give the level written once to every body of a list: "HĐND", "UBND xã" -> "HĐND xã", "UBND xã".

    Only where it is unambiguous: the bare item is a body every level has (HĐND, UBND,
    Đảng ủy, a commune department) and the next item is one of those with its level.
    "Phòng Kinh tế, Văn hóa - Xã hội xã" names two departments after one "Phòng" and
    gets both the head and the level; "Phòng Kinh tế, Hạ tầng và Đô thị" is one name.
    """
    out: list[str] = []
    for item in items:
        m = _SHARED_PHONG.match(item)
        if m and m.group(1) not in _DEPARTMENTS:
            names = re.findall(rf"{_DEPT}", m.group(1))
            out.extend(f"Phòng {name} {m.group(2)}" for name in names)
        else:
            out.append(item)
    for k in range(len(out) - 2, -1, -1):
        m = _WITH_LEVEL.match(out[k + 1])
        if m and _BARE.match(out[k]):
            out[k] = f"{out[k]} {m.group(1)}"
    return out


def split_agencies(text: str) -> list[str]:
    """Split an agency cell into agency names (see the module docstring)."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    result: list[str] = []
    for segment in _lines_to_segments(text):
        segment = _BULLET.sub("", segment)
        for _, part in _split_top(segment, r";"):
            part = _SPACES.sub(" ", part).strip()
            if not part:
                continue
            pieces = _split_top(part, r"\s*,\s*|\s+và\s+|\s*/\s*")
            current = ""
            items: list[str] = []
            for sep, piece in pieces:
                if not current:
                    current = piece
                    continue
                if _starts_new(piece, current, sep):
                    if _clean(current):
                        items.append(_clean(current))
                    current = piece
                else:
                    joiner = {",": ", ", "và": " và ", "/": "/"}.get(sep, " ")
                    current = current.rstrip() + joiner + piece.lstrip()
            if _clean(current):
                items.append(_clean(current))
            result.extend(carry_level(items))
    out: list[str] = []
    for name in result:
        out.extend(p for p in (_clean(x) for x in _split_same_level(name)) if p)
    return out


# ---------------------------------------------------------------- agency_key

_ABBREV = [  # (pattern on NFC text, replacement); order matters
    (r"\bUBMTTQ(?:\s*VN|\s+Việt Nam)?\b", "Ủy ban Mặt trận Tổ quốc"),
    (r"\bMTTQ(?:\s*VN|\s+Việt Nam)?\b", "Mặt trận Tổ quốc"),
    (r"\bUBND\b", "Ủy ban nhân dân"),
    (r"\bHĐND\b|\bHDND\b", "Hội đồng nhân dân"),
    (r"\bBCHQS\b", "Ban Chỉ huy Quân sự"),
    (r"\bCHQS\b", "Chỉ huy Quân sự"),
    (r"\bBCH\b", "Ban Chỉ huy"),
    (r"\bBHXH\b", "Bảo hiểm xã hội"),
    (r"\bBQL\b", "Ban Quản lý"),
    (r"\bKBNN\b", "Kho bạc Nhà nước"),
    (r"\bNHNN\b", "Ngân hàng Nhà nước"),
    (r"\bHội\s+LHPN\b", "Hội Liên hiệp Phụ nữ"),
    (r"\bHLHPN\b|\bLHPN\b", "Hội Liên hiệp Phụ nữ"),
    (r"\bHội\s+CCB\b", "Hội Cựu chiến binh"),
    (r"\bCCB\b", "Cựu chiến binh"),
    (r"\bHội\s+ND\b", "Hội Nông dân"),
    (r"\bHND\b", "Hội Nông dân"),
    (r"\bĐTN\b|\bĐoàn\s+TN\b", "Đoàn Thanh niên"),
    (r"\bVH\s*-\s*XH\b|\bVHXH\b", "Văn hóa - Xã hội"),
    (r"\bVHTTDL\b|\bVHTT&DL\b|\bVH,\s*TT\s*&\s*DL\b", "Văn hóa, Thể thao và Du lịch"),
    (r"\bVHTT\b", "Văn hóa và Thông tin"),
    (r"\bKH\s*&\s*CN\b|\bKHCN\b", "Khoa học và Công nghệ"),
    (r"\bNN\s*&\s*MT\b|\bNNMT\b", "Nông nghiệp và Môi trường"),
    (r"\bNN\s*&\s*PTNT\b|\bNN\s*và\s*PTNT\b", "Nông nghiệp và Phát triển nông thôn"),
    (r"\bGD\s*&\s*ĐT\b|\bGDĐT\b|\bGD-ĐT\b", "Giáo dục và Đào tạo"),
    (r"\bTN\s*&\s*MT\b|\bTNMT\b", "Tài nguyên và Môi trường"),
    (r"\bLĐ\s*-?\s*TB\s*&?\s*XH\b|\bLĐTBXH\b", "Lao động - Thương binh và Xã hội"),
    (r"\bTT\s*&\s*TT\b|\bTTTT\b", "Thông tin và Truyền thông"),
    (r"\bKH\s*&\s*ĐT\b|\bKHĐT\b", "Kế hoạch và Đầu tư"),
    (r"\bTP\.?\s*HCM\b", "Thành phố Hồ Chí Minh"),
    (r"\bTP\b\.?", "Thành phố"),
    (r"\bKT\s*-\s*HT\b", "Kinh tế - Hạ tầng"),
    (r"\bKT\b", "Kinh tế"),
    (r"\bQS\b", "Quân sự"),
    (r"\bVP\b", "Văn phòng"),
    (r"(?:^|(?<=[,;(]\s)|(?<=[,;(]))\s*CA\b", "Công an"),
    (r"\bCA\s+(?=(?:tỉnh|xã|phường|huyện|thành phố|quận)\b)", "Công an "),
    (r"\bND\b", "Nông dân"),
]
_TT_HEAD = re.compile(r"^\s*TT\b(?!\s*(?:số|\d|-|/))")


@lru_cache(maxsize=20_000)  # a plan names the same few agencies on row after row
def agency_key(name: str) -> str:
    """Matching key for an agency name (see the module docstring)."""
    if not name:
        return ""
    s = unicodedata.normalize("NFC", str(name))
    s = _BULLET.sub("", s)
    s = _TT_HEAD.sub("Trung tâm", s)
    for pattern, repl in _ABBREV:
        s = re.sub(pattern, repl, s)
    folded = ascii_fold(s).lower()
    folded = folded.replace("&", " va ")
    folded = re.sub(r"[^\w\s]", " ", folded)
    folded = re.sub(r"_", " ", folded)
    words = folded.split()
    # "Mặt trận Tổ quốc Việt Nam" == "Mặt trận Tổ quốc"
    text = " ".join(words)
    text = re.sub(r"\bmat tran to quoc viet nam\b", "mat tran to quoc", text)
    text = re.sub(r"\bco lien quan\b", "lien quan", text)
    return text
