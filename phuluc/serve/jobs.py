"""Conversions started from the page: the batch engine of `phuluc convert`, run in a background thread.

One batch at a time over every input of the folder (uploads in OUT/inputs/ and
the inputs an earlier `phuluc convert` recorded): files that are up to date are
skipped by the batch itself, so a new upload costs only its own conversion, and
the combined outputs always cover the whole folder. Each file's state is kept
for the page's live progress lines.
"""

from __future__ import annotations

import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from phuluc.batch import FileResult, rewrite_combined, run_batch
from phuluc.pipeline import Settings
from phuluc.serve.folder import OutputFolder


@dataclass
class FileJob:
    name: str  # the file name as shown
    input: str  # absolute path of the input
    state: str = "queued"  # queued, converting, ok, warning, error
    reason: str = ""
    tasks: int = 0
    stem: str = ""


class _Progress:
    """The `phuluc.progress.Progress` interface, recording each result for the page."""

    def __init__(self, converter: Converter) -> None:
        self.converter = converter
        self.total = 0

    def update(self, result: FileResult) -> None:
        self.converter.record(result)

    def tick(self) -> None:
        pass

    def close(self) -> None:
        pass


class Converter:
    def __init__(self, folder: OutputFolder, settings: Settings, jobs: int | None = None) -> None:
        self.folder = folder
        self.settings = settings
        self.jobs = jobs
        self.files: dict[str, FileJob] = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.running = False
        self.thread: threading.Thread | None = None

    def submit(self, paths: list[Path]) -> None:
        with self.lock:
            for p in paths:
                key = os.path.abspath(p)
                self.files[key] = FileJob(name=p.name, input=key)
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name="phuluc-convert", daemon=True)
                self.thread.start()
        self.wake.set()

    def snapshot(self) -> dict:
        with self.lock:
            return {"busy": self.running or self.wake.is_set(), "files": [asdict(f) for f in self.files.values()]}

    def record(self, result: FileResult) -> None:
        with self.lock:
            job = self.files.get(os.path.abspath(result.input))
            if job is not None:
                job.state, job.reason, job.tasks = result.status, result.reason, result.tasks

    def batch_paths(self) -> list[Path]:
        """OUT/inputs/ first (names relative to it), then the inputs an earlier run recorded that still exist."""
        paths = [self.folder.inputs]
        inputs_dir = os.path.abspath(self.folder.inputs)
        for row in self.folder.report_rows():
            p = Path(row["input"])
            if not os.path.abspath(p).startswith(inputs_dir + os.sep) and p.is_file():
                paths.append(p)
        return paths

    def _loop(self) -> None:
        while True:
            self.wake.wait()
            with self.lock:
                self.wake.clear()
                self.running = True
                for job in self.files.values():
                    if job.state == "queued":
                        job.state = "converting"
            saves = self.folder.saves
            try:
                run_batch(self.batch_paths(), self.folder.out, self.settings, jobs=self.jobs, progress=_Progress(self))
                with self.folder.lock:
                    if self.folder.saves != saves:  # a correction saved while the batch read the documents
                        rewrite_combined(self.folder.out)
            except Exception as e:  # noqa: BLE001 - the server must survive a batch that fails as a whole
                with self.lock:
                    for job in self.files.values():
                        if job.state == "converting":
                            job.state, job.reason = "error", " ".join(f"the batch failed: {type(e).__name__}: {e}".split())
            stems = {os.path.abspath(r["input"]): r["stem"] for r in self.folder.report_rows()}
            with self.lock:
                for job in self.files.values():
                    job.stem = stems.get(job.input, job.stem)
                self.running = False
