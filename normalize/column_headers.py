"""Map column headers as printed to the contract's fields.

Headers vary from plan to plan ("Nhiệm vụ cụ thể", "Nội dung công việc",
"Đơn vị chủ trì", "Thời hạn", ...). Matching is done on a folded key
(unidecode, lower case, punctuation dropped) so diacritics, case, NFD text and
line wraps inside a header cell do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from phuluc.normalize.ascii_fold import ascii_fold

# Variants listed in the contract, matched exactly (after folding): score 3.
EXACT = {
    "stt": ["STT", "TT", "Số TT", "Số thứ tự"],
    "task": [
        "Nhiệm vụ cụ thể",
        "Nhiệm vụ",
        "Nội dung",
        "Nội dung nhiệm vụ",
        "Nội dung công việc",
        "Nhiệm vụ, giải pháp",
        "Tên nhiệm vụ",
        "Nội dung thực hiện",
        "Nội dung/nhiệm vụ",
        "Nhiệm vụ, giải pháp cụ thể",
        "Công việc",
        "Nội dung hoạt động",
        "Tên nhiệm vụ/dự án",
        "Nhiệm vụ trọng tâm",
    ],
    "timeline": [
        "Thời gian thực hiện",
        "Thời gian hoàn thành",
        "Thời hạn",
        "Tiến độ",
        "Thời hạn hoàn thành",
        "Thời gian",
        "Tiến độ thực hiện",
        "Thời gian triển khai",
        "Thời gian dự kiến hoàn thành",
        "Dự kiến thời gian",
        "Thời gian dự kiến",
    ],
    "lead": ["Cơ quan chủ trì", "Đơn vị chủ trì", "Chủ trì", "Cơ quan, đơn vị chủ trì", "Cơ quan chủ trì thực hiện",
             "Chủ trì thực hiện", "Đơn vị chủ trì thực hiện"],
    "partners": ["Cơ quan phối hợp", "Đơn vị phối hợp", "Phối hợp", "Cơ quan, đơn vị phối hợp", "Phối hợp thực hiện",
                 "Đơn vị phối hợp thực hiện"],
}

# Looser patterns on the folded key, tried in this order (first match wins): score 2, or 1 for weak ones.
PATTERNS: list[tuple[str, str, int]] = [
    ("stt", r"^(so )?(stt|tt|thu tu)$", 2),
    ("lead", r"chu tri", 2),
    ("partners", r"phoi hop", 2),
    ("timeline", r"^(thoi gian|thoi han|tien do|thoi diem|moc thoi gian|du kien thoi gian)", 2),
    ("task", r"^(ten )?(nhiem vu|noi dung|cong viec|giai phap|hoat dong|chuong trinh|de an|du an)", 2),
    # Who carries the task out, when no column says who leads: "Trách nhiệm thực hiện",
    # "Đơn vị thực hiện", "Cơ quan thực hiện" (weak: a "Chủ trì" column beats them).
    ("lead", r"^((co quan|don vi)(, don vi)? (thuc hien|trien khai|phu trach)|trach nhiem( thuc hien| chinh)?)$", 1),
]

_FOOTNOTE = re.compile(r"\[\d+\]|\(\d+\)|\*+")
_NOT_KEY = re.compile(r"[^a-z0-9,/]+")
_LIST_MARK = re.compile(r"\s*([,/])\s*")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=20_000)  # every row is checked against the header: the same cells over and over
def match_key(text: str) -> str:
    """The key headers and title lines are matched on: NFC, unidecode, lower case, footnote marks,
    punctuation and white space folded ("Nhiệm vụ\n(1)" → "nhiem vu")."""
    text = unicodedata.normalize("NFC", text)
    text = _FOOTNOTE.sub(" ", text)
    key = ascii_fold(text).lower()
    key = _NOT_KEY.sub(" ", key)
    key = _LIST_MARK.sub(r"\1 ", key)
    return _SPACES.sub(" ", key).strip(" ,/")


_EXACT_KEYS = {match_key(v): f for f, vs in EXACT.items() for v in vs}


_PATTERNS_COMPILED = [(field_name, re.compile(pattern), score) for field_name, pattern, score in PATTERNS]


@lru_cache(maxsize=20_000)  # asked of every cell of every row that might repeat the header
def header_field(text: str) -> tuple[str | None, int]:
    """The field a header names and how sure the match is (3 exact, 2 pattern, 1 weak, 0 none)."""
    key = match_key(text)
    if not key:
        return None, 0
    if key in _EXACT_KEYS:
        return _EXACT_KEYS[key], 3
    for field_name, pattern, score in _PATTERNS_COMPILED:
        if pattern.search(key):
            return field_name, score
    return None, 0


# OCR'd headers only (`fuzzy_header_field`): the stems the patterns start with, compared with the
# start of a header ("thoi giai hoaa" → "thoi gian"), and headers of tables that hold no tasks, which
# a misread header must not be closer to ("Họ tên", "Số tiền").
_STEMS = {
    "stt": ["stt", "tt", "so tt"],
    "timeline": ["thoi gian", "thoi han", "tien do"],
    "task": ["nhiem vu", "noi dung", "cong viec"],
    "lead": ["chu tri"],
    "partners": ["phoi hop"],
}
_OTHER_HEADERS = [
    "ho va ten", "ho ten", "chuc vu", "chuc danh", "so tien", "kinh phi", "don vi tinh", "don gia", "thanh tien",
    "so luong", "nguon von", "tong cong", "tong so", "ghi chu", "nam sinh", "gioi tinh", "dia chi", "que quan",
    "dan toc", "ton giao", "trinh do", "so dien thoai", "ty le", "chi tieu", "ket qua", "danh gia", "so phieu",
]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (headers are short: the quadratic table is cheap)."""
    if a == b:
        return 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _fuzzy_candidates() -> list[tuple[str, str, bool]]:
    """(field, variant without spaces, compare as a prefix) for every exact variant and stem."""
    out = [(f, k.replace(" ", ""), False) for k, f in _EXACT_KEYS.items()]
    out += [(f, s.replace(" ", ""), len(s) >= 6) for f, stems in _STEMS.items() for s in stems]
    return out


_FUZZY = _fuzzy_candidates()
_OTHER = [h.replace(" ", "") for h in _OTHER_HEADERS]


def fuzzy_header_field(text: str) -> tuple[str | None, int]:
    """The field an OCR-misread header most likely names ("Thời giai hoàa", "Sl'T"), score 1; or none.

    Bounded: at most one edit in five letters (one for short headers), on the key without spaces,
    against a whole variant or the start of the header for stems; and never when a header of a
    non-task table is as close. For OCR'd cells only: text tables keep the strict rules.
    """
    key = match_key(text).replace(" ", "")
    if len(key) < 2 or len(key) > 60:
        return None, 0
    best: tuple[int, str] | None = None
    for field_name, variant, prefix in _FUZZY:
        d = edit_distance(key[: len(variant)] if prefix else key, variant)
        if d <= max(1, len(variant) // 5) and (best is None or d < best[0]):
            best = (d, field_name)
    if best is None or any(edit_distance(key, h) <= best[0] for h in _OTHER):
        return None, 0
    return best[1], 1


@dataclass
class ColumnMap:
    """Which grid column feeds which contract field; other headed columns go to `extra`."""

    fields: dict[str, int]  # field -> column index
    extra: dict[int, str]  # column index -> header as printed
    header_rows: int  # how many rows at the top form the header
    header_keys: list[str]  # folded header text per column, to spot repeated headers
    # A two-row header's upper row ("STT | Tên nhiệm vụ | Cơ quan thực hiện | …"), folded: its
    # repetition on a later page is a header row too, even when one of its cells reads differently.
    upper_keys: list[str] = field(default_factory=list)

    def is_task_table(self) -> bool:
        # A task table names the task and at least two of the other core fields:
        # a cost table ("Nội dung | Số tiền") or a people list ("STT | Họ tên") does not.
        others = sum(1 for f in ("stt", "timeline", "lead", "partners") if f in self.fields)
        return "task" in self.fields and others >= 2


_HEADER_YEAR = re.compile(r"\b(?:nam )?((?:19|20)\d\d)\b")


def header_year(key: str) -> int | None:
    """The year a column's title names ("Thời gian (Năm 2026)" → 2026), None without one or with several."""
    years = set(_HEADER_YEAR.findall(key))
    return int(years.pop()) if len(years) == 1 else None


def map_columns(columns: list[list[str]], ocr: bool = False) -> tuple[dict[str, int], dict[int, str]]:
    """Map columns to fields, given for each column its header texts from the lowest row up.

    The lowest header row names the field ("Cơ quan thực hiện" spanning "Chủ trì | Phối hợp").
    When two columns claim one field, the surer match wins and the other becomes extra.
    `ocr` (the header was read by OCR) also tries `fuzzy_header_field` on headers that match nothing.
    """
    best: dict[str, tuple[int, int]] = {}  # field -> (score, col)
    chosen: dict[int, str | None] = {}
    for col, texts in enumerate(columns):
        field_name, score = None, 0
        for text in texts:
            field_name, score = header_field(text)
            if not field_name and ocr:
                field_name, score = fuzzy_header_field(text)
            if field_name:
                break
        chosen[col] = field_name
        if field_name and (field_name not in best or score > best[field_name][0]):
            best[field_name] = (score, col)
    fields = {f: col for f, (_, col) in best.items()}
    extra: dict[int, str] = {}
    taken = set(fields.values())
    for col, texts in enumerate(columns):
        if col in taken:
            continue
        label = " ".join(next((t for t in texts if t.strip()), "").split())  # a key is one line
        if label:
            extra[col] = label
    return fields, extra
