"""Convert many files: find inputs, name outputs, convert each, report.

One bad file never stops the batch: it gets a status, a reason and a row in
`report.json`, and the others are converted and written.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from phuluc.pipeline import Settings, convert
from phuluc.schema import PlanDocument
from phuluc.schema.errors import PhulucError
from phuluc.writers import atomic_write_bytes, tasks_csv, write_document, write_json

INPUT_SUFFIXES = {".pdf", ".docx", ".doc"}


@dataclass
class Input:
    path: Path
    rel: Path  # path relative to the folder it was found in (its name when given directly)


@dataclass
class FileResult:
    """What happened to one input; one row of report.json."""

    input: str
    source: str
    status: str  # "ok", "warning" or "error"
    code: str = ""
    reason: str = ""
    tasks: int = 0
    pages: int | None = None
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def find_inputs(paths: list[str | Path]) -> list[Input]:
    """Files as given, and the PDF/DOCX/DOC files inside folders (recursively), sorted."""
    found: list[Input] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not f.name.startswith((".", "~$")):
                    found.append(Input(f, f.relative_to(p)))
        else:
            found.append(Input(p, Path(p.name)))
    return found


def output_stems(inputs: list[Input]) -> list[Path]:
    """Output path (without suffix) per input: its stem, or its whole name when two inputs share a stem."""
    counts = Counter(inp.rel.parent / inp.rel.stem for inp in inputs)
    names = []
    for inp in inputs:
        key = inp.rel.parent / inp.rel.stem
        names.append(inp.rel.parent / inp.rel.name if counts[key] > 1 else key)
    return names


def convert_one(inp: Input, out_stem: Path, out: Path, settings: Settings) -> tuple[FileResult, PlanDocument | None]:
    start = time.perf_counter()
    result = FileResult(input=str(inp.path), source=inp.path.name, status="ok")
    try:
        doc = convert(inp.path, settings)
    except PhulucError as e:
        result.status, result.code, result.reason = "error", e.code, e.message
        result.seconds = round(time.perf_counter() - start, 3)
        return result, None
    json_path = out / out_stem.with_name(out_stem.name + ".json")
    csv_path = out / out_stem.with_name(out_stem.name + ".csv")
    write_document(doc, json_path, csv_path)
    result.tasks = len(doc.tasks)
    result.pages = doc.pages
    result.outputs = [str(json_path.relative_to(out)), str(csv_path.relative_to(out))]
    result.warnings = sorted({w.code for w in doc.warnings})
    if doc.warnings:
        result.status = "warning"
        result.reason = "; ".join(sorted({w.code for w in doc.warnings}))
    result.seconds = round(time.perf_counter() - start, 3)
    return result, doc


def run_batch(paths: list[str | Path], out: str | Path, settings: Settings | None = None) -> list[FileResult]:
    """Convert every input into OUT; write OUT/tasks.csv and OUT/report.json."""
    settings = Settings.resolve(settings)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    inputs = find_inputs(paths)
    results: list[FileResult] = []
    docs: list[PlanDocument] = []
    for inp, stem in zip(inputs, output_stems(inputs), strict=True):
        result, doc = convert_one(inp, stem, out, settings)
        results.append(result)
        if doc is not None:
            docs.append(doc)
    atomic_write_bytes(out / "tasks.csv", tasks_csv(docs))
    write_json(out / "report.json", report(results))
    return results


def report(results: list[FileResult]) -> dict:
    statuses = Counter(r.status for r in results)
    return {
        "files": [asdict(r) for r in results],
        "totals": {
            "files": len(results),
            "ok": statuses["ok"],
            "warning": statuses["warning"],
            "error": statuses["error"],
            "tasks": sum(r.tasks for r in results),
            "seconds": round(sum(r.seconds for r in results), 3),
        },
    }
