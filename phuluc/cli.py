"""The `phuluc` command: a thin layer over the library.

Each command calls one library function; errors become one line on stderr,
never a traceback. Exit codes: 0 every input converted, 1 at least one
failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phuluc import __version__


def _cmd_convert(args: argparse.Namespace) -> int:
    import time

    from phuluc.batch import BatchInterrupted, run_batch, summary
    from phuluc.pipeline import Settings
    from phuluc.progress import Progress

    settings = Settings(password=args.password, timeout=args.timeout, max_pages=args.max_pages,
                        ocr=args.ocr, ocr_lang=args.ocr_lang, dpi=args.dpi)
    started = time.monotonic()
    progress = Progress(total=0, quiet=args.quiet)
    try:
        results = run_batch(args.inputs, args.output, settings, jobs=args.jobs, force=args.force, progress=progress)
    except BatchInterrupted as e:
        print(f"phuluc: interrupted after {e.done} of {e.total} files; finished files are written and recorded "
              "in report.json: run the same command again to resume", file=sys.stderr)
        return 130
    failed = [r for r in results if r.status == "error"]
    if not args.quiet:
        print(summary(results, args.output, time.monotonic() - started))
    return 1 if failed or not results else 0


def _cmd_normalize_text(args: argparse.Namespace) -> int:
    from phuluc.normalize.repair import repair_lines

    stdin = sys.stdin
    stdin.reconfigure(encoding="utf-8", errors="replace")
    sys.stdout.reconfigure(encoding="utf-8")
    for line in repair_lines(line.rstrip("\r\n") for line in stdin):
        sys.stdout.write(line + "\n")
    return 0


def _cmd_agencies(args: argparse.Namespace) -> int:
    from phuluc.data import write_agencies

    frame = write_agencies(args.output)
    if not args.quiet:
        print(f"{len(frame)} agencies written to {Path(args.output) / 'agencies.csv'}")
    return 0


def _min_score(text: str) -> float:
    value = float(text.rstrip("%"))
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be a percent between 0 and 100")
    return value


def _cmd_qa(args: argparse.Namespace) -> int:
    from phuluc.qa import QaError, format_text, run_qa, write_goldens

    if not Path(args.folder).is_dir():
        print(f"phuluc qa: {args.folder}: not a folder", file=sys.stderr)
        return 2
    try:
        if args.write_golden:
            written = write_goldens(args.folder, force=args.force)
            for w in written:
                if w.action in ("wrote", "overwrote"):
                    print(f"{w.action} {w.golden} from {w.input} ({w.tasks} tasks): check it by hand before adding it")
                elif w.action == "kept":
                    print(f"kept {w.golden} (exists; --force overwrites it)")
                elif w.action == "error":
                    print(f"{w.input}: {w.reason}", file=sys.stderr)
            return 1 if any(w.action == "error" for w in written) else 0
        report = run_qa(args.folder, min_score=args.min_score)
    except QaError as e:
        print(f"phuluc qa: {e}", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")
    if args.json and args.json != "-":
        from phuluc.writers import write_json

        write_json(Path(args.json), report.to_dict())
    if args.html:
        from phuluc.qa_html import render_html
        from phuluc.writers import atomic_write_bytes

        atomic_write_bytes(Path(args.html), render_html(report).encode("utf-8"))
    if args.json == "-":
        import json

        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(report))
    if not report.documents:
        print(f"phuluc qa: no document in {args.folder} has a golden file", file=sys.stderr)
    return 0 if report.passed else 1


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phuluc",
        description="Turn the task appendices of Vietnamese government plans (PDF, DOCX) into a task table.",
    )
    parser.add_argument("--version", action="version", version=f"phuluc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("convert", help="convert PDF/DOCX files and folders into JSON and CSV")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help='files, folders (searched recursively) or patterns ("plans/**/*.pdf", expanded by phuluc)')
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output folder")
    p.add_argument("--password", help="password for PDFs protected by a user password")
    p.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                   help="worker processes (default: the number of CPUs)")
    p.add_argument("--timeout", type=_positive_float, default=120.0, metavar="SECONDS",
                   help="time limit per file; a file over it is an error and its worker is replaced (default 120)")
    p.add_argument("--max-pages", type=_positive_int, default=2000, metavar="N",
                   help="refuse PDFs with more pages (default 2000)")
    p.add_argument("--force", action="store_true", help="convert again files whose outputs are up to date")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors (no progress, no summary)")
    p.add_argument("--ocr", choices=("auto", "always", "never"), default="auto",
                   help="read scanned pages with Tesseract: auto (pages without text, default), always, never")
    p.add_argument("--ocr-lang", default="vie", metavar="LANG", help="Tesseract language(s) for OCR (default vie)")
    p.add_argument("--dpi", type=_positive_float, default=300.0, metavar="DPI",
                   help="resolution at which scanned pages are rendered for OCR (default 300)")
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser("normalize-text", help="repair Vietnamese text: lines on stdin, repaired lines on stdout")
    p.set_defaults(func=_cmd_normalize_text)
    p = sub.add_parser("agencies", help="count tasks per agency across a converted batch: OUT/agencies.csv")
    p.add_argument("output", metavar="OUT", help="an output folder of phuluc convert")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    p.set_defaults(func=_cmd_agencies)
    p = sub.add_parser("qa", help="compare the conversion of every document that has a golden file with it")
    p.add_argument("folder", metavar="FOLDER", help="folder of documents with <stem>.golden.json beside them (recursive)")
    p.add_argument("--min-score", type=_min_score, default=100.0, metavar="PERCENT",
                   help="exit 1 when the cell exact-match rate is under this (default 100)")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE",
                   help="machine-readable report: to FILE, or to stdout (instead of the text) when no FILE is given")
    p.add_argument("--html", metavar="FILE", help="write a one-page HTML report to FILE")
    p.add_argument("--write-golden", action="store_true",
                   help="write <stem>.golden.json from the current output for documents that have none")
    p.add_argument("--force", action="store_true", help="with --write-golden: overwrite existing golden files")
    p.set_defaults(func=_cmd_qa)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("phuluc: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
