"""Word's other save formats, which offices rename to .doc: web page, single-file web page, 2003 XML, RTF.

They are recognised by their bytes and converted through LibreOffice like a `.doc`.
A web page is first cut down to its text and tables: images, scripts, styles, links
and every attribute that names a URL are removed, so that LibreOffice never fetches
anything a hostile page points at. A single-file web page (MHT) is a MIME message:
its HTML part is taken out first (LibreOffice reads MHT as plain text).
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import lxml.html
from lxml import etree

from phuluc.schema.errors import DamagedFile

# format -> what it is, for messages
WEB_FORMATS = {
    "rtf": "an RTF document",
    "mht": "a single-file web page (MHT)",
    "wordml": "a Word 2003 XML document",
    "html": "a web page (HTML)",
}
# Elements that load something or are no text; attributes that may hold a URL.
_DROP_ELEMENTS = ("img", "link", "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                  "style", "meta", "audio", "video", "source", "picture", "svg", "math", "form", "input")
_DROP_ATTRIBUTES = ("src", "href", "background", "style", "srcset", "data", "action", "lowsrc", "dynsrc",
                    "poster", "codebase", "longdesc", "usemap", "cite", "profile", "manifest", "formaction")


def sniff_web_format(head: bytes) -> str | None:
    """"rtf", "mht", "wordml", "html" or None, from the first KiBs of a file."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    lower = text[:4096].lower()
    if text.startswith(b"{\\rtf"):
        return "rtf"
    if lower.startswith(b"mime-version:") or b"content-type: multipart/related" in lower:
        return "mht"
    if lower.startswith(b"<?xml") and (b"word.document" in lower or b"w:worddocument" in lower):
        return "wordml"
    if lower.startswith((b"<html", b"<!doctype html")) or (lower.startswith(b"<") and b"<html" in lower):
        return "html"
    return None


def clean_web_page(path: Path, fmt: str, out: Path) -> Path:
    """Write `out` (an .html file) with the page's text and tables only; for "html" and "mht"."""
    data = path.read_bytes()
    try:
        if fmt == "mht":
            doc = lxml.html.document_fromstring(_mht_html(data))
        else:
            doc = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as e:
        raise DamagedFile(f"{WEB_FORMATS[fmt]} that cannot be parsed: {e}") from None
    for el in list(doc.iter(*_DROP_ELEMENTS)):
        el.drop_tree()
    for el in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree()
    for el in doc.iter():
        if isinstance(el.tag, str):
            for attr in _DROP_ATTRIBUTES:
                el.attrib.pop(attr, None)
    body = lxml.html.tostring(doc.body, encoding="unicode", method="html")
    out.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head>{body}</html>', encoding="utf-8")
    return out


def _mht_html(data: bytes) -> str:
    """The first text/html part of a single-file web page, as text."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                return payload.decode(charset, errors="replace")
            except LookupError:
                return payload.decode("utf-8", errors="replace")
    raise DamagedFile("a single-file web page (MHT) without an HTML part")
