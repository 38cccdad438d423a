"""`phuluc serve`: the API's rules (host, token, traversal, uploads, versions, golden files), without a browser."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

import warnings  # noqa: E402

with warnings.catch_warnings():  # newer Starlette prefers httpx2 for its TestClient; httpx still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from phuluc.batch import run_batch  # noqa: E402
from phuluc.qa import run_qa  # noqa: E402
from phuluc.serve.app import allowed_hosts, create_app, serve  # noqa: E402
from phuluc.serve.uploads import Limits, UploadRefused, safe_name  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BASE = "http://127.0.0.1:8765"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An output folder of two converted samples (in this process: no workers), inputs in OUT/inputs/."""
    out = tmp_path / "out"
    inputs = out / "inputs"
    inputs.mkdir(parents=True)
    for name in ("vinh-bao-761.pdf", "dong-nai-179.docx"):
        shutil.copy(SAMPLES / name, inputs / name)
    run_batch([inputs], out, jobs=0)
    return out


def client(out: Path, **kwargs) -> tuple[TestClient, str]:
    app = create_app(out, **kwargs)
    return TestClient(app, base_url=BASE), app.state.phuluc.token


def edit_of(out: Path, stem: str) -> dict:
    doc = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    return {"document": doc["document"], "tasks": [dict(t, origin=i) for i, t in enumerate(doc["tasks"])]}


def test_host_header_must_name_this_server(folder: Path):
    c, _ = client(folder)
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200
    # DNS rebinding: a page from evil.example resolved to 127.0.0.1 still sends its own Host.
    assert c.get("/", headers={"host": "evil.example:8765"}).status_code == 400
    assert c.get("/api/jobs", headers={"host": "evil.example"}).status_code == 400


def test_allowed_hosts_are_the_bound_address_and_loopback_names():
    assert set(allowed_hosts("127.0.0.1")) == {"127.0.0.1", "localhost", "[::1]"}
    assert allowed_hosts("192.168.1.20") == ["192.168.1.20"]


def test_every_post_needs_the_page_token(folder: Path):
    c, token = client(folder)
    page = c.get("/").text
    assert f'content="{token}"' in page  # the page carries it for its scripts
    edit = edit_of(folder, "vinh-bao-761") | {"base_version": 0}
    for headers in ({}, {"x-phuluc-token": "guess"}):
        assert c.post("/api/save?doc=vinh-bao-761", json=edit, headers=headers).status_code == 403
        assert c.post("/api/golden?doc=vinh-bao-761", json={}, headers=headers).status_code == 403
        r = c.post("/upload", files=[("files", ("a.pdf", b"%PDF-1.4"))], headers=headers)
        assert r.status_code == 403 and "token" in r.json()["error"]
    assert not (folder / "vinh-bao-761.corrected.json").exists()
    assert not (folder / "inputs" / "a.pdf").exists()
    # A second server run has another token: an old page cannot post to it.
    c2, token2 = client(folder)
    assert token2 != token


@pytest.mark.parametrize("doc", ["../report", "/etc/passwd", "inputs/vinh-bao-761.pdf", "vinh-bao-761/../../x", ""])
def test_documents_are_reached_only_by_their_stem_in_report_json(folder: Path, doc: str):
    c, token = client(folder)
    assert c.get("/review", params={"doc": doc}).status_code == 404
    assert c.get("/api/pages", params={"doc": doc}).status_code == 404
    assert c.get("/api/page.png", params={"doc": doc, "n": 1}).status_code == 404
    r = c.post("/api/save", params={"doc": doc}, json={"base_version": 0, "tasks": []}, headers={"x-phuluc-token": token})
    assert r.status_code == 404


def test_other_paths_do_not_leave_their_folders(folder: Path):
    c, _ = client(folder)
    assert c.get("/static/..%2Fapp.py").status_code == 404
    assert c.get("/export/report.json").status_code == 404
    assert c.get("/export/..%2Freport.json").status_code == 404
    assert c.get("/api/page.png", params={"doc": "vinh-bao-761", "n": 99}).status_code == 404
    assert c.get("/api/page.png", params={"doc": "vinh-bao-761", "n": "1/../2"}).status_code == 404


def test_upload_names_are_sanitised_and_limited(tmp_path: Path):
    c, token = client(tmp_path / "out", limits=Limits(max_bytes=1000, max_files=3))
    files = [("files", ("../../../etc/evil.pdf", b"%PDF-1.4 tiny")), ("files", ("run.sh", b"#!/bin/sh")),
             ("files", ("big.docx", b"x" * 1001))]
    r = c.post("/upload", files=files, headers={"x-phuluc-token": token})
    assert r.status_code == 200
    data = r.json()
    assert data["accepted"] == ["evil.pdf"]
    reasons = {x["name"]: x["reason"] for x in data["refused"]}
    assert "only PDF, DOCX and DOC" in reasons["run.sh"] and "upload limit" in reasons["big.docx"]
    assert sorted(p.name for p in (tmp_path / "out" / "inputs").iterdir()) == ["evil.pdf"]
    assert not list(tmp_path.glob("**/etc"))
    too_many = [("files", (f"{i}.pdf", b"%PDF")) for i in range(4)]
    assert c.post("/upload", files=too_many, headers={"x-phuluc-token": token}).status_code == 400
    huge = [("files", ("h.pdf", b"x" * (3 * 1000 + 2**20 + 1)))]
    assert c.post("/upload", files=huge, headers={"x-phuluc-token": token}).status_code == 413


def test_safe_name():
    assert safe_name("../../a/b/Kế hoạch 761.pdf") == "Kế hoạch 761.pdf"
    assert safe_name("C:\\Users\\x\\plan.DOCX") == "plan.DOCX"
    assert safe_name(".hidden.pdf") == "hidden.pdf"
    assert safe_name("a;rm -rf $HOME`.pdf") == "a_rm -rf _HOME_.pdf"
    assert len(safe_name("x" * 500 + ".pdf")) == 120
    for bad in ("plan.exe", "plan.pdf.exe", ".pdf", "", "../.."):
        with pytest.raises(UploadRefused):
            safe_name(bad)


def test_saves_are_versioned_and_a_stale_save_is_refused(folder: Path):
    c, token = client(folder)
    h = {"x-phuluc-token": token}
    machine = (folder / "vinh-bao-761.json").read_bytes()
    first = edit_of(folder, "vinh-bao-761")
    first["tasks"][0]["task"] = "Sửa lần một"
    second = edit_of(folder, "vinh-bao-761")
    second["tasks"][0]["task"] = "Sửa từ tab khác"
    assert c.post("/api/save?doc=vinh-bao-761", json=first | {"base_version": 0}, headers=h).json() == {"version": 1}
    r = c.post("/api/save?doc=vinh-bao-761", json=second | {"base_version": 0}, headers=h)
    assert r.status_code == 409 and "since you opened it" in r.json()["error"] and "Nothing was saved" in r.json()["error"]
    corrected = json.loads((folder / "vinh-bao-761.corrected.json").read_text(encoding="utf-8"))
    assert corrected["tasks"][0]["task"] == "Sửa lần một" and corrected["review"]["version"] == 1
    assert c.post("/api/save?doc=vinh-bao-761", json=second | {"base_version": 1}, headers=h).json() == {"version": 2}
    assert (folder / "vinh-bao-761.json").read_bytes() == machine  # the machine's output is never changed
    assert 'data-version="2"' in c.get("/review?doc=vinh-bao-761").text


def test_a_correction_recomputes_the_structured_fields_and_reaches_the_combined_files(folder: Path):
    c, token = client(folder)
    edit = edit_of(folder, "dong-nai-179")
    edit["tasks"][1]["timeline"] = "Trước ngày 30/6/2027"
    edit["tasks"][1]["lead"] = "UBND xã; Công an xã"
    del edit["tasks"][0]  # a deleted row
    edit["tasks"].append({"stt": "99", "task": "Nhiệm vụ thêm", "origin": None, "extra": {}})
    r = c.post("/api/save?doc=dong-nai-179", json=edit | {"base_version": 0}, headers={"x-phuluc-token": token})
    assert r.status_code == 200
    doc = json.loads((folder / "dong-nai-179.corrected.json").read_text(encoding="utf-8"))
    task = doc["tasks"][0]
    assert task["timeline_parsed"]["end"] == "2027-06-30" and task["lead_list"] == ["UBND xã", "Công an xã"]
    assert doc["review"]["origins"][0] == 1 and doc["review"]["origins"][-1] is None
    with open(folder / "tasks.csv", encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["source"] == "dong-nai-179.docx"]
    assert len(rows) == len(doc["tasks"]) and rows[-1]["task"] == "Nhiệm vụ thêm"
    assert rows[0]["timeline"] == "Trước ngày 30/6/2027"
    jsonl = [json.loads(line) for line in (folder / "tasks.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r["task"] == "Nhiệm vụ thêm" for r in jsonl)
    x = c.get("/export/tasks.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_bad_edits_are_refused_with_a_reason(folder: Path):
    c, token = client(folder)
    h = {"x-phuluc-token": token}
    for body in ({"base_version": 0}, {"base_version": 0, "tasks": [{"task": 5}]}, {"tasks": []}, [1, 2]):
        r = c.post("/api/save?doc=vinh-bao-761", json=body, headers=h)
        assert r.status_code == 400 and r.json()["error"].startswith("bad edit")
    r = c.post("/api/save?doc=vinh-bao-761", content=b"{not json", headers=h)
    assert r.status_code == 400


def test_golden_needs_a_confirmation_to_overwrite_and_qa_then_passes(folder: Path):
    c, token = client(folder)
    h = {"x-phuluc-token": token}
    r = c.post("/api/golden?doc=vinh-bao-761", json={}, headers=h)
    golden = folder / "inputs" / "vinh-bao-761.golden.json"
    assert r.status_code == 200 and Path(r.json()["golden"]) == golden
    report = run_qa(folder / "inputs")
    assert [d.score for d in report.documents] == [1.0]
    edit = edit_of(folder, "vinh-bao-761")
    edit["tasks"][0]["lead"] = "Người sửa"
    c.post("/api/save?doc=vinh-bao-761", json=edit | {"base_version": 0}, headers=h)
    r = c.post("/api/golden?doc=vinh-bao-761", json={}, headers=h)
    assert r.status_code == 409 and r.json()["exists"]
    assert "Người sửa" not in golden.read_text(encoding="utf-8")
    assert c.post("/api/golden?doc=vinh-bao-761", json={"overwrite": True}, headers=h).status_code == 200
    data = json.loads(golden.read_text(encoding="utf-8"))
    assert data["tasks"][0]["lead"] == "Người sửa" and "review" not in data
    problems = run_qa(folder / "inputs").documents[0].problems
    assert [(p.code, p.field, p.expected) for p in problems] == [("field-mismatch", "lead", "Người sửa")]


def test_review_page_has_boxes_marks_and_page_images(folder: Path):
    c, _ = client(folder)
    html = c.get("/review?doc=vinh-bao-761").text
    assert 'class="noted"' in html and "stt-gap" in html  # the row the STT warning points at
    boxes = json.loads((folder / "vinh-bao-761.boxes.json").read_text(encoding="utf-8"))["tasks"]
    sizes = c.get("/api/pages?doc=vinh-bao-761").json()["pages"]
    assert len(sizes) == 3
    for task in boxes:
        for b in task["task"]:
            w, h = sizes[b["page"] - 1]
            x0, top, x1, bottom = b["bbox"]
            assert 0 <= x0 < x1 <= w and 0 <= top < bottom <= h
    png = c.get("/api/page.png?doc=vinh-bao-761&n=2")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (folder / "dong-nai-179.boxes.json").exists()  # DOCX has no positions


def test_low_confidence_cells_are_marked(folder: Path):
    boxes_path = folder / "vinh-bao-761.boxes.json"
    data = json.loads(boxes_path.read_text(encoding="utf-8"))
    data["tasks"][0]["lead"][0]["conf"] = 31.0
    boxes_path.write_text(json.dumps(data), encoding="utf-8")
    c, _ = client(folder)
    html = c.get("/review?doc=vinh-bao-761").text
    assert html.count('class="low"') == 1 and 'data-field="lead" class="low"' in html


def test_list_filters_by_status_and_warning_code(folder: Path):
    c, _ = client(folder)
    assert "dong-nai-179" in c.get("/").text
    html = c.get("/?code=stt-gap").text
    assert "review?doc=vinh-bao-761" in html and "review?doc=dong-nai-179" not in html
    assert "review?doc=" not in c.get("/?status=error").text


def test_serve_warns_when_listening_beyond_this_machine(tmp_path: Path, monkeypatch):
    import uvicorn

    calls, printed = [], []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    serve(tmp_path / "o", host="0.0.0.0", port=9999, echo=lambda *a, **k: printed.append(" ".join(map(str, a))))
    assert calls == [{"host": "0.0.0.0", "port": 9999, "log_level": "warning"}]
    assert "warning" in printed[0] and "http://0.0.0.0:9999/" in printed[1]
    printed.clear()
    serve(tmp_path / "o", echo=lambda *a, **k: printed.append(" ".join(map(str, a))))
    assert len(printed) == 1 and "http://127.0.0.1:8765/" in printed[0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed: a DOCX is reviewed without pages")
def test_a_docx_is_shown_on_the_pages_of_its_twin_pdf(folder: Path):
    c, _ = client(folder)
    sizes = c.get("/api/pages?doc=dong-nai-179").json()["pages"]
    assert len(sizes) >= 2
    assert c.get("/api/page.png?doc=dong-nai-179&n=1").content[:4] == b"\x89PNG"
    assert list((folder / ".pages").glob("dong-nai-179.*/twin.pdf"))


def test_corrections_made_on_an_earlier_input_are_flagged(folder: Path):
    c, token = client(folder)
    edit = edit_of(folder, "vinh-bao-761") | {"base_version": 0}
    assert c.post("/api/save?doc=vinh-bao-761", json=edit, headers={"x-phuluc-token": token}).status_code == 200
    assert "The input file changed" not in c.get("/review?doc=vinh-bao-761").text
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    row = next(r for r in report["files"] if r["stem"] == "vinh-bao-761")
    row["sha256"] = "0" * 64  # as after the input was replaced and converted again
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    assert "The input file changed" in c.get("/review?doc=vinh-bao-761").text


def test_pages_forbid_framing_by_others_and_inline_scripts(folder: Path):
    c, _ = client(folder)
    for url in ("/", "/review?doc=vinh-bao-761", "/api/jobs", "/static/app.js"):
        headers = c.get(url).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'self'" in csp and "script-src" not in csp and "default-src 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in c.get("/review?doc=vinh-bao-761").text  # only the JSON data block and app.js
