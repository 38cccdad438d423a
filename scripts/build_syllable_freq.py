#!/usr/bin/env python3
"""Rebuild ``normalize/data/syllable_freq.tsv.gz`` from the public-domain corpus.

Reads the markdown legal texts in ``../shared/eval/lexicon/corpus_tnt305/`` (relative
to the repository root), skipping the held-out files (the last 20 % by file name,
used by ``benchmarks/text_repair.py``), and counts syllable unigrams and bigrams.
Keys are tone-position independent (``hòa`` and ``hoà`` both count as ``hoa2``).

Output format (gzip TSV, one record a line)::

    U <tab> key <tab> count
    B <tab> key1 key2 <tab> count      (bigrams seen at least MIN_BIGRAM times)

Usage: python scripts/build_syllable_freq.py [--corpus DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import regex

from phuluc.normalize.syllable import is_syllable, tone_key

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "lexicon" / "corpus_tnt305"
DEFAULT_OUT = ROOT / "normalize" / "data" / "syllable_freq.tsv.gz"
HOLDOUT_FRACTION = 0.2
MIN_BIGRAM = 1
BANNER_LINES = 20

_PUNCT = regex.compile(r"^(\p{P}*)(.*?)(\p{P}*)$")


def split_files(corpus: Path) -> tuple[list[Path], list[Path]]:
    """(training files, held-out files): the held-out part is the last 20 % by name."""
    files = sorted(corpus.glob("*.md"))
    cut = int(round(len(files) * (1 - HOLDOUT_FRACTION)))
    return files[:cut], files[cut:]


def corpus_lines(path: Path) -> list[str]:
    """Text lines of one corpus file without the site banner and markdown syntax."""
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
    out = []
    for line in text.splitlines()[BANNER_LINES:]:
        line = line.replace("**", "").strip().lstrip("#").strip()
        if not line or line == "|" or line.startswith("[") or "\ufffd" in line:
            continue
        out.append(" ".join(line.split()))
    return out


def count(files: list[Path]) -> tuple[Counter, Counter]:
    uni: Counter = Counter()
    bi: Counter = Counter()
    for f in files:
        for line in corpus_lines(f):
            prev = None
            for tok in line.split(" "):
                lead, core, trail = _PUNCT.match(tok).groups()
                if core and is_syllable(core):
                    k = tone_key(core)
                    uni[k] += 1
                    if prev is not None and not lead:
                        bi[prev, k] += 1
                    prev = None if trail else k
                else:
                    prev = None
    return uni, bi


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    train, held = split_files(args.corpus)
    uni, bi = count(train)
    rows = [f"U\t{k}\t{c}" for k, c in sorted(uni.items(), key=lambda kv: (-kv[1], kv[0]))]
    rows += [
        f"B\t{a} {b}\t{c}"
        for (a, b), c in sorted(bi.items(), key=lambda kv: (-kv[1], kv[0]))
        if c >= MIN_BIGRAM
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:
        fh.write(("\n".join(rows) + "\n").encode("utf-8"))
    print(
        f"{len(train)} training files ({len(held)} held out); {sum(uni.values())} syllables, "
        f"{len(uni)} types, {sum(1 for c in bi.values() if c >= MIN_BIGRAM)} bigrams -> {args.out} "
        f"({args.out.stat().st_size} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
