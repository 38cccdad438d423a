"""One input → its outputs in OUT, and what happened as a `FileResult` (a row of report.json).

Run in a worker process by the batch, or in the caller's process (`jobs=0`). A
file's failure is data here, never an exception: the batch goes on with the next.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from phuluc.pipeline import Settings, convert
from phuluc.schema import PlanWarning
from phuluc.schema.errors import NoSpace, PhulucError, Unreadable, WriteFailed
from phuluc.writers import BOXES_SUFFIX, write_boxes, write_document

# A library (pdfminer, python-docx) that logs about a file: its words become the file's warnings, never a stray
# stderr line without a file name. At most this many per file; the rest are counted.
MAX_LIBRARY_MESSAGES = 10
LIBRARY_MESSAGE = "library-message"


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


def output_paths(out: Path, stem: Path) -> tuple[Path, Path]:
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
    json_path, csv_path = output_paths(out, out_stem)
    try:
        if inp.problem:
            raise Unreadable(inp.problem)
        with library_messages() as messages:
            doc = convert(inp.path, settings)
        doc.warnings += messages_as_warnings(messages)
        try:
            write_document(doc, json_path, csv_path)
            write_boxes(doc, out / out_stem.with_name(out_stem.name + BOXES_SUFFIX))
        except OSError as e:
            raise write_error(e, out) from None
    except PhulucError as e:
        set_error(result, e)
        remove_outputs(out, out_stem)
        result.seconds = round(time.perf_counter() - start, 3)
        return result
    result.tasks = len(doc.tasks)
    result.pages = doc.pages
    result.outputs = [json_path.relative_to(out).as_posix(), csv_path.relative_to(out).as_posix()]
    result.warnings = sorted({w.code for w in doc.warnings})
    if doc.warnings:
        result.status = "warning"
        result.reason = "; ".join(result.warnings)
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def set_error(result: FileResult, error: PhulucError) -> None:
    result.status, result.code, result.reason = "error", error.code, " ".join(error.message.split())
    result.tasks, result.pages, result.outputs, result.warnings = 0, None, [], []


def remove_outputs(out: Path, stem: Path) -> None:
    for p in (*output_paths(out, stem), out / stem.with_name(stem.name + BOXES_SUFFIX)):
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




def write_error(e: OSError, out: Path) -> PhulucError:
    """An output that could not be written: a full disk by its name, anything else with the system's reason."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return NoSpace(f"no space left on device while writing to {out}")
    return WriteFailed(f"cannot write the output in {out}: {e.strerror or e}")


@contextlib.contextmanager
def library_messages() -> Iterator[list[logging.LogRecord]]:
    """Collect what libraries log (WARNING and above) while the block runs, instead of printing it."""
    records: list[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = _Collect(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield records
    finally:
        root.removeHandler(handler)


def messages_as_warnings(records: list[logging.LogRecord]) -> list[PlanWarning]:
    texts = list(dict.fromkeys(f"{r.name}: {' '.join(r.getMessage().split())}" for r in records))
    warnings = [PlanWarning(LIBRARY_MESSAGE, text[:300]) for text in texts[:MAX_LIBRARY_MESSAGES]]
    if len(texts) > MAX_LIBRARY_MESSAGES:
        warnings.append(PlanWarning(LIBRARY_MESSAGE, f"and {len(texts) - MAX_LIBRARY_MESSAGES} more library messages"))
    return warnings
