"""Convert many files: find inputs, name outputs, convert each in a worker process, report.

One bad file never stops the batch: it gets a status, a reason and a row in
`report.json`, and the others are converted and written. What stops a run is
not a file's fault (`phuluc.run_errors`): nothing to convert, an output folder
that cannot be used or that another run holds, a full disk, workers that cannot start.

Results are written in input order whatever the scheduling (`phuluc.workers`): each
worker writes its file's JSON and CSV, and the combined outputs are built at the end by
reading each of those JSON files back once, in order. A second run skips files whose content
hash, phuluc version and settings match the previous `report.json`. Ctrl-C and SIGTERM
stop the workers, record the files finished, and remove every temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

from phuluc import __version__
from phuluc.display import display, shorten_middle
from phuluc.one_file import FileResult, Input, convert_one, convert_to_data, file_sha256, output_paths
from phuluc.pipeline import Settings
from phuluc.run_errors import DiskFull, NothingToConvert, OutputFolderBusy, OutputFolderError
from phuluc.workers import run_in_workers
from phuluc.writers import XLSX_CUT_CODE, CombinedWriter, read_output_folder, remove_temp_files, write_json

__all__ = ["BatchInterrupted", "FileResult", "Input", "convert_one", "convert_to_data", "find_inputs",
           "output_stems", "report", "run_batch", "summary"]

INPUT_SUFFIXES = {".pdf", ".docx", ".doc"}
# Names of the batch's own files in OUT: an input called tasks.pdf must not overwrite tasks.csv.
RESERVED_STEMS = {"tasks", "report", "agencies"}
GLOB_CHARS = set("*?[")
MAX_TASKS_PER_WORKER = 50


LOCK_NAME = ".phuluc.lock"


class Terminated(KeyboardInterrupt):
    """SIGTERM (a job scheduler, `timeout`): handled as Ctrl-C is."""


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: the files finished so far are written and recorded; a new run resumes."""

    def __init__(self, done: int, total: int, signum: int = signal.SIGINT) -> None:
        super().__init__(f"interrupted after {done} of {total} files")
        self.done = done
        self.total = total
        self.signum = int(signum)


# --- inputs and output names --------------------------------------------------------


def find_inputs(paths: Iterable[str | Path]) -> list[Input]:
    """Files as given, PDF/DOCX/DOC files inside folders (recursively, sorted), and glob patterns.

    Patterns ("plans/**/*.pdf") are expanded here, so they work without a shell; a
    file found through a folder or a pattern keeps its path relative to that folder
    (the pattern's part before its first wildcard). The same file given twice is kept once.
    """
    found: list[Input] = []
    seen: set[Path] = set()

    def add(inp: Input) -> None:
        key = Path(os.path.abspath(inp.path))
        if inp.problem or key not in seen:
            seen.add(key)
            found.append(inp)

    for raw in paths:
        text = str(raw)
        p = Path(text)
        if p.is_dir():
            for f in _walk_folder(p):
                add(Input(f, f.relative_to(p)))
        elif not p.exists() and GLOB_CHARS & set(text):
            base = _glob_base(text)
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            matches = [m for m in matches if m.is_file() and _is_candidate(m)]
            if not matches:
                add(Input(p, Path(p.name), problem="no file matches this pattern"))
            for m in matches:
                add(Input(m, m.relative_to(base) if m.is_relative_to(base) else Path(m.name)))
        else:
            add(Input(p, Path(p.name)))
    return found


def _is_candidate(f: Path) -> bool:
    return f.suffix.lower() in INPUT_SUFFIXES and not f.name.startswith((".", "~$"))


def _walk_folder(folder: Path) -> Iterator[Path]:
    """Regular files under `folder`, sorted, without following symbolic links to folders (no loops)."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            f = Path(root) / name
            if _is_candidate(f) and f.is_file():
                yield f


def _glob_base(pattern: str) -> Path:
    parts = Path(pattern).parts
    base: list[str] = []
    for part in parts:
        if GLOB_CHARS & set(part):
            break
        base.append(part)
    return Path(*base) if base else Path(".")


def output_stems(inputs: list[Input]) -> list[Path]:
    """Output path (without suffix) per input, unique within the run, deterministic.

    - an input keeps its path relative to its folder: `OUT/xa-a/plan.json`;
    - two inputs with the same relative path (explicit files from different folders)
      are told apart by their parent folders: `OUT/xa-a/plan.json`, `OUT/xa-b/plan.json`;
    - two inputs sharing a stem (`x.pdf`, `x.docx`) are named by their whole file name: `x.pdf.json`;
    - a top-level input named like a batch file (`tasks.pdf`, `report.docx`) too.
    Names are compared without case, as on Windows and macOS.
    """
    rels = [_disambiguated_rel(inputs, i) for i in range(len(inputs))]
    counts = Counter(_name_key(r.parent / r.stem) for r in rels)
    names = []
    for rel in rels:
        clash = counts[_name_key(rel.parent / rel.stem)] > 1
        reserved = rel.parent == Path(".") and rel.stem.casefold() in RESERVED_STEMS
        names.append(rel.parent / rel.name if clash or reserved else rel.parent / rel.stem)
    # Last resort (e.g. "x.pdf.docx" and "x.pdf" + "x.pdf.doc"): number the later ones.
    taken: set[str] = set()
    for i, name in enumerate(names):
        candidate, n = name, 1
        while _name_key(candidate) in taken:
            n += 1
            candidate = name.with_name(f"{name.name}~{n}")
        taken.add(_name_key(candidate))
        names[i] = candidate
    return names


def _name_key(p: Path) -> str:
    """A path as names are compared on Windows and macOS: without case."""
    return p.as_posix().casefold()


def _disambiguated_rel(inputs: list[Input], i: int) -> Path:
    """inputs[i].rel, prefixed with as many parent folder names as it takes to differ from the others."""
    def prefixed(j: int, depth: int) -> Path:
        inp = inputs[j]
        base_parts = Path(os.path.abspath(inp.path)).parts[: -len(inp.rel.parts)]
        keep = base_parts[len(base_parts) - depth:] if depth else ()
        keep = tuple(part for part in keep if part not in ("/", "\\") and not part.endswith((":\\", ":/")))
        return Path(*keep, inp.rel)

    same = [j for j in range(len(inputs)) if _name_key(inputs[j].rel) == _name_key(inputs[i].rel)]
    if len(same) == 1:
        return inputs[i].rel
    depth = 1
    while True:
        mine = _name_key(prefixed(i, depth))
        others = [_name_key(prefixed(j, depth)) for j in same if j != i]
        deepest = max(len(Path(os.path.abspath(inputs[j].path)).parts) for j in same)
        if mine not in others or depth >= deepest:
            return prefixed(i, depth)
        depth += 1


# --- the batch ------------------------------------------------------------------------


def _settings_key(settings: Settings) -> dict:
    """The settings that change a conversion's result (not the password: a file that needed one failed without it)."""
    return {"max_pages": settings.max_pages, "max_bytes": settings.max_bytes, "pdf_engine": settings.pdf_engine,
            "ocr": settings.ocr, "ocr_lang": settings.ocr_lang, "dpi": settings.dpi}


def _previous_rows(out: Path, settings: Settings) -> dict[str, dict]:
    """Rows of OUT/report.json by output stem, when that report was made by this version with these settings."""
    try:
        data = json.loads((out / "report.json").read_text(encoding="utf-8"))
        if data.get("phuluc_version") != __version__ or data.get("settings") != _settings_key(settings):
            return {}
        return {row["stem"]: row for row in data.get("files", []) if row.get("stem") and row.get("sha256")}
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return {}


def _up_to_date(row: dict | None, sha: str, out: Path, stem: Path) -> bool:
    if not row or not sha or row.get("sha256") != sha or row.get("status") not in ("ok", "warning"):
        return False
    return all(p.is_file() for p in output_paths(out, stem))


def run_batch(paths: Iterable[str | Path], out: str | Path, settings: Settings | dict | None = None, *,
              jobs: int | None = None, force: bool = False, progress=None,
              max_tasks_per_worker: int = MAX_TASKS_PER_WORKER) -> list[FileResult]:
    """Convert every input into OUT; write OUT/tasks.csv, tasks.jsonl, tasks.xlsx and report.json.

    `jobs`: worker processes (default: the CPU count); 0 converts in this process (no time limit).
    `force`: convert again files that are up to date. `progress`: a `phuluc.progress.Progress`.
    Raises `BatchInterrupted` on Ctrl-C or SIGTERM, after writing report.json for the files finished,
    and a `phuluc.run_errors.RunError` when the run cannot start or go on (nothing written when no input exists).
    """
    settings = Settings.resolve(settings)
    out = Path(out)
    inputs = find_inputs(paths)
    if not any(not inp.problem and os.path.lexists(inp.path) for inp in inputs):
        raise NothingToConvert(_nothing_message(paths, inputs))
    with _output_folder(out), _sigterm_as_interrupt(), _run_temp_dir() as temp_dir:
        run = _Run(inputs, output_stems(inputs), out, settings, progress)
        return run.convert_all(jobs, force, max_tasks_per_worker, temp_dir)


def _nothing_message(paths: Iterable[str | Path], inputs: list[Input]) -> str:
    given = ", ".join(display(str(p)) for p in paths) or "(no path given)"
    if not inputs:
        return f"nothing to convert: no PDF, DOCX or DOC file in {given}"
    reasons = {display(str(i.path)): i.problem or "does not exist" for i in inputs}
    return "nothing to convert: " + "; ".join(f"{name}: {why}" for name, why in reasons.items())


@contextlib.contextmanager
def _output_folder(out: Path) -> Iterator[None]:
    """OUT created if needed and held by this run alone (a lock file), or a one-line reason why not."""
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"{display(str(out))}: exists and is not a folder (choose another -o)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = open(out / LOCK_NAME, "a+")  # noqa: SIM115 - held open for the whole run
    except OSError as e:
        raise OutputFolderError(f"{display(str(out))}: cannot be used as the output folder ({e.strerror or e})") from None
    try:
        try:
            import fcntl

            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:
            pass  # no flock (Windows): runs into one folder are not kept apart
        except OSError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            raise OutputFolderBusy(f"{display(str(out))}: another phuluc run (process {holder}) is writing into this "
                                   "folder; wait for it to finish or choose another -o") from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        yield
    finally:
        lock.close()


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises `Terminated` (a KeyboardInterrupt) in the main thread while the run lasts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _run_temp_dir() -> Iterator[str]:
    """A temporary folder for the run's workers (LibreOffice profiles): removed at the end, even after Ctrl-C."""
    path = tempfile.mkdtemp(prefix="phuluc-run-")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class _Run:
    """One batch run: which files to convert, their results as they come, and what is written at the end."""

    def __init__(self, inputs: list[Input], stems: list[Path], out: Path, settings: Settings, progress) -> None:
        self.inputs, self.stems, self.out, self.settings, self.progress = inputs, stems, out, settings, progress
        self.results: list[FileResult | None] = [None] * len(inputs)
        self.started = time.perf_counter()
        self.peak = 0
        self.jobs = 0
        self.disk_full = False
        if progress is not None:
            progress.total = len(inputs)

    def finish(self, index: int, result: FileResult) -> bool:
        """Record one file's result; True when the run must stop (no space left)."""
        self.results[index] = result
        if self.progress is not None:
            self.progress.update(result)
        self.disk_full |= result.code == "no-space"
        return self.disk_full

    def convert_all(self, jobs: int | None, force: bool, max_tasks_per_worker: int, temp_dir: str) -> list[FileResult]:
        self.jobs = (os.cpu_count() or 1) if jobs is None else jobs
        todo = self._todo({} if force else _previous_rows(self.out, self.settings))
        try:
            if self.jobs <= 0:
                for i, inp, stem, sha in todo:
                    if self.finish(i, convert_one(inp, stem, self.out, self.settings, sha)):
                        break
            elif todo:
                self.peak = run_in_workers(todo, self.out, self.settings, self.jobs, max_tasks_per_worker, self.finish,
                                           temp_dir, self.progress.tick if self.progress is not None else None)
            if self.disk_full:
                raise DiskFull(self._disk_full_message())
            self._write_outputs()
        except KeyboardInterrupt as e:
            self._write_report(interrupted=True)
            remove_temp_files(self.out)
            done = sum(r is not None for r in self.results)
            raise BatchInterrupted(done, len(self.inputs), signal.SIGTERM if isinstance(e, Terminated) else signal.SIGINT) from None
        finally:
            if self.progress is not None:
                self.progress.close()
        return [r for r in self.results if r is not None]

    def _todo(self, previous: dict[str, dict]) -> list[tuple]:
        """Jobs (index, input, stem, sha256) for the files not up to date; the others are finished here."""
        todo: list[tuple] = []
        for i, (inp, stem) in enumerate(zip(self.inputs, self.stems, strict=True)):
            sha = file_sha256(inp.path) if not inp.problem else ""
            row = previous.get(stem.as_posix())
            if _up_to_date(row, sha, self.out, stem):
                cached = FileResult.from_dict(row)
                cached.input, cached.skipped = str(inp.path), True
                self.finish(i, cached)
            else:
                todo.append((i, inp, stem, sha))
        return todo

    def _write_outputs(self) -> None:
        """The combined files, then report.json; a full disk keeps what was written and says so once."""
        entries = [(stem.as_posix(), inp.rel.as_posix()) for inp, stem, r in zip(self.inputs, self.stems, self.results, strict=True)
                   if r is not None and r.status != "error"]
        rels = [(inp.rel.as_posix(), r) for inp, r in zip(self.inputs, self.results, strict=True) if r is not None]
        try:
            CombinedWriter(self.out).write(read_output_folder(self.out, entries, reviewed=True),
                                           files=lambda cut: _files_rows(rels, cut))
            self._write_report()
        except OSError as e:
            if e.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(self._disk_full_message()) from None
            raise OutputFolderError(f"{display(str(self.out))}: cannot write the combined outputs ({e.strerror or e})") from None
        finally:
            remove_temp_files(self.out)

    def _disk_full_message(self) -> str:
        """Record what is done (if there is room for report.json) and tell it in one line."""
        with contextlib.suppress(OSError):
            self._write_report(interrupted=True)
        remove_temp_files(self.out)
        done = sum(r is not None and r.status != "error" for r in self.results)
        return (f"no space left on device in {display(str(self.out))}: {done} of {len(self.inputs)} files were written "
                "and are kept; tasks.csv/jsonl/xlsx were not written; free some space and run the same command again")

    def _write_report(self, interrupted: bool = False) -> dict:
        return _write_report(self.out, self.stems, self.results, self.settings, self.started, self.jobs, self.peak,
                             interrupted=interrupted)


def rewrite_combined(out: str | Path) -> None:
    """OUT/tasks.csv, .jsonl and .xlsx again from OUT/report.json, with corrections (phuluc serve), no conversion."""
    out = Path(out)
    rows = [r for r in json.loads((out / "report.json").read_text(encoding="utf-8")).get("files", []) if r.get("stem")]
    entries = [(r["stem"], r.get("input", "")) for r in rows if r.get("status") != "error"]
    rels = [(r.get("input", ""), FileResult.from_dict(r)) for r in rows]
    CombinedWriter(out).write(read_output_folder(out, entries, reviewed=True), files=lambda cut: _files_rows(rels, cut))


def _files_rows(rels: list[tuple[str, FileResult]], cut: dict[str, list[str]]) -> list[dict]:
    """Rows of the `files` sheet; a file with a cell cut to fit Excel gets that warning (also in report.json)."""
    for rel, result in rels:
        where = cut.get(rel)
        if where and XLSX_CUT_CODE not in result.warnings:
            result.warnings = sorted({*result.warnings, XLSX_CUT_CODE})
            result.status = "warning" if result.status == "ok" else result.status
            result.reason = "; ".join(result.warnings) + f" ({', '.join(where[:5])})"
    return [asdict(r) for _, r in rels]


def _write_report(out: Path, stems: list[Path], results: list[FileResult | None], settings: Settings,
                  started: float, jobs: int, peak_kib: int, interrupted: bool = False) -> dict:
    data = report([r for r in results if r is not None])
    for row, stem in zip(data["files"], [s for s, r in zip(stems, results, strict=True) if r is not None], strict=True):
        row["stem"] = stem.as_posix()
    data["phuluc_version"] = __version__
    data["settings"] = _settings_key(settings)
    data["interrupted"] = interrupted
    data["totals"].update({
        "wall_seconds": round(time.perf_counter() - started, 3),
        "jobs": jobs,
        "worker_peak_rss_mib": round(peak_kib / 1024, 1),
    })
    if interrupted:
        # Keep what the previous report knew about files not reached, so that they stay resumable.
        reached = {row["stem"] for row in data["files"]}
        data["files"] += [row for stem, row in _previous_rows(out, settings).items() if stem not in reached]
    write_json(out / "report.json", data)
    return data


def report(results: list[FileResult]) -> dict:
    statuses = Counter(r.status for r in results)
    return {
        "files": [asdict(r) for r in results],
        "totals": {
            "files": len(results),
            "ok": statuses["ok"],
            "warning": statuses["warning"],
            "error": statuses["error"],
            "skipped": sum(r.skipped for r in results),
            "tasks": sum(r.tasks for r in results),
            "pages": sum(r.pages or 0 for r in results),
            "seconds": round(sum(r.seconds for r in results if not r.skipped), 3),
        },
    }


def failure_line(r: FileResult, width: int) -> str:
    """ "    FILE: reason" within `width`: the name escaped and, when too long, shortened in its middle; the reason whole."""
    reason = display(r.reason)
    room = max(20, width - 6 - len(reason))
    return f"    {shorten_middle(display(r.input), room)}: {reason}"


def summary(results: list[FileResult], out: str | Path, seconds: float | None = None, width: int = 100) -> str:
    """The one-screen summary printed at the end of `phuluc convert`."""
    failed = [r for r in results if r.status == "error"]
    tasks = sum(r.tasks for r in results)
    lines = [f"Processed {len(results)} files ({tasks} tasks), of which {len(failed)} failed. Output: {display(str(out))}"]
    statuses = Counter(r.status for r in results)
    skipped = sum(r.skipped for r in results)
    line = f"  ok {statuses['ok']}, with warnings {statuses['warning']}, failed {statuses['error']}"
    if skipped:
        line += f"; {skipped} up to date (skipped; --force converts them again)"
    lines.append(line)
    pages = sum(r.pages or 0 for r in results)
    converted = [r for r in results if not r.skipped]
    if seconds is not None:
        rate = f", {len(converted) / seconds:.1f} files/s" if seconds > 0 and converted else ""
        lines.append(f"  {pages} pages; {seconds:.1f} s{rate}")
    warnings = Counter(code for r in results for code in r.warnings)
    if warnings:
        lines.append("  warnings: " + ", ".join(f"{code} {n}" for code, n in sorted(warnings.items())))
    if failed:
        lines.append("  failures: " + ", ".join(f"{code} {n}" for code, n in sorted(Counter(r.code for r in failed).items())))
        for r in failed[:8]:
            lines.append(failure_line(r, width))
        if len(failed) > 8:
            lines.append(f"    ... and {len(failed) - 8} more in report.json")
    lines.append("  files: tasks.csv, tasks.jsonl, tasks.xlsx, report.json")
    return "\n".join(lines)
