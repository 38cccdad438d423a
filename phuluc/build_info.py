"""Which of phuluc's modules run compiled (mypyc, see setup.py) and which as pure Python.

    python -m phuluc.build_info
"""

from __future__ import annotations

import importlib

# The modules setup.py compiles where it can (the loops run once per glyph, word or line).
COMPILED = (
    "phuluc.extract.pdfium_page",
    "phuluc.extract.pdf_page",
    "phuluc.extract.pdf_words",
    "phuluc.extract.pdf_tables",
    "phuluc.extract.pdf_row_rules",
    "phuluc.extract.lineless",
    "phuluc.extract.pdf_lineless",
    "phuluc.normalize.repair",
    "phuluc.normalize.syllable",
    "phuluc.normalize.text",
    "phuluc.normalize.table",
    "phuluc.normalize.agencies",
    "phuluc.normalize.timeline",
    "phuluc.normalize.column_headers",
)


def compiled_modules() -> list[str]:
    """The modules of COMPILED that were imported from a C extension."""
    out = []
    for name in COMPILED:
        path = getattr(importlib.import_module(name), "__file__", "") or ""
        if not path.endswith(".py"):
            out.append(name)
    return out


def build() -> str:
    """ "compiled" (every module of COMPILED), "pure Python", or "partly compiled (k of n)"."""
    k = len(compiled_modules())
    if k == len(COMPILED):
        return "compiled"
    return "pure Python" if k == 0 else f"partly compiled ({k} of {len(COMPILED)})"


if __name__ == "__main__":
    print(f"phuluc: {build()}")
    for name in COMPILED:
        print(f"  {name}: {'compiled' if name in compiled_modules() else 'pure Python'}")
