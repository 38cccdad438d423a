"""Convert many files: find inputs, name outputs, convert each in a worker process, report.

One bad file never stops the batch: it gets a status, a reason and a row in
`report.json`, and the others are converted and written.

Each file is converted in a worker process that the batch can kill: a file
that takes longer than `Settings.timeout` (a hostile PDF, a hung LibreOffice)
is an error and its worker is replaced; a worker that dies (out of memory, a
crash in a C library) costs only the file it was working on. Workers are
recycled after `max_tasks_per_worker` files so that their memory stays flat.

Results are written in input order whatever the scheduling: each worker writes
its file's JSON and CSV, and the combined outputs are built at the end by
reading those JSON files back in order. A second run skips files whose content
hash, phuluc version and settings match the previous `report.json`.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import multiprocessing
import os
import signal
import stat
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from multiprocessing.connection import wait
from pathlib import Path

from phuluc import __version__
from phuluc.pipeline import Settings, convert
from phuluc.schema import PlanDocument
from phuluc.schema.errors import PhulucError, Timeout, Unreadable
from phuluc.writers import CombinedWriter, remove_temp_files, write_document, write_json

INPUT_SUFFIXES = {".pdf", ".docx", ".doc"}
# Names of the batch's own files in OUT: an input called tasks.pdf must not overwrite tasks.csv.
RESERVED_STEMS = {"tasks", "report", "agencies"}
GLOB_CHARS = set("*?[")
MAX_TASKS_PER_WORKER = 50


@dataclass
class Input:
    path: Path
    rel: Path  # path relative to the folder it was found in (its name when given directly)
    problem: str = ""  # why it cannot even be tried ("no file matches the pattern")


@dataclass
class FileResult:
    """What happened to one input; one row of report.json."""

    input: str
    source: str
    status: str  # "ok", "warning" or "error"
    code: str = ""
    reason: str = ""
    tasks: int = 0
    pages: int | None = None
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""  # of the input's bytes when it was converted: a second run skips it while it is unchanged
    skipped: bool = False  # up to date from a previous run, not converted again

    @classmethod
    def from_dict(cls, d: dict) -> FileResult:
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C: the files finished so far are written and recorded; a new run resumes."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted after {done} of {total} files")
        self.done = done
        self.total = total


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
    counts = Counter(_fold(r.parent / r.stem) for r in rels)
    names = []
    for rel in rels:
        clash = counts[_fold(rel.parent / rel.stem)] > 1
        reserved = rel.parent == Path(".") and rel.stem.casefold() in RESERVED_STEMS
        names.append(rel.parent / rel.name if clash or reserved else rel.parent / rel.stem)
    # Last resort (e.g. "x.pdf.docx" and "x.pdf" + "x.pdf.doc"): number the later ones.
    taken: set[str] = set()
    for i, name in enumerate(names):
        candidate, n = name, 1
        while _fold(candidate) in taken:
            n += 1
            candidate = name.with_name(f"{name.name}~{n}")
        taken.add(_fold(candidate))
        names[i] = candidate
    return names


def _fold(p: Path) -> str:
    return p.as_posix().casefold()


def _disambiguated_rel(inputs: list[Input], i: int) -> Path:
    """inputs[i].rel, prefixed with as many parent folder names as it takes to differ from the others."""
    def prefixed(j: int, depth: int) -> Path:
        inp = inputs[j]
        base_parts = Path(os.path.abspath(inp.path)).parts[: -len(inp.rel.parts)]
        keep = base_parts[len(base_parts) - depth:] if depth else ()
        keep = tuple(part for part in keep if part not in ("/", "\\") and not part.endswith((":\\", ":/")))
        return Path(*keep, inp.rel)

    same = [j for j in range(len(inputs)) if _fold(inputs[j].rel) == _fold(inputs[i].rel)]
    if len(same) == 1:
        return inputs[i].rel
    depth = 1
    while True:
        mine = _fold(prefixed(i, depth))
        others = [_fold(prefixed(j, depth)) for j in same if j != i]
        deepest = max(len(Path(os.path.abspath(inputs[j].path)).parts) for j in same)
        if mine not in others or depth >= deepest:
            return prefixed(i, depth)
        depth += 1


# --- one file -------------------------------------------------------------------------


def _output_paths(out: Path, stem: Path) -> tuple[Path, Path]:
    return out / stem.with_name(stem.name + ".json"), out / stem.with_name(stem.name + ".csv")


def file_sha256(path: Path) -> str:
    """Hash of a regular file's bytes; "" when it cannot be read (or is a pipe or device: never read those here)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return ""
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return ""


def convert_one(inp: Input, out_stem: Path, out: Path, settings: Settings, sha256: str = "") -> FileResult:
    """Convert one input and write OUT/<stem>.json and .csv; an error removes stale outputs of that stem."""
    start = time.perf_counter()
    result = FileResult(input=str(inp.path), source=inp.path.name, status="ok", sha256=sha256)
    json_path, csv_path = _output_paths(out, out_stem)
    try:
        if inp.problem:
            raise Unreadable(inp.problem)
        doc = convert(inp.path, settings)
    except PhulucError as e:
        _set_error(result, e)
        _remove_outputs(out, out_stem)
        result.seconds = round(time.perf_counter() - start, 3)
        return result
    write_document(doc, json_path, csv_path)
    result.tasks = len(doc.tasks)
    result.pages = doc.pages
    result.outputs = [json_path.relative_to(out).as_posix(), csv_path.relative_to(out).as_posix()]
    result.warnings = sorted({w.code for w in doc.warnings})
    if doc.warnings:
        result.status = "warning"
        result.reason = "; ".join(result.warnings)
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _set_error(result: FileResult, error: PhulucError) -> None:
    result.status, result.code, result.reason = "error", error.code, " ".join(error.message.split())
    result.tasks, result.pages, result.outputs, result.warnings = 0, None, [], []


def _remove_outputs(out: Path, stem: Path) -> None:
    for p in _output_paths(out, stem):
        with contextlib.suppress(OSError):
            p.unlink()


def convert_to_data(path: str | os.PathLike, settings: Settings | dict | None = None) -> dict:
    """`convert` with its outcome as plain data, for schedulers that ship results between machines (Dask).

    {"source", "ok": True, "document": PlanDocument.to_dict(), "pages"} or
    {"source", "ok": False, "code", "reason"}; never raises for a bad file.
    """
    source = Path(path).name
    try:
        doc = convert(path, settings)
    except PhulucError as e:
        return {"source": source, "ok": False, "code": e.code, "reason": e.message}
    return {"source": source, "ok": True, "document": doc.to_dict(), "pages": doc.pages}


# --- worker processes -----------------------------------------------------------------


def _worker_main(conn, out: str, settings: Settings) -> None:
    """Loop in a worker process: receive (index, input, stem, sha256), convert, send (index, result, peak RSS)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with contextlib.suppress(OSError, AttributeError):
        os.setpgrp()  # its own process group, so a kill also reaches LibreOffice started by it
    out_path = Path(out)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if job is None:
            return
        index, inp, stem, sha = job
        try:
            result = convert_one(inp, stem, out_path, settings, sha)
        except Exception as e:  # noqa: BLE001 - a bug must cost one file, not the batch
            result = FileResult(input=str(inp.path), source=inp.path.name, status="error", code="internal-error",
                                reason=f"internal error ({type(e).__name__}: {str(e)[:200]}); please report it", sha256=sha)
        try:
            conn.send((index, result, _peak_rss_kib()))
        except (OSError, BrokenPipeError):
            return


def _peak_rss_kib() -> int:
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
    except (ImportError, OSError):
        return 0


def _mp_context():
    methods = multiprocessing.get_all_start_methods()
    # forkserver: workers fork from a clean, small server process (no threads, no parent state), and fast.
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["phuluc.batch", "phuluc.extract.pdf"])
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    """One worker process and its pipe; killed and replaced when a file runs over its time."""

    def __init__(self, ctx, out: Path, settings: Settings) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child, str(out), settings), daemon=True)
        self.process.start()
        child.close()
        self.job: tuple | None = None
        self.deadline = 0.0
        self.started = 0.0
        self.count = 0

    def give(self, job: tuple, timeout: float) -> None:
        self.job = job
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.count += 1
        self.conn.send(job)

    def stop(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.kill()
        self.conn.close()

    def kill(self) -> None:
        pid = self.process.pid
        if pid is not None and self.process.is_alive():
            try:
                os.killpg(pid, signal.SIGKILL)
            except (OSError, AttributeError):
                self.process.kill()
        self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()


def _run_in_workers(jobs_list: list[tuple], out: Path, settings: Settings, jobs: int,
                    max_tasks_per_worker: int, on_result, on_idle=None) -> int:
    """Run jobs (index, input, stem, sha256) in `jobs` worker processes; returns the workers' peak RSS (KiB)."""
    ctx = _mp_context()
    pending = deque(jobs_list)
    workers: list[_Worker | None] = [None] * min(jobs, len(pending))
    peak = 0
    try:
        while pending or any(w is not None and w.job is not None for w in workers):
            for i, w in enumerate(workers):
                if pending and (w is None or w.job is None):
                    if w is None:
                        w = workers[i] = _Worker(ctx, out, settings)
                    w.give(pending.popleft(), settings.timeout)
            busy = [w for w in workers if w is not None and w.job is not None]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], min(timeout, 0.5)))
            if on_idle is not None:
                on_idle()
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w is None or w.job is None:
                    continue
                index, inp, stem, sha = w.job
                if w.conn in ready:
                    try:
                        got_index, result, rss = w.conn.recv()
                    except (EOFError, OSError):
                        got_index, result, rss = index, None, 0
                    if result is not None:
                        peak = max(peak, rss)
                        w.job = None
                        on_result(got_index, result)
                        if w.count >= max_tasks_per_worker or result.code == "too-large":
                            w.stop()  # recycle: a fresh process keeps memory flat
                            workers[i] = None
                        continue
                if w.conn in ready or w.process.sentinel in ready or now >= w.deadline:
                    timed_out = now >= w.deadline and w.process.is_alive()
                    w.kill()
                    workers[i] = None
                    _remove_outputs(out, stem)
                    if timed_out:
                        error: PhulucError = Timeout(f"the conversion took longer than {settings.timeout:g} s (--timeout)")
                    else:
                        code = w.process.exitcode
                        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
                        error = PhulucError(f"the worker process died ({how}) while converting this file "
                                            "(out of memory, or a crash in a PDF/XML library)")
                        error.code = "worker-died"
                    result = FileResult(input=str(inp.path), source=inp.path.name, status="error", sha256=sha,
                                        seconds=round(now - w.started, 3))
                    _set_error(result, error)
                    on_result(index, result)
    finally:
        for w in workers:
            if w is not None:
                if w.job is not None:
                    w.kill()
                else:
                    w.stop()
    return peak


# --- the batch ------------------------------------------------------------------------


def _settings_key(settings: Settings) -> dict:
    """The settings that change a conversion's result (not the password: a file that needed one failed without it)."""
    return {"max_pages": settings.max_pages, "max_bytes": settings.max_bytes,
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
    return all(p.is_file() for p in _output_paths(out, stem))


def run_batch(paths: Iterable[str | Path], out: str | Path, settings: Settings | dict | None = None, *,
              jobs: int | None = None, force: bool = False, progress=None,
              max_tasks_per_worker: int = MAX_TASKS_PER_WORKER) -> list[FileResult]:
    """Convert every input into OUT; write OUT/tasks.csv, tasks.jsonl, tasks.xlsx and report.json.

    `jobs`: worker processes (default: the CPU count); 0 converts in this process (no time limit).
    `force`: convert again files that are up to date. `progress`: a `phuluc.progress.Progress`.
    Raises `BatchInterrupted` on Ctrl-C, after writing report.json for the files finished.
    """
    settings = Settings.resolve(settings)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    inputs = find_inputs(paths)
    stems = output_stems(inputs)
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    started = time.perf_counter()
    results: list[FileResult | None] = [None] * len(inputs)
    previous = {} if force else _previous_rows(out, settings)
    if progress is not None:
        progress.total = len(inputs)

    def finish(index: int, result: FileResult) -> None:
        results[index] = result
        if progress is not None:
            progress.update(result)

    peak = 0
    try:
        todo: list[tuple] = []
        for i, (inp, stem) in enumerate(zip(inputs, stems, strict=True)):
            sha = file_sha256(inp.path) if not inp.problem else ""
            row = previous.get(stem.as_posix())
            if _up_to_date(row, sha, out, stem):
                cached = FileResult.from_dict(row)
                cached.input, cached.skipped = str(inp.path), True
                finish(i, cached)
            else:
                todo.append((i, inp, stem, sha))
        if jobs <= 0:
            for i, inp, stem, sha in todo:
                finish(i, convert_one(inp, stem, out, settings, sha))
        elif todo:
            peak = _run_in_workers(todo, out, settings, jobs, max_tasks_per_worker, finish,
                                   progress.tick if progress is not None else None)
    except KeyboardInterrupt:
        done = [r for r in results if r is not None]
        _write_report(out, stems, results, settings, started, jobs, peak, interrupted=True)
        remove_temp_files(out)
        raise BatchInterrupted(len(done), len(inputs)) from None
    finally:
        if progress is not None:
            progress.close()
    final = [r for r in results if r is not None]
    report_data = _write_report(out, stems, results, settings, started, jobs, peak)
    CombinedWriter(out).write(lambda: _documents_back(out, inputs, stems, results), files=report_data["files"])
    remove_temp_files(out)
    return final


def _documents_back(out: Path, inputs: list[Input], stems: list[Path],
                    results: list[FileResult | None]) -> Iterator[tuple[PlanDocument, str]]:
    """The converted documents, read back from their JSON in input order (one at a time)."""
    for inp, stem, result in zip(inputs, stems, results, strict=True):
        if result is None or result.status == "error":
            continue
        json_path, _ = _output_paths(out, stem)
        try:
            data = json.loads(json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # removed by hand since: its row in report.json still tells what happened
        yield PlanDocument.from_dict(data), inp.rel.as_posix()


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


def summary(results: list[FileResult], out: str | Path, seconds: float | None = None, width: int = 100) -> str:
    """The one-screen summary printed at the end of `phuluc convert`."""
    failed = [r for r in results if r.status == "error"]
    tasks = sum(r.tasks for r in results)
    lines = [f"Processed {len(results)} files ({tasks} tasks), of which {len(failed)} failed. Output: {out}"]
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
            lines.append(f"    {r.input}: {r.reason}"[:width])
        if len(failed) > 8:
            lines.append(f"    ... and {len(failed) - 8} more in report.json")
    lines.append("  files: tasks.csv, tasks.jsonl, tasks.xlsx, report.json")
    return "\n".join(lines)
