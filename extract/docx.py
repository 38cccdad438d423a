"""DOCX → Grid, read at the WordprocessingML level.

python-docx's `row.cells` repeats a merged cell once per grid column and hides
`vMerge`, so tables are walked as XML (`w:tr`, `w:tc`, `w:gridSpan`, `w:vMerge`,
`w:gridBefore`). Paragraph text is read as a reader sees it: tracked deletions
and moved-from text are left out, insertions and content controls are kept,
automatic list numbers are rendered, and manual line breaks become soft breaks
(U+2028) for the normalizer to join.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.package import OpcPackage
from docx.opc.part import PartFactory
from docx.parts.document import DocumentPart
from lxml import etree

from phuluc.extract.docx_package import WORD_MAIN_TYPES, open_word_package
from phuluc.schema import SOFT_BREAK, Cell, Grid, Line, Table
from phuluc.schema.errors import DamagedFile, TooLarge

# Macro-enabled documents and templates hold the same main part as a .docx.
for _content_type in WORD_MAIN_TYPES - {CT.WML_DOCUMENT_MAIN}:
    PartFactory.part_type_for.setdefault(_content_type, DocumentPart)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# A DOCX is a zip: refuse bombs by the sizes the archive declares, before inflating anything.
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200
# Counts the XML declares are bounded before anything is built from them: Word itself
# allows 63 columns and list numbers up to 32767; a table grid is a dense matrix downstream.
MAX_COLUMNS = 1000
MAX_TABLE_CELLS = 2_000_000
MAX_LIST_START = 32767


def check_zip(path: Path) -> None:
    """Refuse what a Word document never is, opening the archive once: a zip bomb (judged
    by the sizes the archive declares, before inflating anything) and XML parts that
    declare a DTD or entities. What the zip is (Word, Excel, ...) `open_word_package` says."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_sizes(infos)
            _refuse_dtd(zf, infos)
    except (zipfile.BadZipFile, OSError) as e:
        raise DamagedFile(f"not a readable DOCX (zip) archive: {e}") from None


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED:
        raise TooLarge(f"the archive declares {total // 2**20} MiB of content (limit {MAX_UNCOMPRESSED // 2**20} MiB)")
    if total > 20 * 2**20 and total / packed > MAX_RATIO:
        raise TooLarge(f"the archive inflates {total / packed:.0f}x (a zip bomb?)")


# The root element's start: "<" then a name (not "<?", "<!").
_ROOT_START = re.compile(rb"<[A-Za-z_]")
# How much of a part's prolog is read looking for the root element.
PROLOG_LIMIT = 1 << 20


def _refuse_dtd(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a DOCX whose XML parts declare a DTD: Word never writes one, and entities are an attack vector.

    python-docx's parser neither loads DTDs nor resolves entities (and libxml2 caps
    amplification), so nothing is expanded or fetched; but a silently dropped entity
    would lose text, so the file is refused with a clear reason instead.
    """
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with zf.open(info) as f:
            prolog = b""
            while len(prolog) < PROLOG_LIMIT:
                chunk = f.read(16384)
                if not chunk:
                    break
                prolog += chunk
                if _ROOT_START.search(prolog):
                    break
        head = _ROOT_START.split(prolog, maxsplit=1)[0]
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise DamagedFile(f"{info.filename} declares a DTD or entities, which Word never writes (refused as hostile)")


class _Numbering:
    """Renders automatic list numbers ("1.", "a)", "II.") as Word shows them."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (numFmt, lvlText, start)
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in an.findall(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                fmt = _val(lvl.find(W + "numFmt"), "decimal")
                text = _val(lvl.find(W + "lvlText"), "")
                start = _count(lvl.find(W + "start"), 1, MAX_LIST_START, "a list numbered from {}")
                levels[ilvl] = (fmt, text, start)
            abstract[an.get(W + "abstractNumId")] = levels
        for num in root.findall(W + "num"):
            num_id = num.get(W + "numId")
            levels = dict(abstract.get(_val(num.find(W + "abstractNumId"), ""), {}))
            for override in num.findall(W + "lvlOverride"):
                ilvl = int(override.get(W + "ilvl", "0"))
                start = override.find(W + "startOverride")
                if ilvl in levels and start is not None:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, _count(start, 1, MAX_LIST_START, "a list numbered from {}"))
            for ilvl, spec in levels.items():
                self.formats[(num_id, ilvl)] = spec

    def label(self, p) -> str:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            return ""
        num_id = _val(num_pr.find(W + "numId"), "")
        ilvl = int(_val(num_pr.find(W + "ilvl"), "0") or 0)
        if num_id in ("", "0") or (num_id, ilvl) not in self.formats:
            return ""
        fmt, text, _ = self.formats[(num_id, ilvl)]
        counters = self.counters.setdefault(num_id, [0] * 9)
        if ilvl >= len(counters):
            return ""
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        if fmt == "bullet":
            return text.strip() + " " if text.strip() in ("-", "–", "+", "•") else ""
        if fmt == "none":
            return text
        label = text
        for level in range(ilvl + 1):
            lfmt, _, lstart = self.formats.get((num_id, level), ("decimal", "", 1))
            value = lstart + counters[level] - 1 if counters[level] else lstart
            label = label.replace(f"%{level + 1}", _format_number(value, lfmt))
        return label + (" " if label and not label.endswith(" ") else "")


def _val(el, default: str) -> str:
    return default if el is None else el.get(W + "val", default)


def _count(el, default: int, limit: int, what: str) -> int:
    """A count the XML declares (w:val), bounded: a huge one is a hostile or broken file, refused at once."""
    text = _val(el, "")
    try:
        value = int(text) if text.strip() else default
    except ValueError:
        raise DamagedFile(f"a count in the document is not a number ({text[:20]!r})") from None
    if abs(value) > limit:
        raise DamagedFile(f"the document declares {what.format(value)} (limit {limit}): damaged or hostile")
    return value


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


class _Reader:
    def __init__(self, document) -> None:
        self.numbering = _Numbering(document)
        self.style_fonts = _style_fonts(document)
        self.order = 0
        self.tables: list[Table] = []
        self.seen_margin: set[str] = set()

    def next_order(self) -> int:
        self.order += 1
        return self.order

    # --- paragraphs -------------------------------------------------------
    def paragraph(self, p) -> tuple[str, Counter]:
        """Text of one w:p as read, and the characters per font (to spot legacy fonts)."""
        parts: list[str] = [self.numbering.label(p)]
        fonts: Counter = Counter()
        style = _val(p.find(f"{W}pPr/{W}pStyle"), "")
        para_font = self.style_fonts.get(style, self.style_fonts.get("", ""))
        self._walk(p, parts, fonts, para_font)
        return "".join(parts), fonts

    def _walk(self, el, parts: list[str], fonts: Counter, font: str) -> None:
        for child in el:
            tag = child.tag
            if tag in (W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "fldSimple_instr"):
                continue
            if tag == W + "r":
                if child.find(f"{W}rPr/{W}vanish") is not None:
                    continue
                run_font = _run_font(child) or font
                for item in child:
                    itag = item.tag
                    if itag == W + "t":
                        parts.append(item.text or "")
                        fonts[run_font] += len(item.text or "")
                    elif itag == W + "tab":
                        parts.append("\t")
                    elif itag in (W + "br", W + "cr"):
                        if item.get(W + "type") not in ("page", "column"):
                            parts.append(SOFT_BREAK)
                    elif itag == W + "noBreakHyphen":
                        parts.append("-")
            else:
                self._walk(child, parts, fonts, font)

    # --- block content ------------------------------------------------------
    def blocks(self, parent, lines: list[Line]) -> None:
        """Walk body-level content in order: paragraphs become lines, tables become Tables."""
        for child in parent:
            if child.tag == W + "p":
                text, fonts = self.paragraph(child)
                order = self.next_order()
                font = fonts.most_common(1)[0][0] if fonts else ""
                pieces = [s for s in text.split("\t") if s.strip()]
                if len(pieces) > 1:
                    # Text set apart by tab stops: one line per piece, left to right, sharing the order.
                    lines += [Line(piece, order=order, font=font) for piece in pieces]
                else:
                    lines.append(Line(text.replace("\t", " "), order=order, font=font))
                for box in _text_boxes(child):  # a floating table or text sits in a text box anchored here
                    self.blocks(box, lines)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "ins"):
                self.blocks(child, lines)

    def margin_tables(self, roots: list) -> None:
        """Tables in header or footer parts (and in text boxes there), each distinct table once."""
        for root in roots:
            for tbl in _margin_tables(root):
                signature = " ".join("".join(tbl.itertext()).split())
                if signature and signature not in self.seen_margin:
                    self.seen_margin.add(signature)
                    self.table(tbl)

    def table(self, tbl) -> Table:
        order = self.next_order()
        table = Table(cells=[], n_rows=0, n_cols=0, index=len(self.tables), order=order)
        self.tables.append(table)
        grid_cols = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        if grid_cols > MAX_COLUMNS:
            raise DamagedFile(f"a table declares {grid_cols} grid columns (Word allows 63; limit {MAX_COLUMNS})")
        open_cells: dict[int, Cell] = {}  # grid column -> vertically merged cell still open
        rows = list(_children(tbl, W + "tr"))
        n_cols = grid_cols
        for r, tr in enumerate(rows):
            col = max(0, _count(tr.find(f"{W}trPr/{W}gridBefore"), 0, MAX_COLUMNS, "a row starting after {} empty columns"))
            for tc in _children(tr, W + "tc"):
                tc_pr = tc.find(W + "tcPr")
                span = max(1, _count(tc_pr.find(W + "gridSpan") if tc_pr is not None else None, 1, MAX_COLUMNS,
                                     "a cell spanning {} columns"))
                vmerge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
                vval = None if vmerge is None else vmerge.get(W + "val", "continue")
                text, font = self.cell_text(tc)
                origin = open_cells.get(col)
                if vval == "continue" and origin is not None and origin.colspan == span:
                    origin.rowspan = r - origin.row + 1
                    if text.strip():
                        origin.text = origin.text + "\n" + text if origin.text else text
                else:
                    cell = Cell(row=r, col=col, text=text, colspan=span, font=font)
                    table.cells.append(cell)
                    for c in range(col, col + span):
                        if vval == "restart":
                            open_cells[c] = cell
                        else:
                            open_cells.pop(c, None)
                col += span
            col += max(0, _count(tr.find(f"{W}trPr/{W}gridAfter"), 0, MAX_COLUMNS, "a row followed by {} empty columns"))
            if col > MAX_COLUMNS:
                raise DamagedFile(f"a table row spans {col} columns (Word allows 63; limit {MAX_COLUMNS})")
            n_cols = max(n_cols, col)
            if n_cols * (r + 1) > MAX_TABLE_CELLS:
                raise TooLarge(f"a table of {n_cols} columns and over {r} rows (limit {MAX_TABLE_CELLS:,} cells)")
        table.n_rows = len(rows)
        table.n_cols = n_cols
        return table

    def cell_text(self, tc) -> tuple[str, str]:
        """A cell's paragraphs joined by "\\n"; nested tables also become their own Table."""
        paragraphs: list[str] = []
        fonts: Counter = Counter()
        self._cell_blocks(tc, paragraphs, fonts)
        font = fonts.most_common(1)[0][0] if fonts else ""
        return "\n".join(paragraphs), font


    def _cell_blocks(self, parent, paragraphs: list[str], fonts: Counter) -> None:
        for child in _children_deep(parent):
            if child.tag == W + "p":
                text, f = self.paragraph(child)
                paragraphs.append(text.replace("\t", " "))
                fonts.update(f)
                for box in _text_boxes(child):
                    self._cell_blocks(box, paragraphs, fonts)
            elif child.tag == W + "tbl":
                nested = self.table(child)
                for row in _rows_text(nested):
                    paragraphs.append(row)


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_boxes(el):
    """The outermost w:txbxContent under `el`; a VML fallback repeating a DrawingML box is skipped."""
    for box in el.iter(W + "txbxContent"):  # lxml's own walk: most paragraphs hold none
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not el and ancestor.tag not in (MC_FALLBACK, W + "txbxContent"):
            ancestor = ancestor.getparent()
        if ancestor is el or ancestor is None:
            yield box


def _margin_tables(el):
    """Top-level tables of a header/footer part, looking through content controls and text boxes."""
    for child in el:
        if child.tag == W + "tbl":
            yield child
        elif child.tag == W + "p":
            for box in _text_boxes(child):
                yield from _margin_tables(box)
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins"):
            yield from _margin_tables(child)


def _rows_text(table: Table) -> list[str]:
    rows: dict[int, list[Cell]] = {}
    for cell in table.cells:
        rows.setdefault(cell.row, []).append(cell)
    return [" ".join(c.text.replace("\n", " ") for c in sorted(cells, key=lambda c: c.col)) for _, cells in sorted(rows.items())]


def _children(el, tag: str):
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins"):
            yield from _children(child, tag)


def _children_deep(tc):
    for child in tc:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins"):
            yield from _children_deep(child)


def _run_font(r) -> str:
    fonts = r.find(f"{W}rPr/{W}rFonts")
    if fonts is None:
        return ""
    return fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or fonts.get(W + "cs") or ""


def _style_fonts(document) -> dict[str, str]:
    """styleId -> font name (following basedOn); "" -> the document default font."""
    try:
        root = document.styles.element
    except Exception:  # noqa: BLE001 - a document without styles part is still readable
        return {}
    default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    out = {"": (default.get(W + "ascii") or "") if default is not None else ""}
    based: dict[str, str] = {}
    own: dict[str, str] = {}
    for style in root.findall(W + "style"):
        sid = style.get(W + "styleId", "")
        f = style.find(f"{W}rPr/{W}rFonts")
        if f is not None and (f.get(W + "ascii") or f.get(W + "hAnsi")):
            own[sid] = f.get(W + "ascii") or f.get(W + "hAnsi")
        b = style.find(W + "basedOn")
        if b is not None:
            based[sid] = b.get(W + "val", "")
    for sid in set(own) | set(based):
        seen, cur = set(), sid
        while cur and cur not in own and cur in based and cur not in seen:
            seen.add(cur)
            cur = based[cur]
        out[sid] = own.get(cur, out[""])
    return out


def read_docx(path: str | Path) -> Grid:
    """Read a DOCX file into a Grid of tables and body lines, in document order.

    The archive is checked first (`check_zip`): nothing is inflated from a hostile file.
    Tables in text boxes are read where their anchor stands; tables in header parts
    come before the body's, those in footers after it (each distinct table once).
    """
    path = Path(path)
    check_zip(path)
    package = open_word_package(path)
    try:
        part = OpcPackage.open(package.source).main_document_part
        document = part.document
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, zipfile.BadZipFile) as e:
        raise DamagedFile(f"not a readable Word document: {e}") from None
    except MemoryError:
        raise
    except Exception as e:  # lxml XMLSyntaxError and friends: a damaged part
        raise DamagedFile(f"damaged Word document: {type(e).__name__}: {e}") from None
    reader = _Reader(document)
    lines: list[Line] = []
    headers, footers = _header_footer_roots(part)
    reader.margin_tables(headers)
    reader.blocks(document.element.body, lines)
    reader.margin_tables(footers)
    return Grid(source=path.name, tables=reader.tables, lines=lines, notes=list(package.notes))


def _header_footer_roots(part) -> tuple[list, list]:
    """The root elements of the header and footer parts, in relationship order."""
    headers, footers = [], []
    for rel in part.rels.values():
        if rel.is_external:
            continue
        if rel.reltype.endswith("/header"):
            headers.append(rel.target_part)
        elif rel.reltype.endswith("/footer"):
            footers.append(rel.target_part)
    return [_part_root(p) for p in headers], [_part_root(p) for p in footers]


def _part_root(part):
    element = getattr(part, "element", None)
    if element is not None:
        return element
    return etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
