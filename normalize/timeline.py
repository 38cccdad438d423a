"""Parse the "Thời gian thực hiện" (timeline) cell of a task row.

``parse_timeline(text)`` is a pure function; it returns a dict whose keys are
always present::

    {
      "recurrence": "once" | "yearly" | "semiannual" | "quarterly" | "monthly"
                    | "continuous" | "unknown",
      "start": "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | None,
      "end":   "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | None,
      "due_day_of_year": "MM-DD" | None,
      "due_day_of_month": int | None,
      "years": [int, ...],
      "before": bool,
      "text": str,
    }

Semantics (what a person reads in the cell):

* The text is NFC-normalised, then matched case- and diacritics-insensitively
  (``unidecode``), so "Hằng năm", "HÀNG NĂM" and "Hang nam" are the same.
  Line breaks are plain spaces (cells wrap lines). ``text`` keeps the input.
* ``start`` / ``end`` are the dated window the text names, at the precision the
  text gives: a day is ``YYYY-MM-DD``, a month ``YYYY-MM``, a quarter is its
  first/last month ("Quý II/2026" -> ``2026-04`` .. ``2026-06``), a half year
  likewise ("6 tháng đầu năm 2026" -> ``2026-01`` .. ``2026-06``), "đầu năm
  X" / "cuối năm X" the first / last quarter of X, a year
  ``YYYY``. A single point is both start and end ("Tháng 6/2026",
  "Năm 2026", "15/3/2026"). Ranges ("2026 - 2030", "Từ tháng 3 đến tháng
  5/2026", "Quý IV/2025 - Quý II/2026") take the start of the first part and
  the end of the last part. Several separate periods ("Năm 2027 và năm 2030")
  give the earliest start and the latest end; ``years`` keeps the discrete
  years. A lone year refined by a more precise period of the same year
  ("Năm 2026 (Quý II)") gives the precise period. Dates are never invented: a month or day named without a year does
  not produce ``start``/``end``.
* ``start`` is null when the text names only a deadline ("Trước ngày
  30/6/2026", "Đến năm 2030"). ``end`` is null when the text leaves the window
  open: "Từ năm 2026", "Năm 2026 và các năm tiếp theo", "sau năm 2028",
  "... trở đi", or a phase followed by ongoing work ("Hoàn thành trong giai
  đoạn 2026 - 2027 và vận hành thường xuyên, liên tục").
* ``before`` is true when the wording makes the named point a deadline:
  "Trước ...", "Chậm nhất ...", "Không muộn hơn ...", "Hạn chót ...",
  "Đến (hết) ..." without a "Từ". ``end`` is then the named point itself
  (not shifted by one day/year). It is wording-based and stays true even when
  a continuation clause leaves ``end`` open.
* ``recurrence``:

  - ``monthly`` "Hằng/hàng/mỗi tháng"; ``quarterly`` "Hằng quý", "Định kỳ
    hằng quý"; ``semiannual`` "Định kỳ 6 tháng", "6 tháng một lần";
    ``yearly`` "Hằng năm", "Hàng năm", "Mỗi năm", "... và các năm tiếp theo".
    When several cycles are named the most frequent wins ("Định kỳ 6 tháng,
    hằng năm" -> ``semiannual``; "Thường xuyên, định kỳ hằng quý báo cáo" ->
    ``quarterly``; "Thường xuyên, hằng năm" -> ``yearly``).
  - ``continuous`` "Thường xuyên", "Liên tục", "Hằng ngày/tuần" (more often
    than monthly), and an open start with nothing else ("Từ năm 2026",
    "Bắt đầu triển khai từ năm 2026"). A named cycle beats "thường xuyên"
    (regularly) but not "liên tục" (without break): "Thực hiện thường xuyên
    liên tục, hiệu quả hàng năm" -> ``continuous``.
  - ``once`` a non-recurring task with a dated window (possibly several
    periods, or open-ended when later phases are open).
  - ``unknown`` nothing datable and no cycle: "Theo kế hoạch", "Sau khi có
    hướng dẫn của cấp trên", "Khi có phát sinh", durations ("03 ngày làm
    việc"), or a month/day without a year and without a cycle ("Tháng 12").
  - Follow-up clauses marked "(nếu có)" / "nếu cần" are conditional and do not
    change the recurrence or window ("Hoàn thành trong năm 2026 và có rà soát
    ... trong các năm tiếp theo (nếu có)" -> ``once``, 2026).

* ``due_day_of_year`` is the month-day of a deadline named without a year:
  "Trước ngày 15/02 hằng năm" -> ``02-15``. A month, quarter or half named
  for a recurring task gives its last day: "Tháng 12 hằng năm" -> ``12-31``,
  "Quý I hằng năm" -> ``03-31`` (``recurrence`` stays ``yearly``). A yearless
  day or month without a cycle ("Trước ngày 15/02", "Tháng 12") keeps
  ``due_day_of_year`` (last day of what is named) with ``recurrence: unknown``.
* ``due_day_of_month`` is the day a monthly deadline names: "Trước ngày 25 hằng
  tháng" -> ``25``, "Trước ngày 05 của tháng liền kề" -> ``5`` ("liền kề", the
  adjoining month or year, is a cycle: "Trước ngày 31/01 năm liền kề" is yearly).
* ``year``: a column titled with a year ("Thời gian (Năm 2026)") gives its
  dates without a year that year when the cell names no cycle: "ngày 23 tháng 1"
  -> ``once``, ``2026-01-23``; the year joins ``years``.
* ``years`` lists every year written in a temporal expression, sorted and
  unique; only the years named ("2026 - 2030" -> ``[2026, 2030]``). Years of
  document references ("Nghị định số 12/2025/NĐ-CP ngày 02/01/2025") are
  ignored.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from phuluc.normalize.ascii_fold import ascii_fold

__all__ = ["parse_timeline", "RECURRENCES"]

RECURRENCES = ("once", "yearly", "semiannual", "quarterly", "monthly", "continuous", "unknown")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# A point of time named in the text: (year or None, first month, last month, day or None)
@dataclass
class _Atom:
    pos: int
    endpos: int
    year: int | None
    m1: int | None  # None = whole year
    m2: int | None
    day: int | None = None
    open_start: bool = False  # "từ X" (no range end)
    after: bool = False  # "sau X"
    deadline: bool = False  # "trước X"

    def start_str(self) -> str | None:
        if self.year is None:
            return None
        if self.day is not None:
            return f"{self.year:04d}-{self.m1:02d}-{self.day:02d}"
        if self.m1 is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.m1:02d}"

    def end_str(self) -> str | None:
        if self.year is None:
            return None
        if self.day is not None:
            return f"{self.year:04d}-{self.m2:02d}-{self.day:02d}"
        if self.m2 is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.m2:02d}"

    def start_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.m1 or 1, self.day or 1)

    def end_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.m2 or 12, self.day or 31)

    def last_day(self) -> str | None:
        """MM-DD of the last day of the atom, ignoring the year (for due_day_of_year)."""
        if self.m2 is None:
            return None
        if self.day is not None:
            return f"{self.m2:02d}-{self.day:02d}"
        last = calendar.monthrange(2001, self.m2)[1]  # non-leap: February -> 28
        return f"{self.m2:02d}-{last:02d}"


def _pattern_text(text: str) -> str:
    """The text the timeline patterns search: ASCII lower case, dashes and spaces plain, "quí" as "quy"."""
    t = ascii_fold(unicodedata.normalize("NFC", text)).lower()
    t = t.replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"\bqui\b", "quy", t)
    return t


# Document references: "số 12/2025/NĐ-CP ngày 02/01/2025", "Quyết định 06/QĐ-TTg", "57-NQ/TW"
_REF = re.compile(
    r"\bso\s*:?\s*\d+[\w./-]*"  # "số 12/2025/nd-cp"
    r"(?:\s*ngay\s*\d{1,2}\s*(?:[/.-]|thang)\s*\d{1,2}\s*(?:[/.-]|nam)\s*\d{4})?"
    r"|\b\d+(?:[./]\d+)*/\d{4}/[a-z][\w-]*"  # "12/2025/nd-cp" without "số"
    r"|\b\d+[/-][a-z][a-z-]*/?[a-z]*\b"  # "06/qd-ttg", "57-nq/tw"
)

_Y = r"((?:19|20)\d\d)"
_SEP = r"\s*(?:/|-|\.|,)?\s*(?:nam\s*)?"
_QUARTER = re.compile(
    r"\bquy\s*(iv|iii|ii|i|[1-4])\b"
    r"((?:\s*(?:,|-|va|den|toi)\s*(?:quy\s*)?(?:iv|iii|ii|i|[1-4])\b)*)"
    r"(?:" + _SEP + _Y + r"\b)?"
)
_HALF = re.compile(r"\b(?:6 thang|06 thang|sau thang|nua)\s*(dau|cuoi)\s*(?:cua\s*)?nam(?:\s*" + _Y + r"\b)?")
_EDGE = re.compile(r"\b(dau|cuoi)\s*nam\s*" + _Y + r"\b")
_DATE_VI = re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*" + _Y + r")?")
_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?:[/.-]" + _Y + r")?(?![\d/])")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})(?!\d)(?:" + _SEP + _Y + r"\b)?")
_MONTH_YEAR = re.compile(r"(?<![\d/.])(\d{1,2})\s*[/-]\s*" + _Y + r"\b")
_YEAR = re.compile(r"\b" + _Y + r"\b")

_CYCLES = [  # (recurrence, pattern), most frequent first
    ("continuous", re.compile(r"\b(?:hang|moi)\s*(?:ngay|tuan)\b")),
    ("monthly", re.compile(r"\b(?:hang|moi|tung)\s*thang\b|\bdinh ky\s*(?:01|1|mot)?\s*thang\b|\bthang\s*lien ke\b")),
    ("quarterly", re.compile(r"\b(?:hang|moi|tung)\s*quy\b|\bdinh ky\s*(?:theo\s*)?quy\b|\b(?:03|3|ba) thang\s*(?:/|mot)\s*lan\b")),
    ("semiannual", re.compile(r"\b(?:dinh ky|hang|moi)\s*(?:06|6|sau) thang\b|\b(?:06|6|sau) thang\s*(?:/|mot)\s*lan\b")),
    ("yearly", re.compile(r"\b(?:hang|moi|tung)\s*nam\b|\bdinh ky\s*(?:hang\s*)?nam\b|\b(?:cac|nhung)\s*nam\s*(?:tiep theo|sau)\b"
                          r"|\bnam\s*lien ke\b")),
]
_CONTINUOUS = re.compile(r"\bthuong xuyen\b|\blien tuc\b")
_UNBROKEN = re.compile(r"\blien tuc\b")
_OPEN_TAIL = re.compile(r"\b(?:cac|nhung)\s*nam\s*(?:tiep theo|sau)\b|\btro di\b|\btro ve sau\b|\bve sau\b")
_DEADLINE = re.compile(r"\b(?:truoc|cham nhat|khong muon hon|khong qua|han chot|han cuoi|hoan thanh truoc)\b")
_CONDITIONAL = re.compile(r"\(?\bneu (?:co|can)\b\)?|\bkhi can\b")
_CONTINUATION = re.compile(r"(?:\.|;|\bva\b|\bvan hanh\b|\bduy tri\b|\bsau do\b)")


def _atoms(t: str) -> list[_Atom]:
    """Find the temporal expressions of a folded text, in order.

    The finders run from the widest expression to the narrowest ("quý II/2026" before
    "2026"); a match is kept only where no earlier one took its characters.
    """
    taken = [False] * len(t)
    out: list[_Atom] = []
    for finder in (_quarter_atoms, _half_atoms, _edge_atoms, _day_atoms, _month_atoms, _month_year_atoms, _year_atoms):
        for m, atom in finder(t):
            if any(taken[m.start() : m.end()]):
                continue
            out.append(atom)
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    out.sort(key=lambda a: a.pos)
    return out


def _year_of(m: re.Match, group: int) -> int | None:
    return int(m.group(group)) if m.group(group) else None


def _quarter_atoms(t: str) -> Iterator[tuple[re.Match, _Atom]]:
    """ "Quý II/2026", "quý I, II năm 2026": the quarters' first to last month."""
    for m in _QUARTER.finditer(t):
        qs = [_ROMAN[m.group(1)]] + [_ROMAN[x] for x in re.findall(r"(iv|iii|ii|i|[1-4])\b", m.group(2) or "")]
        yield m, _Atom(m.start(), m.end(), _year_of(m, 3), 3 * min(qs) - 2, 3 * max(qs))


def _half_atoms(t: str) -> Iterator[tuple[re.Match, _Atom]]:
    """ "6 tháng đầu năm 2026", "6 tháng cuối năm": a half year."""
    for m in _HALF.finditer(t):
        first = m.group(1) == "dau"
        yield m, _Atom(m.start(), m.end(), _year_of(m, 2), 1 if first else 7, 6 if first else 12)


def _edge_atoms(t: str) -> Iterator[tuple[re.Match, _Atom]]:
    """ "đầu năm 2026" / "cuối năm 2026": the first / last quarter."""
    for m in _EDGE.finditer(t):
        first = m.group(1) == "dau"
        yield m, _Atom(m.start(), m.end(), int(m.group(2)), 1 if first else 10, 3 if first else 12)


def _day_atoms(t: str) -> Iterator[tuple[re.Match, _Atom]]:
    """ "ngày 15 tháng 3 năm 2026", "15/3/2026", and "15/02" where the words make it a day."""
    for rx in (_DATE_VI, _DATE):
        for m in rx.finditer(t):
            d, mo = int(m.group(1)), int(m.group(2))
            y = _year_of(m, 3)
            if not (1 <= d <= 31 and 1 <= mo <= 12):
                continue
            if rx is _DATE and not _numeric_is_day(t[: m.start()], y):
                continue
            yield m, _Atom(m.start(), m.end(), y, mo, mo, d)


def _numeric_is_day(before: str, year: int | None) -> bool:
    """Whether "d/m" (or "d/m/yyyy") after the text `before` names a day."""
    if re.search(r"\bthang\s*$", before):
        return False  # "tháng 10-12/2025" is a month range, not a day
    # "15/02" needs a day context; a bare "6/2026"-like token is a month (found by _month_year_atoms)
    return year is not None or bool(re.search(r"(?:ngay|truoc|den|tu|nhat)\s*$", before))


def _month_atoms(t: str) -> Iterator[tuple[re.Match, _Atom]]:
    """ "tháng 6/2026", "tháng 12"."""
    for m in _MONTH.finditer(t):
        mo = int(m.group(1))
        if 1 <= mo <= 12:
            yield m, _Atom(m.start(), m.end(), _year_of(m, 2), mo, mo)


def _month_year_atoms(t: str) -> Iterator[tuple[re.Match, _Atom]]:
    """ "6/2026" without the word "tháng"."""
    for m in _MONTH_YEAR.finditer(t):
        mo = int(m.group(1))
        if 1 <= mo <= 12:
            yield m, _Atom(m.start(), m.end(), int(m.group(2)), mo, mo)


def _year_atoms(t: str) -> Iterator[tuple[re.Match, _Atom]]:
    for m in _YEAR.finditer(t):
        yield m, _Atom(m.start(), m.end(), int(m.group(1)), None, None)


_RANGE_GAP = re.compile(r"^\s*(?:-|den(?:\s*het)?|toi|cho den)\s*(?:nam|thang|ngay|quy)?\s*$")


def _merge_ranges(t: str, atoms: list[_Atom], inherit: bool = True) -> list[tuple[_Atom, _Atom]]:
    """Group atoms into (first, last) spans joined by '-' / 'đến'; inherit missing years."""
    spans: list[list[_Atom]] = []
    for a in atoms:
        if spans and _RANGE_GAP.match(t[spans[-1][-1].endpos : a.pos]):
            spans[-1].append(a)
        else:
            spans.append([a])
    # year inheritance: a month/quarter/day without year takes the next year named, else the previous
    for i, a in enumerate(atoms):
        if inherit and a.year is None and a.m1 is not None:
            nxt = next((b.year for b in atoms[i + 1 :] if b.year is not None), None)
            a.year = nxt
            if a.year is None:
                a.year = next((b.year for b in reversed(atoms[:i]) if b.year is not None), None)
    # "Năm 2026 (Quý II)": a lone whole year that a more precise atom of the same year refines
    precise = {a.year for a in atoms if a.m1 is not None and a.year is not None}
    spans = [s for s in spans if not (len(s) == 1 and s[0].m1 is None and s[0].year in precise)]
    return [(s[0], s[-1]) for s in spans]


def _empty(text: object, recurrence: str = "unknown") -> dict:
    return {
        "recurrence": recurrence,
        "start": None,
        "end": None,
        "due_day_of_year": None,
        "due_day_of_month": None,
        "years": [],
        "before": False,
        "text": text,
    }


def _drop_conditional(t: str) -> str:
    """Remove follow-up clauses marked "(nếu có)" / "nếu cần" when other clauses remain."""
    if not _CONDITIONAL.search(t):
        return t
    parts = re.split(r"(\.\s|;|\bva\b|\n)", t)
    kept: list[str] = []
    for p in parts:
        if _CONDITIONAL.search(p):
            # drop this clause, and a dangling separator before it
            if kept and re.fullmatch(r"\.\s|;|\bva\b|\n", kept[-1]):
                kept.pop()
            continue
        kept.append(p)
    rest = "".join(kept).strip(" ,.;")
    return rest if rest else t


def parse_timeline(text: object, year: int | None = None) -> dict:
    """Parse a timeline cell into the documented structure (see the module docstring).

    Three steps: the recurrence the words name (`_cycle`), the spans of time named
    (`_atoms`, `_merge_ranges`), and the window those spans give (`_window`, `_bounds`).
    `year` is the year the column's title names ("Thời gian (Năm 2026)"): the year of
    dates the cell writes without one, when no cycle makes them recur.
    """
    if text is None:
        text = ""
    t = _prepare(str(text))
    result = _empty(text)
    if not t:
        return result
    cycle, cycle_pos = _cycle(t)
    atoms = _atoms(t)
    if cycle == "monthly":
        result["due_day_of_month"] = _day_of_month(t)
    if year is not None and cycle is None and atoms and all(a.year is None for a in atoms):
        for a in atoms:
            a.year = year
        result["years"] = [year]
    # in a recurring text a yearless day/month is the yearly deadline: it does not borrow a year
    spans = _merge_ranges(t, atoms, inherit=cycle in (None, "once")) if atoms else []
    result["years"] = sorted({a.year for a in atoms if a.year is not None and re.search(str(a.year), t[a.pos : a.endpos])}
                             | set(result["years"]))
    window = _window(t, spans)
    if cycle is not None and _ongoing_after(t, atoms, cycle_pos):
        window.open_end = True
    recurrence = cycle or _dated_recurrence(atoms, spans, window)
    yearless = [a for a in atoms if a.year is None and a.m2 is not None]
    if yearless and recurrence in ("yearly", "unknown"):
        result["due_day_of_year"] = yearless[-1].last_day()
    result["start"], result["end"] = _bounds(window, recurrence)
    result["recurrence"] = recurrence
    result["before"] = window.before
    return result


_DAY_OF_MONTH = re.compile(r"\bngay\s*(\d{1,2})\b(?!\s*(?:/|-|\.|thang))")


def _day_of_month(t: str) -> int | None:
    """The day a monthly deadline names: "Trước ngày 25 hằng tháng" → 25 (not "ngày 25/12")."""
    m = _DAY_OF_MONTH.search(t)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None


def _prepare(raw: str) -> str:
    """The text the steps read: folded, document references and conditional clauses left out."""
    t = _pattern_text(unicodedata.normalize("NFC", raw))
    t = _REF.sub(" ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return _drop_conditional(t)


# --- recurrence ---------------------------------------------------------------------


def _cycle(t: str) -> tuple[str | None, int | None]:
    """The cycle the words name and where: the most frequent named cycle, but "liên tục"
    (without break) beats any, and "thường xuyên" (regularly) counts only alone."""
    recurrence = None
    cycle_pos = None
    for name, rx in _CYCLES:
        m = rx.search(t)
        if m:
            recurrence = name
            cycle_pos = m.start()
            break
    cont = _CONTINUOUS.search(t)
    strong = _UNBROKEN.search(t)
    if strong and recurrence != "continuous":
        recurrence = "continuous"
        cycle_pos = min(strong.start(), cont.start() if cont else strong.start())
    if recurrence is None and cont:
        recurrence = "continuous"
        cycle_pos = cont.start()
    return recurrence, cycle_pos


def _ongoing_after(t: str, atoms: list[_Atom], cycle_pos: int | None) -> bool:
    """A phase followed by ongoing work: "... 2026 - 2027 và vận hành thường xuyên"."""
    if not atoms or cycle_pos is None or cycle_pos <= atoms[-1].endpos:
        return False
    return bool(_CONTINUATION.search(t[atoms[-1].endpos : cycle_pos]))


def _dated_recurrence(atoms: list[_Atom], spans: list[tuple[_Atom, _Atom]], window: _Window) -> str:
    """Without a named cycle: once when dated ("Từ năm 2026" alone: continuous), else unknown."""
    if not any(a.year is not None for a in atoms):
        return "unknown"
    return "continuous" if window.open_start_only and len(spans) == 1 else "once"


# --- window -------------------------------------------------------------------------


@dataclass
class _Window:
    """What the spans say about the dated window."""

    starts: list[_Atom] = field(default_factory=list)
    ends: list[_Atom] = field(default_factory=list)
    before: bool = False  # the wording makes a named point a deadline
    open_end: bool = False  # the window runs on ("Từ năm 2026", "... và các năm tiếp theo")
    open_start_only: bool = False  # a "Từ X" span with no end


def _window(t: str, spans: list[tuple[_Atom, _Atom]]) -> _Window:
    """Sort the spans into starts and ends by the words before them."""
    window = _Window(open_end=bool(_OPEN_TAIL.search(t)))
    for first, last in spans:
        role = _span_role(t, first, last)
        if role in ("from", "after"):
            window.starts.append(first)
            window.open_end = True
            window.open_start_only |= role == "from"
        elif role in ("deadline", "until"):
            window.ends.append(last)
            window.before |= role == "deadline"
        else:
            window.starts.append(first)
            window.ends.append(last)
    if re.search(_DEADLINE.pattern + r"\s*(?:ngay|thang|quy|nam|het|cuoi|\d)", t):
        window.before = True
    return window


def _span_role(t: str, first: _Atom, last: _Atom) -> str:
    """How the words before a single point use it: "from" ("Từ X"), "after" ("Sau X"),
    "deadline" ("Trước X", "Đến X"), "until" ("từ … đến X"); a range or a bare point is a "span"."""
    if first is not last:
        return "span"
    prefix = t[max(0, first.pos - 40) : first.pos]
    prefix_tail = re.sub(r"\b(?:nam|thang|ngay|quy|het|trong|vao|giai doan)\b", " ", prefix).rstrip(" ,:")
    if re.search(r"\b(?:tu|ke tu|bat dau tu|tu sau)\s*$", prefix_tail):
        return "from"
    if re.search(r"\bsau\s*$", prefix_tail):
        return "after"
    if re.search(r"(?:" + _DEADLINE.pattern + r"|\bden\b|\btoi\b)\s*$", prefix_tail):
        if re.search(_DEADLINE.pattern + r"\s*$", prefix_tail) or not re.search(r"\btu\b", prefix):
            return "deadline"
        return "until"
    return "span"


def _bounds(window: _Window, recurrence: str) -> tuple[str | None, str | None]:
    """`start` and `end`: the earliest start and the latest end; no end while the window
    runs on, except a once-task's own deadline ("Trước năm 2027 và vận hành ...")."""
    start_atoms = [a for a in window.starts if a.year is not None]
    end_atoms = [a for a in window.ends if a.year is not None]
    start = min(start_atoms, key=_Atom.start_key).start_str() if start_atoms else None
    end = None
    if end_atoms and (not window.open_end or (not start_atoms and recurrence == "once")):
        end = max(end_atoms, key=_Atom.end_key).end_str()
    return start, end
