"""The worker processes of a batch: each converts files sent to it, one at a time, and can be killed.

A file that takes longer than `Settings.timeout` (a hostile PDF, a hung LibreOffice)
is an error and its worker is replaced; a worker that dies (out of memory, a crash in
a C library) costs only the file it was working on. Workers are recycled after
`max_tasks_per_worker` files so that their memory stays flat. A worker that cannot
even start (its Python cannot import phuluc) stops the run with its own error: it
would fail every file the same way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict
from multiprocessing.connection import wait
from pathlib import Path

from phuluc.memory import limit_memory
from phuluc.one_file import FileResult, convert_one, remove_outputs, set_error
from phuluc.pipeline import Settings
from phuluc.run_errors import WorkersCannotStart
from phuluc.schema.errors import InternalError, PhulucError, Timeout, WorkerDied

# The worker's first code, run by `exec` so that a failing `import phuluc` is caught and reported
# through the pipe (a target function of ours would fail to unpickle, with only a traceback on stderr).
_BOOTSTRAP = """
try:
    from phuluc.workers import worker_loop
except BaseException as e:
    conn.send(("cannot-start", f"{type(e).__name__}: {e}"))
    raise SystemExit(3) from None
conn.send(("ready",))
worker_loop(conn, out, settings, temp_dir)
"""


def worker_loop(conn, out: str, settings: dict, temp_dir: str) -> None:
    """Loop in a worker process: receive (index, input, stem, sha256), convert, send (index, result, peak RSS)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with contextlib.suppress(OSError, AttributeError):
        os.setpgrp()  # its own process group, so a kill also reaches LibreOffice started by it
    tempfile.tempdir = temp_dir  # LibreOffice profiles go in the run's folder, removed even after a kill
    resolved = Settings(**settings)
    limit_memory(resolved.max_memory)  # a hostile file fails as too-large instead of taking the machine
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
            result = convert_one(inp, stem, out_path, resolved, sha)
        except Exception as e:  # noqa: BLE001 - a bug must cost one file, not the batch
            result = FileResult(input=str(inp.path), source=inp.path.name, status="error", sha256=sha)
            set_error(result, InternalError(f"internal error ({type(e).__name__}: {str(e)[:200]}); please report it"))
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


@contextlib.contextmanager
def _safe_import_path() -> Iterator[None]:
    """Start processes whose Python leaves the current folder out of its import path (PYTHONSAFEPATH).

    The fork server and spawned workers run `python -c`, which would put the current folder first:
    a folder named `phuluc` there (an output folder, a clone) would shadow the installed package.
    """
    old = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = old


class _Worker:
    """One worker process and its pipe; killed and replaced when a file runs over its time."""

    def __init__(self, ctx, out: Path, settings: Settings, temp_dir: str) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        namespace = {"conn": child, "out": str(out), "settings": asdict(settings), "temp_dir": temp_dir}
        self.process = ctx.Process(target=exec, args=(_BOOTSTRAP, namespace), daemon=True)
        with _safe_import_path():
            self.process.start()
        child.close()
        self.ready = False
        self.start_error = ""
        self.job: tuple | None = None
        self.deadline = 0.0
        self.started = 0.0
        self.count = 0

    def give(self, job: tuple, timeout: float) -> None:
        self.job = job
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.count += 1
        with contextlib.suppress(OSError):  # a worker already dead: the supervisor sees its exit and reports it
            self.conn.send(job)

    def receive(self) -> tuple | None:
        """The next result (index, FileResult, peak RSS), or None after a start-up message or a broken pipe."""
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            return None
        if message and message[0] == "ready":
            self.ready = True
            return None
        if message and message[0] == "cannot-start":
            self.start_error = message[1]
            return None
        return message

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


def _failure(w: _Worker, timed_out: bool, timeout: float) -> PhulucError:
    if timed_out:
        return Timeout(f"the conversion took longer than {timeout:g} s (--timeout)")
    code = w.process.exitcode
    how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
    if not w.ready:
        raise WorkersCannotStart(f"a worker process could not start ({w.start_error or how}); no file can be converted")
    return WorkerDied(f"the worker process died ({how}) while converting this file "
                      "(out of memory, or a crash in a PDF/XML library)")


def run_in_workers(jobs_list: list[tuple], out: Path, settings: Settings, jobs: int, max_tasks_per_worker: int,
                   on_result: Callable[[int, FileResult], bool], temp_dir: str, on_idle=None) -> int:
    """Run jobs (index, input, stem, sha256) in `jobs` worker processes; returns the workers' peak RSS (KiB).

    `on_result` returning True stops the run: no new file is started (a full disk).
    Over 60 lines: the supervisor's one loop (give, wait, collect, replace) reads best whole.
    """
    ctx = _mp_context()
    pending = deque(jobs_list)
    workers: list[_Worker | None] = [None] * min(jobs, len(pending))
    peak = 0
    try:
        while pending or any(w is not None and w.job is not None for w in workers):
            for i, w in enumerate(workers):
                if pending and (w is None or w.job is None):
                    if w is None:
                        w = workers[i] = _Worker(ctx, out, settings, temp_dir)
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
                    message = w.receive()
                    if message is not None:
                        got_index, result, rss = message
                        peak = max(peak, rss)
                        w.job = None
                        if on_result(got_index, result):
                            pending.clear()
                        if w.count >= max_tasks_per_worker or result.code == "too-large":
                            w.stop()  # recycle: a fresh process keeps memory flat
                            workers[i] = None
                        continue
                    if w.process.is_alive() and not w.start_error:
                        continue  # "ready": the file is still being converted
                if w.conn in ready or w.process.sentinel in ready or now >= w.deadline:
                    timed_out = now >= w.deadline and w.process.is_alive()
                    w.kill()
                    workers[i] = None
                    if w.start_error:
                        raise WorkersCannotStart(f"a worker process could not start ({w.start_error}); "
                                                 "no file can be converted")
                    remove_outputs(out, stem)
                    result = FileResult(input=str(inp.path), source=inp.path.name, status="error", sha256=sha,
                                        seconds=round(now - w.started, 3))
                    set_error(result, _failure(w, timed_out, settings.timeout))
                    if on_result(index, result):
                        pending.clear()
    finally:
        for w in workers:
            if w is not None:
                if w.job is not None:
                    w.kill()
                else:
                    w.stop()
    return peak
