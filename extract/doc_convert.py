"""Legacy Word .doc → Grid: converted to DOCX by LibreOffice, then read as a DOCX.

LibreOffice runs headless with a private profile in a temporary folder, so parallel
conversions do not lock each other; the batch's timeout kills it with its worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from phuluc.extract.docx import read_docx
from phuluc.schema import Grid
from phuluc.schema.errors import DamagedFile, LegacyDoc

# Seconds LibreOffice may take beyond the conversion's own time limit before it is given up.
GRACE = 10.0


def find_soffice(soffice: str | None = None) -> str | None:
    """The LibreOffice binary: the one given, else `soffice` or `libreoffice` on PATH."""
    return soffice or shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: str | Path, soffice: str | None = None, timeout: float = 120.0) -> Grid:
    """Convert a .doc to DOCX with LibreOffice and read that; `LegacyDoc` when LibreOffice is missing."""
    path = Path(path)
    binary = find_soffice(soffice)
    if not binary:
        raise LegacyDoc()
    with tempfile.TemporaryDirectory(prefix="phuluc-doc-") as tmp:
        env = dict(os.environ, HOME=tmp)  # a private profile: parallel runs do not lock each other
        try:
            subprocess.run(
                [binary, "--headless", "--norestore", "--convert-to", "docx", "--outdir", tmp, str(path)],
                check=True, capture_output=True, timeout=timeout + GRACE, env=env,
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
