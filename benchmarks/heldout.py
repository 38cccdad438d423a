"""Held-out benchmark: appendices made differently from the samples, scored with phuluc's qa scorer per producer.

    python benchmarks/heldout.py                      # generate into /tmp/phuluc-heldout (if absent), convert, score
    python benchmarks/heldout.py --out DIR --regenerate --seed 7
    python benchmarks/heldout.py --only scan-200,ocr-layer --markdown RESULTS.md

Generation (`heldout_data.py`, `heldout_render.py`): ~12 appendices with real task rows from plans the
samples do not use, each drawn by several producers:

- `docx`: the Word file itself (python-docx, ruled table);
- `word-ruled`: that DOCX printed to PDF by LibreOffice;
- `word-lineless`: the same table with every border off, printed by LibreOffice;
- `chromium-lineless`: an HTML table without borders printed by headless Chromium;
- `reportlab-lineless`: text drawn at column positions by reportlab, no lines at all;
- `scan-200`, `scan-300`: the ruled PDFs rendered by pypdfium2, leaning 0.3–2°, noise, JPEG q60–85, a red seal
  over the signature or a table corner, saved as image-only PDFs (a few short documents only: OCR is slow);
- `ocr-layer`: the same scans with Tesseract's text layer (`tesseract list out -l vie pdf`).

Every file has `<stem>.golden.json` beside it, written from the generator's data. Each producer folder is converted
with `phuluc convert --jobs 1` (so its report gives seconds and pages per file) and every output is scored with
`phuluc.qa.score_document`: cells exact, rows found (golden rows aligned to an output row), errors and crashes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import heldout_render as render  # noqa: E402
from heldout_data import Appendix, make_appendices  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "eval" / "real" / "text_appendix"
if not TEXTS.is_dir():
    TEXTS = Path("/work/shared/eval/real/text_appendix")
PRODUCERS = ("docx", "word-ruled", "word-lineless", "chromium-lineless", "reportlab-lineless",
             "scan-200", "scan-300", "ocr-layer")
SCAN_DOCS = 6  # documents scanned (3 at 200 dpi, 3 at 300 dpi), each ≤ 3 pages: OCR is slow on 2 shared cores
CRASH_MARKERS = ("Error:", "Error(", "Exception", "Traceback", "worker-died", "timeout")


def _write_golden(app: Appendix, folder: Path, file_name: str) -> None:
    stem = Path(file_name).stem
    (folder / f"{stem}.golden.json").write_text(
        json.dumps(app.golden(file_name), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(pdf)))


def generate(out: Path, seed: int) -> dict:
    """Write every producer's files and golden files under OUT/<producer>/; returns a manifest."""
    apps = make_appendices(TEXTS, seed)
    shutil.rmtree(out, ignore_errors=True)  # no file of an earlier generation may stay
    dirs = {p: out / p for p in PRODUCERS}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="heldout-"))
    manifest: dict = {"seed": seed, "documents": {}, "scans": []}
    for app in apps:
        name = app.name
        render.write_docx(app, dirs["docx"] / f"{name}.docx", ruled=True)
        _write_golden(app, dirs["docx"], f"{name}.docx")
        ruled = render.soffice_pdf(dirs["docx"] / f"{name}.docx", dirs["word-ruled"])
        _write_golden(app, dirs["word-ruled"], ruled.name)
        render.write_docx(app, work / f"{name}.docx", ruled=False)
        render.soffice_pdf(work / f"{name}.docx", dirs["word-lineless"])
        _write_golden(app, dirs["word-lineless"], f"{name}.pdf")
        render.chromium_pdf(app, dirs["chromium-lineless"] / f"{name}.pdf")
        _write_golden(app, dirs["chromium-lineless"], f"{name}.pdf")
        render.reportlab_pdf(app, dirs["reportlab-lineless"] / f"{name}.pdf")
        _write_golden(app, dirs["reportlab-lineless"], f"{name}.pdf")
        tasks = sum("cells" in r for r in app.rows)
        manifest["documents"][name] = {"layout": app.layout.name, "tasks": tasks, "pages": _page_count(ruled),
                                       "columns": len(app.layout.headers), "signature": app.signature}
        print(f"{name}: {tasks} tasks, {manifest['documents'][name]['pages']} pages", flush=True)
    _generate_scans(apps, out, dirs, work, seed, manifest)
    shutil.rmtree(work, ignore_errors=True)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def _generate_scans(apps: list[Appendix], out: Path, dirs: dict, work: Path, seed: int, manifest: dict) -> None:
    """Scan the short ruled PDFs (one of 2–3 pages at least, for rows cut by a page break)."""
    rng = random.Random(seed)
    short = [a for a in apps if manifest["documents"][a.name]["pages"] <= 3]
    multi = [a for a in short if manifest["documents"][a.name]["pages"] >= 2]
    chosen = (multi[:2] + [a for a in short if a not in multi[:2]])[:SCAN_DOCS]
    for k, app in enumerate(chosen):
        dpi = 200 if k % 2 == 0 else 300
        seal = "signature" if app.signature else "corner"
        quality = rng.randint(60, 85)
        images = render.scan_pages(dirs["word-ruled"] / f"{app.name}.pdf", dpi, rng, seal)
        folder = dirs[f"scan-{dpi}"]
        jpgs = render.write_scan(images, dpi, quality, folder / f"{app.name}.pdf", work)
        _write_golden(app, folder, f"{app.name}.pdf")
        render.ocr_layer_pdf(jpgs, dirs["ocr-layer"] / f"{app.name}.pdf", work)
        _write_golden(app, dirs["ocr-layer"], f"{app.name}.pdf")
        angles = [round(a, 2) for _, a in images]
        manifest["scans"].append({"document": app.name, "dpi": dpi, "jpeg_quality": quality, "seal": seal,
                                  "lean_degrees": angles, "pages": len(images)})
        print(f"scan {app.name}: {dpi} dpi, q{quality}, seal {seal}, lean {angles}", flush=True)


@dataclass
class ProducerScore:
    producer: str
    files: int = 0
    pages: int = 0
    seconds: float = 0.0
    cells: int = 0
    exact: int = 0
    rows_expected: int = 0
    rows_matched: int = 0
    errors: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    fields: dict = field(default_factory=dict)


def _phuluc() -> list[str]:
    exe = Path(sys.executable).with_name("phuluc")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "phuluc"]


def score_producer(folder: Path, results: Path, timeout: float) -> ProducerScore:
    """Convert the folder with `phuluc convert --jobs 1` and score each output against its golden file."""
    from phuluc.qa import score_document

    ps = ProducerScore(folder.name)
    res = results / folder.name
    shutil.rmtree(res, ignore_errors=True)
    subprocess.run([*_phuluc(), "convert", str(folder), "-o", str(res), "--jobs", "1", "--timeout", str(timeout),
                    "--force", "-q"], capture_output=True, text=True)
    report = json.loads((res / "report.json").read_text(encoding="utf-8"))
    rows = {Path(r["input"]).name: r for r in report["files"]}
    for golden in sorted(folder.glob("*.golden.json")):
        expected = json.loads(golden.read_text(encoding="utf-8"))
        name = expected["source"]
        row = rows.get(name, {"status": "error", "code": "missing", "reason": "not in report.json"})
        ps.files += 1
        ps.pages += row.get("pages") or 0
        ps.seconds += row.get("seconds") or 0.0
        got = None
        if row.get("status") != "error":
            got = json.loads((res / f"{Path(name).stem}.json").read_text(encoding="utf-8"))
        else:
            reason = f"{name}: {row.get('code')}: {row.get('reason')}"
            crash = any(m in f"{row.get('code')} {row.get('reason')}" for m in CRASH_MARKERS)
            (ps.crashes if crash else ps.errors).append(reason)
        ds = score_document(expected, got, input=name, golden=golden.name,
                            error=(row.get("code", ""), row.get("reason", "")))
        ps.cells += ds.cells
        ps.exact += ds.exact
        ps.rows_expected += ds.rows_expected
        ps.rows_matched += ds.rows_matched
        for fname, fs in ds.fields.items():
            agg = ps.fields.setdefault(fname, [0, 0])
            agg[0] += fs.exact
            agg[1] += fs.cells
        ps.documents.append({"file": name, "score": round(ds.score * 100, 1), "rows": f"{ds.rows_matched}/"
                             f"{ds.rows_expected} (+{ds.rows_got - ds.rows_matched} extra)",
                             "status": row.get("status"), "code": row.get("code", ""),
                             "problems": [p.message for p in ds.problems[:6]]})
    return ps


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}" if b else "–"


def markdown(scores: list[ProducerScore], commit: str) -> str:
    lines = [f"Measured on `{commit}`.", "",
             "| producer | files | pages | cells exact % | rows found % | errors | crashes | s/page |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in scores:
        per_page = f"{s.seconds / s.pages:.2f}" if s.pages else "–"
        lines.append(f"| {s.producer} | {s.files} | {s.pages} | {_pct(s.exact, s.cells)} | "
                     f"{_pct(s.rows_matched, s.rows_expected)} | {len(s.errors)} | {len(s.crashes)} | {per_page} |")
    lines += ["", "Per field (exact %):", "", "| producer | " + " | ".join(_FIELDS) + " |",
              "| --- |" + " ---: |" * len(_FIELDS)]
    for s in scores:
        lines.append(f"| {s.producer} | " + " | ".join(_pct(*s.fields.get(f, [0, 0])) for f in _FIELDS) + " |")
    return "\n".join(lines) + "\n"


_FIELDS = ("stt", "section", "task", "timeline", "lead", "partners", "extra", "issuer", "number", "date", "title")


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/phuluc-heldout"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--regenerate", action="store_true", help="generate again even if OUT exists")
    ap.add_argument("--only", default="", help="comma-separated producers to score (default: all)")
    ap.add_argument("--timeout", type=float, default=600.0, help="phuluc's time limit per file")
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = ap.parse_args(argv)
    if args.regenerate or not (args.out / "manifest.json").exists():
        generate(args.out, args.seed)
    only = [p for p in args.only.split(",") if p] or list(PRODUCERS)
    scores = []
    for producer in only:
        t0 = time.perf_counter()
        s = score_producer(args.out / producer, args.out / "results", args.timeout)
        scores.append(s)
        print(f"{producer}: {_pct(s.exact, s.cells)}% cells, {_pct(s.rows_matched, s.rows_expected)}% rows, "
              f"{len(s.errors)} errors, {len(s.crashes)} crashes ({time.perf_counter() - t0:.0f} s)", flush=True)
    commit = _commit()
    table = markdown(scores, commit)
    print(table)
    data = {"commit": commit, "producers": [s.__dict__ for s in scores]}
    (args.out / "scores.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
