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
    from phuluc.batch import run_batch
    from phuluc.pipeline import Settings

    settings = Settings(password=args.password)
    results = run_batch(args.inputs, args.output, settings)
    failed = [r for r in results if r.status == "error"]
    for r in failed:
        print(f"{r.input}: {r.reason}", file=sys.stderr)
    if not args.quiet:
        tasks = sum(r.tasks for r in results)
        print(f"Processed {len(results)} files ({tasks} tasks), of which {len(failed)} failed. Output: {args.output}")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phuluc",
        description="Turn the task appendices of Vietnamese government plans (PDF, DOCX) into a task table.",
    )
    parser.add_argument("--version", action="version", version=f"phuluc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("convert", help="convert PDF/DOCX files and folders into JSON and CSV")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (searched recursively)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output folder")
    p.add_argument("--password", help="password for PDFs protected by a user password")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser("normalize-text", help="repair Vietnamese text: lines on stdin, repaired lines on stdout")
    p.set_defaults(func=_cmd_normalize_text)
    p = sub.add_parser("agencies", help="count tasks per agency across a converted batch: OUT/agencies.csv")
    p.add_argument("output", metavar="OUT", help="an output folder of phuluc convert")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    p.set_defaults(func=_cmd_agencies)
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
