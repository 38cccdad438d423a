"""What a zip named .docx really is, and a readable package from the Word files python-docx refuses.

A zip can be a Word document, an Excel workbook or a PowerPoint deck in disguise, an
OpenDocument file, or any archive: the package's own relationships and content types
say which, so a non-Word file is refused naming what it is. Word files that
python-docx cannot open as they are get repaired in memory:

- Strict Open XML ("Strict Open XML Document" in Word's Save As) uses the
  purl.oclc.org namespaces; they map one to one onto the transitional ones.
- A part that a relationship names but the archive lacks (an image dropped by a
  broken tool) loses that part only: the relationship is dropped and a
  `partial-recovery` note says what is missing.

Macro-enabled documents (.docm) and templates (.dotx, .dotm) hold the same main part
under another content type; `read_docx` opens them without a rewrite.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from phuluc.schema.errors import DamagedFile, UnsupportedFormat

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
STRICT_NS = re.compile(rb"http://purl\.oclc\.org/ooxml/(\w+)/")

# Content types of a Word main part (document, macro-enabled, template, macro-enabled template).
WORD_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
# Other Office main parts, by a word in their content type.
OTHER_OFFICE = (
    ("spreadsheetml", "an Excel workbook"),
    ("ms-excel", "an Excel workbook"),
    ("presentationml", "a PowerPoint presentation"),
    ("ms-powerpoint", "a PowerPoint presentation"),
    ("ms-visio", "a Visio drawing"),
    ("drawingml", "a drawing"),
)
ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
    "application/epub+zip": "an EPUB e-book",
}
# Parts whose loss costs text (the others are images, fonts, themes, settings...).
TEXT_PARTS = ("document", "header", "footer", "footnotes", "endnotes", "comments", "numbering", "styles")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass
class WordPackage:
    """A Word package ready for python-docx: the file itself, or a repaired copy in memory."""

    source: Path | io.BytesIO
    main: str  # the main document part's name in the archive ("word/document.xml")
    notes: list[tuple[str, str]] = field(default_factory=list)  # (warning code, message)


def open_word_package(path: Path) -> WordPackage:
    """Classify the zip at `path`; refuse what is not a Word document; repair what python-docx cannot open."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise DamagedFile(f"not a readable DOCX (zip) archive: {e}") from None
    with zf:
        names = set(zf.namelist())
        main, strict = _main_part(zf, names)
        if main is None:
            if any(n.startswith("word/") for n in names):
                raise DamagedFile("a damaged Word archive: its relationships name no main document part")
            raise UnsupportedFormat(f"{_what_zip(zf, names)}, not a Word document") from None
        if main not in names:
            raise DamagedFile(f"the archive holds no {main} (the Word document's main part)")
        content_type = _content_type(zf, names, main)
        if content_type and content_type not in WORD_MAIN_TYPES:
            raise UnsupportedFormat(f"{_kind_of_type(content_type)}, not a Word document")
        missing = _missing_targets(zf, names, strict)
        if not strict and not missing:
            return WordPackage(path, main)
        notes = [("partial-recovery", f"{part} ({_part_kind(part)}) is missing from the archive; the rest was read")
                 for part in sorted(missing)]
        return WordPackage(_rewrite(zf, strict, missing), main, notes)


def _read_xml(zf: zipfile.ZipFile, name: str):
    try:
        return etree.fromstring(zf.read(name), _PARSER)
    except (etree.XMLSyntaxError, KeyError, ValueError) as e:
        raise DamagedFile(f"{name} is damaged: {e}") from None


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> tuple[str | None, bool]:
    """The officeDocument target of the package relationships, and whether it is Strict Open XML."""
    if "_rels/.rels" not in names:
        return ("word/document.xml" if "word/document.xml" in names else None), False
    for rel in _read_xml(zf, "_rels/.rels").iter(f"{{{RELS_NS}}}Relationship"):
        if rel.get("Type") in OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            target = unquote(rel.get("Target", "")).lstrip("/")
            return posixpath.normpath(target), rel.get("Type") == OFFICE_DOCUMENT[1]
    return None, False


def _content_type(zf: zipfile.ZipFile, names: set[str], part: str) -> str:
    if "[Content_Types].xml" not in names:
        return ""
    for override in _read_xml(zf, "[Content_Types].xml").iter(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lstrip("/") == part:
            return override.get("ContentType", "")
    return ""


def _kind_of_type(content_type: str) -> str:
    for word, kind in OTHER_OFFICE:
        if word in content_type:
            return kind
    return f"an Office file of type {content_type}"


def _what_zip(zf: zipfile.ZipFile, names: set[str]) -> str:
    """What a zip without a Word main part is, for the error message."""
    if "mimetype" in names:
        mimetype = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
        return ODF_KINDS.get(mimetype, f"a zip archive of type {mimetype}")
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint presentation"
    return "a zip archive"


def _missing_targets(zf: zipfile.ZipFile, names: set[str], strict: bool) -> set[str]:
    """Internal relationship targets that the archive lacks (except the main part, which is checked before)."""
    missing: set[str] = set()
    for rels in (n for n in names if n.endswith(".rels") and n != "_rels/.rels"):
        base = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/document.xml.rels -> word
        for rel in _read_xml(zf, rels).iter(f"{{{RELS_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = _resolve(base, rel.get("Target", ""))
            if target not in names:
                missing.add(target)
    return missing


def _resolve(base: str, target: str) -> str:
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def _part_kind(part: str) -> str:
    stem = posixpath.basename(part).lower()
    if part.startswith("word/media/") or stem.endswith((".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".bmp", ".tif")):
        return "an image"
    if any(stem.startswith(kind) for kind in TEXT_PARTS):
        return "a part with text, which is lost"
    return "a part without text"


def _rewrite(zf: zipfile.ZipFile, strict: bool, missing: set[str]) -> io.BytesIO:
    """A copy of the package with Strict namespaces made transitional and dangling relationships dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename.endswith((".xml", ".rels")):
                if strict:
                    data = STRICT_NS.sub(rb"http://schemas.openxmlformats.org/\1/2006/", data)
                if info.filename.endswith(".rels") and missing:
                    data = _drop_dangling(data, info.filename, missing)
            zout.writestr(info.filename, data)
    out.seek(0)
    return out


def _drop_dangling(data: bytes, rels_name: str, missing: set[str]) -> bytes:
    root = etree.fromstring(data, _PARSER)
    base = posixpath.dirname(posixpath.dirname(rels_name))
    dropped = False
    for rel in list(root.iter(f"{{{RELS_NS}}}Relationship")):
        if rel.get("TargetMode") != "External" and _resolve(base, rel.get("Target", "")) in missing:
            rel.getparent().remove(rel)
            dropped = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if dropped else data
