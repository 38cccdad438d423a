"""Held-out DOCX appendices printed with partial table borders, for `phuluc qa`.

Real plans come with Word border settings other than the full grid. Each variant sets every
table's borders (python-docx; the table style and the cells' own borders dropped) and prints
the document with LibreOffice; the golden is the DOCX's golden (from the source data):

- `vrules`: frame + inside vertical rules, no rule between the rows;
- `vhead`: the same and a line under the header row;
- `vcentre`: `vrules` with every cell's text centred vertically;
- `vinner`: inside vertical rules and a line under the header, no frame;
- `headonly`: only a line under the header (a line-less table otherwise).

    python benchmarks/heldout_borders.py --docx HELDOUT/docx --out DIR [--kinds vrules,vhead]
    phuluc qa DIR/vrules      # converts in place

Results: benchmarks/heldout_borders_RESULTS.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import docx
from heldout_render import soffice_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "samples"))
from make_ruled_columns_samples import set_borders  # noqa: E402  (one way to set a table's borders)

FRAME_V = ("top", "bottom", "left", "right", "insideV")
# kind -> (table borders, a line under the first row, text centred vertically)
VARIANTS = {
    "vrules": (FRAME_V, False, False),
    "vhead": (FRAME_V, True, False),
    "vcentre": (FRAME_V, False, True),
    "vinner": (("insideV",), True, False),
    "headonly": ((), True, False),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docx", type=Path, required=True, help="folder of held-out DOCX with their golden files")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--kinds", default=",".join(VARIANTS))
    args = ap.parse_args()
    work = args.out / "src"
    work.mkdir(parents=True, exist_ok=True)
    for src in sorted(args.docx.glob("*.docx")):
        for kind in args.kinds.split(","):
            borders, header_rule, centred = VARIANTS[kind]
            document = docx.Document(str(src))
            for table in document.tables:
                set_borders(table, borders, header_rule, centred)
            (args.out / kind).mkdir(exist_ok=True)
            path = work / f"{src.stem}-{kind}.docx"
            document.save(str(path))
            soffice_pdf(path, args.out / kind)
            shutil.copy(src.with_suffix(".golden.json"), args.out / kind / f"{src.stem}-{kind}.golden.json")


if __name__ == "__main__":
    main()
