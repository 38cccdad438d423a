"""Grid tables → tasks: the rules of the contract, as small pure steps.

    table_rows → find_header → join_table_pieces → drop_non_task_rows
    → merge_page_split_rows → rows_to_tasks → stt_warnings

Both extractors feed these same functions: DOCX tables and PDF table pieces
look alike once they are `Row`s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from phuluc.normalize.column_headers import ColumnMap, header_year, map_columns, match_key
from phuluc.normalize.text import join_continuation
from phuluc.schema import Clean, Line, PlanWarning, Table, Task
from phuluc.schema.grid import OCR_FONT

# Where a cell is drawn: (page, (x0, top, x1, bottom), OCR confidence); kept for review (phuluc serve).
CellBox = tuple[int | None, tuple[float, float, float, float], float | None]


@dataclass
class Row:
    """One grid row with merged cells resolved.

    `values[c]` is the text at column c: a vertically merged cell's text is repeated on
    every row it covers; a horizontally merged cell's text stands at its first column only.
    `span_text[c]` is the covering cell's text even where a horizontal span hides it (for headers).
    """

    values: list[str]
    span_text: list[str]
    cell_ids: list[int | None]
    starts_here: list[bool]  # the covering cell begins in this row (not a vertical continuation)
    page: int | None = None
    boxes: dict[int, list[CellBox]] = field(default_factory=dict)  # column -> where its cell(s) are drawn
    ocr_text: bool = False  # some cell's text is OCR's (a page image read, or an OCR text layer)

    @property
    def full_width(self) -> bool:
        """One cell spans the whole table (a section row)."""
        ids = {i for i in self.cell_ids}
        return len(self.cell_ids) > 1 and len(ids) == 1 and None not in ids and self.values[0] != ""

    def is_empty(self) -> bool:
        return not any(v.strip() for v in self.values)

    def is_ocr(self) -> bool:
        """Some cell of the row was read by OCR (it has a confidence, or an OCR text layer's font)."""
        return self.ocr_text or any(conf is not None for boxes in self.boxes.values() for _, _, conf in boxes)


def table_rows(table: Table, clean: Clean) -> list[Row]:
    """Resolve spans into rows of cleaned text."""
    matrix = table.matrix()
    cleaned: dict[int, str] = {}
    rows: list[Row] = []
    for r, line in enumerate(matrix):
        values: list[str] = []
        span_text: list[str] = []
        ids: list[int | None] = []
        starts: list[bool] = []
        pages: list[int] = []
        boxes: dict[int, list[CellBox]] = {}
        for c, cell in enumerate(line):
            if cell is None:
                values.append("")
                span_text.append("")
                ids.append(None)
                starts.append(False)
                continue
            key = id(cell)
            if key not in cleaned:
                cleaned[key] = clean(cell.text, cell.font)
            text = cleaned[key]
            span_text.append(text)
            values.append(text if cell.col == c else "")
            ids.append(key)
            starts.append(cell.row == r)
            if cell.row == r and cell.page is not None:
                pages.append(cell.page)
            if cell.col == c and cell.bbox is not None:
                boxes[c] = [(cell.page, cell.bbox, cell.conf)]
        page = min(pages) if pages else table.page
        ocr_text = any(cell is not None and cell.font == OCR_FONT for cell in line)
        rows.append(Row(values, span_text, ids, starts, page, boxes, ocr_text))
    return rows


def find_header(rows: list[Row], search: int = 6) -> ColumnMap | None:
    """Find the column-title row(s) near the top and map them to fields.

    Tries one- and two-row headers at each of the first rows; a two-row header
    ("Cơ quan thực hiện" over "Chủ trì | Phối hợp") is used when its lower row
    adds fields. Returns None when no row maps to a task table.
    """
    best: ColumnMap | None = None
    for r in range(min(search, len(rows))):
        upper = rows[r]
        if upper.is_empty():
            continue
        ocr = upper.is_ocr()
        fields, extra = map_columns([[t] for t in upper.span_text], ocr)
        one = ColumnMap(fields, extra, r + 1, [match_key(t) for t in upper.span_text])
        candidate = one if one.is_task_table() else None
        if r + 1 < len(rows):
            lower = rows[r + 1]
            columns = [
                [lower.span_text[c] if lower.starts_here[c] and lower.cell_ids[c] != upper.cell_ids[c] else "", upper.span_text[c]]
                for c in range(len(upper.values))
            ]
            lower_fields, _ = map_columns([[t[0]] for t in columns], ocr)
            if lower_fields and not _looks_like_data(lower):
                fields2, extra2 = map_columns(columns, ocr or lower.is_ocr())
                two = ColumnMap(fields2, extra2, r + 2, [match_key(t[0] or t[1]) for t in columns],
                                [match_key(t) for t in upper.span_text])
                if two.is_task_table() and len(fields2) > len(fields):
                    candidate = two
        if candidate is not None:
            best = candidate
            break
    return best


def _looks_like_data(row: Row) -> bool:
    first = row.values[0].strip() if row.values else ""
    return bool(re.fullmatch(r"\d+[.)]?", first))


_INDEX_CELL = re.compile(r"^\(?\s*\d{1,2}\s*\)?$|^\(?[A-Z]\)?$")


def is_column_index_row(row: Row) -> bool:
    """A row "(1) (2) (3) ..." numbering the columns."""
    filled = [v for v in row.values if v.strip()]
    if len(filled) < 3 or not all(_INDEX_CELL.match(v.strip()) for v in filled):
        return False
    numbers = [int(re.sub(r"\D", "", v)) for v in filled if re.search(r"\d", v)]
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def is_repeated_header(row: Row, cmap: ColumnMap) -> bool:
    """The column-title row again (on a later page or a later piece of the table)."""
    keys = [match_key(t) for t in row.span_text]
    filled = [(k, h) for k, h in zip(keys, cmap.header_keys, strict=False) if k]
    if len(filled) < 2:
        return False
    same = sum(1 for k, h in filled if k == h)
    if same >= max(2, (len(filled) + 1) // 2):
        return True
    if cmap.upper_keys:  # the upper row of a two-row header, repeated
        upper = [(k, u) for k, u in zip(keys, cmap.upper_keys, strict=False) if k]
        if len(upper) >= 3 and sum(1 for k, u in upper if k == u) >= max(3, (len(upper) + 1) // 2):
            return True
    # The lower row of a two-row header repeated alone ("Chủ trì | Phối hợp"): two or more of its
    # fields' columns, each the column's title again (counted first: most rows have none).
    titles = [match_key(v) for v in row.values[: len(cmap.header_keys)]]
    if sum(1 for c, k in enumerate(titles) if k and k == cmap.header_keys[c]) < 2:
        return False
    fields, _ = map_columns([[t] for t in row.span_text])
    return len(fields) >= 2 and all(
        match_key(row.values[c]) and match_key(row.values[c]) == cmap.header_keys[c] for c in fields.values()
    )


@dataclass
class TaskTable:
    """One logical task table: its column map and its data rows from every piece."""

    cmap: ColumnMap
    rows: list[Row] = field(default_factory=list)
    page: int | None = None
    order: int = 0  # position of its first piece in the document flow
    heading: str = ""  # the heading paragraph right above it ("a) Đối với các sở, ban, ngành:")
    appendix: str = ""  # the first line of the appendix it belongs to ("PHỤ LỤC II")


# A heading paragraph above a table: "a) Đối với ...:", "1. ...", "II. ...", short.
_HEADING = re.compile(r"^\(?(?:[a-zđ]|\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5})[.)]\s*\S")


def is_appendix_heading(text: str) -> bool:
    """ "PHỤ LỤC II" (upper case, short) opens an appendix; "(có Phụ lục kèm theo)" does not."""
    letters = [ch for ch in text if ch.isalpha()]
    return match_key(text).startswith("phu luc") and len(text) <= 160 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


@dataclass
class Between:
    """What the running text between two tables says: a heading paragraph, a new appendix."""

    heading: str = ""
    appendix: str = ""


Flow = list[tuple[int, str]]  # the running text as (order, raw text), sorted


def text_between(flow: Flow, start: int, end: int, read: Callable[[str], str]) -> Between:
    """Read the running text with start < order < end; `read` cleans one raw line.

    The heading is the last paragraph before the table (or the one before a
    parenthesised note such as "(Đơn vị tính: ...)"), when it looks like one. Lines
    are cleaned only where needed: a possible "PHỤ LỤC" line and the last two.
    """
    raw = [t for o, t in flow if start < o < end and t.strip()]
    found = Between()
    for k, text in enumerate(raw):
        if match_key(text).replace(" ", "").startswith("phuluc") and is_appendix_heading(read(text)):
            found.appendix, raw = read(text), raw[k + 1:]
    texts = [read(t) for t in raw[-2:]]
    tail = texts[-2:] if texts and texts[-1].startswith("(") else texts[-1:]
    if tail and _HEADING.match(tail[0]) and len(tail[0]) <= 200 and not is_appendix_heading(tail[0]):
        found.heading = tail[0]
    return found


def join_table_pieces(
    tables: list[Table], clean: Clean, flow: Flow | None = None, read: Callable[[str], str] | None = None
) -> list[TaskTable]:
    """Pick the task tables by their headers and join the pieces of each.

    A piece continues the current task table when it repeats the same header, or
    has no header but the same number of columns and follows it directly (a table
    split by the author or by a page break) — for PDF pieces, on the same column rules.
    Other tables (page header, signature, cost tables) break the chain and give no tasks.
    A heading paragraph or a new appendix between two pieces ("b) Đối với các xã,
    phường:", "PHỤ LỤC II") starts a new task table even with the same columns.
    """
    out: list[TaskTable] = []
    current: TaskTable | None = None
    n_cols = 0
    last: Table | None = None
    appendix = ""
    for table in tables:
        rows = table_rows(table, clean)
        between = text_between(flow or [], last.order if last else -1, table.order, read or (lambda t: clean(t, "")))
        appendix = between.appendix or appendix
        if not rows:
            continue
        cmap = find_header(rows)
        new_part = bool(between.heading or between.appendix)
        if cmap is not None and cmap.is_task_table():
            if current is not None and not new_part and table.n_cols == n_cols and _same_header(cmap, current.cmap):
                current.rows.extend(rows[cmap.header_rows:])
            else:
                current = TaskTable(cmap, rows[cmap.header_rows:], table.page, table.order, between.heading, appendix)
                out.append(current)
                n_cols = table.n_cols
        elif current is not None and table.n_cols == n_cols and _same_columns(last, table):
            if new_part and between.heading:  # the same columns under a new heading: the next list
                current = TaskTable(current.cmap, rows, table.page, table.order, between.heading, appendix)
                out.append(current)
            else:
                current.rows.extend(rows)
        else:
            current = None
        last = table
    return out


def _same_header(a: ColumnMap, b: ColumnMap) -> bool:
    """The same header again: the same keys, or the same fields and extra columns where a cell of it
    reads differently (a line-less page puts the tail of a cut row under its repeated header). The
    first piece's header stays the table's, so every task carries the same extra keys."""
    return a.header_keys == b.header_keys or (a.fields == b.fields and a.extra.keys() == b.extra.keys())


def _same_columns(a: Table | None, b: Table, tol: float = 3.0) -> bool:
    """Headerless pieces continue a PDF table only on the same column rules (x within `tol`)."""
    if a is None or not a.col_edges or not b.col_edges or len(a.col_edges) != len(b.col_edges):
        return True
    return all(abs(x - y) <= tol for x, y in zip(a.col_edges, b.col_edges, strict=True))


def drop_non_task_rows(rows: list[Row], cmap: ColumnMap) -> list[Row]:
    """Drop empty rows, repeated header rows and column-index rows."""
    return [r for r in rows if not (r.is_empty() or is_column_index_row(r) or is_repeated_header(r, cmap))]


_ROMAN = re.compile(r"^(?=[IVXLC])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})[.)]?$")
_LETTER = re.compile(r"^[A-ZĐ][.)]?$")


def section_title(row: Row, cmap: ColumnMap) -> str | None:
    """The section a row opens, or None when the row is a task.

    A single cell across the whole table is a section ("I. CÔNG TÁC TUYÊN TRUYỀN").
    So is a row whose STT is a Roman numeral or capital letter with only the task
    text filled ("I | KIỆN TOÀN ..."); "2 | Chuẩn bị ..., trong đó:" stays a task.
    """
    if row.full_width:
        return row.values[0]
    stt_col = cmap.fields.get("stt")
    task_col = cmap.fields.get("task")
    if task_col is None:
        return None
    stt = row.values[stt_col].strip() if stt_col is not None else ""
    task = row.values[task_col].strip()
    others = [row.values[c] for f, c in cmap.fields.items() if f not in ("stt", "task")]
    others += [row.values[c] for c in cmap.extra]
    if any(v.strip() for v in others) or not task:
        return None
    if stt and (_ROMAN.match(stt) or _LETTER.match(stt)):
        sep = " " if stt[-1] in ".)" else ". "
        return stt + sep + task
    if not stt and stt_col is not None and _is_heading_text(task):
        return task
    return None


def _is_heading_text(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


_ENDS_SENTENCE = re.compile(r"[.:;!?…]\s*$")
_BULLET_START = re.compile(r"^[-+•–]\s")


def _is_continuation(prev: Row, row: Row, cmap: ColumnMap) -> bool:
    """Does `row` (first on a new page, blank STT) only continue `prev`'s cut cells?"""
    task_col = cmap.fields.get("task")
    text = row.values[task_col].strip() if task_col is not None else ""
    if text and (text[0].islower() or text[0] in ",;:.)"):
        return True
    own_all = [c for c, v in enumerate(row.values) if v.strip() and row.starts_here[c]]
    if _BULLET_START.match(text) and own_all and set(own_all) <= {c for c, v in enumerate(prev.values) if v.strip()}:
        return True  # "- next point" of a cut cell: a new task would number itself
    cols = [c for f, c in cmap.fields.items() if f != "stt"] + list(cmap.extra)
    own = [c for c in cols if row.values[c].strip() and row.starts_here[c]]
    prev_filled = [c for c in cols if prev.values[c].strip()]
    # Every cell cut mid-sentence: most of them go on in small letters ("năm", "phương").
    cont = [c for c in own if row.values[c].strip()[0].islower() or row.values[c].strip()[0] in ",;:.)"]
    if own and 2 * len(cont) >= len(own) and set(own) <= set(prev_filled):
        return True
    # A parent row ("5 | Dự án ... Hồ Chí" / "Minh, trong đó:") cut mid-sentence: only the task
    # text on both sides, and the text on the first page stops without a full stop or colon.
    if task_col is not None and own == [task_col] == prev_filled and not _ENDS_SENTENCE.search(prev.values[task_col]):
        return True
    # A cut row continues only some of its cells; a new task fills the same cells anew.
    return bool(own) and len(own) < len(prev_filled) and set(own) <= set(prev_filled)


def _cut_vertical_merges(out: list[Row], row: Row, nxt: Row | None) -> list[int]:
    """Columns where `row`, first on a new page, holds an empty cell that continues a
    vertically merged cell of the previous page: the merge was cut by the break (PDF draws
    the rest empty) and its text belongs to the rows the empty cell covers. Either the cell
    above already spans rows, or the empty cell does (nobody merges empty cells)."""
    prev = out[-1]
    cols = []
    for c, cell_id in enumerate(row.cell_ids):
        first = c == 0 or cell_id != row.cell_ids[c - 1]
        if cell_id is None or not first or not row.starts_here[c] or row.values[c].strip() or not prev.values[c].strip():
            continue
        merged = (
            not prev.starts_here[c]
            or (len(out) > 1 and out[-2].cell_ids[c] == prev.cell_ids[c])
            or (nxt is not None and nxt.cell_ids[c] == cell_id)
        )
        if merged:
            cols.append(c)
    return cols


_GLUED_MARK = re.compile(r"^((?:[IVXLC]{1,6}|[A-ZĐ])\.)(?=[^\W\d])")
_SECTION_MARK = re.compile(r"^(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,2})[.)]\s")


def _cut_section_title(prev: Row, row: Row, cmap: ColumnMap) -> bool:
    """Is `row`, a one-cell section row first on a new page, the end of the section title that
    ended the page before ("... DOANH" / "NGHIỆP", a title cut by the page break)? It has no
    numbering of its own; a new section would ("III. ...")."""
    if row.page is None or prev.page is None or row.page <= prev.page or not (prev.full_width and row.full_width):
        return False
    text = section_title(row, cmap) or ""
    return bool(text.strip()) and section_title(prev, cmap) is not None and not _SECTION_MARK.match(text)


def merge_page_split_rows(rows: list[Row], cmap: ColumnMap) -> tuple[list[Row], list[PlanWarning]]:
    """Merge a row cut by a page break back into one.

    The continuation is the first row on the new page, its STT blank, and it carries
    on the previous row's text (see `_is_continuation`). Cells merged vertically
    across the break carry the same cell and are not joined twice.
    """
    out: list[Row] = []
    warnings: list[PlanWarning] = []
    stt_col = cmap.fields.get("stt")
    carried: dict[int | None, str] = {}  # cell on a new page -> whole text of the vertical merge it continues
    for k, row in enumerate(rows):
        prev = out[-1] if out else None
        if prev is not None and row.page is not None and prev.page is not None and row.page > prev.page:
            for c in _cut_vertical_merges(out, row, rows[k + 1] if k + 1 < len(rows) else None):
                carried[row.cell_ids[c]] = prev.values[c]
        if prev is not None and _cut_section_title(prev, row, cmap):
            title = join_continuation(section_title(prev, cmap) or "", section_title(row, cmap) or "")
            out[-1] = Row([title] * len(prev.values), [title] * len(prev.values), prev.cell_ids, prev.starts_here,
                          prev.page, prev.boxes, prev.ocr_text or row.ocr_text)
            continue
        blank_stt = stt_col is None or not row.values[stt_col].strip() or not row.starts_here[stt_col]
        if (
            prev is not None
            and row.page is not None
            and prev.page is not None
            and row.page > prev.page
            and blank_stt
            and section_title(prev, cmap) is None
            and section_title(row, cmap) is None  # a section row at the top of a page opens a section
            and _is_continuation(prev, row, cmap)
        ):
            values = list(prev.values)
            for c, v in enumerate(row.values):
                if row.starts_here[c] and row.cell_ids[c] != prev.cell_ids[c]:
                    values[c] = join_continuation(values[c], v)
                    if v.strip():  # a merged cell cut mid-text: the rows it goes on to cover read it whole
                        carried[row.cell_ids[c]] = values[c]
            boxes = {c: prev.boxes.get(c, []) + [b for b in row.boxes.get(c, []) if b not in prev.boxes.get(c, [])]
                     for c in prev.boxes.keys() | row.boxes.keys()}
            out[-1] = Row(values, prev.span_text, prev.cell_ids, prev.starts_here, prev.page, boxes,
                          prev.ocr_text or row.ocr_text)
            warnings.append(PlanWarning("page-split-merged", f"a row cut by the page break after page {prev.page} was merged", row.page))
            continue
        if carried and any(i in carried for i in row.cell_ids):
            values = [
                carried[i] if i in carried and (not own or not v.strip()) else v
                for i, v, own in zip(row.cell_ids, row.values, row.starts_here, strict=True)
            ]
            row = Row(values, row.span_text, row.cell_ids, row.starts_here, row.page, row.boxes, row.ocr_text)
        out.append(row)
    return out, warnings


def spanning_origins(row: Row, cmap: ColumnMap) -> dict[int, int]:
    """Columns that take their text from a cell spanning them: {column: the cell's first column}.

    A cell spanning several columns gives its text to each column it covers
    ("Theo phân công tại Quyết định số 1441/QĐ-UBND" across Chủ trì and Phối hợp is the
    lead and the partners), as a vertically merged cell does to each row. Not a cell that
    starts in the STT or task column: a task text stretched over empty side cells is a
    parent row ("2 | Chuẩn bị ..., trong đó:"), whose timeline and agencies are empty.
    """
    keep = {cmap.fields.get("stt"), cmap.fields.get("task")}
    origins: dict[int, int] = {}
    origin = 0
    for c in range(1, len(row.values)):
        if row.cell_ids[c] is None or row.cell_ids[c] != row.cell_ids[c - 1]:
            origin = c
        elif origin not in keep and not row.values[c]:
            origins[c] = origin
    return origins


def rows_to_tasks(rows: list[Row], cmap: ColumnMap, section: str = "") -> tuple[list[Task], list[bool]]:
    """Section rows set `section`; every other row is a task.

    Also returns, per task, whether its STT cell starts on its row (False where a
    vertically merged STT is repeated), so that repeats are not taken for duplicates.
    """
    tasks: list[Task] = []
    own_stt: list[bool] = []
    stt_col = cmap.fields.get("stt")
    timeline_col = cmap.fields.get("timeline")
    year = header_year(cmap.header_keys[timeline_col]) if timeline_col is not None else None
    for row in rows:
        title = section_title(row, cmap)
        if title is not None:
            if row.is_ocr():  # OCR drops the space after a section's mark ("C.BỘ CÔNG THƯƠNG")
                title = _GLUED_MARK.sub(r"\1 ", title)
            section = title or section  # a row with no text never closes the section
            continue
        task = Task(section=section, page=row.page, timeline_year=year)
        origins = spanning_origins(row, cmap)
        source = {col: origins.get(col, col) for col in [*cmap.fields.values(), *cmap.extra]}
        for name, col in cmap.fields.items():
            setattr(task, name, row.values[source[col]])
        task.extra = {label: row.values[source[col]] for col, label in sorted(cmap.extra.items())}
        task.boxes = {name: row.boxes.get(source[col], []) for name, col in cmap.fields.items()}
        task.boxes.update({label: row.boxes.get(source[col], []) for col, label in cmap.extra.items()})
        tasks.append(task)
        own_stt.append(stt_col is None or row.starts_here[stt_col])
    return tasks, own_stt


# A cell read by OCR whose least sure word is under this confidence (Tesseract's 0-100) gets a
# `low-confidence` warning. On samples-scans, cells under 80 are 14% of the cells and hold 58%
# of the cells that differ from the golden file (benchmarks/ocr_speed_RESULTS.md).
LOW_CONFIDENCE = 80.0


def low_confidence_warnings(rows: list[Row], cmap: ColumnMap, confs: dict[int | None, float]) -> list[PlanWarning]:
    """One warning per task cell read by OCR under LOW_CONFIDENCE: the task's STT, the field, the confidence."""
    warnings: list[PlanWarning] = []
    stt_col = cmap.fields.get("stt")
    columns = [(name, col) for name, col in cmap.fields.items()] + [(label, col) for col, label in sorted(cmap.extra.items())]
    for row in rows:
        if section_title(row, cmap) is not None:
            continue
        stt = row.values[stt_col] if stt_col is not None else ""
        for name, col in columns:
            conf = confs.get(row.cell_ids[col]) if row.starts_here[col] else None
            if conf is not None and conf < LOW_CONFIDENCE and row.values[col].strip():
                warnings.append(PlanWarning("low-confidence", f"STT {stt or '?'}, {name}: OCR confidence {conf:.0f}", row.page))
    return warnings


_INT = re.compile(r"^(\d{1,3})[.)]?$")


def stt_warnings(tasks: list[Task], own_stt: list[bool]) -> list[PlanWarning]:
    """Warn where plain STT numbers skip or repeat (the STT itself is never changed)."""
    warnings: list[PlanWarning] = []
    prev: int | None = None
    prev_text = ""
    seen: dict[tuple[str, str], int] = {}
    for task, own in zip(tasks, own_stt, strict=True):
        m = _INT.match(task.stt.strip())
        if not own or not m:
            continue
        n = int(m.group(1))
        key = (task.section, m.group(1))
        if key in seen:
            warnings.append(PlanWarning("stt-duplicate", f"STT {task.stt} appears twice", task.page))
        seen[key] = n
        if prev is not None and n > prev + 1 and n != 1:
            warnings.append(PlanWarning("stt-gap", f"STT {prev_text} is followed by {task.stt}", task.page))
        prev, prev_text = n, task.stt
    return warnings


def tables_to_tasks(
    tables: list[Table], clean: Clean, lines: list[Line] | None = None
) -> tuple[list[Task], list[PlanWarning], TaskTable | None]:
    """All task tables of a document → tasks and warnings; also the first task table (for the title).

    `lines` (the running text, for headings and appendices between tables) is optional:
    without it every table is read as if it stood alone.
    """
    tasks: list[Task] = []
    warnings: list[PlanWarning] = []
    flow = [(ln.order, ln.text) for ln in paragraph_lines(lines or [])]
    fonts = {ln.text: ln.font for ln in lines or []}

    @functools.cache
    def read(text: str) -> str:
        return " ".join(clean(text, fonts.get(text, "")).split())

    joined = join_table_pieces(tables, clean, flow, read)
    confs: dict[int | None, float] = {id(c): c.conf for t in tables for c in t.cells if c.conf is not None}  # cells read by OCR
    several_appendices = len({tt.appendix for tt in joined}) > 1 or count_appendices(flow, read) > 1
    headed = sum(1 for tt in joined if tt.heading) > 1  # several lists, each under its heading
    for tt in joined:
        rows = drop_non_task_rows(tt.rows, tt.cmap)
        rows, merged = merge_page_split_rows(rows, tt.cmap)
        warnings += merged
        own_sections = any(section_title(r, tt.cmap) is not None for r in rows)
        section = tt.heading if headed and not own_sections else ""
        table_tasks, own_stt = rows_to_tasks(rows, tt.cmap, section)
        warnings += stt_warnings(table_tasks, own_stt)
        if confs:
            warnings += low_confidence_warnings(rows, tt.cmap, confs)
        for task in table_tasks:
            task.appendix = tt.appendix if several_appendices else ""
        tasks += table_tasks
    return tasks, warnings, (joined[0] if joined else None)


def paragraph_lines(lines: list[Line]) -> list[Line]:
    """One line per paragraph, in document order: the first of the pieces that share an order
    (a paragraph split by tab stops, issuer | motto, gives several lines)."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda ln: ln.order):
        if not out or ln.order != out[-1].order:
            out.append(ln)
    return out


def count_appendices(flow: Flow, read: Callable[[str], str]) -> int:
    """How many appendices the document holds: its distinct "PHỤ LỤC …" heading lines."""
    heads = {read(t) for _, t in flow if match_key(t).replace(" ", "").startswith("phuluc")}
    return len({match_key(t) for t in heads if is_appendix_heading(t)})
