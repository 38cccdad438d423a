"""Cell-level OCR accuracy of scans against the born-digital PDF each was made from (same table structure).

    python benchmarks/ocr_cells.py /tmp/phuluc-heldout/scan-*/*.pdf samples-scans/scan-*.pdf --diffs /tmp/cells.txt

A scan OUT/scan-*/NAME.pdf is compared with OUT/word-ruled/NAME.pdf (the held-out layout); a scan in
samples-scans/ with its source in samples/. Every table cell of the raw grid (before normalize) is compared
by (page, table, row, col): character error rate (Levenshtein), exact cells, cells lost to another table
structure. Finer than the held-out score, where one misread header cell loses a whole column: the reading
scale and the seal handling were tuned on it (ocr_cells_RESULTS.md).
"""

from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass, field
from multiprocessing import Pool
from pathlib import Path

from phuluc.normalize.column_headers import edit_distance

SCAN_NAME = re.compile(r"^(scan|ocr-layer)-|-(200|300)dpi$")


def source_of(scan: Path) -> Path:
    if scan.parent.name == "samples-scans":
        stem = SCAN_NAME.sub("", scan.stem)
        root = scan.parent.parent / "samples"
        for cand in (stem, f"owner-password-{stem}"):
            if (root / f"{cand}.pdf").exists():
                return root / f"{cand}.pdf"
        raise SystemExit(f"{scan}: no source PDF in {root}")
    return scan.parent.parent / "word-ruled" / f"{scan.stem}.pdf"


def tables(path: Path) -> dict[int, list[dict[tuple[int, int], str]]]:
    from phuluc.extract.pdf import read_pdf

    out: dict[int, list[dict[tuple[int, int], str]]] = {}
    for t in read_pdf(path).tables:
        out.setdefault(t.page, []).append({(c.row, c.col): " ".join(c.text.split()) for c in t.cells})
    return out


@dataclass
class Score:
    chars: int = 0
    errors: int = 0
    cells: int = 0
    exact: int = 0
    lost: int = 0
    seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for k in ("chars", "errors", "cells", "exact", "lost", "seconds"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def score(path: Path) -> tuple[Path, Score]:
    s = Score()
    t0 = time.perf_counter()
    got = tables(path)
    s.seconds = time.perf_counter() - t0
    for page, truth_tables in tables(source_of(path)).items():
        for i, truth in enumerate(truth_tables):
            read = got.get(page, [])[i] if i < len(got.get(page, [])) else {}
            for key, text in truth.items():
                s.cells += 1
                s.chars += len(text)
                if key not in read:
                    s.lost += 1
                    s.errors += len(text)
                    continue
                e = edit_distance(text, read[key])
                s.errors += e
                s.exact += e == 0
                if e:
                    s.wrong.append(f"{path.name} p{page} {key}: {text!r}\n    -> {read[key]!r}")
    return path, s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--diffs", type=Path, help="write every wrong cell (truth -> OCR) to this file")
    args = ap.parse_args()
    total = Score()
    with Pool(args.jobs) as pool:
        for path, s in pool.imap(score, args.pdfs):
            total.add(s)
            total.wrong += s.wrong
            print(f"{path.parent.name}/{path.name[:44]:44s} CER {100 * s.errors / max(s.chars, 1):5.2f}%  "
                  f"exact {s.exact}/{s.cells}  lost {s.lost}  {s.seconds:.1f} s", flush=True)
    print(f"TOTAL: CER {100 * total.errors / max(total.chars, 1):.2f}%  exact {100 * total.exact / max(total.cells, 1):.1f}% "
          f"({total.exact}/{total.cells})  lost {total.lost}  {total.seconds:.0f} s")
    if args.diffs:
        args.diffs.write_text("\n".join(total.wrong) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
