"""`phuluc serve` in a real browser: Selenium driving Debian's headless Chromium (no browser download).

Upload two samples and a broken file, wait for the conversions, open a
document, edit a cell, save, reload, see the edit, check the corrected JSON and
the combined tasks.csv, accept as golden, and check that `phuluc qa` then
scores the document 100%. Runs (never skips) when CI=true.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,900"]

if not IN_CI:
    pytest.importorskip("selenium")
    pytest.importorskip("uvicorn")
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
                    allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from phuluc import PhulucError, convert  # noqa: E402
from phuluc.qa import run_qa  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    """`phuluc serve OUT` on a free port, in a thread of this process (conversions still in worker processes)."""
    import uvicorn

    from phuluc.serve.app import create_app

    out = tmp_path / "out"
    port = free_port()
    app = create_app(out, jobs=2)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", out
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="phuluc-chromium-")
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait(driver, seconds: float = 60) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=0.2)


def cell(driver, row: int, field: str):
    """A cell of the task table, scrolled to the middle of its pane (not under the sticky header)."""
    td = driver.find_elements(By.CSS_SELECTOR, "#tasks tbody tr")[row].find_element(By.CSS_SELECTOR, f'td[data-field="{field}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", td)
    return td


def type_into(driver, row: int, field: str, text: str) -> None:
    td = cell(driver, row, field)
    td.click()
    td.send_keys(Keys.CONTROL, "a")
    td.send_keys(Keys.DELETE)
    td.send_keys(text)


def save(driver, version: int) -> None:
    driver.find_element(By.ID, "save").click()
    wait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "message"), f"Saved as version {version}"))


def accept_golden(driver) -> None:
    driver.find_element(By.ID, "message")
    driver.execute_script("document.getElementById('message').textContent = ''")
    driver.find_element(By.ID, "golden").click()


def upload_and_wait(driver, base: str, tmp: Path) -> None:
    broken = tmp / "hỏng.pdf"
    broken.write_bytes((SAMPLES / "vinh-bao-761.pdf").read_bytes()[:1500])  # cut short: a damaged PDF
    driver.get(base + "/")
    file_input = driver.find_element(By.ID, "files")
    driver.execute_script("arguments[0].hidden = false", file_input)
    file_input.send_keys("\n".join(str(p) for p in (SAMPLES / "vinh-bao-761.pdf", SAMPLES / "dong-nai-179.docx", broken)))
    wait(driver, 120).until(lambda d: d.execute_script("return document.body.dataset.ready") == "yes"
                            and len(d.find_elements(By.CSS_SELECTOR, "#docs tbody tr")) == 3)


def test_convert_review_correct_export_and_golden(server, browser, tmp_path: Path):
    base, out = server
    driver = browser
    upload_and_wait(driver, base, tmp_path)
    jobs = {li.get_attribute("data-name"): li.text for li in driver.find_elements(By.CSS_SELECTOR, "#jobs li.job")}
    assert jobs["vinh-bao-761.pdf"].startswith("warning") and "9 tasks" in jobs["vinh-bao-761.pdf"]
    assert jobs["dong-nai-179.docx"].startswith("ok")
    with pytest.raises(PhulucError) as usual:  # the broken file's usual one-line reason, as `phuluc convert` gives it
        convert(out / "inputs" / "hỏng.pdf")
    assert jobs["hỏng.pdf"].startswith("error") and usual.value.message in jobs["hỏng.pdf"]
    error_row = driver.find_element(By.CSS_SELECTOR, '#docs tr[data-stem="hỏng"]')
    assert f"{usual.value.code}: {usual.value.message}" in error_row.text

    # Open a document: its pages, its rows; a click shows where the row's cells are.
    driver.find_element(By.LINK_TEXT, "vinh-bao-761").click()
    wait(driver).until(lambda d: d.execute_script("return document.body.dataset.ready") == "yes")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#pages .page img")) == 3
    assert wait(driver).until(lambda d: d.execute_script(
        "return document.querySelector('#page-1 img').naturalWidth")) > 1000
    cell(driver, 0, "lead").click()
    boxes = json.loads((out / "vinh-bao-761.boxes.json").read_text(encoding="utf-8"))["tasks"][0]
    marks = driver.find_elements(By.CSS_SELECTOR, "#pages .hl")
    this = driver.find_elements(By.CSS_SELECTOR, "#pages .hl.this")  # the clicked cell; the others of its row
    assert len(marks) == sum(len(found) for found in boxes.values()) and len(this) == len(boxes["lead"]) == 2
    assert {m.find_element(By.XPATH, "..").get_attribute("id") for m in this} == {"page-1", "page-2"}  # cut by a page break

    machine = json.loads((out / "vinh-bao-761.json").read_text(encoding="utf-8"))
    original = machine["tasks"][0]["lead"]
    edited = "Văn phòng HĐND và UBND xã (đã sửa)"
    type_into(driver, 0, "lead", edited)
    save(driver, 1)
    driver.refresh()
    wait(driver).until(lambda d: d.execute_script("return document.body.dataset.ready") == "yes")
    assert cell(driver, 0, "lead").text == edited
    corrected = json.loads((out / "vinh-bao-761.corrected.json").read_text(encoding="utf-8"))
    assert corrected["tasks"][0]["lead"] == edited and corrected["tasks"][1:] == machine["tasks"][1:]
    assert json.loads((out / "vinh-bao-761.json").read_text(encoding="utf-8")) == machine
    with open(out / "tasks.csv", encoding="utf-8-sig", newline="") as f:
        leads = [r["lead"] for r in csv.DictReader(f) if r["source"] == "vinh-bao-761.pdf"]
    assert leads[0] == edited and len(leads) == 9

    # Accept as golden: the golden file carries the correction (qa finds exactly that cell differs).
    golden = out / "inputs" / "vinh-bao-761.golden.json"
    accept_golden(driver)
    wait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "message"), "Golden file written"))
    problems = run_qa(out / "inputs").documents[0].problems
    assert [(p.code, p.field, p.expected, p.got) for p in problems] == [("field-mismatch", "lead", edited, original)]

    # Undo the edit, save, accept again: an existing golden file is overwritten only after a confirmation.
    type_into(driver, 0, "lead", original)
    save(driver, 2)
    accept_golden(driver)
    wait(driver, 10).until(EC.alert_is_present())
    driver.switch_to.alert.dismiss()
    wait(driver, 10).until(EC.text_to_be_present_in_element((By.ID, "message"), "kept as it was"))
    assert edited in golden.read_text(encoding="utf-8")
    accept_golden(driver)
    wait(driver, 10).until(EC.alert_is_present())
    driver.switch_to.alert.accept()
    wait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "message"), "Golden file written"))
    report = run_qa(out / "inputs")
    assert [(Path(d.input).name, d.score) for d in report.documents] == [("vinh-bao-761.pdf", 1.0)]

    # The QA page serves that report.
    driver.get(base + "/qa")
    driver.switch_to.frame(driver.find_element(By.ID, "qa-frame"))
    wait(driver, 60).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "vinh-bao-761"))
    assert "100" in driver.find_element(By.TAG_NAME, "body").text
    driver.switch_to.default_content()


def test_two_tabs_cannot_silently_overwrite_each_other(server, browser, tmp_path: Path):
    base, out = server
    driver = browser
    upload_and_wait(driver, base, tmp_path)
    url = base + "/review?doc=dong-nai-179"
    driver.get(url)
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(url)
    second = driver.current_window_handle
    driver.switch_to.window(first)
    type_into(driver, 0, "task", "Tab một")
    save(driver, 1)
    driver.switch_to.window(second)
    type_into(driver, 0, "task", "Tab hai")
    driver.find_element(By.ID, "save").click()
    wait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "message"), "Not saved"))
    assert "since you opened it" in driver.find_element(By.ID, "message").text
    assert json.loads((out / "dong-nai-179.corrected.json").read_text(encoding="utf-8"))["tasks"][0]["task"] == "Tab một"

    # The second tab reloads (version 1) and edits rows: split, merge, add, delete.
    driver.refresh()
    wait(driver).until(lambda d: d.execute_script("return document.body.dataset.ready") == "yes")
    machine = [t["task"] for t in json.loads((out / "dong-nai-179.json").read_text(encoding="utf-8"))["tasks"]]
    rows = [(i, t) for i, t in enumerate(machine)]
    rows[0] = (0, "Tab một")
    split_at = 10
    driver.execute_script("""const td = arguments[0]; td.focus(); const r = document.createRange();
        r.setStart(td.firstChild, arguments[1]); r.collapse(true); getSelection().removeAllRanges(); getSelection().addRange(r);""",
                          cell(driver, 2, "task"), split_at)
    driver.find_element(By.ID, "split-row").click()
    rows[2:3] = [(2, machine[2][:split_at].strip()), (2, machine[2][split_at:].strip())]
    assert cell(driver, 3, "task").text == rows[3][1]
    cell(driver, 0, "stt").click()
    driver.find_element(By.ID, "merge-row").click()
    rows[0:2] = [(0, rows[0][1] + "\n" + rows[1][1])]
    cell(driver, len(rows) - 1, "task").click()
    driver.find_element(By.ID, "add-row").click()
    driver.switch_to.active_element.send_keys("Nhiệm vụ mới")
    rows.append((None, "Nhiệm vụ mới"))
    cell(driver, 5, "task").click()
    driver.find_element(By.ID, "delete-row").click()
    del rows[5]
    assert len(driver.find_elements(By.CSS_SELECTOR, "#tasks tbody tr")) == len(rows)
    save(driver, 2)
    corrected = json.loads((out / "dong-nai-179.corrected.json").read_text(encoding="utf-8"))
    assert corrected["review"]["origins"] == [o for o, _ in rows]
    assert [t["task"] for t in corrected["tasks"]] == ["\n".join(x.strip() for x in t.split("\n")) for _, t in rows]
