"""The data API: read_tasks as a DataFrame, and the agency table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import phuluc
from phuluc.analysis import EmptyTasksWarning, agencies_frame
from phuluc.batch import run_batch
from phuluc.cli import invoke

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("in")
    for name in ("vinh-bao-761.docx", "nghe-an-980.docx"):
        shutil.copy(SAMPLES / name, src / name)
    out = tmp_path_factory.mktemp("out")
    run_batch([src], out, jobs=1)
    return out


def test_read_tasks_from_documents_and_from_output_are_equal(converted: Path):
    from_docs = phuluc.read_tasks([SAMPLES / "vinh-bao-761.docx", SAMPLES / "nghe-an-980.docx"])
    from_out = phuluc.read_tasks(converted)
    pd.testing.assert_frame_equal(
        from_docs.sort_values(["source", "stt"], ignore_index=True),
        from_out.sort_values(["source", "stt"], ignore_index=True),
    )


def test_read_tasks_types_are_for_analysis():
    df = phuluc.read_tasks(SAMPLES / "vinh-bao-761.docx")
    assert len(df) == 9
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert df["date"].iloc[0] == pd.Timestamp("2026-04-06")
    assert pd.api.types.is_datetime64_any_dtype(df["timeline_end"])
    row = df[df["stt"] == "10"].iloc[0]
    assert row["timeline_years"] == [2027, 2030]
    assert row["timeline_end"] == pd.Timestamp("2030-12-31")  # a year ends on its last day
    first = df[df["stt"] == "1"].iloc[0]
    assert first["partners_list"] == [
        "Trung tâm Dịch vụ sự nghiệp công",
        "Ban Xây dựng Đảng ủy",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "các cơ quan có liên quan",
    ]
    assert str(df["timeline_recurrence"].dtype) == "category"


def test_agencies_count_tasks_per_key():
    df = phuluc.read_tasks(SAMPLES / "vinh-bao-761.docx")
    agencies = agencies_frame(df).set_index("key")
    vh = agencies.loc["phong van hoa xa hoi"]
    # Phòng Văn hóa - Xã hội leads 6 of the 9 tasks (one lead cell wraps as "Phòng Văn hóa / - Xã hội")
    # and is a partner in 2.
    assert vh["agency"] == "Phòng Văn hóa - Xã hội"
    assert vh["lead_tasks"] == 6 and vh["partner_tasks"] == 2
    assert vh["earliest_deadline"] == pd.Timestamp("2030-12-31")


def test_agencies_command_writes_csv(converted: Path):
    result = invoke(["agencies", str(converted)])
    assert result.returncode == 0, result.stderr
    text = (converted / "agencies.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert "Phòng Văn hóa - Xã hội" in text.decode("utf-8-sig")


def test_read_tasks_has_the_title_and_warns_on_an_empty_folder(tmp_path: Path):
    df = phuluc.read_tasks(SAMPLES / "vinh-bao-761.docx")
    assert df["title"].iloc[0].startswith("PHỤ LỤC")
    assert list(df.columns[:5]) == ["source", "issuer", "number", "date", "title"]
    with pytest.warns(EmptyTasksWarning, match="no converted document"):
        empty = phuluc.read_tasks(tmp_path)
    assert empty.empty and "task" in empty.columns
