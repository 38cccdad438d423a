#!/usr/bin/env python3
"""Benchmark for phuluc.normalize.repair.

Takes real sentences from the held-out part of the public legal corpus
(``../shared/eval/lexicon/corpus_tnt305/``, the last 20 % of files by name, never
seen by ``scripts/build_syllable_freq.py``), damages them with a fixed seed and
measures how well :func:`repair_text` restores them:

* kind 1 -- spaces around every vowel carrying a tone mark, word gaps widened to
  3 spaces (as in the Vĩnh Bảo seed: "PH Ụ   L Ụ C");
* kind 2 -- the same with single word gaps ("Qu ả n l ý , gi á m s á t");
* kind 3 -- a single space inserted at a random place inside ~10 % of words;
* kind 4 -- mojibake: the UTF-8 bytes read as Windows-1252 (undefined bytes kept as C1
  control characters), no-break spaces folded into spaces and runs of spaces collapsed,
  as text pasted from old web pages and e-mail arrives ("ngÃ y", "Ä\\x90oÃ n");
* clean -- the sentences unchanged (false-change rate; the target is zero).

Word accuracy = reference words reproduced (difflib alignment) / reference words.

Usage: python benchmarks/text_repair.py [--dev] [--n 1500] [--corpus DIR]
(--dev uses the training files instead of the held-out ones, for tuning.)
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
import unicodedata
from pathlib import Path

import regex

from phuluc.normalize.repair import repair_text
from phuluc.normalize.syllable import is_syllable

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "lexicon" / "corpus_tnt305"
HOLDOUT_FRACTION = 0.2  # must match scripts/build_syllable_freq.py
BANNER_LINES = 20
SEED = 20260406
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_PUNCT = regex.compile(r"^(\p{P}*)(.*?)(\p{P}*)$")


def split_files(corpus: Path) -> tuple[list[Path], list[Path]]:
    files = sorted(corpus.glob("*.md"))
    cut = int(round(len(files) * (1 - HOLDOUT_FRACTION)))
    return files[:cut], files[cut:]


def sentences(files: list[Path]) -> list[str]:
    out: list[str] = []
    seen = set()
    for f in files:
        text = unicodedata.normalize("NFC", f.read_text(encoding="utf-8", errors="replace"))
        for line in text.splitlines()[BANNER_LINES:]:
            line = line.replace("**", "").strip().lstrip("#").strip()
            if not line or line == "|" or line.startswith("[") or "\ufffd" in line:
                continue
            for s in regex.split(r"(?<=[.;!?])\s+", " ".join(line.split())):
                words = s.split(" ")
                if not 5 <= len(words) <= 60 or s in seen:
                    continue
                cores = [_PUNCT.match(w).group(2) for w in words]
                if sum(1 for c in cores if c and is_syllable(c)) < 0.7 * len(words):
                    continue
                seen.add(s)
                out.append(s)
    return out


def _toned(ch: str) -> bool:
    return any(c in TONES for c in unicodedata.normalize("NFD", ch))


def damage_spaced(sentence: str, gap: str) -> str:
    """Kinds 1/2: spaces around each tone-marked vowel, words joined by ``gap``."""
    words = []
    for w in sentence.split(" "):
        parts = []
        for ch in w:
            parts.append(f" {ch} " if _toned(ch) else ch)
        words.append(" ".join("".join(parts).split()))
    return gap.join(words)


def damage_split(sentence: str, rng: random.Random, rate: float = 0.10) -> str:
    """Kind 3: a single space at a random place inside ~rate of the words."""
    words = []
    for w in sentence.split(" "):
        lead, core, trail = _PUNCT.match(w).groups()
        if len(core) >= 2 and core.isalpha() and rng.random() < rate:
            k = rng.randint(1, len(core) - 1)
            core = core[:k] + " " + core[k:]
        words.append(lead + core + trail)
    return " ".join(words)


_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def damage_mojibake(sentence: str) -> str:
    """Kind 4: UTF-8 read as cp1252, then the no-break spaces folded and spaces collapsed."""
    chars = [chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in sentence.encode("utf-8")]
    return " ".join("".join(chars).replace("\u00a0", " ").split())


def word_acc(out: str, ref: str) -> tuple[int, int]:
    a, b = out.split(), ref.split()
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(bl.size for bl in sm.get_matching_blocks()), len(b)


_WORDS = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def letter_changes(out: str, ref: str) -> int:
    """Reference words (letters/digits only, punctuation ignored) not reproduced."""
    a, b = _WORDS.findall(out), _WORDS.findall(ref)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return len(b) - sum(bl.size for bl in sm.get_matching_blocks())


def run(pairs: list[tuple[str, str]], show: int = 0) -> dict:
    ok = tot = exact = letter_bad = letter_lines = 0
    bad = []
    t0 = time.perf_counter()
    outs = [repair_text(d) for d, _ in pairs]
    dt = time.perf_counter() - t0
    for (d, ref), out in zip(pairs, outs, strict=True):
        c, n = word_acc(out, ref)
        ok += c
        tot += n
        lc = letter_changes(out, ref) if out != ref else 0
        letter_bad += lc
        letter_lines += lc > 0
        if out == ref:
            exact += 1
        elif len(bad) < show:
            bad.append((d, out, ref))
    return {
        "lines": len(pairs),
        "words": tot,
        "word_acc": ok / max(tot, 1),
        "wrong_words": tot - ok,
        "exact": exact / max(len(pairs), 1),
        "lps": len(pairs) / dt if dt else float("inf"),
        "ms_per_line": 1000 * dt / max(len(pairs), 1),
        "examples": bad,
        "letter_changes": letter_bad,
        "letter_lines": letter_lines,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="text repair benchmark")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, metavar="DIR",
                    help="folder of the corpus_tnt305 .md files (default: ../shared/eval/lexicon/corpus_tnt305)")
    ap.add_argument("--n", type=int, default=1500, help="damaged sentences per kind")
    ap.add_argument("--dev", action="store_true", help="use training files (tuning only)")
    ap.add_argument("--show", type=int, default=0, help="print this many failures per kind")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"text_repair.py: corpus not found at {args.corpus}: give the folder of the corpus_tnt305 .md files "
              "with --corpus DIR", file=sys.stderr)
        return 2
    if not any(args.corpus.glob("*.md")):
        print(f"text_repair.py: {args.corpus} holds no .md file: give the corpus_tnt305 folder with --corpus DIR",
              file=sys.stderr)
        return 2
    train, held = split_files(args.corpus)
    files = train if args.dev else held
    sents = sentences(files)
    rng = random.Random(SEED)
    sample = rng.sample(sents, min(args.n, len(sents)))
    nwords = sum(len(s.split()) for s in sample) / max(len(sample), 1)
    print(f"corpus: {len(files)} {'training' if args.dev else 'held-out'} files, {len(sents)} sentences; "
          f"{len(sample)} sampled per damage kind (mean {nwords:.1f} words), seed {SEED}")
    kinds = {
        "kind 1 (spaced, wide gaps)": [(damage_spaced(s, "   "), s) for s in sample],
        "kind 2 (spaced, single gaps)": [(damage_spaced(s, " "), s) for s in sample],
        "kind 3 (random splits, 10%)": [(damage_split(s, rng), s) for s in sample],
        "kind 4 (mojibake, cp1252)": [(damage_mojibake(s), s) for s in sample],
    }
    print()
    print("| set | lines | words | word accuracy | wrong words | exact lines | lines/s | ms/line |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    results = {}
    for name, pairs in kinds.items():
        r = results[name] = run(pairs, args.show)
        print(f"| {name} | {r['lines']} | {r['words']} | {100 * r['word_acc']:.2f}% | {r['wrong_words']} | "
              f"{100 * r['exact']:.1f}% | {r['lps']:.0f} | {r['ms_per_line']:.2f} |")
    clean = run([(s, s) for s in sents], args.show)
    changed_lines = round((1 - clean["exact"]) * clean["lines"])
    print(f"| clean (all sentences) | {clean['lines']} | {clean['words']} | {100 * clean['word_acc']:.3f}% | "
          f"{clean['wrong_words']} | {100 * clean['exact']:.2f}% | {clean['lps']:.0f} | {clean['ms_per_line']:.2f} |")
    print()
    print(f"false changes on clean text: {clean['wrong_words']} changed words in {changed_lines} of "
          f"{clean['lines']} sentences (any change, including punctuation spacing normalised on purpose)")
    print(f"  of which changes to letters/digits (merged, split or altered words): {clean['letter_changes']} "
          f"words in {clean['letter_lines']} sentences")
    for name, r in results.items():
        print(f"{name}: words wrong ignoring punctuation spacing: {r['letter_changes']} "
              f"({100 * (1 - r['letter_changes'] / r['words']):.2f}% letter-word accuracy)")
    long_ = [s for s in sents if 35 <= len(s.split()) <= 45]
    if long_:
        print()
        for label, make in (("clean", lambda s: s), ("kind 1", lambda s: damage_spaced(s, "   ")),
                            ("kind 2", lambda s: damage_spaced(s, " "))):
            lines = [make(s) for s in long_]
            t0 = time.perf_counter()
            for x in lines:
                repair_text(x)
            ms = 1000 * (time.perf_counter() - t0) / len(lines)
            print(f"speed, {label}: {ms:.2f} ms per 35-45-word sentence ({len(lines)} sentences)")
    if args.show:
        for name, r in [*results.items(), ("clean", clean)]:
            print(f"\n--- {name}: failures")
            for d, out, ref in r["examples"]:
                print(f"  in : {d}\n  out: {out}\n  ref: {ref}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
