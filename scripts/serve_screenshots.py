"""Screenshots of `phuluc serve` for the README: docs/serve-list.png, serve-review.png, serve-qa.png.

Runs the real app over a fresh folder, uploads samples (and a cut-short PDF)
through headless Chromium, corrects a cell, accepts one golden file, and
captures the three pages. Needs the serve extra, selenium, chromium and chromedriver.

    python scripts/serve_screenshots.py [--docs docs/]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from phuluc.serve.app import create_app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
UPLOADS = ["vinh-bao-761.pdf", "ha-noi-310-full-plan.pdf", "cat-hai-52-split.pdf", "dong-nai-179.docx",
           "tay-ninh-617-two-level.docx", "sa-dec-no-task-table.pdf", "nghe-an-980.docx"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def ready(driver) -> bool:
    return driver.execute_script("return document.body.dataset.ready") == "yes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default=str(ROOT / "docs"))
    args = parser.parse_args()
    tmp = Path(tempfile.gettempdir()) / "ke-hoach-2026"  # a short, plausible folder name for the pictures
    shutil.rmtree(tmp, ignore_errors=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(tmp / "out", jobs=2), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in [*FLAGS, f"--user-data-dir={tmp / 'profile'}", "--window-size=1440,900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        base = f"http://127.0.0.1:{port}"
        broken = tmp / "ke-hoach-bi-hong.pdf"
        broken.write_bytes((SAMPLES / "vinh-bao-761.pdf").read_bytes()[:1500])
        driver.get(base + "/")
        box = driver.find_element(By.ID, "files")
        driver.execute_script("arguments[0].hidden = false", box)
        box.send_keys("\n".join([str(SAMPLES / n) for n in UPLOADS] + [str(broken)]))
        WebDriverWait(driver, 300).until(lambda d: ready(d) and len(d.find_elements(By.CSS_SELECTOR, "#docs tbody tr")) == 8)

        driver.get(base + "/review?doc=vinh-bao-761")
        WebDriverWait(driver, 60).until(ready)
        td = driver.find_elements(By.CSS_SELECTOR, "#tasks tbody tr")[1].find_element(By.CSS_SELECTOR, 'td[data-field="lead"]')
        td.click()
        td.send_keys(Keys.END, " (đã kiểm tra)")
        driver.find_element(By.ID, "save").click()
        WebDriverWait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "message"), "Saved"))
        driver.find_element(By.ID, "golden").click()
        WebDriverWait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "message"), "Golden"))
        driver.get(base + "/review?doc=dong-nai-179")
        WebDriverWait(driver, 60).until(ready)
        driver.find_element(By.ID, "golden").click()
        WebDriverWait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "message"), "Golden"))

        driver.get(base + "/")
        time.sleep(1.5)
        driver.save_screenshot(str(Path(args.docs) / "serve-list.png"))

        driver.get(base + "/review?doc=vinh-bao-761")
        WebDriverWait(driver, 60).until(ready)
        driver.find_elements(By.CSS_SELECTOR, "#tasks tbody tr")[1].find_element(By.CSS_SELECTOR, 'td[data-field="lead"]').click()
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "return [...document.querySelectorAll('#pages img')].slice(0, 2).every(i => i.complete && i.naturalWidth)"))
        time.sleep(1.0)
        driver.save_screenshot(str(Path(args.docs) / "serve-review.png"))

        driver.get(base + "/qa")
        driver.switch_to.frame(driver.find_element(By.ID, "qa-frame"))
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.TAG_NAME, "table")))
        driver.switch_to.default_content()
        time.sleep(0.5)
        driver.save_screenshot(str(Path(args.docs) / "serve-qa.png"))
    finally:
        driver.quit()
        server.should_exit = True
        shutil.rmtree(tmp, ignore_errors=True)
    print("wrote", ", ".join(f"{args.docs}/serve-{n}.png" for n in ("list", "review", "qa")))


if __name__ == "__main__":
    main()
