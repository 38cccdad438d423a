"""Page images for review: PDF pages rendered with pypdfium2, cached as PNG under OUT/.pages/.

A DOCX has no pages of its own: when LibreOffice is installed it is printed to
a twin PDF once (cached beside the images); without it the review page shows
the table alone. Renders are cached by the input's content hash, so a
replaced input never shows stale pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from phuluc.writers import atomic_open

SCALE = 1.5  # 108 dpi: sharp enough to read a table cell, ~150 KB a page
PAGES_DIR = ".pages"
_render_lock = threading.Lock()  # pdfium is not thread-safe


@dataclass
class PageSize:
    width: float  # PDF points, as the cell boxes are
    height: float


def cache_dir(out: Path, stem: str, sha256: str) -> Path:
    return out / PAGES_DIR / (stem.replace("/", "__") + "." + (sha256[:16] or "nohash"))


def pdf_for(input_path: Path, cache: Path, soffice: str | None = None, timeout: float = 120) -> Path | None:
    """The PDF whose pages show this input: the input itself, or a DOCX/DOC's twin printed by LibreOffice."""
    with open(input_path, "rb") as f:
        if b"%PDF-" in f.read(1024):
            return input_path
    twin = cache / "twin.pdf"
    if twin.is_file():
        return twin
    soffice = soffice or shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="phuluc-twin-") as tmp:
        src = Path(tmp) / ("input" + input_path.suffix.lower())
        shutil.copyfile(input_path, src)
        env = dict(os.environ, HOME=tmp)  # a private LibreOffice profile
        try:
            subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=timeout, env=env)
            os.replace(Path(tmp) / "input.pdf", twin)
        except (subprocess.SubprocessError, OSError):
            return None
    return twin


def page_sizes(pdf: Path, password: str | None = None) -> list[PageSize]:
    import pypdfium2 as pdfium

    with _render_lock:
        doc = pdfium.PdfDocument(str(pdf), password=password)
        try:
            return [PageSize(*doc.get_page_size(i)) for i in range(len(doc))]
        finally:
            doc.close()


def render_page(pdf: Path, number: int, cache: Path, password: str | None = None) -> Path:
    """OUT/.pages/<stem>.<hash>/<number>.png (1-based), rendered once."""
    png = cache / f"{number}.png"
    if png.is_file():
        return png
    import pypdfium2 as pdfium

    with _render_lock:
        doc = pdfium.PdfDocument(str(pdf), password=password)
        try:
            page = doc[number - 1]
            image = page.render(scale=SCALE, may_draw_forms=False).to_pil()
            page.close()
        finally:
            doc.close()
    cache.mkdir(parents=True, exist_ok=True)
    with atomic_open(png, "wb") as f:
        image.save(f, format="PNG", optimize=False, compress_level=3)
    return png
