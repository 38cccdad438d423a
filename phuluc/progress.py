"""What a batch tells the person watching it, on stderr.

On a terminal: one bar redrawn in place (files done / total, tasks found, failures so far).
Elsewhere (a log, CI, a pipe): a plain progress line every `interval` seconds.
A failed file always gets its own line, "FILE: reason", as soon as it fails; `quiet` keeps only those.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from phuluc.display import display

# Warnings that mean the result may be missing content: worth a line, not only a row in report.json.
LOUD_WARNINGS = {"no-task-table": "no task table found (0 tasks)", "partial-recovery": "damaged, only partly read"}


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False, interval: float = 10.0,
                 tty: bool | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.interval = interval
        self.tty = self.stream.isatty() if tty is None else tty
        self.done = self.tasks = self.failed = self.skipped = 0
        self.start = time.monotonic()
        self._last_draw = 0.0
        self._bar_shown = False

    def update(self, result) -> None:
        """Count one finished file (a `FileResult`) and print its line if it failed."""
        self.done += 1
        self.tasks += result.tasks
        self.skipped += bool(getattr(result, "skipped", False))
        if result.status == "error":
            self.failed += 1
            if result.code != "no-space":  # said once, for the whole run, when it stops
                self.message(f"{display(result.input)}: {display(result.reason)}")
        elif not self.quiet:
            loud = [LOUD_WARNINGS[c] for c in result.warnings if c in LOUD_WARNINGS]
            if loud and not getattr(result, "skipped", False):
                self.message(f"{display(result.input)}: warning: {'; '.join(loud)}")
        self.tick()

    def message(self, line: str) -> None:
        """A line of its own, above the bar."""
        self._clear()
        print(line, file=self.stream, flush=True)
        self._draw(force=True)

    def tick(self) -> None:
        """Redraw if it is time (called on every result and while waiting)."""
        self._draw(force=False)

    def close(self) -> None:
        if self.tty and self._bar_shown and not self.quiet:
            self._draw(force=True)
            print(file=self.stream, flush=True)
            self._bar_shown = False

    def status_text(self) -> str:
        elapsed = time.monotonic() - self.start
        text = f"{self.done}/{self.total} files, {self.tasks} tasks, {self.failed} failed"
        if self.skipped:
            text += f", {self.skipped} up to date"
        return text + f", {elapsed:.0f} s"

    def _clear(self) -> None:
        if self.tty and self._bar_shown:
            print("\r\x1b[K", end="", file=self.stream, flush=True)
            self._bar_shown = False

    def _draw(self, force: bool) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if self.tty:
            if not force and now - self._last_draw < 0.1 and self.done < self.total:
                return
            columns = shutil.get_terminal_size((80, 24)).columns
            text = " " + self.status_text()
            width = max(10, min(40, columns - len(text) - 3))
            filled = width * self.done // max(self.total, 1)
            line = f"[{'#' * filled}{'.' * (width - filled)}]{text}"
            print("\r" + line[: columns - 1], end="", file=self.stream, flush=True)
            self._bar_shown = True
            self._last_draw = now
        elif not force and now - self._last_draw >= self.interval:
            if self._last_draw:  # the first interval starts at the beginning, not with a line at 0
                print(f"progress: {self.status_text()}", file=self.stream, flush=True)
            self._last_draw = now
