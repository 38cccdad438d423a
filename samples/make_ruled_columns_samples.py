"""Build the PDF samples whose task tables are ruled into columns but not into rows.

Word's border settings "outer frame + inside vertical" (no inside horizontal), with or
without a line under the header row, are common in real plans. Each sample is an existing
sample's DOCX with its tables' borders set so (python-docx), printed by LibreOffice; its
golden is the source sample's golden (written from the source data), only `source` renamed.

- `dong-thap-214-vrules`: frame and inside vertical rules; section rows spanning the
  columns (where Word breaks the inside rules), rows cut by the page breaks, the header
  repeated on each page.
- `nghe-an-980-header-rule`: inside vertical rules and one line under the header, no frame;
  cells' text centred vertically, as many offices set it.

    python samples/make_ruled_columns_samples.py     # needs soffice
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).parent
EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")


@dataclass(frozen=True)
class Variant:
    source: str  # the sample whose DOCX and golden are used
    stem: str
    borders: tuple[str, ...]  # the table borders drawn (of EDGES)
    header_rule: bool = False  # a line under the first row
    centred: bool = False  # cells' text centred vertically


VARIANTS = (
    Variant("dong-thap-214-seven-columns", "dong-thap-214-vrules", ("top", "left", "bottom", "right", "insideV")),
    Variant("nghe-an-980", "nghe-an-980-header-rule", ("insideV",), header_rule=True, centred=True),
)


def _border(tag: str) -> OxmlElement:
    e = OxmlElement(f"w:{tag}")
    for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
        e.set(qn(f"w:{key}"), value)
    return e


def set_borders(table, borders: tuple[str, ...], header_rule: bool = False, centred: bool = False) -> None:
    """The table's borders: `borders` (of EDGES), a rule under the first row, text centred in the
    cells; the table style (whose grid would come back) and any cell's own borders are dropped."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")) + tbl_pr.findall(qn("w:tblStyle")):
        tbl_pr.remove(old)
    element = OxmlElement("w:tblBorders")
    for edge in EDGES:
        if edge in borders:
            element.append(_border(edge))
        else:
            e = OxmlElement(f"w:{edge}")
            e.set(qn("w:val"), "nil")
            element.append(e)
    tbl_pr.append(element)
    for r, tr in enumerate(table._tbl.tr_lst):
        for tc in tr.tc_lst:
            tc_pr = tc.get_or_add_tcPr()
            for old in tc_pr.findall(qn("w:tcBorders")) + (tc_pr.findall(qn("w:vAlign")) if centred else []):
                tc_pr.remove(old)
            if header_rule and r == 0:
                cell_borders = OxmlElement("w:tcBorders")
                cell_borders.append(_border("bottom"))
                tc_pr.append(cell_borders)
            if centred:
                v = OxmlElement("w:vAlign")
                v.set(qn("w:val"), "center")
                tc_pr.append(v)


def write_golden(variant: Variant) -> None:
    golden = json.loads((HERE / f"{variant.source}.golden.json").read_text(encoding="utf-8"))
    golden["source"] = f"{variant.stem}.pdf"
    text = json.dumps(golden, ensure_ascii=False, indent=2) + "\n"
    (HERE / f"{variant.stem}.golden.json").write_text(text, encoding="utf-8")


def print_variant(variant: Variant, soffice: str) -> None:
    document = docx.Document(str(HERE / f"{variant.source}.docx"))
    for table in document.tables:
        set_borders(table, variant.borders, variant.header_rule, variant.centred)
    with tempfile.TemporaryDirectory(prefix="phuluc-docx-") as tmp:
        src = Path(tmp) / f"{variant.stem}.docx"
        document.save(str(src))
        env = dict(os.environ, HOME=tmp)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(HERE), str(src)],
                       check=True, capture_output=True, timeout=300, env=env)


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    for variant in VARIANTS:
        if soffice:
            print_variant(variant, soffice)
        else:
            print(f"soffice not found: {variant.stem}.pdf is not regenerated", file=sys.stderr)
        write_golden(variant)


if __name__ == "__main__":
    main()
