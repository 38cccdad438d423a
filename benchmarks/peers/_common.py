"""The loop every peer script shares: extract each file N times, print raw tables as JSON.

Runs inside the peer's own venv (no phuluc there). Output on stdout:
{"tool", "version", "peak_rss_mib", "files": [{"path", "tables", "seconds": [..], "error"}]}
where `tables` is a list of tables, each a list of rows of cell strings, exactly as the tool gave them
(None becomes ""), in document order.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import traceback


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # pandas NaN
        return ""
    return str(value)


def peak_rss_mib() -> float:
    # VmHWM is this process's own peak; ru_maxrss would carry the parent's peak across exec.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(tool: str, version: str, extract) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    files = []
    for path in args.files:
        entry = {"path": path, "tables": [], "seconds": [], "error": ""}
        for _ in range(args.repeat):
            start = time.perf_counter()
            try:
                tables = extract(path)
            except Exception as e:  # a peer's failure on a file is a result, not a crash
                entry["error"] = f"{type(e).__name__}: {str(e)[:200]}"
                traceback.print_exc(file=sys.stderr)
                break
            entry["seconds"].append(time.perf_counter() - start)
            entry["tables"] = [[[cell(c) for c in row] for row in table] for table in tables]
        files.append(entry)
    peak = peak_rss_mib()
    json.dump({"tool": tool, "version": version, "peak_rss_mib": round(peak, 1), "files": files}, sys.stdout,
              ensure_ascii=False)
