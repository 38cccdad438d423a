"""Where phuluc's time per PDF page goes, outside PDFium's own interpreter.

Each PDF is read page by page and timed in CPU time (steady on a shared machine) in
three phases: read (PDFium: the page's characters and paths into glyphs and rules),
assemble (glyphs and rules into tables, cells and lines: `_Builder.add_page`) and
normalize (the grid into tasks: header mapping, text repair, structured fields). The
bare pypdfium2 character layer (see `pdf_speed.py`) is timed alongside. `--profile N`
adds cProfile's N most expensive functions by own time.

    python benchmarks/profile_pages.py [PDF ...] [--rounds 3] [--profile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdf_speed import bare_pypdfium2  # noqa: E402

from phuluc.build_info import build  # noqa: E402
from phuluc.extract.pdf import _Builder  # noqa: E402
from phuluc.extract.pdfium_page import PdfiumSource  # noqa: E402
from phuluc.normalize.repair import _repaired  # noqa: E402
from phuluc.pipeline import build_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def convert_timed(path: Path, times: dict[str, float]) -> int:
    _repaired.cache_clear()
    source = PdfiumSource(path, None)
    builder = _Builder()
    try:
        for index in range(source.page_count):
            t = time.process_time()
            page = source.read(index)
            times["read"] += time.process_time() - t
            t = time.process_time()
            builder.add_page(page)
            times["assemble"] += time.process_time() - t
        pages = source.page_count
    finally:
        source.close()
    grid = builder.grid
    grid.source = path.name
    t = time.process_time()
    build_document(grid)
    times["normalize"] += time.process_time() - t
    return pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print cProfile's N top functions")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "samples").glob("*.pdf"))
    print(f"phuluc build: {build()}")
    convert_timed(pdfs[0], dict.fromkeys(("read", "assemble", "normalize"), 0.0))  # warm up
    times = dict.fromkeys(("read", "assemble", "normalize", "bare pypdfium2"), 0.0)
    pages = 0
    for _ in range(args.rounds):
        for path in pdfs:
            pages += convert_timed(path, times)
            t = time.process_time()
            bare_pypdfium2(path)
            times["bare pypdfium2"] += time.process_time() - t
    phuluc = times["read"] + times["assemble"] + times["normalize"]
    print("| phase | CPU ms per page | share of phuluc |")
    print("| --- | ---: | ---: |")
    for name in ("read", "assemble", "normalize"):
        print(f"| {name} | {1000 * times[name] / pages:.2f} | {100 * times[name] / phuluc:.0f}% |")
    print(f"| **phuluc** | {1000 * phuluc / pages:.2f} | 100% |")
    print(f"| bare pypdfium2 chars + objects | {1000 * times['bare pypdfium2'] / pages:.2f} | "
          f"phuluc at {times['bare pypdfium2'] / phuluc:.2f}x its speed |")
    if args.profile:
        profiler = cProfile.Profile()
        scratch = dict.fromkeys(("read", "assemble", "normalize"), 0.0)
        profiler.enable()
        for path in pdfs:
            convert_timed(path, scratch)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
