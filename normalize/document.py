"""Document fields: issuer, number, date and title, from the text around the table.

The page header of a Vietnamese administrative document is two blocks side by
side: the issuer (left) and the national motto (right). Extractors hand them
over split (PDF by x position, DOCX as a borderless table or tab-separated
paragraphs); here they are read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from phuluc.normalize.headers import fold
from phuluc.normalize.plan_title import plan_title
from phuluc.normalize.syllable import is_syllable
from phuluc.schema import DocumentFields, Grid, Line, Table

CleanInline = Callable[[str, str], str]

_MOTTO = "cong hoa xa hoi chu nghia"
LEVEL_WORDS = ["đặc khu", "thành phố", "thị xã", "thị trấn", "xã", "phường", "tỉnh", "huyện", "quận"]
# Words that open the name of a body: a header line starting with one names a new body.
ORG_HEADS = [
    "ủy ban", "uỷ ban", "ubnd", "hội đồng", "hđnd", "sở", "bộ", "ban", "phòng", "đảng ủy", "đảng uỷ",
    "văn phòng", "trung tâm", "cục", "chi cục", "tổng cục", "mặt trận", "ủy ban mặt trận", "tỉnh ủy", "thành ủy",
    "huyện ủy", "công an", "tòa án", "viện kiểm sát", "kho bạc", "đoàn", "hội", "trường", "bệnh viện", "tổ",
]
# After these heads the next word starts the body's proper name: "Sở Nội vụ", "Ban Chỉ đạo".
NAME_HEADS = {"sở", "bộ", "ban", "phòng", "cục", "chi cục", "tổng cục", "văn phòng", "trung tâm", "tổ", "hội", "trường"}
KEEP_UPPER = {"UBND", "HĐND", "MTTQ", "TP", "TP.", "CA", "VN", "TW", "QĐ", "KH", "BCĐ"}


def _is_separator(text: str) -> bool:
    return bool(re.fullmatch(r"[\s\-_–—=*.]*", text))


def page_header(grid: Grid, clean: CleanInline, before: int | None) -> tuple[list[str], list[str]]:
    """The issuer block and the motto block of the first page header, as cleaned lines."""
    if grid.header_blocks:
        blocks = [[clean(t, "") for t in b] for b in grid.header_blocks]
        right = blocks[1] if len(blocks) > 1 else []
        # Split by position; trusted only when the right block is the national motto
        # (two titles centred side by side are not a page header).
        if any(key in fold(t) for t in right for key in (_MOTTO, "doc lap", "cong hoa")):
            return blocks[0], right
    for table in grid.tables:
        if before is not None and table.order >= before:
            break
        found = _header_from_table(table, clean)
        if found:
            return found
    left: list[str] = []
    right: list[str] = []
    for line in grid.lines:
        if before is not None and line.order >= before:
            break
        if line.block == 1:
            right.append(clean(line.text, line.font))
        elif any(ln.order == line.order and ln.block == 1 for ln in grid.lines):
            left.append(clean(line.text, line.font))
    if right and any(_MOTTO in fold(t) for t in right):
        return left, right
    return [], []


def _header_from_table(table: Table, clean: CleanInline) -> tuple[list[str], list[str]] | None:
    # A page header is a small layout table; a big table that merely quotes the motto is not.
    if table.n_cols > 3 or table.n_rows > 4:
        return None
    motto_col = None
    for cell in table.cells:
        if _MOTTO in fold(clean(cell.text, cell.font)):
            motto_col = cell.col
            break
    if motto_col is None or motto_col == 0:
        return None
    left: list[str] = []
    right: list[str] = []
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        lines = [clean(p, cell.font) for p in re.split(r"[\n\u2028]", cell.text)]
        (right if cell.col >= motto_col else left).extend(t for t in lines if t)
    return left, right


def running_case(upper: str) -> str:
    """ "ỦY BAN NHÂN DÂN XÃ VĨNH BẢO" → "Ủy ban nhân dân xã Vĩnh Bảo"."""
    words = upper.split()
    out: list[str] = []
    place = False
    name_next = False
    i = 0
    while i < len(words):
        word = words[i]
        low = word.lower()
        two = (low + " " + words[i + 1].lower()) if i + 1 < len(words) else ""
        if word in KEEP_UPPER or (word.isupper() and not is_syllable(word.strip(".,").lower())):
            out.append(word)
            i += 1
            continue
        if not place and i > 0 and two in LEVEL_WORDS:
            out += two.split()
            place = True
            i += 2
            continue
        if not place and i > 0 and low in LEVEL_WORDS:
            out.append(low)
            place = True
            i += 1
            continue
        if place or name_next or i == 0:
            out.append(low.capitalize())
            name_next = False
        else:
            out.append(low)
        if i == 0 and (low in NAME_HEADS or two in NAME_HEADS):
            name_next = True
            if two in NAME_HEADS:
                out.append(words[i + 1].lower())
                i += 1
        i += 1
    return " ".join(out)


def issuer_from_block(lines: list[str]) -> str:
    """The issuing body: the last named body in the issuer block, in running-text case."""
    names: list[list[str]] = []
    for line in lines:
        text = line.strip()
        if not text or _is_separator(text):
            continue
        low = text.lower()
        if low.startswith("số") or "ngày" in low or not _mostly_upper(text):
            break
        if names and any(low.startswith(level + " ") or low == level for level in LEVEL_WORDS):
            names[-1].append(text)  # "ỦY BAN NHÂN DÂN" / "XÃ VĨNH BẢO"
        elif not names or any(low.startswith(head + " ") or low == head for head in ORG_HEADS):
            names.append([text])
        else:
            names[-1].append(text)
    if not names:
        return ""
    return running_case(" ".join(names[-1]))


_ATTACHED_ISSUER = re.compile(r"\bcủa\s+(.+?)\)?\s*$", re.IGNORECASE)


def issuer_from_attached(text: str) -> str:
    """The issuer named in "(Kèm theo Kế hoạch số … của Ủy ban nhân dân xã Đắk Mil)".

    Used only when the page header names none, and only when the body is named in full
    (a level word followed by a capitalised place name): "của Ủy ban nhân dân xã" names
    no commune, and guessing one would be inventing.
    """
    m = _ATTACHED_ISSUER.search(text)
    if not m:
        return ""
    body = m.group(1).strip().rstrip(").;, ")
    words = body.split()
    for i, word in enumerate(words[:-1]):
        low = word.lower()
        two = (low + " " + words[i + 1].lower()) if i + 1 < len(words) else ""
        skip = 2 if two in LEVEL_WORDS else 1 if low in LEVEL_WORDS else 0
        if skip and i > 0 and i + skip < len(words) and words[i + skip][:1].isupper():
            return running_case(body.upper()) if _mostly_upper(body) else body
    return ""


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


_NUMBER = r"([0-9]+[0-9A-Za-zĐđ/.\-_]*[A-Za-zĐđ][0-9A-Za-zĐđ/.\-_]*)"
_KEM_THEO_NUMBER = re.compile(r"số\s*:?\s*" + _NUMBER, re.IGNORECASE)
_HEADER_NUMBER = re.compile(r"^\s*số\s*:?\s*" + _NUMBER, re.IGNORECASE)
_DATE_SLASH = re.compile(r"ngày\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", re.IGNORECASE)
_DATE_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)


def parse_date(text: str) -> str:
    """ "ngày 06/4/2026" or "ngày 20 tháng 3 năm 2026" → "2026-04-06"; "" if none or invalid."""
    for pattern in (_DATE_SLASH, _DATE_WORDS):
        m = pattern.search(text)
        if m:
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1 <= day <= 31 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def _strip_number(number: str) -> str:
    return number.rstrip(".,;-/")


def _appendix_block(lines: list[Line], clean: CleanInline, before: int | None) -> tuple[str, str]:
    """The appendix title and its "(Kèm theo ...)" text, nearest before the task table."""
    cleaned = [(ln, clean(ln.text, ln.font)) for ln in lines if before is None or ln.order < before]
    start = None
    for i, (_, text) in enumerate(cleaned):
        if fold(text).startswith("phu luc"):
            start = i
    if start is None:
        return "", ""
    title: list[str] = []
    attached: list[str] = []
    for _, text in cleaned[start:]:
        if not text:
            continue
        if attached or fold(text).startswith("kem theo") or text.startswith("("):
            attached.append(text)
            if ")" in text:
                break
            continue
        if len(title) >= 8 or len(text) > 250 or sum(map(len, title)) > 400:
            break
        title.append(text)
    return " ".join(title), " ".join(attached)


def document_fields(grid: Grid, clean: CleanInline, table_order: int | None) -> DocumentFields:
    """Read issuer, number, date and title; "" for what the document does not state."""
    clean = functools.cache(clean)  # the same header lines are read for several fields
    fields = DocumentFields()
    left, right = page_header(grid, clean, table_order)
    fields.issuer = issuer_from_block(left)
    title, attached = _appendix_block(grid.lines, clean, table_order)
    fields.title = title
    fields.plan_title = plan_title(grid.lines, clean, table_order)
    if not fields.issuer and attached:
        fields.issuer = issuer_from_attached(attached)
    if attached:
        m = _KEM_THEO_NUMBER.search(attached)
        if m:
            fields.number = _strip_number(m.group(1))
        fields.date = parse_date(attached)
    if not fields.number:
        for text in left + [clean(ln.text, ln.font) for ln in grid.lines[:40]]:
            m = _HEADER_NUMBER.match(text)
            if m:
                fields.number = _strip_number(m.group(1))
                break
    if not fields.date:
        for text in right + [clean(ln.text, ln.font) for ln in grid.lines[:40]]:
            if "ngày" in text.lower() and "tháng" in text.lower():
                fields.date = parse_date(text)
                if fields.date:
                    break
    return fields
