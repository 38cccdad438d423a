"""Which PDF pages go to OCR, and the `ocr` note: the hook between `pdf.py` and `ocr.py`.

- `auto` (default): a page without text but with a page-sized image (a scan) is read by
  OCR; a page whose text comes with a page-sized image and no vector rules (an OCR text
  layer from ocrmypdf or scanner software) keeps its words, takes the ruling lines from
  the image and has each cell checked against the image (`ocr_layer.py`).
- `always`: every page with a page-sized image is read by OCR, its text layer ignored.
- `never`: no OCR; a scan is refused (`no-text-layer`) as before.

The page is rendered by pypdfium2 (pdfplumber's own dependency) only when it is needed,
so text PDFs pay nothing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from phuluc.extract.pdf_text_layer import TextLayer

OCR_MODES = ("auto", "always", "never")
# An image covering this share of the page makes it a scanned page.
PAGE_IMAGE_SHARE = 0.5
# Scanned pages shift a table's columns by up to this many points from page to page.
ALIGN_PT = 15.0


def _require_packages() -> None:
    """The OCR packages are an extra: say how to get them instead of failing on an import."""
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import pypdfium2  # noqa: F401
        import tesserocr  # noqa: F401
    except ImportError as e:
        from phuluc.extract.tesseract import INSTALL
        from phuluc.schema.errors import OcrUnavailable

        raise OcrUnavailable(f"the PDF is a scan and OCR needs {e.name}: pip install 'phuluc[ocr]' and {INSTALL}") from None


class PageOcr:
    """OCR for one PDF's pages: opens the renderer and the engine on first need."""

    def __init__(self, path: Path, password: str | None, mode: str = "auto", lang: str = "vie", dpi: float = 300) -> None:
        if mode not in OCR_MODES:
            raise ValueError(f"ocr mode must be one of {', '.join(OCR_MODES)}")
        self.path, self.password, self.mode, self.lang, self.dpi = path, password, mode, lang, dpi
        self._pdf = None
        self._engine = None
        self.ocr_pages: list[int] = []
        self.layer_pages: list[int] = []
        self.confidences: list[float] = []
        self.words: dict[int, list] = {}  # page -> its OCR glyphs, for the cells' confidence
        self.layer_cells = 0  # cells of text-layer pages read from the image (the layer lost them)

    def apply(self, page) -> None:
        """Fill `page` (pdf_page.Page: glyphs, rules, width, height, text_layer) from the image
        where the mode says so. The text layer's verdict (`pdf_text_layer`) decides: a usable
        layer keeps its words; a scanned page without one (a picture, a stamp alone) is read."""
        if self.mode == "never":
            return
        layer = getattr(page, "text_layer", None)
        usable = layer.usable if layer is not None else bool(page.glyphs)
        if self.mode == "auto" and usable and page.rules:
            return  # a text PDF with its rules: nothing to look at
        known = getattr(page, "page_picture", None)  # the reader may have answered it already
        if not (self._scanned(page.number) if known is None else known):
            return
        if usable and self.mode == "auto":
            if not page.rules:
                self._rules_from_image(page)
            return
        self._read_page(page)
        if layer is not None and page.glyphs:  # OCR found text: the page is read
            page.text_layer = TextLayer(True, chars=len(page.glyphs), cover=layer.cover)

    def _doc(self):
        import pypdfium2

        if self._pdf is None:
            try:
                self._pdf = pypdfium2.PdfDocument(str(self.path), password=self.password or None)
            except pypdfium2.PdfiumError:
                if not self.password:
                    raise
                # An owner-password-only PDF opens without one, whatever password the batch was given.
                self._pdf = pypdfium2.PdfDocument(str(self.path))
        return self._pdf

    def _scanned(self, number: int) -> bool:
        """The page holds an image covering PAGE_IMAGE_SHARE of it (a scanned page)."""
        import pypdfium2.raw as pdfium_c

        page = self._doc()[number - 1]
        try:
            width, height = page.get_size()
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                if (right - left) * (top - bottom) >= PAGE_IMAGE_SHARE * width * height:
                    return True
            return False
        finally:
            page.close()

    def _render(self, number: int):
        _require_packages()
        from phuluc.extract.page_image import render_page

        return render_page(self._doc(), number - 1, self.dpi)

    def _read_page(self, page) -> None:
        _require_packages()  # before the imports below, which need them
        from phuluc.extract.ocr import page_confidence, read_page_image
        from phuluc.extract.tesseract import Engine

        if self._engine is None:
            self._engine = Engine(self.lang)
        rgb, dpi, _factor = self._render(page.number)
        result = read_page_image(rgb, dpi, self._engine)
        page.glyphs, page.rules = result.glyphs, result.rules
        page.width, page.height = result.width, result.height
        self.ocr_pages.append(page.number)
        self.confidences += page_confidence(result.glyphs)
        self.words[page.number] = [g for g in result.glyphs if hasattr(g, "conf")]

    def _rules_from_image(self, page) -> None:
        _require_packages()  # before the imports below, which need them
        from phuluc.extract.ocr_layer import read_layer_page

        rgb, dpi, factor = self._render(page.number)
        if factor != 1.0:  # a page declared larger than its paper: its words to the paper's points too
            page.glyphs = [shrink(g, factor) for g in page.glyphs]
            page.width, page.height = page.width / factor, page.height / factor
        # The layer is Tesseract's reading (GlyphLessFont, ocrmypdf's too): its cells get the
        # repairs of Tesseract's errors (lost tones) that OCR'd cells get.
        from phuluc.schema.grid import OCR_FONT

        for g in page.glyphs:
            g.font = OCR_FONT
        result = read_layer_page(rgb, dpi, page.glyphs, self._get_engine)
        page.rules, page.glyphs = result.rules, result.glyphs
        self.layer_pages.append(page.number)
        self.layer_cells += result.read_cells
        self.words[page.number] = [g for g in result.read_glyphs if hasattr(g, "conf")]

    def _get_engine(self):
        from phuluc.extract.tesseract import Engine

        if self._engine is None:
            self._engine = Engine(self.lang)
        return self._engine

    def align_pieces(self, tables) -> None:
        """A table running over scanned pages: each page leans and is levelled on its own, so
        the columns of its pieces stand a few points apart; give a piece the columns of the
        piece before it when every edge is within ALIGN_PT (the normalizer joins pieces whose
        columns match)."""
        pages = set(self.ocr_pages) | set(self.layer_pages)
        prev = None
        for table in tables:
            if table.page in pages and prev is not None and prev.page == table.page - 1 and prev.col_edges \
                    and table.col_edges and len(prev.col_edges) == len(table.col_edges) \
                    and all(abs(a - b) <= ALIGN_PT for a, b in zip(prev.col_edges, table.col_edges, strict=True)):
                table.col_edges = list(prev.col_edges)
            prev = table

    def set_confidence(self, tables) -> None:
        """Cell.conf = the lowest word confidence in each cell of a page read by OCR."""
        for table in tables:
            for cell in table.cells:
                words = self.words.get(cell.page) if cell.bbox else None
                if not words:
                    continue
                x0, top, x1, bottom = cell.bbox
                inside = [g.conf for g in words if x0 <= g.cx <= x1 and top <= g.cy <= bottom]
                cell.conf = min(inside) if inside else None

    def notes(self, ranges) -> list[tuple[str, str]]:
        """The `ocr` note, once per document."""
        parts = []
        if self.ocr_pages:
            from phuluc.extract.tesseract import engine_info

            mean = sum(self.confidences) / len(self.confidences) if self.confidences else 0.0
            parts.append(f"pages {ranges(self.ocr_pages)} read from page images (Tesseract {engine_info()[0]}, "
                         f"{self.lang}, {self.dpi:g} dpi), mean word confidence {mean:.0f}")
        if self.layer_pages:
            parts.append(f"pages {ranges(self.layer_pages)}: text from the PDF's OCR text layer ({self.layer_cells} cells "
                         "it lost or misread read again from the page image), ruling lines from the page image")
        return [("ocr", "; ".join(parts))] if parts else []

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def shrink(glyph, factor: float):
    """A glyph's box and size divided by `factor` (its kind and other fields kept)."""
    return dataclasses.replace(glyph, x0=glyph.x0 / factor, x1=glyph.x1 / factor, top=glyph.top / factor,
                               bottom=glyph.bottom / factor, size=glyph.size / factor)
