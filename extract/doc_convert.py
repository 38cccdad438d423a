"""Word files that are not DOCX → Grid: converted to DOCX by LibreOffice, then read as a DOCX.

Legacy `.doc`, and what offices save under a `.doc` name: RTF, Word 2003 XML, a web
page or a single-file web page (cleaned first, `extract/web.py`). An OLE compound file
is opened only when it is a Word document (`extract/cfb.py`); a password-protected
DOCX or .doc is decrypted first.

LibreOffice runs headless with a private profile in a temporary folder, so parallel
conversions do not lock each other; the batch's timeout kills it with its worker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from phuluc.extract.cfb import decrypt, inspect_cfb
from phuluc.extract.docx import read_docx
from phuluc.extract.web import WEB_FORMATS, clean_web_page
from phuluc.schema import Grid
from phuluc.schema.errors import DamagedFile, LegacyDoc, UnsupportedFormat

# Seconds LibreOffice may take beyond the conversion's own time limit before it is given up.
GRACE = 10.0
LEGACY = "legacy .doc"


def find_soffice(soffice: str | None = None) -> str | None:
    """The LibreOffice binary: the one given, else `soffice` or `libreoffice` on PATH."""
    return soffice or shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: str | Path, soffice: str | None = None, timeout: float = 120.0, what: str = LEGACY) -> Grid:
    """Convert a .doc (or `what` the file is) to DOCX with LibreOffice and read that; `LegacyDoc` without LibreOffice."""
    path = Path(path)
    binary = find_soffice(soffice)
    if not binary:
        raise LegacyDoc(None if what == LEGACY else
                        f"{what}: install LibreOffice (soffice) so phuluc can convert it, or save it as .docx")
    with tempfile.TemporaryDirectory(prefix="phuluc-doc-") as tmp:
        env = dict(os.environ, HOME=tmp)  # a private profile: parallel runs do not lock each other
        try:
            subprocess.run(
                # The export filter by name: a web page opens in Writer/Web, which has no plain "docx" filter.
                [binary, "--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(path)],
                check=True, capture_output=True, timeout=timeout + GRACE, env=env,
                preexec_fn=_lift_memory_limit if os.name == "posix" else None,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
            raise DamagedFile(f"LibreOffice could not convert this {what} file: {type(e).__name__}") from None
        out = Path(tmp) / (path.stem + ".docx")
        if not out.exists():
            raise DamagedFile(f"LibreOffice could not convert this {what} file")
        grid = read_docx(out)
    grid.source = path.name
    grid.notes.append(("doc-converted", f"{what} converted to DOCX with LibreOffice"))
    return grid


def _lift_memory_limit() -> None:
    """In the LibreOffice child: the batch worker's memory ceiling (a soft RLIMIT_DATA) is for
    phuluc's own reading; LibreOffice gets the hard limit back and is bounded by the timeout."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))


def read_ole(path: str | Path, password: str | None = None, soffice: str | None = None,
             timeout: float = 120.0) -> Grid:
    """An OLE compound file: a .doc goes to LibreOffice, an encrypted DOCX or .doc is decrypted first,
    anything else (.xls, .ppt, .msg named .doc) is refused naming what it is."""
    path = Path(path)
    cfb = inspect_cfb(path)
    if cfb.kind == "other":
        raise UnsupportedFormat(f"{cfb.description}, not a Word document")
    if not cfb.encrypted:
        return read_doc(path, soffice, timeout)
    plain = decrypt(path, password, cfb.description)
    with tempfile.TemporaryDirectory(prefix="phuluc-decrypted-") as tmp:
        clear = Path(tmp) / (path.stem + (".docx" if cfb.kind == "encrypted-ooxml" else ".doc"))
        clear.write_bytes(plain)
        del plain
        if cfb.kind != "encrypted-ooxml":
            grid = read_doc(clear, soffice, timeout)
        elif zipfile.is_zipfile(clear):
            grid = read_docx(clear)
        else:
            raise DamagedFile(f"{cfb.description} that decrypts to something other than a DOCX")
    grid.source = path.name
    return grid


def read_web(path: str | Path, fmt: str, soffice: str | None = None, timeout: float = 120.0) -> Grid:
    """RTF, Word 2003 XML, a web page or a single-file web page (`fmt` as `sniff_web_format` says): through LibreOffice."""
    path = Path(path)
    what = WEB_FORMATS[fmt]
    if fmt not in ("html", "mht"):
        return read_doc(path, soffice, timeout, what)
    if not find_soffice(soffice):
        raise LegacyDoc(f"{what}: install LibreOffice (soffice) so phuluc can convert it, or save it as .docx")
    with tempfile.TemporaryDirectory(prefix="phuluc-web-") as tmp:
        page = clean_web_page(path, fmt, Path(tmp) / (path.stem + ".html"))
        grid = read_doc(page, soffice, timeout, what)
    grid.source = path.name
    return grid
