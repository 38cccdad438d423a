"""phuluc's whole PDF conversion, with either engine, against the bare libraries.

Four readers run on the same PDFs in the same process, alternating, best of N rounds per
file, in CPU time (PDFium and pdfminer both run in this process; CPU time stays steady on a
machine shared with other work, where wall time does not):

- phuluc with the pdfium engine (the default) and with the pdfplumber engine: everything,
  opening, tables, text, header, the normalizer with the Vietnamese text repair, structured fields;
- pdfplumber's bare `page.extract_tables()` on every page (tables only, no cleaning);
- pypdfium2's bare character layer: a Python loop over every character's code point, box
  and font size, and over every page object's bounds (what any pdfium-based reader pays at least).

    python benchmarks/pdf_speed.py [PDF ...] [--rounds 3] [--write]

Without PDFs it times `samples/*.pdf`. `--write` saves the table to
`benchmarks/pdf_speed_RESULTS.md`. Target: phuluc (pdfium) >= 0.5x the bare pypdfium2 speed.
"""

from __future__ import annotations

import argparse
import ctypes
import platform
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

import phuluc
from phuluc.build_info import build
from phuluc.normalize.repair import _repaired

ROOT = Path(__file__).resolve().parents[1]


def bare_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def bare_pypdfium2(path: Path) -> int:
    """Every character's code point, box and font size, every page object's bounds, in a Python loop."""
    pdf = pdfium.PdfDocument(str(path))
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    fl, fb, fr, ft = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    try:
        for page in pdf:
            text = page.get_textpage()
            raw = text.raw
            for i in range(pdfium_c.FPDFText_CountChars(raw)):
                pdfium_c.FPDFText_GetUnicode(raw, i)
                pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
                pdfium_c.FPDFText_GetFontSize(raw, i)
            for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
                pdfium_c.FPDFPageObj_GetBounds(pdfium_c.FPDFPage_GetObject(page.raw, k), fl, fb, fr, ft)
            text.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def phuluc_pdfium(path: Path) -> int:
    _repaired.cache_clear()  # each round repairs every line again, as a first conversion does
    return phuluc.convert(path, {"pdf_engine": "pdfium"}).pages or 0


def phuluc_pdfplumber(path: Path) -> int:
    _repaired.cache_clear()
    return phuluc.convert(path, {"pdf_engine": "pdfplumber"}).pages or 0


READERS = {
    "phuluc (pdfium)": phuluc_pdfium,
    "phuluc (pdfplumber)": phuluc_pdfplumber,
    "pdfplumber extract_tables": bare_pdfplumber,
    "pypdfium2 chars + objects": bare_pypdfium2,
}


def best(fn, path: Path, rounds: int) -> tuple[float, int]:
    times = []
    pages = 0
    for _ in range(rounds):
        t = time.process_time()
        pages = fn(path)
        times.append(time.process_time() - t)
    return min(times), pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="write benchmarks/pdf_speed_RESULTS.md")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "samples").glob("*.pdf"))
    print(f"phuluc build: {build()}")
    if build() != "compiled":
        print("  (an editable install or PHULUC_PURE=1 runs pure Python; `pip install .` compiles: see setup.py)")
    for fn in READERS.values():
        fn(pdfs[0])  # imports, lexicon loading: once, outside the timing
    totals = dict.fromkeys(READERS, 0.0)
    total_pages = 0
    rows = []
    for path in pdfs:
        times = {}
        for name, fn in READERS.items():
            times[name], pages = best(fn, path, args.rounds)
            totals[name] += times[name]
        total_pages += pages
        rows.append((path.name, pages, times))
    bare = "pypdfium2 chars + objects"
    head = "| PDF | pages | " + " | ".join(f"{n} (pages/s)" for n in READERS) + " | phuluc (pdfium) / pypdfium2 speed |"
    lines = [head, "| --- | ---: | " + " | ".join("---:" for _ in READERS) + " | ---: |"]
    for name, pages, times in rows:
        rates = " | ".join(f"{pages / times[n]:.1f}" for n in READERS)
        lines.append(f"| {name} | {pages} | {rates} | {times[bare] / times['phuluc (pdfium)']:.2f}x |")
    rates = " | ".join(f"{total_pages / totals[n]:.1f}" for n in READERS)
    lines.append(f"| **all** | {total_pages} | {rates} | **{totals[bare] / totals['phuluc (pdfium)']:.2f}x** |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        note = (
            "# PDF speed: phuluc with either engine vs the bare libraries\n\n"
            f"`python benchmarks/pdf_speed.py --rounds {args.rounds} --write`, best of {args.rounds} rounds per file "
            "in CPU time, "
            f"pdfplumber {pdfplumber.__version__}, pypdfium2 {pdfium.PYPDFIUM_INFO}, PDFium {pdfium.PDFIUM_INFO}, "
            f"Python {platform.python_version()}, {platform.machine()}, phuluc {build()}.\n"
            "phuluc: `phuluc.convert()` end to end (tables, page text, header, normalizer, text repair, structured fields). "
            "pdfplumber: `page.extract_tables()` on every page (tables only, no text outside them, no cleaning). "
            "pypdfium2: a Python loop over every character's code point, box and font size and every page object's "
            "bounds (the floor for a reader on PDFium).\n"
            "Target: phuluc (pdfium) at >= 0.5x the bare pypdfium2 speed.\n\n" + table + "\n"
        )
        (ROOT / "benchmarks" / "pdf_speed_RESULTS.md").write_text(note, encoding="utf-8")


if __name__ == "__main__":
    main()
