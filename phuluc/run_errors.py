"""Why a whole run cannot start or go on (not one file's fault): one line each, for the CLI to print.

A file's own failure is a `phuluc.schema.errors.PhulucError` and a row in report.json;
these stop the run. `exit_status` is what `phuluc` exits with.
"""

from __future__ import annotations


class RunError(Exception):
    """The run cannot go on."""

    exit_status = 2


class NothingToConvert(RunError):
    """No input exists: nothing is converted and nothing is written."""


class OutputFolderError(RunError):
    """The output folder cannot be used (a file, not writable, or on a path that cannot hold a folder)."""


class OutputFolderBusy(RunError):
    """Another phuluc run is writing into the same output folder."""


class WorkersCannotStart(RunError):
    """The worker processes fail before they take a file, so no file can be converted."""


class DiskFull(RunError):
    """No space left on the device of the output folder: what was written is kept; a new run resumes."""

    exit_status = 1
