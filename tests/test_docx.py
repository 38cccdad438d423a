"""DOCX read at the XML level: merges, breaks, tracked changes, numbering, hostile archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from phuluc.extract.docx import SOFT_BREAK, check_zip, read_docx
from phuluc.schema.errors import DamagedFile, TooLarge, UnsupportedFormat

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def save(doc, tmp_path: Path, name: str = "t.docx") -> Path:
    path = tmp_path / name
    doc.save(str(path))
    return path


def test_merged_cells_appear_once_with_spans(tmp_path):
    doc = docx.Document()
    t = doc.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "I. SECTION"
    t.cell(1, 1).merge(t.cell(2, 1)).text = "merged down"
    t.cell(1, 0).text, t.cell(2, 0).text = "1", "2"
    grid = read_docx(save(doc, tmp_path))
    cells = {(c.row, c.col): c for c in grid.tables[0].cells}
    assert (cells[(0, 0)].colspan, cells[(0, 0)].text) == (3, "I. SECTION")
    assert (cells[(1, 1)].rowspan, cells[(1, 1)].text) == (2, "merged down")
    assert (2, 1) not in cells  # python-docx's row.cells would repeat it
    matrix = grid.tables[0].matrix()
    assert matrix[2][1] is cells[(1, 1)]


def test_line_breaks_paragraphs_and_nfd_kept_raw(tmp_path):
    doc = docx.Document()
    t = doc.add_table(rows=1, cols=1)
    p = t.cell(0, 0).paragraphs[0]
    run = p.add_run("Trước ngày 15/02")
    run.add_break()
    p.add_run("hằng năm")
    t.cell(0, 0).add_paragraph("")
    t.cell(0, 0).add_paragraph("Thu\u0309 tu\u0323c")
    cell = read_docx(save(doc, tmp_path)).tables[0].cells[0]
    assert cell.text == f"Trước ngày 15/02{SOFT_BREAK}hằng năm\n\nThu\u0309 tu\u0323c"


def test_grid_before_shifts_columns(tmp_path):
    doc = docx.Document()
    t = doc.add_table(rows=2, cols=3)
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])
    tr_pr = tr.get_or_add_trPr()
    gb = OxmlElement("w:gridBefore")
    gb.set(qn("w:val"), "1")
    tr_pr.append(gb)
    t.cell(1, 1).text = "x"
    table = read_docx(save(doc, tmp_path)).tables[0]
    assert [c.col for c in table.cells if c.row == 1] == [1, 2]


def test_tracked_changes_read_as_accepted():
    grid = read_docx(SAMPLES / "le-chan-45-word-features.docx")
    texts = [c.text for c in grid.tables[-1].cells]
    assert any(t.endswith("năm 2026") for t in texts)
    assert not any("hằng năm hằng năm" in t for t in texts)  # the deleted words stay out


def test_automatic_numbering_is_rendered():
    grid = read_docx(SAMPLES / "le-chan-45-word-features.docx")
    stt = [c.text.strip() for c in grid.tables[-1].cells if c.col == 0]
    assert stt == ["TT", "1", "2", "3", "4", "5", "6"]


def test_tab_separated_pieces_become_lines_sharing_an_order():
    grid = read_docx(SAMPLES / "nghe-an-980.docx")
    first = [ln for ln in grid.lines if ln.order == grid.lines[0].order]
    assert [ln.text for ln in first] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]


def test_nested_table_is_read_too(tmp_path):
    doc = docx.Document()
    outer = doc.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "a", "b"
    grid = read_docx(save(doc, tmp_path))
    assert len(grid.tables) == 2 and [c.text for c in grid.tables[1].cells] == ["a", "b"]


def zip_with(entries: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_zip_bomb_refused_before_inflating(tmp_path):
    bomb = zip_with({"word/document.xml": b"<a/>", "word/media/huge.bin": b"\0" * (400 * 2**20)}, tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 2 * 2**20
    with pytest.raises(TooLarge):
        check_zip(bomb)


def test_a_dtd_is_refused_by_the_same_single_look_at_the_archive(tmp_path, monkeypatch):
    path = zip_with({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><d/>'}, tmp_path / "dtd.docx")
    opened = []
    real = zipfile.ZipFile
    monkeypatch.setattr("phuluc.extract.docx.zipfile.ZipFile", lambda *a, **k: opened.append(a) or real(*a, **k))
    with pytest.raises(DamagedFile, match="DTD"):
        check_zip(path)
    assert len(opened) == 1


def test_zip_without_document_is_not_a_word_file(tmp_path):
    path = zip_with({"hello.txt": b"hi"}, tmp_path / "x.docx")
    with pytest.raises(UnsupportedFormat, match="a zip archive, not a Word document"):
        read_docx(path)


def test_entity_expansion_is_not_performed(tmp_path):
    raw = io.BytesIO()
    docx.Document().save(raw)
    with zipfile.ZipFile(raw) as src:
        entries = {n: src.read(n) for n in src.namelist()}
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "xxxxxxxxxx">'
        + b"".join(b'<!ENTITY %s "&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;">' % ((bytes([98 + i]),) + (bytes([97 + i]),) * 10) for i in range(8))
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'
    )
    entries["word/document.xml"] = laughs
    path = zip_with(entries, tmp_path / "laughs.docx")
    try:
        grid = read_docx(path)
    except DamagedFile:
        return  # refusing the file is fine too
    assert sum(len(ln.text) for ln in grid.lines) < 10_000
