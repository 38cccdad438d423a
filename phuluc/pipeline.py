"""One file → one PlanDocument: detect the format, read it (extract/), normalize it (normalize/).

This is the only module that calls both `phuluc.extract` and `phuluc.normalize`; it
routes and turns stray library exceptions into `PhulucError`s, and holds no reading
or normalizing of its own.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from phuluc.extract.doc_convert import read_ole, read_web
from phuluc.extract.docx import read_docx
from phuluc.extract.web import WEB_FORMATS, sniff_web_format
from phuluc.normalize.build import build_document
from phuluc.schema import Grid, PlanDocument
from phuluc.schema.errors import (
    DamagedFile,
    EmptyFile,
    PhulucError,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)

PDF_ENGINES = ("pdfium", "pdfplumber")


@dataclass
class Settings:
    """Every knob of a conversion, with its default (one object travels through the pipeline)."""

    password: str | None = None  # for PDFs with a user password
    max_pages: int = 2000  # a PDF with more pages is refused
    max_bytes: int = 512 * 1024 * 1024
    soffice: str | None = None  # LibreOffice binary for legacy .doc; found on PATH when None
    # Seconds per file: the batch kills a conversion that takes longer (with its LibreOffice). 600, not
    # 120: a scan is read by OCR at ~4-7 s a page on one core (benchmarks/ocr_speed_RESULTS.md).
    timeout: float = 600.0
    pdf_engine: str = "pdfium"  # reads PDF pages: "pdfium" (fast) or "pdfplumber"; each is the other's fallback
    ocr: str = "auto"  # scanned pages: auto (pages without text), always (every page image), never
    ocr_lang: str = "vie"  # Tesseract language(s), "vie+eng"
    dpi: float = 300.0  # scans are rendered at this resolution for OCR
    max_memory: int = 960  # MiB of heap per batch worker (RLIMIT_DATA; with code and libraries under 1 GiB); 0 = none
    max_stream: int = 128  # MiB: a PDF stream that inflates to more is refused (a decompression bomb)

    def __post_init__(self) -> None:
        if self.max_pages < 1:
            raise ValueError("Setting 'max_pages' must be at least 1")
        if not self.timeout > 0:
            raise ValueError("Setting 'timeout' must be positive")
        if self.max_bytes < 1:
            raise ValueError("Setting 'max_bytes' must be at least 1")
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"Setting 'pdf_engine' must be one of {', '.join(PDF_ENGINES)}")
        if self.ocr not in ("auto", "always", "never"):
            raise ValueError("Setting 'ocr' must be auto, always or never")
        if not 70 <= self.dpi <= 600:
            raise ValueError("Setting 'dpi' must be between 70 and 600")
        if self.max_memory < 0 or self.max_stream < 1:
            raise ValueError("Settings 'max_memory' (MiB, 0 = none) and 'max_stream' (MiB) must be positive")

    @classmethod
    def resolve(cls, settings: Settings | dict | None) -> Settings:
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        return cls(**settings)


def detect_format(path: Path) -> str:
    """The format by the file's bytes, not its name: "pdf", "docx", "doc" (any OLE file) or a web format ("rtf", "html", ...)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
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
        return "doc"  # any OLE compound file: read_ole tells a .doc from an .xls or an encrypted DOCX
    web = sniff_web_format(head)
    if web:
        return web
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
        codecs.getincrementaldecoder("utf-8")().decode(head)  # a letter cut at the 8th byte is still text
        return "plain text"
    except UnicodeDecodeError:
        return "unknown binary data"


def _read_pdf(path: Path, settings: Settings) -> Grid:
    from phuluc.extract.pdf import read_pdf  # the PDF engines are imported only when a PDF comes

    return read_pdf(path, password=settings.password, max_pages=settings.max_pages, engine=settings.pdf_engine,
                    max_stream=settings.max_stream * 2**20, ocr=settings.ocr, ocr_lang=settings.ocr_lang, dpi=settings.dpi)


def _read_docx(path: Path, settings: Settings) -> Grid:
    return read_docx(path)


def _read_doc(path: Path, settings: Settings) -> Grid:
    """Any OLE compound file: a .doc, an encrypted DOCX, or something else named .doc."""
    return read_ole(path, password=settings.password, soffice=settings.soffice, timeout=settings.timeout)


def _web_reader(fmt: str) -> Callable[[Path, Settings], Grid]:
    def read(path: Path, settings: Settings) -> Grid:
        return read_web(path, fmt, soffice=settings.soffice, timeout=settings.timeout)

    return read


READERS: dict[str, Callable[[Path, Settings], Grid]] = {
    "pdf": _read_pdf, "docx": _read_docx, "doc": _read_doc, **{fmt: _web_reader(fmt) for fmt in WEB_FORMATS},
}


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
        raise TooLarge(f"the file needs more memory than is available (a batch worker may use "
                       f"{settings.max_memory} MiB: Settings.max_memory)") from None
    except RecursionError:
        raise DamagedFile("the file's structure is nested too deeply (damaged or hostile)") from None
    except Exception as e:  # a reader library choked on malformed content
        raise DamagedFile(f"damaged {fmt.upper()} file ({type(e).__name__}: {str(e)[:120]})") from None
    grid.source = path.name
    return build_document(grid)
