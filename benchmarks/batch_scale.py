"""Batch speed and memory at province scale: `python benchmarks/batch_scale.py [--files 500]`.

Builds a corpus of real-shaped plan appendices (copies of the PDF and DOCX samples under
new names, one folder per commune) in a temporary folder and converts it with
`phuluc.batch.run_batch` at --jobs 1 and --jobs 2. Prints documents/s, PDF pages/s,
the workers' peak RSS (each worker reports its own ru_maxrss) and the speed-up; then
the peak at 100 vs N files, with and without recycling workers, to show that a
worker's memory does not grow with the batch. Raw output goes to stdout; paste it
into benchmarks/batch_RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from phuluc import __version__
from phuluc.batch import run_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def build_corpus(folder: Path, n: int) -> list[Path]:
    """n documents, mixed PDF/DOCX, cycling over every sample, each commune in its own folder."""
    sources = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx"))
    made = []
    for i in range(n):
        src = sources[i % len(sources)]
        commune = folder / f"xa-{i:04d}"
        commune.mkdir(parents=True, exist_ok=True)
        target = commune / f"ke-hoach-{i:04d}{src.suffix}"
        shutil.copy(src, target)
        made.append(target)
    return made


def run(corpus: Path, out: Path, jobs: int, max_tasks: int) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    results = run_batch([corpus], out, jobs=jobs, max_tasks_per_worker=max_tasks)
    wall = time.perf_counter() - start
    import json

    totals = json.loads((out / "report.json").read_text(encoding="utf-8"))["totals"]
    return {
        "files": len(results),
        "errors": sum(r.status == "error" for r in results),
        "tasks": sum(r.tasks for r in results),
        "pdf_pages": sum(r.pages or 0 for r in results),
        "wall": wall,
        "docs_per_s": len(results) / wall,
        "pages_per_s": sum(r.pages or 0 for r in results) / wall,
        "worker_peak_mib": totals["worker_peak_rss_mib"],
    }


def line(label: str, r: dict) -> str:
    return (f"{label:<34} {r['files']:>5} files {r['tasks']:>6} tasks {r['pdf_pages']:>5} PDF pages  "
            f"{r['wall']:7.1f} s  {r['docs_per_s']:6.1f} docs/s  {r['pages_per_s']:6.1f} pages/s  "
            f"worker peak {r['worker_peak_mib']:6.1f} MiB  errors {r['errors']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--small", type=int, default=100, help="the smaller batch for the memory comparison")
    args = parser.parse_args()
    print(f"phuluc {__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}")
    with tempfile.TemporaryDirectory(prefix="phuluc-scale-") as tmp:
        tmp_path = Path(tmp)
        big = tmp_path / "big"
        small = tmp_path / "small"
        t = time.perf_counter()
        made = build_corpus(big, args.files)
        build_corpus(small, args.small)
        n_pdf = sum(p.suffix == ".pdf" for p in made)
        print(f"corpus: {len(made)} documents ({n_pdf} PDF, {len(made) - n_pdf} DOCX) built in {time.perf_counter() - t:.1f} s")
        print()
        r1 = run(big, tmp_path / "out1", jobs=1, max_tasks=50)
        print(line("--jobs 1", r1))
        r2 = run(big, tmp_path / "out2", jobs=2, max_tasks=50)
        print(line("--jobs 2", r2))
        print(f"speed-up jobs 2 / jobs 1: {r1['wall'] / r2['wall']:.2f}x")
        t = time.perf_counter()
        run_batch([big], tmp_path / "out2", jobs=2)
        print(f"second run, all {args.files} up to date (hash check, combined outputs): {time.perf_counter() - t:.1f} s")
        print()
        print("memory: a worker's peak RSS at a small and a large batch")
        for max_tasks, label in ((50, "recycled every 50 files"), (10**9, "never recycled")):
            rs = run(small, tmp_path / "outs", jobs=1, max_tasks=max_tasks)
            rb = run(big, tmp_path / "outb", jobs=1, max_tasks=max_tasks)
            print(f"  {label:<26} {args.small:>4} files: {rs['worker_peak_mib']:6.1f} MiB   "
                  f"{args.files:>4} files: {rb['worker_peak_mib']:6.1f} MiB")
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"parent process peak RSS (scheduling, report, combined CSV/JSONL/XLSX): {parent:.1f} MiB")
        print()
        communes = 3300
        for jobs, r in ((1, r1), (2, r2)):
            print(f"~{communes} communes, one appendix each, --jobs {jobs} on this machine: "
                  f"{communes / r['docs_per_s'] / 60:.1f} min")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
