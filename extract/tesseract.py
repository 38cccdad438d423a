"""The one wrapper of the Tesseract engine (through tesserocr, the library binding).

Why tesserocr and not pytesseract: pytesseract starts a `tesseract` process per call,
which loads the `vie` LSTM model again each time; reading a page cell by cell then costs
a process per cell (measured in benchmarks/ocr_speed_RESULTS.md). tesserocr keeps one
engine in memory per worker process and reads any rectangle of the page image that was
set once. Its manylinux wheel bundles the engine; the `vie` data comes from Debian's
`tesseract-ocr-vie` (or any tessdata folder named by TESSDATA_PREFIX).

The engine and its languages are probed once per process; a missing engine or language
raises `OcrUnavailable`, one line that says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from phuluc.schema.errors import OcrUnavailable

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"

# Where distributions put the trained data (Debian/Ubuntu 5.x and 4.x, Fedora, Homebrew, source builds).
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


@dataclass(slots=True)
class OcrWord:
    """A recognized word in image pixels, with its line's top and baseline (so that the
    words of one line share one baseline) and Tesseract's confidence (0-100)."""

    text: str
    x0: int
    x1: int
    line_top: int
    baseline: int
    line_height: int
    conf: float
    new_line: bool  # the first word of a text line


def tessdata_dir() -> str | None:
    """The folder holding *.traineddata: TESSDATA_PREFIX when set (and then only there), else
    the usual places or what the `tesseract` command reports."""
    env = os.environ.get("TESSDATA_PREFIX")
    candidates = [env, str(Path(env) / "tessdata")] if env else list(TESSDATA_DIRS)
    for folder in candidates:
        if folder and any(Path(folder).glob("*.traineddata")):
            return folder
    exe = shutil.which("tesseract")
    if exe and not env:
        try:
            out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        # 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
        if '"' in out:
            folder = out.split('"')[1]
            if any(Path(folder).glob("*.traineddata")):
                return folder
    return None


@lru_cache(maxsize=1)
def engine_info() -> tuple[str, str, tuple[str, ...]]:
    """(version, tessdata folder, languages), probed once; raises OcrUnavailable."""
    try:
        import tesserocr
    except ImportError:
        raise OcrUnavailable(f"the OCR binding is missing: pip install 'phuluc[ocr]' and {INSTALL}") from None
    folder = tessdata_dir()
    if folder is None:
        raise OcrUnavailable(f"no Tesseract language data found: {INSTALL}")
    _, langs = tesserocr.get_languages(folder.rstrip("/") + "/")
    version = tesserocr.tesseract_version().split()[1] if tesserocr.tesseract_version() else "?"
    return version, folder, tuple(sorted(langs))


def check_language(lang: str) -> None:
    """Raise OcrUnavailable unless every language of "vie" / "vie+eng" is installed."""
    _, folder, langs = engine_info()
    missing = [part for part in lang.split("+") if part not in langs]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise OcrUnavailable(f"Tesseract has no '{'+'.join(missing)}' language data in {folder}: "
                             f"apt-get install tesseract-ocr {pkgs}")


@lru_cache(maxsize=2)
def _api(lang: str):
    """One engine per worker process and language (loading `vie` takes ~0.3 s)."""
    import tesserocr

    check_language(lang)
    _, folder, _ = engine_info()
    return tesserocr.PyTessBaseAPI(path=folder.rstrip("/") + "/", lang=lang, psm=tesserocr.PSM.SINGLE_BLOCK)


class Engine:
    """A page image set once; rectangles of it read on demand."""

    def __init__(self, lang: str = "vie") -> None:
        self.api = _api(lang)

    def set_image(self, image) -> None:
        """`image`: a PIL image (grayscale) of the whole page."""
        self.api.SetImage(image)

    def read(self, box: tuple[int, int, int, int], psm: str = "block", whitelist: str = "") -> list[OcrWord]:
        """Read the rectangle (x0, top, x1, bottom) in pixels: its words in reading order.

        psm "block" reads one block of text (a cell); "line" one line (an STT value); "auto"
        segments the page itself.
        `whitelist` limits the characters (STT cells: digits and Roman numerals).
        """
        import tesserocr

        api = self.api
        modes = {"auto": tesserocr.PSM.AUTO, "line": tesserocr.PSM.SINGLE_LINE, "block": tesserocr.PSM.SINGLE_BLOCK}
        api.SetPageSegMode(modes[psm])
        api.SetVariable("tessedit_char_whitelist", whitelist)
        x0, top, x1, bottom = box
        if x1 - x0 < 4 or bottom - top < 4:
            return []
        api.SetRectangle(x0, top, x1 - x0, bottom - top)
        api.Recognize()
        return _words(api.GetIterator())


def _words(it) -> list[OcrWord]:
    import tesserocr

    words: list[OcrWord] = []
    if it is None:
        return words
    level = tesserocr.RIL.WORD
    if it.Empty(level):
        return words
    line_box = (0, 0, 0, 0)
    baseline = 0
    first = True
    while True:
        if it.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line_box = it.BoundingBox(tesserocr.RIL.TEXTLINE) or line_box
            base = it.Baseline(tesserocr.RIL.TEXTLINE)
            baseline = max(base[0][1], base[1][1]) if base else line_box[3]
            first = True
        try:
            text = it.GetUTF8Text(level)
        except RuntimeError:  # an empty word ("No text returned")
            text = ""
        box = it.BoundingBox(level)
        if text and text.strip() and box:
            words.append(OcrWord(text.strip(), box[0], box[2], line_box[1], baseline,
                                 max(line_box[3] - line_box[1], 1), it.Confidence(level), first))
            first = False
        if not it.Next(level):
            break
    return words
