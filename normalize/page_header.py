"""The page header and the document fields: issuer, number, date and title.

The page header of a Vietnamese administrative document is two blocks side by
side: the issuer (left: the body, "Số: …") and the national motto (right:
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", the place
and date). This module is its one owner. Extractors hand over neutral geometry;
the blocks are found here, for every format:

* PDF: the first page's lines with their words' positions, split by x (`split_blocks`);
* DOCX: a small layout table whose right column holds the motto, or paragraphs
  whose pieces stand apart by tab stops (lines sharing an order).

Then the issuer is read from the left block, the number and date from the blocks
or the "(Kèm theo Kế hoạch số … ngày …)" line, the title from "PHỤ LỤC" to it.
"""

from __future__ import annotations

import functools
import itertools
import re

from phuluc.normalize.body_names import ACRONYMS, field_name, title_syllable
from phuluc.normalize.column_headers import match_key
from phuluc.normalize.plan_title import plan_title
from phuluc.normalize.syllable import is_syllable
from phuluc.schema import SOFT_BREAK, Clean, DocumentFields, Grid, Line, Table, Word

_MOTTO = "cong hoa xa hoi chu nghia"
LEVEL_WORDS = ["đặc khu", "thành phố", "thị xã", "thị trấn", "xã", "phường", "tỉnh", "huyện", "quận"]
# Words that open the name of a body: a header line starting with one names a new body.
ORG_HEADS = [
    "ủy ban", "uỷ ban", "ubnd", "hội đồng", "hđnd", "sở", "bộ", "ban", "phòng", "đảng ủy", "đảng uỷ",
    "văn phòng", "trung tâm", "cục", "chi cục", "tổng cục", "mặt trận", "ủy ban mặt trận", "tỉnh ủy", "thành ủy",
    "huyện ủy", "công an", "tòa án", "viện kiểm sát", "kho bạc", "đoàn", "hội", "trường", "bệnh viện", "tổ",
    "tiểu ban",
]
# After these heads the next word starts the body's proper name: "Sở Nội vụ", "Ban Chỉ đạo".
NAME_HEADS = {"sở", "bộ", "ban", "phòng", "cục", "chi cục", "tổng cục", "văn phòng", "trung tâm", "tổ", "hội", "trường"}
KEEP_UPPER = ACRONYMS
# Heads whose name is a field of work, each part capitalised: "Bộ Kế hoạch và Đầu tư", "Sở Nội vụ".
FIELD_HEADS = {"bộ", "sở", "phòng"}


def _is_separator(text: str) -> bool:
    return bool(re.fullmatch(r"[\s\-_–—=*.]*", text))


def page_header(grid: Grid, clean: Clean, before: int | None) -> tuple[list[str], list[str]]:
    """The issuer block and the motto block of the first page header, as cleaned lines."""
    west, east = split_blocks(grid.lines)
    if west and east:
        left = [clean(ln.text, ln.font) for ln in west]
        right = [clean(ln.text, ln.font) for ln in east]
        # Split by position; trusted only when the right block is the national motto
        # (two titles centred side by side are not a page header).
        if any(key in match_key(t) for t in right for key in (_MOTTO, "doc lap", "cong hoa")):
            return left, right
    for table in grid.tables:
        if before is not None and table.order >= before:
            break
        found = _header_from_table(table, clean)
        if found:
            return found
    return _header_from_tab_stops(grid.lines, clean, before)


def _header_from_tab_stops(lines: list[Line], clean: Clean, before: int | None) -> tuple[list[str], list[str]]:
    """Paragraphs split by tab stops (DOCX: lines sharing an order): the first piece is the
    issuer's, the rest the motto's; trusted only when the right side holds the motto."""
    left: list[str] = []
    right: list[str] = []
    for order, group in itertools.groupby(lines, key=lambda ln: ln.order):
        if before is not None and order >= before:
            break
        first, *rest = group
        if rest:
            left.append(clean(first.text, first.font))
            right.append(clean(" ".join(ln.text for ln in rest), first.font))
    if right and any(_MOTTO in match_key(t) for t in right):
        return left, right
    return [], []


# --- the two blocks side by side on the first page, from the words' positions (PDF) ---

# Lines of the first page searched for the page header.
HEADER_LINES = 14
# Two blocks stand side by side where a gap of more than this many ems separates them.
BLOCK_GAP_EM = 2.0
# On a narrow page the first header line's blocks may stand closer than BLOCK_GAP_EM
# ("ỦY BAN NHÂN DÂN CỘNG HÒA ..."): this many lines above the first clear two-block line
# are split too, at their widest word gap of at least ABOVE_GAP_EM within NEAR_SPLIT_EM
# of the split (the blocks' centres differ from line to line).
LINES_ABOVE = 2
ABOVE_GAP_EM = 0.25
NEAR_SPLIT_EM = 8.0
# A line whose two sides stand closer than this many ems crosses the split (a title): the header ends.
CROSSING_GAP_EM = 1.0
# A line on one side belongs to that block when centred or aligned with it within this many ems.
ALIGN_EM = 2.0
# A vertical gap (baseline to baseline) of more than this many ems ends the header.
LINE_GAP_EM = 3.5


def split_blocks(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split the first page's two side-by-side blocks by x position: (left lines, right lines).

    The first line with two blocks side by side gives the split (the middle of its gap);
    the lines under it are split there too while the gap holds (a line whose text crosses
    it, a title, ends the header). Lines without word positions (DOCX) give nothing.
    """
    split_x: float | None = None
    boxes: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 0.0), (0.0, 0.0))
    left: list[Line] = []
    right: list[Line] = []
    last_bottom: float | None = None
    above: list[Line] = []  # lines before the first clear two-block line
    for ln in _first_page(lines):
        if not ln.words:
            continue
        size = _em(ln.words[0])
        if split_x is None:
            segments = _segments(ln.words)
            if len(segments) != 2:
                above.append(ln)
                continue
            split_x = (max(w.x1 for w in segments[0]) + min(w.x0 for w in segments[1])) / 2
            boxes = (_extent(segments[0]), _extent(segments[1]))
            for up in above[-LINES_ABOVE:]:
                _split_above(up, split_x, left, right)
        west = [w for w in ln.words if (w.x0 + w.x1) / 2 < split_x]
        east = [w for w in ln.words if (w.x0 + w.x1) / 2 >= split_x]
        if west and east and min(w.x0 for w in east) - max(w.x1 for w in west) < CROSSING_GAP_EM * size:
            break
        if not (west and east) and not _aligned(west or east, boxes[0] if west else boxes[1], ALIGN_EM * size):
            break  # a line on one side that is not centred or aligned in its block: a title
        bottom = max(w.bottom for w in ln.words)
        if last_bottom is not None and bottom - last_bottom > LINE_GAP_EM * size:
            break
        last_bottom = bottom
        if west:
            left.append(_part(ln, west))
        if east:
            right.append(_part(ln, east))
    return left, right


def _first_page(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for ln in lines:
        if ln.page != 1 or len(out) == HEADER_LINES:
            break
        out.append(ln)
    return out


def _split_above(ln: Line, split_x: float, left: list[Line], right: list[Line]) -> None:
    """Split a line above the first two-block line at its widest word gap near `split_x`."""
    words = ln.words
    size = _em(words[0])
    gaps = [(b.x0 - a.x1, (a.x1 + b.x0) / 2) for a, b in zip(words, words[1:], strict=False)
            if b.x0 - a.x1 >= ABOVE_GAP_EM * size and abs((a.x1 + b.x0) / 2 - split_x) <= NEAR_SPLIT_EM * size]
    if not gaps:
        return
    _, cut = max(gaps)
    left.append(_part(ln, [w for w in words if (w.x0 + w.x1) / 2 < cut]))
    right.append(_part(ln, [w for w in words if (w.x0 + w.x1) / 2 >= cut]))


def _segments(words: list[Word]) -> list[list[Word]]:
    """The line's runs of words separated by gaps of more than BLOCK_GAP_EM."""
    segments: list[list[Word]] = [[words[0]]]
    right = words[0].x1
    for w in words[1:]:
        if w.x0 - right > BLOCK_GAP_EM * _em(w):
            segments.append([])
        segments[-1].append(w)
        right = max(right, w.x1) if len(segments[-1]) > 1 else w.x1
    return segments


def _part(ln: Line, words: list[Word]) -> Line:
    return Line(" ".join(w.text for w in words), page=ln.page, x0=words[0].x0, top=ln.top, font=ln.font,
                order=ln.order, words=words)


def _em(word: Word) -> float:
    """The unit of the thresholds: the font size, or the word's height when none is known (OCR)."""
    return max(word.size or (word.bottom - word.top), 1.0)


def _extent(words: list[Word]) -> tuple[float, float]:
    return min(w.x0 for w in words), max(w.x1 for w in words)


def _aligned(words: list[Word], box: tuple[float, float], tol: float) -> bool:
    x0, x1 = _extent(words)
    return abs((x0 + x1) / 2 - (box[0] + box[1]) / 2) <= tol or abs(x0 - box[0]) <= tol or abs(x1 - box[1]) <= tol


# --- the two blocks as the columns of a small layout table (DOCX) ---


def _header_from_table(table: Table, clean: Clean) -> tuple[list[str], list[str]] | None:
    # A page header is a small layout table; a big table that merely quotes the motto is not.
    if table.n_cols > 3 or table.n_rows > 4:
        return None
    motto_col = None
    for cell in table.cells:
        if _MOTTO in match_key(clean(cell.text, cell.font)):
            motto_col = cell.col
            break
    if motto_col is None or motto_col == 0:
        return None
    left: list[str] = []
    right: list[str] = []
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        lines = [clean(p, cell.font) for p in re.split(f"[\n{SOFT_BREAK}]", cell.text)]
        (right if cell.col >= motto_col else left).extend(t for t in lines if t)
    return left, right


# --- the fields: issuer, number, date, title ---


def running_case(upper: str) -> str:
    """ "ỦY BAN NHÂN DÂN XÃ VĨNH BẢO" → "Ủy ban nhân dân xã Vĩnh Bảo".

    The body's kind in lower case after its first word, the level word (xã, tỉnh, …) in
    lower case, and every syllable of the place name after it in title case, minority
    names too ("XÃ KRÔNG PẮC" → "xã Krông Pắc", "EA H'LEO" → "Ea H'Leo"). A ministry's
    or department's field starts each part with a capital ("Bộ Kế hoạch và Đầu tư").
    """
    words = upper.split()
    out: list[str] = []
    place = False
    name_next = False
    fields: list[str] | None = None  # the field name of a Bộ / Sở / Phòng, read whole
    i = 0
    while i < len(words):
        word = words[i]
        low = word.lower()
        two = (low + " " + words[i + 1].lower()) if i + 1 < len(words) else ""
        level = two if two in LEVEL_WORDS else low if low in LEVEL_WORDS and two != "xã hội" else ""
        if place:
            out.append(title_syllable(word))
        elif i > 0 and level:
            out += field_name(fields or []) + level.split()
            fields = None
            place = True
            i += len(level.split())
            continue
        elif fields is not None:
            fields.append(word)
        elif word in KEEP_UPPER or (word.isupper() and not is_syllable(word.strip(".,").lower())):
            out.append(word)
        elif i == 0 and low in FIELD_HEADS:
            out.append(low.capitalize())
            fields = []
        else:
            out.append(low.capitalize() if name_next or i == 0 else low)
            name_next = False
            two_word_body = two in ORG_HEADS and two not in NAME_HEADS  # "Hội đồng nhân dân", not "Hội" + a name
            if i == 0 and (low in NAME_HEADS or two in NAME_HEADS) and not two_word_body:
                name_next = True
                if two in NAME_HEADS:
                    out.append(words[i + 1].lower())
                    i += 1
        i += 1
    return " ".join(out + field_name(fields or []))


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


def _appendix_block(lines: list[Line], clean: Clean, before: int | None) -> tuple[str, str]:
    """The appendix title and its "(Kèm theo ...)" text, nearest before the task table."""
    cleaned = [(ln, clean(ln.text, ln.font)) for ln in lines if before is None or ln.order < before]
    start = None
    for i, (_, text) in enumerate(cleaned):
        if match_key(text).startswith("phu luc"):
            start = i
    if start is None:
        return "", ""
    title: list[str] = []
    attached: list[str] = []
    for _, text in cleaned[start:]:
        if not text:
            continue
        if attached or match_key(text).startswith("kem theo") or text.startswith("("):
            attached.append(text)
            if ")" in text:
                break
            continue
        if len(title) >= 8 or len(text) > 250 or sum(map(len, title)) > 400:
            break
        title.append(text)
    return " ".join(title), " ".join(attached)


def document_fields(grid: Grid, clean: Clean, table_order: int | None) -> DocumentFields:
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
