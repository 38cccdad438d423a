"""Time and worker memory per hostile input (issue 13: "no worker over 1 GiB").

Builds every case of tests/hostile_makers.py into a temporary folder, converts each alone
with `phuluc convert --jobs 1` (a fresh worker per file, so report.json's
worker_peak_rss_mib is that file's peak) and writes a Markdown table.

    python benchmarks/hostile_memory.py [--out benchmarks/hostile_memory_RESULTS.md]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _makers():
    spec = importlib.util.spec_from_file_location("hostile_makers", ROOT / "tests" / "hostile_makers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "hostile_memory_RESULTS.md")
    args = parser.parse_args()
    makers = _makers()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {name: make for name, (make, _) in makers.CASES.items()} | makers.WEB_CASES
        for name, make in cases.items():
            path = make(folder / name)
            out = folder / f"out-{name}"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "phuluc.cli", "convert", str(path), "-o", str(out), "-q", "--jobs", "1"],
                           capture_output=True, timeout=600)
            wall = time.perf_counter() - start
            report = json.loads((out / "report.json").read_text(encoding="utf-8"))
            row = report["files"][0]
            rows.append((name, path.stat().st_size, row["status"], row["code"] or ";".join(row["warnings"]),
                         wall, report["totals"]["worker_peak_rss_mib"]))
            print(rows[-1], flush=True)
    lines = [
        "# Hostile inputs: result, time and worker memory",
        "",
        f"Produced by `python benchmarks/hostile_memory.py` on {time.strftime('%Y-%m-%d')}, {platform.platform()}, "
        f"Python {platform.python_version()}. Each file converted alone (`phuluc convert FILE --jobs 1`, default "
        "settings: 960 MiB worker heap ceiling, 128 MiB stream ceiling); seconds are the whole command's wall time "
        "(start-up included; the .doc cases include LibreOffice).",
        "",
        "| input | bytes | status | code / warnings | seconds | worker peak MiB |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {n} | {size:,} | {status} | {code} | {wall:.1f} | {peak:.0f} |" for n, size, status, code, wall, peak in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
