"""PDF pages read through PDFium (pypdfium2): glyphs and painted rules, as `pdf_page.Page`.

PDFium (Chrome's PDF engine, C++) interprets the content stream some ten times faster
than pdfminer. Its text API is made for selection, not layout, so its records are turned
into exactly what the pdfplumber engine sees:

- a glyph's box is pdfminer's: from the origin, the advance width and the font size (not
  PDFium's tight or loose box: a tone mark drawn left of its origin would move), its
  size the box's height in page space;
- characters PDFium made up are skipped (`FPDFText_IsGenerated`: spaces for gaps, line
  breaks), a hyphen it marked at a line end (`FPDFText_IsHyphen`) is a "-" again, and the
  pieces of one glyph mapped to several code points (NFD "U"+"̉") are one glyph again;
- invisible text (render mode 3, an OCR layer) is kept, as pdfminer keeps it;
- paths are split into subpaths and classified as pdfminer does (line, rectangle, curve).

The hot calls go through ctypes prototypes taking plain addresses (no pointer objects).
"""

from __future__ import annotations

import ctypes
import math
from ctypes import POINTER, c_double, c_float, c_int, c_uint, c_ushort, c_void_p
from pathlib import Path
from typing import Any, Final
from unicodedata import combining

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from phuluc.extract.pdf_ocr import PAGE_IMAGE_SHARE
from phuluc.extract.pdf_page import Page, direction, polyline_rules, reading_frame, rect_rules
from phuluc.extract.pdf_text_layer import REPLACEMENT, image_cover, judge_text_layer
from phuluc.extract.pdf_words import Glyph, dedupe, font_name, round_half_even
from phuluc.schema.errors import DamagedFile, PasswordRequired


def _address(pointer) -> int:
    """A non-null ctypes pointer's address."""
    address = ctypes.cast(pointer, c_void_p).value
    if address is None:
        raise ValueError("null pointer")
    return address


def _proto(name: str, restype, *argtypes):
    """`name` from the PDFium library with plain-address arguments (faster than pointer objects)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(_address(getattr(pdfium_c, name)))


def _hot(name: str, restype):
    """`name` for a call made once a character: no argument conversion (the caller passes a
    `c_void_p`, ints and `byref`s) and the GIL kept (`PYFUNCTYPE`): for a call of well under a
    microsecond, converting arguments and releasing the GIL cost more than PDFium's work."""
    return ctypes.PYFUNCTYPE(restype)(_address(getattr(pdfium_c, name)))


# Final: compiled, a module constant is read without a lookup in the module's dict (per character).
_count_chars: Final = _proto("FPDFText_CountChars", c_int, c_void_p)
_get_text: Final = _proto("FPDFText_GetText", c_int, c_void_p, c_int, c_int, c_void_p)
_unicode: Final = _proto("FPDFText_GetUnicode", c_uint, c_void_p, c_int)
_is_generated: Final = _hot("FPDFText_IsGenerated", c_int)  # (text page, index)
_loose_box: Final = _proto("FPDFText_GetLooseCharBox", c_int, c_void_p, c_int, c_void_p)
_is_hyphen: Final = _hot("FPDFText_IsHyphen", c_int)  # (text page, index)
_text_object: Final = _hot("FPDFText_GetTextObject", c_void_p)  # (text page, index)
_origin: Final = _hot("FPDFText_GetCharOrigin", c_int)  # (text page, index, byref x, byref y)
_char_matrix: Final = _hot("FPDFText_GetMatrix", c_int)  # (text page, index, byref matrix)
_font_size: Final = _proto("FPDFTextObj_GetFontSize", c_int, c_void_p, POINTER(c_float))
_text_font: Final = _proto("FPDFTextObj_GetFont", c_void_p, c_void_p)
_glyph_width: Final = _hot("FPDFFont_GetGlyphWidth", c_int)  # (font, code point, c_float size, byref width)
_descent: Final = _proto("FPDFFont_GetDescent", c_int, c_void_p, c_float, POINTER(c_float))
_base_font_name: Final = _proto("FPDFFont_GetBaseFontName", ctypes.c_ulong, c_void_p, c_void_p, ctypes.c_ulong)
_count_objects: Final = _proto("FPDFPage_CountObjects", c_int, c_void_p)
_get_object: Final = _proto("FPDFPage_GetObject", c_void_p, c_void_p, c_int)
_form_count: Final = _proto("FPDFFormObj_CountObjects", c_int, c_void_p)
_form_object: Final = _proto("FPDFFormObj_GetObject", c_void_p, c_void_p, ctypes.c_ulong)
_bounds: Final = _proto("FPDFPageObj_GetBounds", c_int, c_void_p, POINTER(c_float), POINTER(c_float), POINTER(c_float),
                        POINTER(c_float))
_object_type: Final = _proto("FPDFPageObj_GetType", c_int, c_void_p)
_object_matrix: Final = _proto("FPDFPageObj_GetMatrix", c_int, c_void_p, c_void_p)
_draw_mode: Final = _proto("FPDFPath_GetDrawMode", c_int, c_void_p, POINTER(c_int), POINTER(c_int))
_fill_color: Final = _proto("FPDFPageObj_GetFillColor", c_int, c_void_p, POINTER(c_uint), POINTER(c_uint),
                            POINTER(c_uint), POINTER(c_uint))
_count_segments: Final = _proto("FPDFPath_CountSegments", c_int, c_void_p)
_get_segment: Final = _proto("FPDFPath_GetPathSegment", c_void_p, c_void_p, c_int)
_segment_point: Final = _proto("FPDFPathSegment_GetPoint", c_int, c_void_p, POINTER(c_float), POINTER(c_float))
_segment_type: Final = _proto("FPDFPathSegment_GetType", c_int, c_void_p)
_segment_close: Final = _proto("FPDFPathSegment_GetClose", c_int, c_void_p)

_TEXT, _PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_map_error: Final = _hot("FPDFText_HasUnicodeMapError", c_int)  # (text page, index)
# Characters sampled per page for a missing Unicode map (all of them once one is found).
MAP_SAMPLE = 256
_MOVETO, _BEZIERTO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
_EM: Final = c_float(1000.0)  # the font size at which widths are asked (thousandths of an em)
# A text object narrower than this has no ink: PDFium's text page skips it (kSizeEpsilon).
_EMPTY = 0.01
# Characters the loop looks at first: spaces PDFium may have made up, line breaks, hyphen marks.
_SPECIAL: Final = frozenset(" \r\n\x02\ufffe")

Matrix = tuple[float, float, float, float, float, float]


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _page_ctm(rotation: int, box: tuple[float, float, float, float]) -> Matrix:
    """pdfminer's page matrix: the media box moved to the origin and the page's /Rotate applied."""
    x0, y0, x1, y1 = box
    if rotation == 1:
        return (0, -1, 1, 0, -y0, x1)
    if rotation == 2:
        return (-1, 0, 0, -1, x1, y1)
    if rotation == 3:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


class PdfiumSource:
    """An open PDF whose pages are read through PDFium."""

    engine = "pdfium"

    def __init__(self, path: Path, password: str | None) -> None:
        try:
            self.doc = pdfium.PdfDocument(str(path), password=password or None)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code == pdfium_c.FPDF_ERR_PASSWORD:
                raise PasswordRequired("wrong password" if password else None) from None
            if code == pdfium_c.FPDF_ERR_SECURITY:
                raise DamagedFile("unsupported PDF encryption") from None
            raise DamagedFile(f"not a readable PDF: {str(e)[:120]}") from None
        except (OSError, ValueError) as e:
            raise DamagedFile(f"not a readable PDF: {type(e).__name__}: {str(e)[:120]}") from None
        self.page_count = len(self.doc)

    def read(self, index: int) -> Page:
        page = pdfium_c.FPDF_LoadPage(self.doc.raw, index)
        if not page:
            raise DamagedFile(f"page {index + 1} cannot be loaded")
        try:
            return _read_page(page, index + 1)
        finally:
            pdfium_c.FPDF_ClosePage(page)

    def close(self) -> None:
        self.doc.close()


def _media_box(page) -> tuple[float, float, float, float]:
    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    if pdfium_c.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        return left.value, bottom.value, right.value, top.value
    return 0.0, 0.0, pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)


def _read_page(page, number: int) -> Page:
    rotation = pdfium_c.FPDFPage_GetRotation(page) % 4
    box = _media_box(page)
    ctm = _page_ctm(rotation, box)
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if rotation % 2:
        width, height = height, width
    handle = ctypes.cast(page, c_void_p).value
    text_page = pdfium_c.FPDFText_LoadPage(page)
    if not text_page:
        raise DamagedFile(f"page {number}: its text cannot be read")
    fonts: dict = {}
    votes: list[tuple[float, float]] = []
    try:
        glyphs = _chars(_address(text_page), ctm, fonts, height, votes)
        unmapped = _unmapped(_address(text_page))
    finally:
        pdfium_c.FPDFText_ClosePage(text_page)
    shapes: list[tuple] = []
    blanks: list[tuple] = []
    images: list[tuple | None] = []
    count = _count_objects(handle)
    if count < 0:
        images.append(None)
    _walk_objects([_get_object(handle, i) for i in range(count)], ctm, shapes, blanks, fonts, images)
    page_box = (box[0], box[1], box[2], box[3])
    layer = judge_text_layer([g.text for g in glyphs], image_cover(
        [(im[0] - page_box[0], im[1] - page_box[1], im[2] - page_box[0], im[3] - page_box[1])
         for im in images if im is not None and im[4] == 0],
        abs(box[2] - box[0]), abs(box[3] - box[1])), undecodable=unmapped)
    if layer.reason == "undecodable":
        glyphs = []  # glyph codes, not text
    elif unmapped:
        for g in glyphs:  # PDFium hands an unmapped glyph's code on as a character: mostly controls
            if len(g.text) == 1 and g.text < " ":
                g.text = REPLACEMENT
    votes += [(ch[7], ch[8]) for ch in blanks[: max(400 - len(votes), 0)]]
    d = direction(votes)
    upright_height = height  # where the glyphs were placed
    frame, width, height = reading_frame(d, width, height)
    glyphs += [Glyph(t, x0, x1, upright_height - y1, upright_height - y0, size, font)
               for t, x0, y0, x1, y1, size, font, _, _ in blanks]
    if d != (1, 0):  # the glyphs were placed for an upright page: turn them into this page's frame
        for g in glyphs:
            g.x0, g.top, g.x1, g.bottom = frame(g.x0, upright_height - g.bottom, g.x1, upright_height - g.top)
        glyphs = dedupe(glyphs)
    elif blanks:
        glyphs = dedupe(glyphs)
    out = Page(number, width, height, glyphs, text_layer=layer, page_picture=_page_picture(page, images))
    for shape in shapes:
        if shape[0] == "rect":
            out.rules += rect_rules(shape[1], shape[2], shape[3], frame)
        else:
            out.rules += polyline_rules(shape[1], frame)
    return out


class _Style:
    """What every character of one text object shares: font, size, matrix, descent."""

    __slots__ = ("a", "a0", "b", "b0", "c", "d", "desc", "fast", "font", "handle", "size", "unit_widths", "widths")
    a: float
    a0: float
    b: float
    b0: float
    c: float
    d: float
    desc: float
    fast: tuple[float, float, float] | None
    font: str
    handle: int
    size: float
    unit_widths: dict[str, float]
    widths: dict[str, float]

    def __init__(self, obj: int, matrix: Matrix, fonts: dict, own: Matrix) -> None:
        self.a, self.b, self.c, self.d = matrix[:4]
        self.a0, self.b0 = own[0], own[1]  # the matrix in PDFium's space (before the page's rotation)
        size = c_float()
        _font_size(obj, size)
        self.size = size.value
        font = _text_font(obj) or 0
        self.handle = font
        known = fonts.get(font)
        if known is None:
            known = fonts[font] = _font_info(font)
        self.font, descent_em, self.unit_widths, sized = known
        self.desc = descent_em * self.size
        # character -> advance at this size (text space), shared by the font's text objects of this size
        self.widths = sized.setdefault(self.size, {})
        # Upright text (no rotation, no skew): a, and the box's bottom and top above the baseline.
        self.fast = None
        if self.b == 0.0 and self.c == 0.0 and self.d > 0.0:
            self.fast = (self.a, self.d * self.desc, self.d * (self.desc + self.size))

    # Static, not class methods: `_Style(...)` is a native call once compiled, `cls(...)` is not.
    @staticmethod
    def of_char(handle: c_void_p, index: int, obj: int, ctm: Matrix, fonts: dict, m: Any) -> _Style:
        """The style of character `index` of a text page (`m`: an FS_MATRIX to fill, one a page)."""
        _char_matrix(handle, index, ctypes.byref(m))
        own = (m.a, m.b, m.c, m.d, 0.0, 0.0)
        return _Style(obj, _mul(own, ctm), fonts, own)

    @staticmethod
    def of_object(obj: int, own: Matrix, outer: Matrix, fonts: dict) -> _Style:
        return _Style(obj, _mul(own, outer), fonts, own)

    def loose_width(self, text_page: int, index: int, x: float, y: float) -> float:
        """The advance of a character whose code point has no glyph of its own (the first piece of
        an NFD glyph): PDFium's loose box reaches from the origin to the advance (or the ink)."""
        rect = pdfium_c.FS_RECTF()
        if not _loose_box(text_page, index, ctypes.addressof(rect)):
            return 0.0
        a0, b0 = self.a0, self.b0
        if abs(a0) >= abs(b0):
            reach = rect.right - x if a0 > 0 else x - rect.left
            return max(reach / abs(a0), 0.0) if a0 else 0.0
        reach = rect.top - y if b0 > 0 else y - rect.bottom
        return max(reach / abs(b0), 0.0)

    def width(self, ch: str) -> float:
        """The advance width (text space, font size applied) of the glyph for character `ch`."""
        w = self.unit_widths.get(ch)
        if w is None:
            out = c_float()
            ok = self.handle and _glyph_width(c_void_p(self.handle), ord(ch), _EM, ctypes.byref(out))
            w = self.unit_widths[ch] = out.value / 1000.0 if ok else 0.0
        self.widths[ch] = w * self.size
        return w * self.size


def _buffer(kind: Any, n: int) -> Any:
    """A zeroed ctypes array of at least `n` items, its length a power of two: ctypes builds (and
    keeps) an array type for each length, which cost more than the read when every page had its own."""
    return (kind * (1 << (n - 1).bit_length()))()


def _font_info(font: int) -> tuple[str, float, dict, dict]:
    """A font's name, its descent (ems, negative) and empty width caches (per em, per size).

    The descent is the descriptor's, as pdfminer reads it; where the descriptor says 0 (LibreOffice)
    PDFium measures the font instead, so that the box sits a little lower on the baseline than
    pdfminer's: a closer fit to the ink, and no sample reads differently for it."""
    if not font:
        return "", 0.0, {}, {}
    n = _base_font_name(font, None, 0)
    buf = _buffer(ctypes.c_char, max(n, 1))
    _base_font_name(font, ctypes.addressof(buf), n)
    name = font_name(buf.value.decode("utf-8", "replace"))
    descent = c_float()
    desc = -abs(descent.value) / 1000.0 if _descent(font, 1000.0, descent) else 0.0
    return name, desc, {}, {}


def _chars(text_page: int, ctm: Matrix, fonts: dict, height: float, votes: list) -> list[Glyph]:
    """Every drawn character as a glyph placed on an upright page of `height` (pdfminer's boxes),
    each drawn once; `votes` gets the first 400 glyphs' writing directions.

    The hot loop of the reader: two PDFium calls per character (its text object, its origin),
    the rest inline for upright text. Long on purpose: a helper call a character would cost
    more than the work it holds."""
    n = _count_chars(text_page)
    if n <= 0:
        return []
    buf = _buffer(c_ushort, n + 1)
    got = _get_text(text_page, 0, n, ctypes.addressof(buf))
    text = bytes(buf)[: max(got - 1, 0) * 2].decode("utf-16-le", "replace")
    if len(text) != n:  # not one code unit per character (control characters, surrogates): one by one
        text = "".join(chr(_unicode(text_page, i) or 0xFFFE) for i in range(n))
    styles: dict[int, _Style] = {}
    ox, oy = c_double(), c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    handle = c_void_p(text_page)  # for the per-character calls, which convert nothing
    matrix = pdfium_c.FS_MATRIX()  # filled for each text object's first character
    ea, eb, ec, ed, ee, ef = ctm
    plain = ea == 1 and ed == 1 and eb == 0 and ec == 0  # no page rotation: a shift only
    out: list[Glyph] = []
    seen: set[tuple[str, int, int]] = set()
    last_obj = 0  # no text object is at address 0
    last_x = last_y = math.nan  # equal to no origin
    style: _Style  # set at the first character of each text object
    prev: Glyph | None = None
    widths: dict[str, float] = {}
    fast: tuple[float, float, float] | None = None
    font = ""
    a = lo = hi = size = b = 0.0
    x = y = px = py = x0 = x1 = top = bottom = 0.0
    last_top = math.nan  # the glyph's top that `rounded_top` rounds (the line's, mostly)
    rounded_top = 0
    adv: float | None = None
    voting = len(votes) < 400
    for i, ch in enumerate(text):
        if ch in _SPECIAL:
            if ch == " ":
                if _is_generated(handle, i):
                    continue  # PDFium's gap spaces
            elif ch == "\x02" or ch == "\ufffe":
                if not _is_hyphen(handle, i):
                    continue  # no code point: nothing to read
                ch = "-"  # PDFium's mark for a hyphen at a line end
            else:
                continue  # PDFium's own line breaks
        obj = _text_object(handle, i)
        if not obj:
            continue
        _origin(handle, i, pox, poy)
        x = ox.value
        y = oy.value
        if obj != last_obj:
            known = styles.get(obj)
            if known is None:
                known = styles[obj] = _Style.of_char(handle, i, obj, ctm, fonts, matrix)
            style = known
            widths, fast, font = style.widths, style.fast, style.font
            if fast is not None:  # the same for every character of the object
                a, lo, hi = fast
                size = hi - lo
                b = 0.0
        elif x == last_x and y == last_y and prev is not None:
            prev.text += ch  # one glyph mapped to several code points (NFD): the pieces share the origin
            continue
        last_obj = obj
        last_x = x
        last_y = y
        adv = widths.get(ch)
        if adv is None:
            adv = style.width(ch)
        if adv == 0.0 and not combining(ch):
            adv = style.loose_width(text_page, i, x, y)
        if plain:
            px = x + ee
            py = y + ef
        else:
            px, py = x * ea + y * ec + ee, x * eb + y * ed + ef
        if fast is not None:  # upright: the box without the general transform
            x0 = px
            x1 = px + a * adv
            if x1 < x0:
                x0, x1 = x1, x0
            top = height - py - hi
            bottom = height - py - lo
        else:
            _, x0, y0, x1, y1, size, _, a, b = _glyph(ch, px, py, style, adv)
            top, bottom = height - y1, height - y0
        if voting:
            votes.append((a, b))
            voting = len(votes) < 400
        if top != last_top:
            last_top = top
            rounded_top = round_half_even(top)
        key = (ch, round_half_even(x0), rounded_top)
        if key in seen:
            prev = None
            continue
        seen.add(key)
        prev = Glyph(ch, x0, x1, top, bottom, size, font)
        out.append(prev)
    return out


def _glyph(ch: str, px: float, py: float, style: _Style, adv: float) -> tuple:
    """pdfminer's box of a glyph at origin (px, py) in its page space: (0, desc)-(adv, desc+size)
    through the text matrix; its size is the box's height."""
    a, b, c, d, desc, size = style.a, style.b, style.c, style.d, style.desc, style.size
    if b == 0.0 and c == 0.0:
        x0, x1 = px, px + a * adv
        y0, y1 = py + d * desc, py + d * (desc + size)
    else:
        xs = (px + c * desc, px + a * adv + c * desc, px + c * (desc + size), px + a * adv + c * (desc + size))
        ys = (py + d * desc, py + b * adv + d * desc, py + d * (desc + size), py + b * adv + d * (desc + size))
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 < x0:
        x0, x1 = x1, x0
    if y1 < y0:
        y0, y1 = y1, y0
    return (ch, x0, y0, x1, y1, y1 - y0, style.font, a, b)


# --- rules ------------------------------------------------------------------------------


def _unmapped(text_page: int) -> int:
    """Characters without a Unicode map (a font without /ToUnicode): counted on a sample spread
    over the page, then on every character once the sample finds one."""
    n = _count_chars(text_page)
    if n <= 0:
        return 0
    handle = c_void_p(text_page)  # for the per-character calls, which convert nothing
    step = max(1, n // MAP_SAMPLE)
    for i in range(0, n, step):
        if _unmapped_at(text_page, handle, i):
            break
    else:
        return 0
    count = 0
    for i in range(n):
        if _unmapped_at(text_page, handle, i):
            count += 1
    return count


# Vietnamese letters outside Latin-1. Tesseract's GlyphLessFont (the invisible OCR text layer
# of `tesseract … pdf` and ocrmypdf) maps them correctly, yet PDFium flags a map error on each:
# counted as glyph ids, they made an OCR'd Vietnamese page "undecodable" and sent it to OCR
# again. A font without a map hands on glyph ids, which do not spell these letters.
_VIET_EXTENDED = frozenset("ĂăĐđĨĩŨũƠơƯư" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA)))


def _unmapped_at(text_page: int, handle: c_void_p, index: int) -> bool:
    """PDFium flags the character as unmapped and its code is not a Vietnamese letter."""
    return _map_error(handle, index) == 1 and chr(_unicode(text_page, index) or 0xFFFE) not in _VIET_EXTENDED


def _page_picture(page, images: list[tuple | None]) -> bool | None:
    """`PageOcr`'s scan test answered from the objects read here (it would load the page again):
    a picture down to form depth 2 whose bounds cover PAGE_IMAGE_SHARE of the page's size, as
    pypdfium2's `get_objects(max_depth=3)` and `get_bounds()` see it; None where one could not
    be measured (PageOcr then looks itself)."""
    if None in images:
        return None
    least = PAGE_IMAGE_SHARE * pdfium_c.FPDF_GetPageWidthF(page) * pdfium_c.FPDF_GetPageHeightF(page)
    return any((im[2] - im[0]) * (im[3] - im[1]) >= least for im in images if im is not None)


def _walk_objects(objects: list, outer: Matrix, shapes: list[tuple], chars: list[tuple], fonts: dict,
                  images: list[tuple | None] | None = None, level: int = 0) -> None:
    """Painted paths (and form XObjects' ones) as shapes; blank text objects as spaces; in `images`
    the pictures' bounds and form depth (0: the page's own) down to depth 2, None for one that
    could not be measured (a scan is one page-size picture)."""
    m = pdfium_c.FS_MATRIX()
    for obj in objects:
        if not obj:
            if images is not None:
                images.append(None)
            continue
        kind = _object_type(obj)
        if kind == _PATH:
            _path_shapes(obj, outer, shapes)
        elif kind == _TEXT:
            space = _blank_text(obj, outer, fonts)
            if space is not None:
                chars.append(space)
        elif kind == _IMAGE and images is not None:
            left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
            ok = _bounds(obj, left, bottom, right, top)
            images.append((left.value, bottom.value, right.value, top.value, level) if ok else None)
        elif kind == _FORM:
            inside = images if level < 2 else None  # pypdfium2's get_objects(max_depth=3) stops there
            if not _object_matrix(obj, ctypes.addressof(m)):
                if inside is not None:
                    inside.append(None)
                continue
            inner = _mul((m.a, m.b, m.c, m.d, m.e, m.f), outer)
            count = _form_count(obj)
            if count < 0 and inside is not None:
                inside.append(None)
            _walk_objects([_form_object(obj, i) for i in range(count)], inner, shapes, chars, fonts, inside, level + 1)


def _blank_text(obj: int, outer: Matrix, fonts: dict) -> tuple | None:
    """A text object with no ink (only spaces), which PDFium's text page leaves out: a space glyph
    at its origin, as pdfminer reads it (a word drawn apart from its space is told by it)."""
    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    if not _bounds(obj, left, bottom, right, top) or right.value - left.value >= _EMPTY:
        return None
    m = pdfium_c.FS_MATRIX()
    if not _object_matrix(obj, ctypes.addressof(m)):
        return None
    style = _Style.of_object(obj, (m.a, m.b, m.c, m.d, m.e, m.f), outer, fonts)
    if not style.size:
        return None  # drawn at size 0: invisible, and nowhere
    ox, oy = m.e, m.f
    a, b, c, d, e, f = outer
    return _glyph(" ", ox * a + oy * c + e, ox * b + oy * d + f, style, style.width(" "))


def _path_shapes(obj: int, outer: Matrix, shapes: list[tuple]) -> None:
    """A painted path → shapes in page space, subpath by subpath, classified as pdfminer does."""
    fill_mode, stroke = c_int(), c_int()
    if not _draw_mode(obj, fill_mode, stroke) or not (fill_mode.value or stroke.value):
        return
    m = pdfium_c.FS_MATRIX()
    if not _object_matrix(obj, ctypes.addressof(m)):
        return
    a, b, c, d, e, f = _mul((m.a, m.b, m.c, m.d, m.e, m.f), outer)
    white = False
    if fill_mode.value:
        r, g, bl, al = c_uint(), c_uint(), c_uint(), c_uint()
        white = bool(_fill_color(obj, r, g, bl, al)) and min(r.value, g.value, bl.value) >= 252
    for shape, pts in _subpaths(obj):
        pts = [(x * a + y * c + e, x * b + y * d + f) for x, y in pts]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"  # a redundant "l" back to the start of a closed path
            pts.pop()
        if shape in ("ml", "mlh"):
            shapes.append(("line", [pts[0], pts[1]]))
        elif shape in ("mlllh", "mllll") and _is_box(pts):
            (x0, y0), (x1, y1) = pts[0], pts[2]
            shapes.append(("rect", (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), bool(stroke.value), white))
        else:
            shapes.append(("curve", pts))


def _is_box(pts: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), end = pts
    return end == pts[0] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                              or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))


def _subpaths(obj: int) -> list[tuple[str, list[tuple[float, float]]]]:
    """A path's subpaths as pdfminer's operator string ("mlllh") and end points (path space)."""
    out: list[tuple[str, list[tuple[float, float]]]] = []
    shape: list[str] = []
    pts: list[tuple[float, float]] = []
    x, y = c_float(), c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    bezier = 0
    for i in range(_count_segments(obj)):
        seg = _get_segment(obj, i)
        if not seg or not _segment_point(seg, px, py):
            continue
        kind = _segment_type(seg)
        if kind == _MOVETO:
            if shape:
                out.append(("".join(shape), pts))
            shape, pts, bezier = ["m"], [(x.value, y.value)], 0
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point: pdfminer keeps only the curve's end
            shape.append("c")
            pts.append((x.value, y.value))
        else:
            shape.append("l")
            pts.append((x.value, y.value))
        if _segment_close(seg) and pts:
            shape.append("h")
            pts.append(pts[0])
    if shape:
        out.append(("".join(shape), pts))
    return [(s, p) for s, p in out if s.startswith("m")]
