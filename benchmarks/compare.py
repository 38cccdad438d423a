"""phuluc against plain table extractors, on the same sample PDFs and DOCX files, scored by `phuluc qa`'s scorer.

    bash benchmarks/setup_peers.sh          # each peer in its own venv: benchmarks/.venvs/<peer>
    python benchmarks/compare.py            # prints the table, writes benchmarks/RESULTS.md (refuses without the peers)

Each tool runs in a subprocess (the peers in their venvs, phuluc in this environment) through a small script in
benchmarks/peers/ that prints its raw tables as JSON; every file is extracted --repeat times. The definitions of
the columns are in RESULTS.md (DEFINITIONS below).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

from unidecode import unidecode

from phuluc.qa import comparable_text, field_text, score_document

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORE = ("stt", "task", "timeline", "lead", "partners")

# tool → (venv name or None for this environment, runner script, formats it reads)
TOOLS = {
    "phuluc": (None, "phuluc_tasks.py", ("pdf", "docx")),
    "pdfplumber": ("pdfplumber", "pdfplumber_tables.py", ("pdf",)),
    "camelot": ("camelot", "camelot_tables.py", ("pdf",)),
    "tabula": ("tabula", "tabula_tables.py", ("pdf",)),
    "pymupdf": ("pymupdf", "pymupdf_tables.py", ("pdf",)),
    "python-docx": ("python-docx", "python_docx_tables.py", ("docx",)),
}
LABELS = {
    "phuluc": "phuluc",
    "pdfplumber": "pdfplumber `extract_tables()`",
    "camelot": "Camelot (lattice)",
    "tabula": "Tabula (lattice)",
    "pymupdf": "PyMuPDF `find_tables()`",
    "python-docx": "python-docx tables",
}

# Column titles of task tables (CONTRACT.md's header variants and the samples'), compared without diacritics.
HEADER_TITLES = {
    "stt", "tt", "so tt", "nhiem vu cu the", "nhiem vu", "noi dung", "noi dung nhiem vu", "noi dung cong viec",
    "nhiem vu, giai phap", "ten nhiem vu", "noi dung/nhiem vu", "noi dung thuc hien", "thoi gian thuc hien",
    "thoi gian hoan thanh", "thoi han", "tien do", "thoi gian du kien", "co quan chu tri", "don vi chu tri",
    "chu tri", "co quan, don vi chu tri", "co quan phoi hop", "don vi phoi hop", "phoi hop", "don vi thuc hien",
    "co quan thuc hien", "san pham", "san pham du kien", "san pham dau ra", "ket qua du kien", "nguon kinh phi",
    "ghi chu",
}
HEADER_WORDS = {re.sub(r"\s+", "", h) for h in HEADER_TITLES}
INDEX_CELL = re.compile(r"^\(?\d{1,2}\)?$")


# --- running the tools ---------------------------------------------------------------------------


def missing_reason(tool: str) -> str:
    """Why a peer cannot run ("" when its venv is ready; phuluc always runs here)."""
    venv = TOOLS[tool][0]
    if venv is None:
        return ""
    failed = HERE / ".venvs" / f"{venv}.failed"
    if failed.exists():
        return (failed.read_text(errors="replace").strip().splitlines()[-1:] or ["its install failed"])[0]
    if not (HERE / ".venvs" / venv / "bin" / "python").exists():
        return "not installed: run benchmarks/setup_peers.sh"
    return ""


def run_tool(tool: str, files: list[Path], repeat: int) -> dict:
    venv, script, _ = TOOLS[tool]
    python = Path(sys.executable) if venv is None else HERE / ".venvs" / venv / "bin" / "python"
    reason = missing_reason(tool)
    if reason:
        return {"not_installed": True, "reason": reason}
    cmd = [str(python), str(HERE / "peers" / script), "--repeat", str(repeat), *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=3600)
    if proc.returncode != 0:
        return {"not_installed": False, "crashed": True, "reason": proc.stderr.strip().splitlines()[-1:] or ["crashed"]}
    return json.loads(proc.stdout)


# --- peers' raw tables → task rows ---------------------------------------------------------------


def column_fields(table: list[list[str]], golden_values: dict[str, set[str]]) -> dict[int, str]:
    """Which field each column position of a raw table holds, as in the document's own column order.

    Found by matching each column's cells against the golden values of each field and assigning the best pairs:
    the most favourable positional reading a peer can get (no row is dropped, merged or edited).
    """
    width = max((len(r) for r in table), default=0)
    fit = Counter()
    for row in table:
        for c, value in enumerate(row):
            v = comparable_text(value)
            for f in CORE:
                if v and v in golden_values[f]:
                    fit[c, f] += 1
    mapping: dict[int, str] = {}
    for (c, f), n in sorted(fit.items(), key=lambda kv: -kv[1]):
        if n and c not in mapping and f not in mapping.values() and c < width:
            mapping[c] = f
    return mapping


def table_rows(tables: list[list[list[str]]], golden: dict, tool: str) -> list[dict]:
    if tool == "phuluc":  # its one table is already stt, task, timeline, lead, partners
        return [dict(zip(CORE, row, strict=True)) for t in tables for row in t]
    golden_values = {f: {field_text(t, f) for t in golden["tasks"]} - {""} for f in CORE}
    rows = []
    for table in tables:
        mapping = column_fields(table, golden_values)
        for row in table:
            task = dict.fromkeys(CORE, "")
            for c, f in mapping.items():
                task[f] = row[c] if c < len(row) else ""
            task["_cells"] = row
            rows.append(task)
    return rows


def is_header_row(cells: list[str]) -> bool:
    """A column-title row (≥2 cells that are column titles) or a column-index row "(1) (2) (3) …"."""
    texts = [re.sub(r"\s+", "", unidecode(comparable_text(c))).lower().strip(":") for c in cells]
    texts = [t for t in texts if t]
    titles = sum(t in HEADER_WORDS for t in set(texts))
    index = len(texts) >= 3 and all(INDEX_CELL.match(t) for t in texts)
    return titles >= 2 or index


def repeated_headers(rows: list[list[str]]) -> int:
    """Header-like rows after the first header block (the first run of header-like rows: both rows of a
    two-level header and a column-index row belong to it)."""
    flags = [is_header_row(r) for r in rows]
    if True not in flags:
        return 0
    k = flags.index(True)
    while k < len(flags) and flags[k]:
        k += 1
    return sum(flags[k:])


# --- what the document holds ---------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", comparable_text(text))


def split_rows(path: Path, golden: dict) -> set[int]:
    """Golden rows (0-based) that a page break cuts in two.

    Read from the ruled tables of the PDF (pdfplumber, as drawn): a golden task text that begins with a cell of
    the last row on one page and ends with a cell of the first non-header row on the next page.
    """
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            pages = [[t for t in page.extract_tables() if t] for page in pdf.pages]
    except Exception:
        return set()
    texts = [_squash(field_text(t, "task")) for t in golden["tasks"]]
    found = set()
    for before, after in zip(pages, pages[1:], strict=False):
        if not before or not after:
            continue
        last = [_squash(c or "") for c in before[-1][-1]]
        body = [r for r in after[0] if not is_header_row([c or "" for c in r])]
        if not body:
            continue
        first = [_squash(c or "") for c in body[0]]
        for i, text in enumerate(texts):
            head = any(len(c) >= 4 and c != text and text.startswith(c) for c in last)
            tail = any(len(c) >= 4 and c != text and text.endswith(c) for c in first)
            if head and tail:
                found.add(i)
    return found


def page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    twin = path.with_suffix(".pdf")
    if twin.exists():
        return page_count(twin)
    try:
        app = zipfile.ZipFile(path).read("docProps/app.xml").decode("utf-8", "replace")
        return int(re.search(r"<Pages>(\d+)</Pages>", app).group(1))
    except (KeyError, AttributeError, zipfile.BadZipFile):
        return 1


def words(text: str) -> list[str]:
    return [w.strip(".,;:()“”\"'!?-–") for w in text.split()]


def vietnamese_words(golden: dict) -> Counter:
    """Words with a non-ASCII letter in the golden's core fields."""
    out = Counter()
    for t in golden["tasks"]:
        for f in CORE:
            out.update(w for w in words(field_text(t, f)) if w and not w.isascii())
    return out


# --- scoring -------------------------------------------------------------------------------------


def score_tool(tool: str, run: dict, docs: dict[Path, dict], splits: dict[Path, set[int]]) -> dict:
    by_path = {Path(f["path"]).resolve(): f for f in run["files"]}
    out = {"cells": 0, "exact": 0, "rows": 0, "rows_exact": 0, "split": 0, "split_merged": 0, "viet": 0,
           "viet_found": 0, "seconds": 0.0, "pages": 0, "errors": [], "headers": {}, "per_doc": {}}
    for path, golden in docs.items():
        f = by_path[path]
        if f["error"]:
            out["errors"].append(f"{path.name}: {f['error']}")
            ds = score_document(golden, None, error=("convert-error", f["error"]), fields=CORE, doc_fields=())
            rows = []
        else:
            rows = table_rows(f["tables"], golden, tool)
            ds = score_document(golden, {"tasks": rows}, fields=CORE, doc_fields=())
        out["cells"] += ds.cells
        out["exact"] += ds.exact
        out["rows"] += ds.rows_expected
        out["rows_exact"] += ds.rows_exact
        out["per_doc"][path.name] = ds.exact / ds.cells if ds.cells else 1.0
        exact_task = {i for i, j in ds.pairs if i is not None and j is not None
                      and comparable_text(rows[j]["task"]) == field_text(golden["tasks"][i], "task")}
        out["split"] += len(splits[path])
        out["split_merged"] += len(splits[path] & exact_task)
        raw = Counter(w for table in f["tables"] for row in table for c in row for w in words(c))
        need = vietnamese_words(golden)
        out["viet"] += sum(need.values())
        out["viet_found"] += sum(min(n, raw[w]) for w, n in need.items())
        cells_rows = [r.get("_cells", [r[k] for k in CORE]) for r in rows]
        out["headers"][path] = repeated_headers(cells_rows)
        if f["seconds"]:
            out["seconds"] += statistics.median(f["seconds"])
            out["pages"] += page_count(path)
    return out


def pct(n: float, d: float) -> str:
    return "—" if not d else f"{100 * n / d:.1f}%"


DEFINITIONS = """\
- **cell exact match**: the `phuluc qa` scorer (`phuluc.qa.score_document`) on the five core fields
  (stt, task, timeline, lead, partners) of every task row of the golden files: task rows aligned by an
  order-keeping best match on the task text; a cell is exact when equal to the golden after NFC and white-space
  folding; a missing or an extra row counts as five wrong cells, a file the tool fails on as all its cells wrong.
  Exact cells / all cells. The document fields (issuer, number, date, title), `section` and `extra` are left out
  of this comparison because the peers do not produce them; phuluc's score on all fields is `phuluc qa samples/`.
  Peers' raw tables are read **by column position**: every table the tool returns, in order, every row kept (the
  page-header table, column-title rows, section rows and both halves of a row split by a page break all become
  rows); column k of a table is given the field that column k holds in the document, found by matching that
  column's cells against the golden values (the most favourable positional reading, so the peers get no
  penalty for the documents' varying column order). Text inside a cell is used as the tool gives it.
- **rows right**: golden task rows whose aligned output row has all five core fields exact.
- **split rows merged**: PDF only. Golden task rows whose task text starts on one page and ends on the next
  (found in the PDF's page text), given by the tool as one row with the whole task text exact. DOCX has no pages: "—".
- **repeated headers dropped**: the column-title rows printed again on later pages or over a continuation table
  (with their column-index rows "(1) (2) …"): a tool's header-like rows (≥2 cells that are column titles of
  CONTRACT.md's header table, compared without diacritics or spaces, or ≥3 cells "(n)") after its first run of
  header-like rows. The number printed in the document is taken as the most any tool emitted for it; the share
  of those not emitted as rows. "—" when no tool emitted a repeat. (The first header is not counted here; a
  peer's first header row is an extra row in the cell score.)
- **Vietnamese intact**: words with a non-ASCII letter in the golden core fields, found byte-exact (NFC,
  as in the golden) among the words of the tool's raw output for that document. Broken spacing ("nhữ ng"),
  NFD text and undecoded legacy fonts lose words here.
- **pages/s**: pages of the files / the sum over files of the median (over --repeat runs) of the time to extract
  one file, measured inside the tool's process around the extraction call (interpreter start and imports
  excluded). A DOCX's pages are its PDF twin's. **peak MiB**: the peak resident memory of that process
  (VmHWM), imports included. Tabula runs its Java in process through jpype1 (installed in its venv), so its
  memory includes the JVM, and the JVM's start falls in the first run, which the median leaves out. Camelot
  reads pages through pypdfium2 (its default backend).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default=str(ROOT / "samples"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--allow-missing", action="store_true",
                        help="run without the peers that are not installed (the table says which are missing)")
    args = parser.parse_args(argv)
    missing = {tool: why for tool in TOOLS if (why := missing_reason(tool))}
    if missing and not args.allow_missing:
        # A phuluc-only table written over RESULTS.md would read as a comparison that did not happen.
        print("compare.py: peers not installed: " + "; ".join(f"{t} ({why})" for t, why in missing.items())
              + ". Run benchmarks/setup_peers.sh, or pass --allow-missing with --out OTHER.md.", file=sys.stderr)
        return 2
    if missing and Path(args.out).resolve() == (HERE / "RESULTS.md").resolve():
        print("compare.py: with peers missing, write elsewhere than benchmarks/RESULTS.md (--out OTHER.md)",
              file=sys.stderr)
        return 2

    samples = Path(args.samples).resolve()
    docs: dict[str, dict[Path, dict]] = {"pdf": {}, "docx": {}}
    for path in sorted(samples.iterdir()):
        golden = path.with_name(f"{path.stem}.golden.json")
        if path.suffix in (".pdf", ".docx") and golden.exists():
            docs[path.suffix[1:]][path] = json.loads(golden.read_text(encoding="utf-8"))
    splits = {p: (split_rows(p, g) if p.suffix == ".pdf" else set()) for kind in docs for p, g in docs[kind].items()}

    results: dict[str, dict[str, dict]] = {}
    not_installed: dict[str, str] = {}
    for tool, (_, _, formats) in TOOLS.items():
        for kind in formats:
            if not docs[kind]:
                continue
            print(f"running {tool} on {len(docs[kind])} {kind.upper()} files ×{args.repeat}", file=sys.stderr)
            run = run_tool(tool, list(docs[kind]), args.repeat)
            if "files" not in run:
                not_installed[tool] = ("could not be installed: " if run.get("not_installed") else "crashed: ") + str(
                    run["reason"])
                continue
            scored = score_tool(tool, run, docs[kind], splits)
            scored["version"], scored["peak"] = run["version"], run["peak_rss_mib"]
            results.setdefault(kind, {})[tool] = scored

    header = ("format", "tool", "cell exact match", "rows right", "split rows merged", "repeated headers dropped",
              "Vietnamese intact", "pages/s", "peak MiB")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    firsts = []
    for kind, tools in results.items():
        printed = {p: max(r["headers"][p] for r in tools.values()) for p in docs[kind]}
        repeats = sum(printed.values())
        best = max(tools, key=lambda t: tools[t]["exact"] / max(tools[t]["cells"], 1))
        firsts.append((kind, best))
        for tool, r in sorted(tools.items(), key=lambda kv: -kv[1]["exact"] / max(kv[1]["cells"], 1)):
            kept = sum(r["headers"].values())
            split = "—" if kind == "docx" else f"{pct(r['split_merged'], r['split'])} ({r['split_merged']}/{r['split']})"
            speed = f"{r['pages'] / r['seconds']:.1f}" if r["seconds"] else "—"
            lines.append("| " + " | ".join([
                kind.upper(), f"{LABELS[tool]} {r['version']}",
                f"{pct(r['exact'], r['cells'])} ({r['exact']}/{r['cells']})",
                f"{pct(r['rows_exact'], r['rows'])} ({r['rows_exact']}/{r['rows']})",
                split,
                f"{pct(repeats - kept, repeats)} ({repeats - kept}/{repeats})" if repeats else "—",
                pct(r["viet_found"], r["viet"]), speed, f"{r['peak']:.0f}",
            ]) + " |")
    table = "\n".join(lines)
    print(table)

    per_doc = []
    for kind, tools in results.items():
        names = list(tools)
        per_doc.append(f"\n**{kind.upper()}** (cell exact match per document)\n")
        per_doc.append("| document | " + " | ".join(names) + " |")
        per_doc.append("|---|" + "---|" * len(names))
        for p in docs[kind]:
            per_doc.append(f"| {p.name} | " + " | ".join(pct(tools[t]["per_doc"][p.name], 1) for t in names) + " |")
    errors = [f"- {t} ({k.upper()}): {e}" for k, tools in results.items() for t, r in tools.items() for e in r["errors"]]

    cpu = platform.processor() or platform.machine()
    try:
        model = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                     if ln.startswith("model name"))
        cpu = model
    except (OSError, StopIteration):
        pass
    first_line = "; ".join(f"{k.upper()}: {LABELS[t]}" for k, t in firsts)
    text = f"""# phuluc against plain table extractors

Produced by one run of `python benchmarks/compare.py --repeat {args.repeat}` on {dt.date.today().isoformat()},
on {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}.
Inputs: the {sum(len(d) for d in docs.values())} files of `samples/` that have a golden file
({len(docs['pdf'])} PDF, {len(docs['docx'])} DOCX). Peers installed by `benchmarks/setup_peers.sh`, each in its own venv.
Could not be installed or run: {", ".join(f"{t} ({why})" for t, why in not_installed.items()) or "none"}.

First in cell exact match — {first_line}.

{table}

## Columns

{DEFINITIONS}
## Per document
{chr(10).join(per_doc)}

## Files a tool failed on

{chr(10).join(errors) or "none"}
"""
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"\nwritten to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
