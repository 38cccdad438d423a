"""`phuluc qa`: the scorer on hand-made documents, and the command on copies of the samples."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from phuluc.cli import Invocation, invoke
from phuluc.qa import align_rows, char_diff, comparable_text, diff_markup, score_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def task(stt: str, text: str, **kw) -> dict:
    row = {"section": "", "stt": stt, "task": text, "timeline": "Hằng năm", "lead": "Phòng Văn hóa - Xã hội",
           "partners": "Các cơ quan liên quan", "extra": {}}
    row.update(kw)
    return row


TEXTS = [
    "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện",
    "Xây dựng kế hoạch kiểm tra việc thực hiện quy chế dân chủ ở cơ sở",
    "Tổ chức hội nghị sơ kết đánh giá kết quả thực hiện mô hình",
    "Rà soát, chuẩn hóa thủ tục hành chính thuộc thẩm quyền giải quyết của xã",
    "Khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính",
]
DOC = {"issuer": "Ủy ban nhân dân xã Vĩnh Bảo", "number": "761/KH-UBND", "date": "2026-04-06", "title": "PHỤ LỤC"}


def plan(tasks: list[dict], **doc) -> dict:
    return {"source": "x.docx", "document": {**DOC, **doc}, "tasks": tasks, "warnings": []}


def run(*args: str) -> Invocation:
    return invoke(list(args))  # in this process; tests/test_cli.py keeps the subprocess smoke tests


# --- the scorer ----------------------------------------------------------------------------------


def test_identical_documents_score_100():
    expected = plan([task(str(i + 1), t) for i, t in enumerate(TEXTS)])
    ds = score_document(expected, json.loads(json.dumps(expected)))
    assert ds.score == 1.0 and not ds.problems
    assert ds.cells == 5 * 7 + 4


def test_fold_is_nfc_and_white_space():
    assert comparable_text("như\u0303ng  viê\u0323c\n mới ") == "những việc mới"


def test_missing_row_does_not_shift_later_rows():
    expected = [task(str(i + 1), t) for i, t in enumerate(TEXTS)]
    got = expected[:1] + expected[2:]  # row 2 lost
    assert align_rows(expected, got) == [(0, 0), (1, None), (2, 1), (3, 2), (4, 3)]
    ds = score_document(plan(expected), plan(got))
    assert [p.code for p in ds.problems] == ["missing-row"]
    assert ds.problems[0].row == 2 and ds.problems[0].stt == "2"
    assert ds.rows_matched == 4 and ds.rows_exact == 4
    assert ds.cells == 5 * 7 + 4 and ds.exact == 4 * 7 + 4


def test_extra_row_does_not_shift_later_rows():
    expected = [task(str(i + 1), t) for i, t in enumerate(TEXTS)]
    header = task("STT", "Nhiệm vụ cụ thể", timeline="Thời gian", lead="Chủ trì", partners="Phối hợp")
    got = expected[:3] + [header] + expected[3:]
    assert align_rows(expected, got) == [(0, 0), (1, 1), (2, 2), (None, 3), (3, 4), (4, 5)]
    ds = score_document(plan(expected), plan(got))
    assert [p.code for p in ds.problems] == ["extra-row"]
    assert ds.problems[0].got_row == 4
    # an extra row is 7 wrong cells on top of the expected ones
    assert ds.cells == 6 * 7 + 4 and ds.exact == 5 * 7 + 4


def test_split_row_aligns_with_its_first_half():
    expected = [task(str(i + 1), t) for i, t in enumerate(TEXTS)]
    words = TEXTS[3].split()
    got = expected[:3] + [task("4", " ".join(words[:8])), task("", " ".join(words[8:]), timeline="", lead="", partners="")]
    got += expected[4:]
    pairs = align_rows(expected, got)
    assert (3, 3) in pairs and (None, 4) in pairs and (4, 5) in pairs


def test_one_character_change_is_marked_exactly():
    expected = [task(str(i + 1), t) for i, t in enumerate(TEXTS)]
    got = json.loads(json.dumps(expected))
    got[2]["task"] = got[2]["task"].replace("hội nghị", "hội nghi")
    ds = score_document(plan(expected), plan(got))
    assert ds.score < 1.0
    assert ds.exact == ds.cells - 1
    (p,) = ds.problems
    assert (p.code, p.row, p.field) == ("field-mismatch", 3, "task")
    assert [seg for seg in p.diff if seg[0] != "="] == [("-", "ị"), ("+", "i")]
    assert "ngh[-ị-]{+i+}" in diff_markup(p.diff)
    assert 0.95 < p.similarity < 1.0


def test_broken_spacing_is_visible_in_the_diff():
    segments = char_diff("những việc", "nhữ ng việc")
    assert segments == [("=", "nhữ"), ("+", " "), ("=", "ng việc")]
    assert diff_markup(segments) == "nhữ{+ +}ng việc"


def test_document_fields_and_extra_are_cells():
    expected = plan([task("1", TEXTS[0], extra={"Sản phẩm": "Kế hoạch"})])
    got = plan([task("1", TEXTS[0], extra={"Sản phẩm": "Kế hoạc"})], date="2026-04-07")
    ds = score_document(expected, got)
    assert {(p.field, p.row) for p in ds.problems} == {("extra", 1), ("date", None)}
    assert ds.fields["date"].rate == 0.0 and ds.fields["task"].rate == 1.0


def test_convert_error_counts_every_cell_wrong():
    expected = plan([task(str(i + 1), t) for i, t in enumerate(TEXTS)])
    ds = score_document(expected, None, input="x.pdf", error=("convert-error", "damaged PDF file"))
    assert ds.status == "error" and ds.exact == 0 and ds.cells == 5 * 7 + 4
    assert ds.problems[0].code == "convert-error" and "damaged" in ds.problems[0].message


# --- the command on copies of the samples --------------------------------------------------------


@pytest.fixture(scope="module")
def samples_copy(tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("qa") / "samples"
    shutil.copytree(SAMPLES, dst, ignore=shutil.ignore_patterns("*.py", "src", "__pycache__"))
    return dst


def test_qa_passes_on_the_samples(samples_copy: Path, tmp_path: Path):
    result = run("qa", str(samples_copy), "--json", str(tmp_path / "qa.json"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "100.00%" in result.stdout
    report = json.loads((tmp_path / "qa.json").read_text(encoding="utf-8"))
    assert report["passed"] and report["score"] == 1.0
    assert report["totals"]["documents"] == len(list(SAMPLES.glob("*.docx")) + list(SAMPLES.glob("*.pdf")))


def test_qa_fails_when_a_golden_changes_by_one_character(samples_copy: Path, tmp_path: Path):
    folder = tmp_path / "s"
    folder.mkdir()
    for name in ("vinh-bao-761.docx", "vinh-bao-761.golden.json", "nghe-an-980.docx", "nghe-an-980.golden.json"):
        shutil.copy(samples_copy / name, folder / name)
    golden = folder / "vinh-bao-761.golden.json"
    data = json.loads(golden.read_text(encoding="utf-8"))
    text = data["tasks"][1]["task"]
    k = text.index("ệ")
    data["tasks"][1]["task"] = text[:k] + "ê" + text[k + 1:]
    golden.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    result = run("qa", str(folder))
    assert result.returncode == 1
    assert "[-ê-]{+ệ+}" in result.stdout
    assert "row 2" in result.stdout and "FAILED" in result.stdout

    result = run("qa", str(folder), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1 and not report["passed"]
    (problem,) = [p for d in report["documents"] for p in d["problems"]]
    assert problem["code"] == "field-mismatch" and problem["row"] == 2 and problem["field"] == "task"
    assert [s for s in problem["diff"] if s[0] != "="] == [["-", "ê"], ["+", "ệ"]]

    # below a lower bar the same report passes
    assert run("qa", str(folder), "--min-score", "99").returncode == 0


def test_json_report_shape(samples_copy: Path):
    result = run("qa", str(samples_copy), "--json")
    report = json.loads(result.stdout)
    assert set(report) >= {"score", "min_score", "passed", "totals", "fields", "documents", "without_golden"}
    assert set(report["fields"]) == {"stt", "section", "task", "timeline", "lead", "partners", "extra", "appendix",
                                     "issuer", "number", "date", "title", "plan_title"}
    doc = report["documents"][0]
    assert set(doc) >= {"input", "golden", "status", "score", "cells", "exact", "rows", "fields", "problems"}
    assert set(doc["rows"]) == {"expected", "got", "matched", "exact", "missing", "extra"}
    assert set(doc["fields"]["task"]) == {"cells", "exact", "rate", "similarity"}


def test_a_document_that_fails_to_convert_is_reported(tmp_path: Path):
    shutil.copy(SAMPLES / "nghe-an-980.golden.json", tmp_path / "broken.golden.json")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    result = run("qa", str(tmp_path), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    (doc,) = report["documents"]
    assert doc["status"] == "error" and doc["exact"] == 0 and doc["cells"] > 4
    assert doc["problems"][0]["code"] == "convert-error" and doc["reason"]


def test_write_golden_never_overwrites_without_force(tmp_path: Path):
    shutil.copy(SAMPLES / "vinh-bao-761.docx", tmp_path / "new.docx")
    golden = tmp_path / "new.golden.json"
    result = run("qa", str(tmp_path), "--write-golden")
    assert result.returncode == 0 and f"wrote {golden}" in result.stdout
    written = json.loads(golden.read_text(encoding="utf-8"))
    assert written["document"]["number"] == "761/KH-UBND" and len(written["tasks"]) == 9

    golden.write_text('{"hand": "checked"}', encoding="utf-8")
    result = run("qa", str(tmp_path), "--write-golden")
    assert result.returncode == 0 and "kept" in result.stdout
    assert golden.read_text(encoding="utf-8") == '{"hand": "checked"}'

    result = run("qa", str(tmp_path), "--write-golden", "--force")
    assert result.returncode == 0 and "overwrote" in result.stdout
    assert json.loads(golden.read_text(encoding="utf-8")) == written
    assert run("qa", str(tmp_path)).returncode == 0


def test_bad_usage_exits_2(tmp_path: Path):
    assert run("qa", str(tmp_path / "nope")).returncode == 2
    assert run("qa", str(tmp_path), "--min-score", "150").returncode == 2
    assert run("qa").returncode == 2


# --- the HTML report in a real browser -----------------------------------------------------------


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp / 'profile'}"]
    return subprocess.run([chromium(), *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (.ci/run installs it: apt-get install chromium)")
def test_html_report_in_headless_chromium(tmp_path: Path):
    folder = tmp_path / "s"
    folder.mkdir()
    for name in ("hcm-2820-nfd.docx", "hcm-2820-nfd.golden.json"):
        shutil.copy(SAMPLES / name, folder / name)
    golden = folder / "hcm-2820-nfd.golden.json"
    data = json.loads(golden.read_text(encoding="utf-8"))
    data["tasks"][0]["lead"] = "<Phòng> & " + data["tasks"][0]["lead"]
    golden.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    html = tmp_path / "report.html"
    assert run("qa", str(folder), "--html", str(html)).returncode == 1

    result = browser("--dump-dom", html.as_uri(), tmp=tmp_path)
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert '<table id="summary">' in dom and "hcm-2820-nfd.docx" in dom
    assert 'class="rate red"' in dom or 'class="rate amber"' in dom  # the lead column is not all right
    assert 'class="rate green"' in dom
    assert "<del>&lt;Phòng&gt; &amp; </del>" in dom  # the diff, with the text escaped
    assert "FAILED" in dom

    png = tmp_path / "shot.png"
    browser(f"--screenshot={png}", "--window-size=1280,900", html.as_uri(), tmp=tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_html_marks_the_differing_characters_and_escapes_text():
    from phuluc.qa import QaReport
    from phuluc.qa_html import render_html

    expected = plan([task("1", "Rà soát <b>văn bản</b>"), task("2", "Tổ chức hội nghị sơ kết")])
    got = plan([task("1", "Rà soát <b>văn bàn</b>")])
    doc = score_document(expected, got, input="plans/x&y.docx", golden="x.golden.json")
    page = render_html(QaReport(folder="plans", documents=[doc], min_score=100.0))
    assert page.startswith("<!DOCTYPE html>") or page.lstrip().lower().startswith("<!doctype html>")
    assert "plans/x&amp;y.docx" in page and "<b>văn" not in page  # names and texts are escaped
    assert "<del>ả</del><ins>à</ins>" in page  # the one differing character, marked
    assert "missing-row" in page and "Tổ chức hội nghị sơ kết" in page
    assert "FAILED" in page


def test_fields_added_later_are_scored_only_where_the_golden_file_has_them():
    from phuluc.qa import score_document

    got = {"document": {"issuer": "A", "number": "1", "date": "", "title": "T", "plan_title": "KẾ HOẠCH X"},
           "tasks": [{"stt": "1", "task": "Việc", "appendix": "PHỤ LỤC II"}]}
    old = {"document": {"issuer": "A", "number": "1", "date": "", "title": "T"}, "tasks": [{"stt": "1", "task": "Việc"}]}
    assert "appendix" not in score_document(old, got).fields and score_document(old, got).exact == score_document(old, got).cells
    new = {"document": {**old["document"], "plan_title": ""}, "tasks": [{"stt": "1", "task": "Việc", "appendix": ""}]}
    scored = score_document(new, got)
    assert {p.field for p in scored.problems} == {"appendix", "plan_title"}
