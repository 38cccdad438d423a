"""How fast the review page of `phuluc serve` opens: `python benchmarks/serve_review.py [--runs 5]`.

Builds a 60-task, 12-page plan appendix (the Đồng Nai rows of the samples, drawn
by the samples' own PDF painter, 13 rows repeated to reach 60), converts it
with the batch engine, starts the real server (uvicorn) and opens the review
page in headless Chromium. For each run it reads the browser's Navigation
Timing: the HTML received, DOMContentLoaded, load (the first two page images
are loaded eagerly, the rest lazily), and "ready" (page frames placed, the table
editable), and the first page's image received (rendered on demand when cold). Cold runs start with no rendered pages (OUT/.pages removed) and an
empty browser cache; warm runs reuse both. Paste the output into
benchmarks/serve_review_RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))

import make_pdf_samples as mps  # noqa: E402
import uvicorn  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from phuluc.batch import run_batch  # noqa: E402
from phuluc.serve.app import create_app  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1440,900"]
TIMING = """
const n = performance.getEntriesByType('navigation')[0];
const img = performance.getEntriesByType('resource').find(r => r.name.includes('page.png') && r.name.endsWith('n=1'));
return {html: n.responseEnd, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,
        ready: Number(document.body.dataset.readyMs), page1: img ? img.responseEnd : null,
        rows: document.querySelectorAll('#tasks tbody tr').length, pages: document.querySelectorAll('#pages .page').length};
"""


def build_pdf(folder: Path) -> Path:
    """A 60-task appendix on exactly 12 pages: the font size is chosen to make it so."""
    mps.register_fonts()
    spec = mps.long_table()
    tasks = [r for r in spec.rows if not isinstance(r, str)]
    extra = [[str(48 + i), *row[1:]] for i, row in enumerate(tasks[:13])]
    spec.rows = [*spec.rows, *extra]
    spec.stem = "bench-60-tasks"
    for size in [x / 2 for x in range(20, 40)]:
        spec.size = size
        mps.Painter(spec, folder / "bench-60-tasks.pdf").render()
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(folder / "bench-60-tasks.pdf"))
        pages = len(pdf)
        pdf.close()
        if pages >= 12:
            break
    return folder / "bench-60-tasks.pdf"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="phuluc-bench-serve-"))
    out = tmp / "out"
    (out / "inputs").mkdir(parents=True)
    pdf = build_pdf(out / "inputs")
    results = run_batch([out / "inputs"], out, jobs=0)
    print(f"document: {pdf.name}: {results[0].tasks} tasks, {results[0].pages} pages, converted in {results[0].seconds:.2f} s")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(out), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in [*FLAGS, f"--user-data-dir={tmp / 'profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    url = f"http://127.0.0.1:{port}/review?doc=bench-60-tasks"
    rows: dict[str, list[dict]] = {"cold": [], "warm": []}
    try:
        for kind in ("cold", "warm"):
            for _ in range(args.runs):
                driver.get("about:blank")
                time.sleep(1.0)  # let renders the last run started finish before their folder goes
                if kind == "cold":
                    shutil.rmtree(out / ".pages", ignore_errors=True)
                    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
                driver.get(url)
                WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.body.dataset.ready") == "yes")
                WebDriverWait(driver, 60).until(lambda d: d.execute_script(
                    "const i = document.querySelector('#page-1 img'); return document.readyState == 'complete' && i && i.complete && i.naturalWidth > 0"))
                rows[kind].append(driver.execute_script(TIMING))
    finally:
        driver.quit()
        server.should_exit = True
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
          f"runs per row: {args.runs}; milliseconds from navigation start, median (max)")
    print("| run | rows | pages | HTML received | DOMContentLoaded | page 1 image | load | ready |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind, runs in rows.items():
        def cell(key: str, runs=runs) -> str:
            values = [r[key] for r in runs if r[key] is not None]
            return f"{statistics.median(values):.0f} ({max(values):.0f})" if values else "–"
        print(f"| {kind} | {runs[0]['rows']} | {runs[0]['pages']} | {cell('html')} | {cell('dom')} | {cell('page1')} | "
              f"{cell('load')} | {cell('ready')} |")


if __name__ == "__main__":
    main()
