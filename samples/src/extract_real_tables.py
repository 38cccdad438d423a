"""Take real appendix tables from the text renderings in shared/eval/real/text_appendix.

Writes samples/src/<name>.json: the header, and the rows as the source has them
(cell text with its original line breaks). `make_samples.py` builds the DOCX
samples and their golden files from these JSON files, so the samples carry
real task texts from real plans. Run it again only to refresh the source data:

    python samples/src/extract_real_tables.py ../shared/eval/real/text_appendix
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent

# name -> (source file id, first header cell, number of columns, rows to keep[, which table: 0 the first])
TABLES = {
    "nghe-an-980": ("c5d930a5fc8373cd", "TT", 6, 40),
    "ubnd-617": ("8718801c503045f9", "STT", 5, 40),
    "dong-nai-179": ("f004d93b21e7fc5f", "STT", 6, 70),
    "ha-noi-310": ("31786b0833a4130d", "TT", 5, 30),
    "hcm-2820": ("001c610b2efdcf0c", "TT", 7, 25),
    "ttg-2629": ("2edf5927c71bc4c1", "TT", 6, 30, 1),
}

_SECTION = re.compile(r"^(?:[IVX]+|[A-Z])\.?(\s|$)")


def cell_tokens(text: str) -> list[str]:
    """Each cell of the rendering is a block of lines closed by a line holding a single '|'."""
    cells: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip() == "|":
            cells.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    return cells


def clean_markup(text: str) -> str:
    text = re.sub(r"\*+", "", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def read_rows(tokens: list[str], start: int, n_cols: int, limit: int) -> tuple[list[str], list[dict]]:
    header = [clean_markup(t) for t in tokens[start : start + n_cols]]
    i = start + n_cols
    rows: list[dict] = []
    while i < len(tokens) and len(rows) < limit:
        if tokens[i] == "":
            i += 1  # the empty token between rows
            if i >= len(tokens):
                break
        first = clean_markup(tokens[i])
        if first and not re.match(r"^\d", first) and (_SECTION.match(first) or first.isupper()):
            # A section row: one cell, or a Roman numeral/letter and its title.
            cells = []
            while i < len(tokens) and tokens[i] != "" and len(cells) < 2:
                cells.append(clean_markup(tokens[i]))
                i += 1
            rows.append({"section": cells})
            continue
        cells = [clean_markup(t) for t in tokens[i : i + n_cols]]
        if len(cells) < n_cols or not re.fullmatch(r"[\d.]*", cells[0]) or not any(cells):
            break  # the end of the table, or merged cells this simple reader cannot follow
        rows.append({"cells": cells})
        i += n_cols
    return header, rows


def main(folder: str) -> None:
    for name, (file_id, first, n_cols, limit, *which) in TABLES.items():
        path = Path(folder) / f"tnt305_tai_lieu_noi_bo__{file_id}.md"
        tokens = cell_tokens(path.read_text(encoding="utf-8"))
        starts = [i for i, t in enumerate(tokens) if clean_markup(t) == first]
        start = starts[which[0] if which else 0]
        header, rows = read_rows(tokens, start, n_cols, limit)
        out = {"source": f"shared/eval/real/text_appendix/{path.name}", "header": header, "rows": rows}
        (HERE / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(HERE.parents[2] / "shared/eval/real/text_appendix"))
