"""Errors that end the conversion of one file.

Each has a stable `code` (written to report.json) and a one-line message for
people; the CLI prints "FILE: message" and never a traceback.
"""

from __future__ import annotations


class PhulucError(Exception):
    """The file could not be converted."""

    code = "error"

    def __init__(self, message: str | None = None):
        # One line, always: library messages (lxml, pdfminer) can hold line breaks.
        super().__init__(" ".join((message or (self.__doc__ or "")).split()))

    @property
    def message(self) -> str:
        return str(self)


class EmptyFile(PhulucError):
    """The file is empty (0 bytes)."""

    code = "empty-file"


class UnsupportedFormat(PhulucError):
    """The file is neither a PDF nor a DOCX document."""

    code = "unsupported-format"


class DamagedFile(PhulucError):
    """The file is damaged and could not be read."""

    code = "damaged-file"


class PasswordRequired(PhulucError):
    """The PDF is protected by a password: give it with --password."""

    code = "password-required"


class NoTextLayer(PhulucError):
    """The PDF has no text layer, and OCR read no text from its page images (or OCR is off: --ocr never)."""

    code = "no-text-layer"


class OcrUnavailable(PhulucError):
    """The PDF is a scan and OCR is not available: apt-get install tesseract-ocr tesseract-ocr-vie."""

    code = "ocr-unavailable"


class UndecodableText(PhulucError):
    """The PDF's text cannot be decoded: its fonts have no Unicode map (text reads as (cid:NN)); run OCR on it (e.g. ocrmypdf --force-ocr -l vie)."""

    code = "undecodable-text"


class TooLarge(PhulucError):
    """The file is larger than phuluc accepts."""

    code = "too-large"


class LegacyDoc(PhulucError):
    """Legacy Word .doc file: install LibreOffice (soffice) so phuluc can convert it, or save it as .docx."""

    code = "legacy-doc"


class Timeout(PhulucError):
    """The conversion took longer than the time limit (--timeout)."""

    code = "timeout"


class Unreadable(PhulucError):
    """The file could not be read."""

    code = "unreadable"


class WorkerDied(PhulucError):
    """The worker process died while converting this file (out of memory, or a crash in a PDF/XML library)."""

    code = "worker-died"


class InternalError(PhulucError):
    """A bug in phuluc: please report it with the file."""

    code = "internal-error"


class NoSpace(PhulucError):
    """No space left on the device of the output folder: free some space and run the same command again."""

    code = "no-space"


class WriteFailed(PhulucError):
    """An output file could not be written (permissions, a path that is a file)."""

    code = "write-failed"
