"""tasks.xlsx as an office opens it: LibreOffice Calc (headless) reads it back to CSV, compared with tasks.csv.

CI installs libreoffice-calc for this (the .doc tests need libreoffice-writer).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from phuluc.batch import run_batch
from phuluc.columns import BY_KEY
from phuluc.schema import DocumentFields, PlanDocument, Task
from phuluc.writers import XLSX_CUT_MARK, XLSX_MAX_CELL, CombinedWriter

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# UTF-8 (76), comma, double quotes, cells as shown (so a date reads as the office sees it).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false"


def calc_rows(xlsx: Path, work: Path) -> list[list[str]]:
    """The first sheet of `xlsx` as LibreOffice Calc shows it."""
    done = subprocess.run([SOFFICE, "--headless", "--convert-to", CSV_FILTER, "--outdir", str(work), str(xlsx)],
                          capture_output=True, text=True, timeout=180, env=dict(os.environ, HOME=str(work)))
    target = work / (xlsx.stem + ".csv")
    if not target.exists():
        pytest.skip(f"LibreOffice Calc cannot open xlsx here (libreoffice-calc missing?): {done.stderr.strip()[-200:]}")
    with open(target, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


pytestmark = pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed")


def test_calc_reads_the_same_tasks_as_the_csv(tmp_path: Path):
    out = tmp_path / "out"
    run_batch([SAMPLES / "vinh-bao-761.docx", SAMPLES / "nghe-an-980.pdf", SAMPLES / "dong-nai-179.docx"], out, jobs=2)
    sheet = calc_rows(out / "tasks.xlsx", tmp_path)
    with open(out / "tasks.csv", encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    titles = sheet[0]
    assert titles[:5] == ["Tệp nguồn", "Cơ quan ban hành", "Số hiệu", "Ngày ban hành", "Trích yếu"]
    assert len(sheet) - 1 == len(table) > 0
    by_title = {BY_KEY[k].title: k for k in BY_KEY if BY_KEY[k].title}
    for calc_row, csv_row in zip(sheet[1:], table, strict=True):
        shown = dict(zip(titles, calc_row, strict=True))
        for title, value in shown.items():
            key = by_title.get(title, title)  # extra columns keep their printed header
            if key == "date":
                y, m, d = csv_row["date"].split("-")
                assert value == f"{d}/{m}/{y}"  # a real date, shown the Vietnamese way
            elif key in csv_row:
                assert value == csv_row[key].replace("\r\n", "\n"), (key, csv_row["stt"])


def test_calc_shows_a_cut_cell_with_its_mark(tmp_path: Path):
    text = "Nội dung rất dài. " * 2000  # 36,000 characters: over Excel's limit
    doc = PlanDocument(source="long.docx", document=DocumentFields(date="2026-04-06"),
                       tasks=[Task(stt="1", task=text, lead="Phòng A")])
    CombinedWriter(tmp_path).write(iter([(doc, "long.docx")]))
    sheet = calc_rows(tmp_path / "tasks.xlsx", tmp_path)
    shown = dict(zip(sheet[0], sheet[1], strict=True))
    assert len(shown["Nhiệm vụ"]) == XLSX_MAX_CELL and shown["Nhiệm vụ"].endswith(XLSX_CUT_MARK)
    assert shown["Chủ trì"] == "Phòng A"
