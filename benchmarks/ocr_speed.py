"""OCR speed, memory and accuracy on the scanned samples: `python benchmarks/ocr_speed.py`.

1. tesserocr vs pytesseract reading the same cells of one scanned page (why the binding);
2. seconds per scanned page rendered at 200 and 300 dpi, and the qa score at each;
3. OCR pages per minute for `phuluc convert samples-scans/ --jobs 2` (and --jobs 1);
4. peak RSS of a worker converting a 30-page scan (pages of the samples, repeated);
5. accuracy on samples-scans/: `phuluc qa` score, rows found, cells under the
   low-confidence threshold and how many of the wrong cells they catch.

Raw output goes to stdout; paste it into benchmarks/ocr_speed_RESULTS.md.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "samples-scans"
PAGE = SCANS / "scan-ha-noi-300dpi.pdf"


def cell_rects(dpi: float = 300) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    import pypdfium2

    from phuluc.extract.image_table import erase_rules, find_rules
    from phuluc.extract.page_image import prepare, render_page
    from phuluc.extract.pdf_tables import find_tables

    pdf = pypdfium2.PdfDocument(str(PAGE))
    page = prepare(*render_page(pdf, 0, dpi)[:2])
    pdf.close()
    rules, mask = find_rules(page.gray, dpi)
    k = dpi / 72
    rects = [(int(c.bbox[0] * k) + 4, int(c.bbox[1] * k) + 4, int(c.bbox[2] * k) - 4, int(c.bbox[3] * k) - 4)
             for box in find_tables(rules) for c in box.cells]
    return erase_rules(page.gray, mask), rects


def binding_comparison() -> None:
    import pytesseract

    from phuluc.extract.tesseract import Engine, engine_info

    gray, rects = cell_rects()
    t = time.perf_counter()
    engine = Engine("vie")  # loads the model once
    load = time.perf_counter() - t
    t = time.perf_counter()
    engine.set_image(Image.fromarray(gray))
    words_a = sum(len(engine.read(r)) for r in rects)
    tess = time.perf_counter() - t
    config = f"--psm 6 --tessdata-dir {engine_info()[1]}"
    t = time.perf_counter()
    words_b = 0
    for x0, top, x1, bottom in rects:
        data = pytesseract.image_to_data(Image.fromarray(gray[top:bottom, x0:x1]), lang="vie", config=config,
                                         output_type=pytesseract.Output.DICT)
        words_b += sum(1 for w in data["text"] if w.strip())
    pyt = time.perf_counter() - t
    print(f"binding: {len(rects)} cells of {PAGE.name} page 1 at 300 dpi")
    print(f"  tesserocr (one engine, SetRectangle per cell): {tess:.2f} s ({words_a} words), model load {load:.2f} s once")
    print(f"  pytesseract (a tesseract process per cell):    {pyt:.2f} s ({words_b} words), {pyt / max(tess, 1e-9):.1f}x slower")


def per_page(dpi: float) -> None:
    from phuluc.qa import run_qa

    with tempfile.TemporaryDirectory() as tmp:
        # Only the image-only scans (not the OCR text layer one): their pages all go to OCR.
        folder = Path(tmp)
        pages = 0
        for p in sorted(SCANS.glob("scan-*.pdf")):
            (folder / p.name).symlink_to(p)
            (folder / f"{p.stem}.golden.json").symlink_to(SCANS / f"{p.stem}.golden.json")
            import pypdfium2

            pages += len(pypdfium2.PdfDocument(str(p)))
        t = time.perf_counter()
        report = run_qa(folder, settings={"dpi": dpi}, min_score=0)
        dt = time.perf_counter() - t
    rows = sum(d.rows_matched for d in report.documents)
    expected = sum(d.rows_expected for d in report.documents)
    print(f"render at {dpi:g} dpi: {pages} scanned pages in {dt:.1f} s = {dt / pages:.2f} s/page (--jobs 1); "
          f"qa {100 * report.score:.2f}% of {report.cells} cells, rows found {rows}/{expected}")


def batch(jobs: int) -> None:
    import pypdfium2

    from phuluc.batch import run_batch
    from phuluc.pipeline import Settings

    pages = sum(len(pypdfium2.PdfDocument(str(p))) for p in SCANS.glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        results = run_batch([str(SCANS)], tmp, Settings(timeout=600), jobs=jobs, progress=None)
        dt = time.perf_counter() - t
    failed = [r for r in results if r.status == "error"]
    print(f"batch --jobs {jobs}: {len(results)} scans, {pages} pages in {dt:.1f} s = {60 * pages / dt:.1f} pages/min"
          f"{f', {len(failed)} failed' if failed else ''}")


def _convert_and_report_rss(path: str, conn) -> None:
    import phuluc

    t = time.perf_counter()
    doc = phuluc.convert(path)
    conn.send((time.perf_counter() - t, len(doc.tasks), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def thirty_pages() -> None:
    import pypdfium2

    out = pypdfium2.PdfDocument.new()
    sources = [pypdfium2.PdfDocument(str(p)) for p in sorted(SCANS.glob("scan-*.pdf"))]
    while len(out) < 30:
        for src in sources:
            if len(out) < 30:
                out.import_pages(src, [len(out) % len(src)])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan-30.pdf"
        out.save(str(path))
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_convert_and_report_rss, args=(str(path), child))
        proc.start()
        seconds, tasks, rss_kib = parent.recv()
        proc.join()
    print(f"30-page scan at 300 dpi in one worker: {seconds:.1f} s ({seconds / 30:.2f} s/page), "
          f"peak RSS {rss_kib / 1024:.0f} MiB")


def confidence_threshold() -> None:
    """Cells under each threshold, and the share of wrong cells (vs. the source PDF's text layer) they hold."""
    from phuluc.extract.pdf import read_pdf
    from phuluc.normalize.text import clean_text

    pairs = [("scan-vinh-bao-761-300dpi", "vinh-bao-761"), ("scan-cat-hai-52-split-200dpi", "cat-hai-52-split"),
             ("scan-nghe-an-980-200dpi", "nghe-an-980"), ("scan-ha-noi-300dpi", "owner-password-ha-noi")]
    cells = []
    for scan, src in pairs:
        truth = read_pdf(ROOT / "samples" / f"{src}.pdf")
        ocr = read_pdf(SCANS / f"{scan}.pdf")
        expected = {(t.page, c.row, c.col): clean_text(c.text, c.font) for t in truth.tables for c in t.cells}
        for t in ocr.tables:
            for c in t.cells:
                if c.conf is not None:
                    cells.append((c.conf, expected.get((t.page, c.row, c.col)) == clean_text(c.text, c.font)))
    wrong = sum(1 for _, ok in cells if not ok)
    print(f"cells read by OCR: {len(cells)}, exact {len(cells) - wrong} ({100 * (len(cells) - wrong) / len(cells):.1f}%)")
    for th in (50, 60, 70, 80, 90):
        flagged = [ok for conf, ok in cells if conf < th]
        caught = sum(1 for ok in flagged if not ok)
        print(f"  threshold {th}: {len(flagged)} cells flagged ({100 * len(flagged) / len(cells):.0f}%), "
              f"holding {caught} of the {wrong} wrong cells ({100 * caught / max(wrong, 1):.0f}%)")


def main() -> None:
    from phuluc.extract.tesseract import engine_info

    version, folder, _ = engine_info()
    print(f"# {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}, Tesseract {version} ({folder})")
    steps = sys.argv[1:] or ["binding", "dpi", "batch", "rss", "conf"]
    if "binding" in steps:
        binding_comparison()
    if "dpi" in steps:
        per_page(200)
        per_page(300)
    if "batch" in steps:
        batch(1)
        batch(2)
    if "rss" in steps:
        thirty_pages()
    if "conf" in steps:
        confidence_threshold()


if __name__ == "__main__":
    main()
