"""Camelot, lattice flavour (ruled tables), all pages, default settings."""

import _common
import camelot


def extract(path):
    tables = camelot.read_pdf(path, flavor="lattice", pages="all")
    return [t.df.values.tolist() for t in tables]


if __name__ == "__main__":
    _common.main("camelot", camelot.__version__, extract)
