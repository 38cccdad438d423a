"""The `phuluc` command: a face on the library.

Each command calls one library function (`run_batch`, `repair_stream`,
`write_agencies`, `run_qa` or `write_goldens`) and turns its errors into one
line on stderr, never a traceback. Exit codes: 0 every input converted, 1 at
least one failed (or the disk is full), 2 bad usage or a run that cannot start,
130 Ctrl-C, 143 SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from dataclasses import dataclass

from phuluc import __version__
from phuluc.analysis import write_agencies
from phuluc.batch import BatchInterrupted, run_batch, summary
from phuluc.display import display
from phuluc.pipeline import Settings
from phuluc.progress import Progress
from phuluc.qa import QaError, format_text, run_qa, save_report, write_goldens
from phuluc.repair_stream import repair_stream
from phuluc.run_errors import RunError
from phuluc.serve import ServeMissing, serve_folder


def _cmd_convert(args: argparse.Namespace) -> int:
    settings = Settings(password=args.password, timeout=args.timeout, max_pages=args.max_pages,
                        pdf_engine=args.pdf_engine, ocr=args.ocr, ocr_lang=args.ocr_lang, dpi=args.dpi)
    started = time.monotonic()
    progress = Progress(total=0, quiet=args.quiet)
    try:
        results = run_batch(args.inputs, args.output, settings, jobs=args.jobs, force=args.force, progress=progress)
    except BatchInterrupted as e:
        print(f"phuluc: interrupted after {e.done} of {e.total} files; finished files are written and recorded "
              "in report.json: run the same command again to resume", file=sys.stderr)
        return 128 + e.signum
    failed = [r for r in results if r.status == "error"]
    if not args.quiet:
        print(summary(results, args.output, time.monotonic() - started))
    return 1 if failed or not results else 0


def _cmd_normalize_text(args: argparse.Namespace) -> int:
    repair_stream(sys.stdin, sys.stdout)
    return 0


def _cmd_agencies(args: argparse.Namespace) -> int:
    frame = write_agencies(args.output)
    if not args.quiet:
        print(f"{len(frame)} agencies written to {display(args.output)}/agencies.csv")
    return 0


def _min_score(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be a percent between 0 and 100")
    return value


def _cmd_qa(args: argparse.Namespace) -> int:
    if args.write_golden:
        return _write_goldens(args)
    report = run_qa(args.folder, min_score=args.min_score)
    save_report(report, args.json if args.json not in (None, "-") else None, args.html)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    if args.json == "-":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(report))
    if not report.documents:
        print(f"phuluc qa: no document in {display(args.folder)} has a golden file", file=sys.stderr)
    return 0 if report.passed else 1


def _write_goldens(args: argparse.Namespace) -> int:
    written = write_goldens(args.folder, force=args.force)
    for w in written:
        if w.action in ("wrote", "overwrote"):
            print(f"{w.action} {display(w.golden)} from {display(w.input)} ({w.tasks} tasks): check it by hand before adding it")
        elif w.action == "kept":
            print(f"kept {display(w.golden)} (exists; --force overwrites it)")
        elif w.action == "error":
            print(f"{display(w.input)}: {w.reason}", file=sys.stderr)
    return 1 if any(w.action == "error" for w in written) else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        serve_folder(args.output, args.host, args.port, Settings(timeout=args.timeout), jobs=args.jobs,
                     max_upload_mb=args.max_upload_mb, max_files=args.max_files)
    except ServeMissing as e:
        print(str(e), file=sys.stderr)
        return 2
    except OSError as e:
        print(f"phuluc serve: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 2
    return 0


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


def _add_ocr_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ocr", choices=("auto", "always", "never"), default="auto",
                   help="read scanned pages with Tesseract: auto (pages without text, default), always, never")
    p.add_argument("--ocr-lang", default="vie", metavar="LANG", help="Tesseract language(s) for OCR (default vie)")
    p.add_argument("--dpi", type=_positive_float, default=300.0, metavar="DPI",
                   help="resolution at which scanned pages are rendered for OCR (default 300)")


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
    p.add_argument("--password", help="password for protected PDFs and password-protected Word files (DOCX, DOC)")
    p.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                   help="worker processes (default: the number of CPUs)")
    p.add_argument("--timeout", type=_positive_float, default=600.0, metavar="SECONDS",
                   help="time limit per file; a file over it is an error and its worker is replaced "
                        "(default 600: scans are read by OCR at ~5 s a page)")
    p.add_argument("--max-pages", type=_positive_int, default=2000, metavar="N",
                   help="refuse PDFs with more pages (default 2000)")
    p.add_argument("--pdf-engine", choices=("pdfium", "pdfplumber"), default="pdfium",
                   help="what reads PDF pages (default pdfium, the faster); a file it cannot open is tried with the other")
    p.add_argument("--force", action="store_true", help="convert again files whose outputs are up to date")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors (no progress, no summary)")
    _add_ocr_options(p)
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
    p = sub.add_parser("serve", help="a local web page to convert, review, correct and export an output folder")
    p.add_argument("output", nargs="?", default="phuluc-out", metavar="OUT",
                   help="output folder (created if missing; default phuluc-out)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_positive_int, default=8765, help="port (default 8765)")
    p.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                   help="worker processes for conversions (default: the number of CPUs)")
    p.add_argument("--timeout", type=_positive_float, default=600.0, metavar="SECONDS",
                   help="time limit per file, as for convert (default 600: scans are read by OCR at ~5 s a page)")
    p.add_argument("--max-upload-mb", type=_positive_int, default=50, metavar="MIB", help="largest upload per file (default 50)")
    p.add_argument("--max-files", type=_positive_int, default=20, metavar="N", help="most files per upload (default 20)")
    p.set_defaults(func=_cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    name = f"phuluc {args.command}" if args.command == "qa" else "phuluc"
    try:
        return args.func(args)
    except (RunError, QaError) as e:
        print(f"{name}: {display(str(e))}", file=sys.stderr)
        return getattr(e, "exit_status", 2)
    except OSError as e:  # a path the user gave that cannot be read or written (qa --html /root/x)
        where = f"{display(str(e.filename))}: " if e.filename else ""
        print(f"{name}: {where}{e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("phuluc: interrupted", file=sys.stderr)
        return 130


@dataclass
class Invocation:
    """What a command did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def invoke(argv: list[str], stdin: str = "") -> Invocation:
    """Run a command in this process with its streams captured (as click's CliRunner does): for tests and notebooks."""
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as e:  # argparse's usage errors and --help
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    finally:
        sys.stdin = saved_stdin
    return Invocation(code, out.getvalue(), err.getvalue())


if __name__ == "__main__":
    sys.exit(main())
