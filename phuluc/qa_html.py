"""The `phuluc qa --html FILE` report: one self-contained page a person opens in a browser.

A summary table (a row per document, a column per field, the exact-match rate
coloured green at 100%, amber from 90%, red below), then every problem with
the differing characters marked as <del>expected</del><ins>got</ins>.
"""

from __future__ import annotations

from html import escape

from phuluc.qa import PROBLEM_CODES, FieldScore, QaReport, percent

AMBER_FROM = 0.90

CSS = """
body { font-family: system-ui, "Segoe UI", "Noto Sans", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 20px 0 6px; overflow-wrap: anywhere; }
.verdict { font-size: 16px; margin: 6px 0 16px; } .ok { color: #1a7f37; } .failed { color: #b42318; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 4px 7px; vertical-align: top; }
th { background: #f6f8fa; text-align: left; }
td.rate { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.green { background: #dafbe1; } td.amber { background: #fff1c2; } td.red { background: #ffd7d5; }
td.none { color: #8c959f; text-align: center; } td.doc { overflow-wrap: anywhere; max-width: 340px; }
tr.total td { font-weight: 600; border-top: 2px solid #8c959f; }
table.diffs { width: 100%; } table.diffs td.text { white-space: pre-wrap; }
del { background: #ffd7d5; color: #82071e; text-decoration: line-through; }
ins { background: #abf2bc; color: #044f1e; text-decoration: none; }
code { background: #f6f8fa; padding: 0 3px; }
.muted { color: #57606a; }
"""


def _rate_cell(f: FieldScore | None, title: str = "") -> str:
    if f is None or f.rate is None:
        return '<td class="rate none">–</td>'
    colour = "green" if f.exact == f.cells else "amber" if f.rate >= AMBER_FROM else "red"
    tip = f"{f.exact}/{f.cells} exact, similarity {percent(f.similarity)}"
    return f'<td class="rate {colour}" title="{escape(title + tip)}">{percent(f.rate)}</td>'


def _diff_html(segments) -> str:
    out = []
    for op, text in segments:
        t = escape(text)
        out.append(f"<del>{t}</del>" if op == "-" else f"<ins>{t}</ins>" if op == "+" else t)
    return "".join(out)


def _summary_rows(report: QaReport, names: list[str]) -> list[str]:
    """One row per document (rates per field), then the total row."""
    totals = report.field_totals()
    rows = []
    for d in report.documents:
        overall = FieldScore(d.cells, d.exact, 0.0)
        cells = "".join(_rate_cell(d.fields.get(n)) for n in names)
        status = ' <span class="failed">(error)</span>' if d.status == "error" else ""
        rows.append(
            f'<tr><td class="doc">{escape(d.input)}{status}</td>{_rate_cell(overall)}'
            f'<td class="rate">{d.rows_matched}/{d.rows_expected} (+{d.rows_got - d.rows_matched})</td>{cells}</tr>'
        )
    all_cells = FieldScore(report.cells, report.exact, 0.0)
    matched = sum(d.rows_matched for d in report.documents)
    expected = sum(d.rows_expected for d in report.documents)
    extra = sum(d.rows_got - d.rows_matched for d in report.documents)
    rows.append(
        f'<tr class="total"><td>all documents</td>{_rate_cell(all_cells)}'
        f'<td class="rate">{matched}/{expected} (+{extra})</td>{"".join(_rate_cell(totals[n]) for n in names)}</tr>'
    )
    return rows


def _problem_row(p) -> str:
    where = f"row {p.row}" if p.row else f"output row {p.got_row}" if p.got_row else "document"
    if p.stt:
        where += f" (STT {escape(p.stt)})"
    if p.code == "field-mismatch":
        body, sim = _diff_html(p.diff), percent(p.similarity)
    elif p.code == "missing-row":
        body, sim = f"<del>{escape(p.expected)}</del>", ""
    elif p.code == "extra-row":
        body, sim = f"<ins>{escape(p.got)}</ins>", ""
    else:
        body, sim = escape(p.message), ""
    return (f"<tr><td><code>{escape(p.code)}</code></td><td>{escape(where)}</td><td>{escape(p.field)}</td>"
            f'<td class="text">{body}</td><td class="rate">{sim}</td></tr>')


def _problem_sections(report: QaReport) -> list[str]:
    """A table of differences per document that has any."""
    sections = [
        f"<h3>{escape(d.input)}</h3>"
        '<table class="diffs"><tr><th>code</th><th>where</th><th>field</th>'
        "<th>expected → got (<del>only expected</del> <ins>only got</ins>)</th><th>similarity</th></tr>"
        + "".join(_problem_row(p) for p in d.problems) + "</table>"
        for d in report.documents if d.problems
    ]
    return sections or ['<p class="ok">No differences: every cell matches its golden file.</p>']


def render_html(report: QaReport) -> str:
    """The whole report as one self-contained HTML page."""
    names = list(report.field_totals())
    verdict_class = "ok" if report.passed else "failed"
    verdict = "passed" if report.passed else "FAILED"
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    rows = _summary_rows(report, names)
    sections = _problem_sections(report)
    skipped = ""
    if report.without_golden:
        skipped = (
            f"<h2>Not checked ({len(report.without_golden)} without a golden file)</h2><ul>"
            + "".join(f"<li>{escape(p)}</li>" for p in report.without_golden) + "</ul>"
        )
    codes = "".join(f"<li><code>{escape(c)}</code>: {escape(t)}</li>" for c, t in PROBLEM_CODES.items())
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>phuluc qa: {escape(report.folder)}</title>
<style>{CSS}</style></head><body>
<h1>phuluc qa: {escape(report.folder)}</h1>
<p class="verdict {verdict_class}" id="verdict">Score {percent(report.score)} ({report.exact}/{report.cells} cells exact,
{len(report.documents)} documents, minimum {report.min_score:g}%): <b>{verdict}</b></p>
<h2>Summary</h2>
<table id="summary"><tr><th>document</th><th>all cells</th><th>rows aligned (+extra)</th>{head}</tr>
{"".join(rows)}</table>
<p class="muted">Exact-match rate per field after NFC and white-space folding; hover a cell for counts and the
mean character similarity. Green: 100%, amber: from {AMBER_FROM:.0%}, red: below.</p>
<h2>Differences</h2>
<div id="diffs">{"".join(sections)}</div>
{skipped}
<h2>Problem codes</h2><ul>{codes}</ul>
</body></html>
"""
