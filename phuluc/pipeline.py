"""One file → one PlanDocument: detect the format, extract a Grid, normalize it.

This is the only module that calls both `phuluc.extract` and `phuluc.normalize`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from phuluc.extract.docx import check_zip, read_docx
from phuluc.normalize.document import document_fields
from phuluc.normalize.fields import add_structured_fields
from phuluc.normalize.legacy import font_encoding
from phuluc.normalize.table import tables_to_tasks
from phuluc.normalize.text import clean_inline, clean_text
from phuluc.schema import Grid, PlanDocument, PlanWarning
from phuluc.schema.errors import (
    DamagedFile,
    EmptyFile,
    LegacyDoc,
    PhulucError,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)


@dataclass
class Settings:
    """Every knob of a conversion, with its default (one object travels through the pipeline)."""

    password: str | None = None  # for PDFs with a user password
    max_pages: int = 2000  # a PDF with more pages is refused
    max_bytes: int = 512 * 1024 * 1024
    soffice: str | None = None  # LibreOffice binary for legacy .doc; found on PATH when None
    timeout: float = 120.0  # seconds per file: the batch kills a conversion that takes longer (with its LibreOffice)

    def __post_init__(self) -> None:
        if self.max_pages < 1:
            raise ValueError("Setting 'max_pages' must be at least 1")
        if not self.timeout > 0:
            raise ValueError("Setting 'timeout' must be positive")
        if self.max_bytes < 1:
            raise ValueError("Setting 'max_bytes' must be at least 1")

    @classmethod
    def resolve(cls, settings: Settings | dict | None) -> Settings:
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        return cls(**settings)


def detect_format(path: Path) -> str:
    """The format by the file's bytes, not its name: "pdf", "docx" or "doc"."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise Unreadable("the file does not exist (moved or deleted?)") from None
    except OSError as e:
        raise Unreadable(f"the file cannot be read: {e.strerror or e}") from None
    if not head:
        raise EmptyFile()
    if head.startswith(b"%PDF") or _pdf_header_near_start(path):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    raise UnsupportedFormat(f"not a PDF or DOCX file (the bytes look like {_describe(head)})")


def _pdf_header_near_start(path: Path) -> bool:
    # Some producers put junk before "%PDF"; readers accept it within the first KiB.
    with open(path, "rb") as f:
        return b"%PDF-" in f.read(1024)


def _describe(head: bytes) -> str:
    signatures = {
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"GIF8": "a GIF image",
        b"II*\x00": "a TIFF image",
        b"MM\x00*": "a TIFF image",
        b"{\\rtf": "an RTF document",
        b"<?xml": "an XML file",
        b"<html": "an HTML page",
        b"<!DOC": "an HTML page",
        b"Rar!": "a RAR archive",
        b"7z\xbc\xaf": "a 7-Zip archive",
        b"\x1f\x8b": "a gzip archive",
    }
    for sig, name in signatures.items():
        if head.lower().startswith(sig.lower()):
            return name
    try:
        head.decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "unknown binary data"


def _read_pdf(path: Path, settings: Settings) -> Grid:
    from phuluc.extract.pdf import read_pdf  # pdfplumber is imported only when a PDF comes

    return read_pdf(path, password=settings.password, max_pages=settings.max_pages)


def _read_docx(path: Path, settings: Settings) -> Grid:
    check_zip(path)  # sizes first: nothing is inflated from a zip bomb
    _refuse_dtd(path)
    return read_docx(path)


def _refuse_dtd(path: Path, limit: int = 1 << 20) -> None:
    """Refuse a DOCX whose XML parts declare a DTD: Word never writes one, and entities are an attack vector.

    python-docx's parser neither loads DTDs nor resolves entities (and libxml2 caps
    amplification), so nothing is expanded or fetched; but a silently dropped entity
    would lose text, so the file is refused with a clear reason instead.
    """
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            with zf.open(info) as f:
                prolog = b""
                while len(prolog) < limit:
                    chunk = f.read(16384)
                    if not chunk:
                        break
                    prolog += chunk
                    if _ROOT_START.search(prolog):
                        break
            head = _ROOT_START.split(prolog, maxsplit=1)[0]
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise DamagedFile(f"{info.filename} declares a DTD or entities, which Word never writes (refused as hostile)")


# The root element's start: "<" then a name (not "<?", "<!").
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _read_doc(path: Path, settings: Settings) -> Grid:
    """Legacy Word: convert to DOCX with LibreOffice, then read that."""
    soffice = settings.soffice or shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise LegacyDoc()
    with tempfile.TemporaryDirectory(prefix="phuluc-doc-") as tmp:
        env = dict(os.environ, HOME=tmp)  # a private profile: parallel runs do not lock each other
        try:
            subprocess.run(
                [soffice, "--headless", "--norestore", "--convert-to", "docx", "--outdir", tmp, str(path)],
                check=True, capture_output=True, timeout=settings.timeout + 10, env=env,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
            raise DamagedFile(f"LibreOffice could not convert this .doc file: {type(e).__name__}") from None
        out = Path(tmp) / (path.stem + ".docx")
        if not out.exists():
            raise DamagedFile("LibreOffice could not convert this .doc file")
        grid = read_docx(out)
    grid.source = path.name
    grid.notes.append(("doc-converted", "legacy .doc converted to DOCX with LibreOffice"))
    return grid


READERS: dict[str, Callable[[Path, Settings], Grid]] = {"pdf": _read_pdf, "docx": _read_docx, "doc": _read_doc}


def build_document(grid: Grid) -> PlanDocument:
    """Grid → PlanDocument: the normalizing half of the pipeline, shared by all formats."""
    tasks, warnings, first = tables_to_tasks(grid.tables, clean_text, grid.lines)
    fields = document_fields(grid, clean_inline, first.order if first else None)
    add_structured_fields(tasks)
    notes = [PlanWarning(code, message) for code, message in grid.notes]
    for table in grid.tables:
        notes += [PlanWarning(code, message, table.page) for code, message in table.notes]
    fonts = {c.font for t in grid.tables for c in t.cells} | {ln.font for ln in grid.lines}
    legacy = sorted(f for f in fonts if f and font_encoding(f))
    if legacy:
        notes.append(PlanWarning("legacy-encoding", f"text in legacy fonts ({', '.join(legacy)}) was converted to Unicode"))
    if not tasks:
        notes.append(PlanWarning("no-task-table", "no table with task columns (STT, Nhiệm vụ, Chủ trì, ...) was found"))
    return PlanDocument(source=grid.source, document=fields, tasks=tasks, warnings=notes + warnings, pages=grid.pages)


def convert(path: str | os.PathLike, settings: Settings | dict | None = None) -> PlanDocument:
    """Convert one PDF or DOCX plan appendix into a PlanDocument.

    Raises a `PhulucError` subclass with a one-line reason when the file cannot be read.
    """
    settings = Settings.resolve(settings)
    path = Path(path)
    fmt = detect_format(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise Unreadable(f"the file cannot be read: {e.strerror or e}") from None
    if size > settings.max_bytes:
        raise TooLarge(f"the file is {size // 2**20} MiB (limit {settings.max_bytes // 2**20} MiB)")
    try:
        grid = READERS[fmt](path, settings)
    except PhulucError:
        raise
    except FileNotFoundError:
        raise Unreadable("the file vanished while it was being read") from None
    except MemoryError:
        raise TooLarge("the file needs more memory than is available") from None
    except RecursionError:
        raise DamagedFile("the file's structure is nested too deeply (damaged or hostile)") from None
    except Exception as e:  # a reader library choked on malformed content
        raise DamagedFile(f"damaged {fmt.upper()} file ({type(e).__name__}: {str(e)[:120]})") from None
    grid.source = path.name
    return build_document(grid)
