"""phuluc's whole PDF conversion against pdfplumber's bare `page.extract_tables()`.

Both run on the same PDFs in the same process, alternating, best of N rounds per file
(the least disturbed run). phuluc's time includes everything: opening, tables, text,
header, the normalizer with the Vietnamese text repair, structured fields.

    python benchmarks/pdf_speed.py [PDF ...] [--rounds 3] [--write]

Without PDFs it times `samples/*.pdf`. `--write` saves the table to
`benchmarks/pdf_speed_RESULTS.md`. Target: phuluc <= 1.5x pdfplumber.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import pdfplumber

import phuluc

ROOT = Path(__file__).resolve().parents[1]


def bare_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def whole_phuluc(path: Path) -> int:
    return phuluc.convert(path).pages or 0


def best(fn, path: Path, rounds: int) -> tuple[float, int]:
    times = []
    pages = 0
    for _ in range(rounds):
        t = time.perf_counter()
        pages = fn(path)
        times.append(time.perf_counter() - t)
    return min(times), pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="write benchmarks/pdf_speed_RESULTS.md")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "samples").glob("*.pdf"))
    whole_phuluc(pdfs[0])  # imports, lexicon loading: once, outside the timing
    bare_pdfplumber(pdfs[0])
    rows = []
    total_pages = total_plumber = total_phuluc = 0.0
    for path in pdfs:
        t_plumber, pages = best(bare_pdfplumber, path, args.rounds)
        t_phuluc, _ = best(whole_phuluc, path, args.rounds)
        rows.append((path.name, pages, pages / t_plumber, pages / t_phuluc, t_phuluc / t_plumber))
        total_pages += pages
        total_plumber += t_plumber
        total_phuluc += t_phuluc
    lines = [
        "| PDF | pages | pdfplumber extract_tables (pages/s) | phuluc convert (pages/s) | ratio (phuluc / pdfplumber time) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, pages, p_rate, q_rate, ratio in rows:
        lines.append(f"| {name} | {pages} | {p_rate:.1f} | {q_rate:.1f} | {ratio:.2f}x |")
    lines.append(
        f"| **all** | {int(total_pages)} | {total_pages / total_plumber:.1f} | {total_pages / total_phuluc:.1f} "
        f"| **{total_phuluc / total_plumber:.2f}x** |"
    )
    table = "\n".join(lines)
    print(table)
    if args.write:
        note = (
            "# PDF speed: phuluc vs pdfplumber\n\n"
            f"`python benchmarks/pdf_speed.py --rounds {args.rounds} --write`, best of {args.rounds} rounds per file, "
            f"pdfplumber {pdfplumber.__version__}, Python {platform.python_version()}, {platform.machine()}.\n"
            "pdfplumber: `page.extract_tables()` on every page (tables only, no text outside them, no cleaning). "
            "phuluc: `phuluc.convert()` end to end (tables, page text, header, normalizer, text repair, structured fields).\n"
            "Target: ratio <= 1.5x.\n\n" + table + "\n"
        )
        (ROOT / "benchmarks" / "pdf_speed_RESULTS.md").write_text(note, encoding="utf-8")


if __name__ == "__main__":
    main()
