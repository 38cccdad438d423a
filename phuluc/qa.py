"""Quality check against golden files: `phuluc qa FOLDER`.

Every document in a folder that has a `<stem>.golden.json` beside it is
converted and compared with it, cell by cell:

- task rows are aligned by an order-keeping best match on the `task` text (a
  dynamic-programming alignment over a word-level similarity), so one missing
  or extra row does not shift every later row;
- each field of an aligned row, and each document field, is one cell; it is
  exact when both sides are equal after NFC and white-space folding;
- a missing or an extra row counts as one wrong cell per field; a document that
  fails to convert counts as all its cells wrong.

The score is exact cells / all cells. Problems are data with stable codes
(`PROBLEM_CODES`), printed for people (`format_text`), as JSON (`to_dict`) and
as one HTML page (`phuluc.qa_html.render_html`).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

TASK_FIELDS = ("stt", "section", "task", "timeline", "lead", "partners", "extra", "appendix")
DOC_FIELDS = ("issuer", "number", "date", "title", "plan_title")
# Fields added in the second round are scored only where the golden file has them, so that
# golden files written before them stay valid (and do not count a new field as wrong).
ADDED_FIELDS = frozenset({"appendix", "plan_title"})
MIN_ROW_SIMILARITY = 0.5  # below this two rows are never aligned

PROBLEM_CODES = {
    "missing-row": "a task row of the golden file is not in the output",
    "extra-row": "the output has a task row that the golden file does not have",
    "field-mismatch": "a field of an aligned row, or a document field, differs from the golden file",
    "convert-error": "the document could not be converted: all its cells count as wrong",
    "bad-golden": "the golden file cannot be read as JSON: all the document's cells count as wrong",
}


class QaError(Exception):
    """The quality check cannot run (bad folder)."""


_WS = re.compile(r"\s+")


def comparable_text(text: Any) -> str:
    """The text as compared: Unicode NFC, every run of white space one space, trimmed."""
    if text is None:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def field_text(row: dict, name: str) -> str:
    """One field of a task row (or of the document fields) as folded text; `extra` as "key: value; …"."""
    value = row.get(name, "")
    if isinstance(value, dict):
        return "; ".join(f"{comparable_text(k)}: {comparable_text(v)}" for k, v in sorted(value.items(), key=lambda kv: comparable_text(kv[0])))
    return comparable_text(value)


def similarity(a: str, b: str) -> float:
    """Character similarity in [0, 1] (difflib ratio, no junk heuristic)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _row_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Word-level similarity of two task texts, for alignment (fast, and sharper than characters)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    sm = SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < MIN_ROW_SIMILARITY or sm.quick_ratio() < MIN_ROW_SIMILARITY:
        return 0.0
    return sm.ratio()


def _row_words(row: dict) -> list[str]:
    words = field_text(row, "task").lower().split()
    if not words:  # a row without task text is known by its other cells
        words = " ".join(field_text(row, f) for f in ("stt", "timeline", "lead", "partners")).lower().split()
    return words


def align_rows(expected: Sequence[dict], got: Sequence[dict]) -> list[tuple[int | None, int | None]]:
    """Order-keeping best match of two lists of task rows on their task text.

    Returns pairs (expected index, got index) in order; None on one side marks a
    missing or an extra row. Maximizes the summed similarity of the aligned pairs
    (an LCS-like dynamic programme), never aligning rows less similar than
    MIN_ROW_SIMILARITY.
    """
    n, m = len(expected), len(got)
    ew = [_row_words(r) for r in expected]
    gw = [_row_words(r) for r in got]
    sim = [[_row_similarity(ew[i], gw[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = sim[i][j]
            take = best[i + 1][j + 1] + s if s >= MIN_ROW_SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        s = sim[i][j]
        if s >= MIN_ROW_SIMILARITY and math.isclose(best[i][j], best[i + 1][j + 1] + s):
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)]
    pairs += [(None, k) for k in range(j, m)]
    return pairs


def char_diff(expected: str, got: str) -> list[tuple[str, str]]:
    """The differing characters: segments ("=", text), ("-", only expected), ("+", only got)."""
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, expected, got, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("=", expected[i1:i2]))
            continue
        if i2 > i1:
            segments.append(("-", expected[i1:i2]))
        if j2 > j1:
            segments.append(("+", got[j1:j2]))
    return segments


def diff_markup(segments: Sequence[tuple[str, str]], context: int | None = 30) -> str:
    """`[-deleted-]{+inserted+}` markup; equal runs longer than 2×context are cut to "…"."""
    out = []
    last = len(segments) - 1
    for k, (op, text) in enumerate(segments):
        if op == "-":
            out.append(f"[-{text}-]")
        elif op == "+":
            out.append(f"{{+{text}+}}")
        elif context is None or len(text) <= 2 * context + 1:
            out.append(text)
        elif k == 0:
            out.append("…" + text[-context:])
        elif k == last:
            out.append(text[:context] + "…")
        else:
            out.append(text[:context] + "…" + text[-context:])
    return "".join(out)


@dataclass
class Problem:
    """One thing that differs from the golden file. `code` is stable (PROBLEM_CODES)."""

    code: str
    message: str
    document: str
    row: int | None = None  # 1-based row in the golden file
    got_row: int | None = None  # 1-based row in the output
    stt: str = ""
    field: str = ""
    expected: str = ""
    got: str = ""
    similarity: float | None = None
    diff: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if v not in (None, "", [])}
        if self.diff:
            d["diff"] = [list(s) for s in self.diff]
            d["markup"] = diff_markup(self.diff, context=None)
        return d


@dataclass
class FieldScore:
    cells: int = 0
    exact: int = 0
    similarity_sum: float = 0.0

    def add(self, exact: bool, sim: float) -> None:
        self.cells += 1
        self.exact += int(exact)
        self.similarity_sum += sim

    def merge(self, other: FieldScore) -> None:
        self.cells += other.cells
        self.exact += other.exact
        self.similarity_sum += other.similarity_sum

    @property
    def rate(self) -> float | None:
        return self.exact / self.cells if self.cells else None

    @property
    def similarity(self) -> float | None:
        return self.similarity_sum / self.cells if self.cells else None

    def to_dict(self) -> dict[str, Any]:
        return {"cells": self.cells, "exact": self.exact, "rate": _round(self.rate), "similarity": _round(self.similarity)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


@dataclass
class DocumentScore:
    """The comparison of one document with its golden file."""

    input: str
    golden: str
    status: str = "ok"  # "ok" (converted and compared) or "error"
    reason: str = ""
    rows_expected: int = 0
    rows_got: int = 0
    rows_matched: int = 0
    rows_exact: int = 0  # aligned rows with every field exact
    fields: dict[str, FieldScore] = dataclasses.field(default_factory=dict)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    pairs: list[tuple[int | None, int | None]] = dataclasses.field(default_factory=list)

    @property
    def cells(self) -> int:
        return sum(f.cells for f in self.fields.values())

    @property
    def exact(self) -> int:
        return sum(f.exact for f in self.fields.values())

    @property
    def score(self) -> float:
        return self.exact / self.cells if self.cells else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "golden": self.golden,
            "status": self.status,
            "reason": self.reason,
            "score": _round(self.score),
            "cells": self.cells,
            "exact": self.exact,
            "rows": {
                "expected": self.rows_expected,
                "got": self.rows_got,
                "matched": self.rows_matched,
                "exact": self.rows_exact,
                "missing": self.rows_expected - self.rows_matched,
                "extra": self.rows_got - self.rows_matched,
            },
            "fields": {name: f.to_dict() for name, f in self.fields.items()},
            "problems": [p.to_dict() for p in self.problems],
        }


def _stt_label(stt: str) -> str:
    return f" (STT {stt})" if stt else ""


def score_document(
    expected: dict,
    got: dict | None,
    *,
    input: str = "",
    golden: str = "",
    error: tuple[str, str] | None = None,
    fields: Sequence[str] = TASK_FIELDS,
    doc_fields: Sequence[str] = DOC_FIELDS,
) -> DocumentScore:
    """Compare one converted document (`to_dict()` shape) with its golden dict.

    `got=None` with `error=(code, reason)` scores a document that failed: all
    its cells are wrong. `fields` / `doc_fields` choose what is scored (the
    benchmark scores the five core fields only).
    """
    name = input or golden or expected.get("source", "")
    exp_tasks = expected.get("tasks", []) or []
    exp_doc = expected.get("document", {}) or {}
    fields = tuple(f for f in fields if f not in ADDED_FIELDS or any(f in t for t in exp_tasks))
    doc_fields = tuple(f for f in doc_fields if f not in ADDED_FIELDS or f in exp_doc)
    ds = DocumentScore(input=input, golden=golden, rows_expected=len(exp_tasks))
    ds.fields = {f: FieldScore() for f in (*fields, *doc_fields)}
    if got is None:
        code, reason = error or ("convert-error", "no output")
        ds.status, ds.reason = "error", reason
        for _ in exp_tasks:
            for f in fields:
                ds.fields[f].add(False, 0.0)
        for f in doc_fields:
            ds.fields[f].add(False, 0.0)
        ds.problems.append(Problem(code, f"{name}: {reason}", name))
        return ds

    got_tasks = got.get("tasks", []) or []
    got_doc = got.get("document", {}) or {}
    ds.rows_got = len(got_tasks)
    for f in doc_fields:
        e, g = field_text(exp_doc, f), field_text(got_doc, f)
        _compare_cell(ds, name, f, e, g, None, None, "")

    ds.pairs = align_rows(exp_tasks, got_tasks)
    for i, j in ds.pairs:
        if i is not None and j is not None:
            ds.rows_matched += 1
            e_row, g_row = exp_tasks[i], got_tasks[j]
            stt = field_text(e_row, "stt")
            all_exact = True
            for f in fields:
                all_exact &= _compare_cell(ds, name, f, field_text(e_row, f), field_text(g_row, f), i + 1, j + 1, stt)
            ds.rows_exact += int(all_exact)
        elif i is not None:
            _unmatched_row(ds, name, fields, exp_tasks[i], "missing-row", expected_row=i + 1)
        else:
            _unmatched_row(ds, name, fields, got_tasks[j], "extra-row", got_row=j + 1)
    return ds


def _unmatched_row(ds: DocumentScore, name: str, fields: Sequence[str], row: dict, code: str, *,
                   expected_row: int | None = None, got_row: int | None = None) -> None:
    """A golden row missing from the output, or an output row not in the golden file: one wrong cell per field."""
    stt = field_text(row, "stt")
    for f in fields:
        ds.fields[f].add(False, 0.0)
    text = field_text(row, "task")
    if code == "missing-row":
        message = f"{name}: row {expected_row}{_stt_label(stt)} is missing: {_short(text)}"
    else:
        message = f"{name}: output row {got_row}{_stt_label(stt)} is not in the golden file: {_short(text)}"
    ds.problems.append(Problem(code, message, name, row=expected_row, got_row=got_row, stt=stt, field="task",
                               expected=text if code == "missing-row" else "", got=text if code == "extra-row" else ""))


def _compare_cell(ds: DocumentScore, name: str, f: str, e: str, g: str, row: int | None, got_row: int | None, stt: str) -> bool:
    exact = e == g
    sim = 1.0 if exact else similarity(e, g)
    ds.fields[f].add(exact, sim)
    if not exact:
        where = f"row {row}{_stt_label(stt)}, {f}" if row is not None else f"document {f}"
        diff = char_diff(e, g)
        ds.problems.append(Problem(
            "field-mismatch", f"{name}: {where}: {diff_markup(diff)}", name,
            row=row, got_row=got_row, stt=stt, field=f, expected=e, got=g, similarity=round(sim, 4), diff=diff,
        ))
    return exact


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class QaReport:
    """The comparison of every document of a folder with its golden file."""

    folder: str
    documents: list[DocumentScore] = dataclasses.field(default_factory=list)
    without_golden: list[str] = dataclasses.field(default_factory=list)
    min_score: float = 100.0  # percent

    @property
    def cells(self) -> int:
        return sum(d.cells for d in self.documents)

    @property
    def exact(self) -> int:
        return sum(d.exact for d in self.documents)

    @property
    def score(self) -> float:
        return self.exact / self.cells if self.cells else 0.0

    @property
    def passed(self) -> bool:
        return bool(self.documents) and self.exact * 100 >= self.min_score * self.cells

    def field_totals(self) -> dict[str, FieldScore]:
        totals: dict[str, FieldScore] = {}
        for d in self.documents:
            for name, f in d.fields.items():
                totals.setdefault(name, FieldScore()).merge(f)
        return totals

    def to_dict(self) -> dict[str, Any]:
        docs = self.documents
        return {
            "folder": self.folder,
            "score": _round(self.score),
            "min_score": self.min_score / 100,
            "passed": self.passed,
            "totals": {
                "documents": len(docs),
                "errors": sum(d.status == "error" for d in docs),
                "cells": self.cells,
                "exact": self.exact,
                "rows_expected": sum(d.rows_expected for d in docs),
                "rows_got": sum(d.rows_got for d in docs),
                "rows_matched": sum(d.rows_matched for d in docs),
                "rows_exact": sum(d.rows_exact for d in docs),
                "problems": sum(len(d.problems) for d in docs),
            },
            "fields": {name: f.to_dict() for name, f in self.field_totals().items()},
            "documents": [d.to_dict() for d in docs],
            "without_golden": self.without_golden,
            "problem_codes": PROBLEM_CODES,
        }


def percent(x: float | None) -> str:
    """A rate as a percent with two decimals that never rounds up to 100% (99.996% shows as 99.99%)."""
    if x is None:
        return "–"
    value = round(x * 100, 2)
    if x < 1 and value >= 100:
        value = 99.99
    return f"{value:.2f}%"


def format_text(report: QaReport) -> str:
    """The report for people: one line per document, then every problem with its diff."""
    lines = []
    width = max([len(d.input) for d in report.documents] + [10])
    for d in report.documents:
        state = "ERROR" if d.status == "error" else ""
        lines.append(
            f"{d.input:<{width}}  {percent(d.score):>8}  rows {d.rows_matched}/{d.rows_expected} aligned"
            f" (got {d.rows_got}), cells {d.exact}/{d.cells} exact {state}".rstrip()
        )
    problems = [p for d in report.documents for p in d.problems]
    if problems:
        lines.append("")
        lines.append(f"{len(problems)} problem(s) ([-expected-]{{+got+}}):")
        for p in problems:
            lines.append(f"  {p.code}: {p.message}")
            if p.code == "field-mismatch":
                lines.append(f"      expected: {_short(p.expected, 200)}")
                lines.append(f"      got:      {_short(p.got, 200)}")
    if report.without_golden:
        lines.append("")
        lines.append(f"{len(report.without_golden)} document(s) without a golden file (not checked; see --write-golden):")
        lines += [f"  {p}" for p in report.without_golden]
    lines.append("")
    verdict = "ok" if report.passed else "FAILED"
    lines.append(
        f"Score: {percent(report.score)} of {report.cells} cells exact in {len(report.documents)} document(s)"
        f" (minimum {report.min_score:g}%): {verdict}"
    )
    return "\n".join(lines)


# --- running on a folder -------------------------------------------------------------------------


def golden_path(path: Path) -> Path:
    """The golden file of an input: `<stem>.golden.json` beside it (shared by a PDF and its DOCX twin)."""
    return path.with_name(f"{path.stem}.golden.json")


def _inputs(folder: Path) -> list[Path]:
    from phuluc.batch import find_inputs

    if not folder.is_dir():
        raise QaError(f"{folder}: not a folder")
    return [inp.path for inp in find_inputs([folder])]


def _convert(path: Path, settings) -> tuple[dict | None, tuple[str, str] | None]:
    from phuluc.pipeline import convert
    from phuluc.schema.errors import PhulucError

    try:
        return convert(path, settings).to_dict(), None
    except PhulucError as e:
        return None, (getattr(e, "code", "convert-error"), e.message)


def run_qa(folder: str | Path, settings=None, min_score: float = 100.0) -> QaReport:
    """Convert every document of FOLDER (recursively) that has a golden file and compare it."""
    folder = Path(folder)
    report = QaReport(folder=str(folder), min_score=min_score)
    for path in _inputs(folder):
        gp = golden_path(path)
        if not gp.exists():
            report.without_golden.append(str(path))
            continue
        try:
            expected = json.loads(gp.read_text(encoding="utf-8"))
            if not isinstance(expected, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as e:
            reason = f"golden file {gp.name} cannot be read: {e}"
            report.documents.append(score_document({}, None, input=str(path), golden=str(gp), error=("bad-golden", reason)))
            continue
        got, error = _convert(path, settings)
        if error is not None:
            error = ("convert-error", f"{error[1]} ({error[0]})")
        report.documents.append(score_document(expected, got, input=str(path), golden=str(gp), error=error))
    return report


def save_report(report: QaReport, json_path: str | Path | None = None, html_path: str | Path | None = None) -> None:
    """Write the report as JSON and/or as one HTML page (`phuluc.qa_html.render_html`)."""
    from phuluc.qa_html import render_html
    from phuluc.writers import atomic_write_bytes, write_json

    for path, write in ((json_path, lambda p: write_json(p, report.to_dict())),
                        (html_path, lambda p: atomic_write_bytes(p, render_html(report).encode("utf-8")))):
        if path is None:
            continue
        try:
            write(Path(path))
        except (FileExistsError, NotADirectoryError):
            raise QaError(f"cannot write {path}: a part of its folder path is a file, not a folder") from None
        except OSError as e:
            raise QaError(f"cannot write {path}: {e.strerror or e}") from None


@dataclass
class GoldenWrite:
    input: str
    golden: str
    action: str  # "wrote", "overwrote", "kept" (exists, no --force), "shared" (twin already wrote it), "error"
    tasks: int = 0
    reason: str = ""


def write_goldens(folder: str | Path, settings=None, force: bool = False) -> list[GoldenWrite]:
    """Write `<stem>.golden.json` from the current output for documents that have none (all with force).

    A PDF and its DOCX twin share one golden file: the first of them (in sorted
    order) writes it. The files are for a person to check by hand before adding them.
    """
    from phuluc.writers import write_json

    done: set[Path] = set()
    results = []
    for path in _inputs(Path(folder)):
        gp = golden_path(path)
        if gp in done:
            results.append(GoldenWrite(str(path), str(gp), "shared"))
            continue
        existed = gp.exists()
        if existed and not force:
            results.append(GoldenWrite(str(path), str(gp), "kept"))
            continue
        got, error = _convert(path, settings)
        if got is None:
            results.append(GoldenWrite(str(path), str(gp), "error", reason=f"{error[1]} ({error[0]})"))
            continue
        write_json(gp, got)
        done.add(gp)
        results.append(GoldenWrite(str(path), str(gp), "overwrote" if existed else "wrote", tasks=len(got["tasks"])))
    return results
