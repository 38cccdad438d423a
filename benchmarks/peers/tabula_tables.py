"""Tabula (tabula-py, Java), lattice mode, all pages, no header row taken out."""

import _common
import tabula


def extract(path):
    frames = tabula.read_pdf(path, pages="all", lattice=True, multiple_tables=True, silent=True,
                             pandas_options={"header": None, "dtype": str})
    return [f.values.tolist() for f in frames]


if __name__ == "__main__":
    _common.main("tabula", tabula.__version__, extract)
