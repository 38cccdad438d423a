"""Build samples-scans/: existing PDF samples printed, stamped and scanned, as an office does.

Each source PDF in `samples/` is rendered page by page (pypdfium2) and degraded the way an
office scanner degrades paper: a resolution of 200 or 300 dpi, the page leaning by
0.5–2°, grey paper and sensor noise, a little blur, JPEG compression, and red round
seals (one over the signature place under the table, one over a corner of the table).
The result is an image-only PDF (no text layer). One more is passed through
`tesseract … pdf`, which adds an invisible OCR text layer over the image, as scanner
software and ocrmypdf publish.

A scan's golden file is its source's golden file (the same tasks, the `source` renamed):
the scan is the same document. Everything is seeded, so a rebuild gives the same images
(the image-only PDFs byte for byte; Tesseract dates the OCR text layer one).

    python samples/make_scan_samples.py         # writes samples-scans/*.pdf and *.golden.json
"""

from __future__ import annotations

import io
import json
import math
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "samples-scans"


@dataclass
class Scan:
    source: str  # stem of a PDF sample with a golden file
    name: str  # stem of the scan
    dpi: int
    angles: tuple[float, ...]  # lean per page (degrees, counter-clockwise positive)
    seed: int
    text_layer: bool = False  # run through `tesseract … pdf` (image + invisible text)
    quality: int = 45  # JPEG quality


SCANS = [
    Scan("vinh-bao-761", "scan-vinh-bao-761-300dpi", 300, (1.2, -0.8, 0.6), 1),
    Scan("cat-hai-52-split", "scan-cat-hai-52-split-200dpi", 200, (-1.6, 0.9), 2),
    Scan("nghe-an-980", "scan-nghe-an-980-200dpi", 200, (0.5, -2.0, 1.4), 3),
    Scan("owner-password-ha-noi", "scan-ha-noi-300dpi", 300, (-0.7,), 4),
    Scan("tay-ninh-617-two-level", "ocr-layer-tay-ninh-617-200dpi", 200, (0.8, -1.1, 0.5), 5, text_layer=True),
]


def table_box(pdf_path: Path, index: int) -> tuple[float, float, float, float] | None:
    """The extent of the vector lines on a page (the table), in points from the top-left."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[index]
        edges = page.lines + page.rects
        if not edges:
            return None
        return (min(e["x0"] for e in edges), min(e["top"] for e in edges),
                max(e["x1"] for e in edges), max(e["bottom"] for e in edges))


def seal(diameter: int, rng: np.random.Generator) -> Image.Image:
    """A red round seal as an RGBA image: two rings, a star, letters round the rim, uneven ink."""
    red = (205, 35, 40, 255)
    # Transparent red, not transparent black: the blurred rim must fade to paper, not to grey.
    img = Image.new("RGBA", (diameter, diameter), red[:3] + (0,))
    draw = ImageDraw.Draw(img)
    w = max(diameter // 45, 2)
    draw.ellipse((w, w, diameter - w, diameter - w), outline=red, width=w * 2)
    inner = diameter // 5
    draw.ellipse((inner, inner, diameter - inner, diameter - inner), outline=red, width=w)
    c = diameter / 2
    r = diameter / 10
    star = [(c + (r if i % 2 == 0 else r / 2.5) * math.sin(i * math.pi / 5),
             c - (r if i % 2 == 0 else r / 2.5) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=red)
    font = ImageFont.load_default(size=max(diameter // 14, 8))
    text = "UỶ BAN NHÂN DÂN * TỈNH * "
    for i, ch in enumerate(text * 2):
        a = 2 * math.pi * i / (2 * len(text))
        rr = c - diameter * 0.12
        draw.text((c + rr * math.sin(a), c - rr * math.cos(a)), ch, fill=red, font=font, anchor="mm")
    alpha = np.array(img.getchannel("A"), dtype=np.float32)
    alpha *= rng.uniform(0.55, 0.95, alpha.shape).astype(np.float32)  # ink is never even
    img.putalpha(Image.fromarray(alpha.astype(np.uint8)).filter(ImageFilter.GaussianBlur(1)))
    return img


def stamp(page: Image.Image, mark: Image.Image, centre: tuple[float, float]) -> Image.Image:
    """Ink multiplies with the paper: black under the seal stays black."""
    x, y = int(centre[0] - mark.width / 2), int(centre[1] - mark.height / 2)
    layer = Image.new("RGB", page.size, (255, 255, 255))
    layer.paste(mark.convert("RGB"), (x, y), mark)
    return Image.fromarray((np.asarray(page, np.float32) * np.asarray(layer, np.float32) / 255).astype(np.uint8))


def degrade(page: Image.Image, angle: float, rng: np.random.Generator, quality: int) -> Image.Image:
    """Lean, grey paper, noise, a little blur, JPEG."""
    page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    arr = np.asarray(page, np.float32) * 0.93 + 6
    arr += rng.normal(0, 9, arr.shape[:2])[..., None]
    page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def scan_pages(scan: Scan) -> list[Image.Image]:
    src = HERE / f"{scan.source}.pdf"
    rng = np.random.default_rng(scan.seed)
    doc = pypdfium2.PdfDocument(str(src))
    k = scan.dpi / 72
    pages: list[Image.Image] = []
    for i in range(len(doc)):
        img = doc[i].render(scale=k).to_pil().convert("RGB")
        box = table_box(src, i)
        size = int(70 * k)  # a 70 pt (25 mm) seal; the one over the signature is 105 pt (37 mm), as in life
        if i == 0 and box:  # over the table's top-right corner
            img = stamp(img, seal(size, rng), (box[2] * k - size * 0.2, box[1] * k + size * 0.1))
        if i == len(doc) - 1:  # over the signature place, under the table
            bottom = box[3] if box else img.height / k * 0.6
            y = min(bottom * k + size * 0.8, img.height - size * 0.6)
            img = stamp(img, seal(int(size * 1.5), rng), (img.width * 0.72, y))
        pages.append(degrade(img, scan.angles[i % len(scan.angles)], rng, scan.quality))
    doc.close()
    return pages


def write_image_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    when = time.gmtime(1767225600)  # fixed dates (2026-01-01): a rebuild gives the same bytes
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], creationDate=when, modDate=when)


def write_ocr_layer_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    """Image + invisible text, made by Tesseract itself (`tesseract list.txt out -l vie pdf`)."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise SystemExit("tesseract is needed for the OCR text layer sample: apt-get install tesseract-ocr tesseract-ocr-vie")
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for i, page in enumerate(pages):
            name = Path(tmp) / f"p{i}.jpg"
            page.save(name, "JPEG", quality=90, dpi=(dpi, dpi))
            names.append(str(name))
        listing = Path(tmp) / "pages.txt"
        listing.write_text("\n".join(names) + "\n")
        subprocess.run([exe, str(listing), str(Path(tmp) / "out"), "-l", "vie", "--dpi", str(dpi), "pdf"],
                       check=True, capture_output=True)
        shutil.copy(Path(tmp) / "out.pdf", path)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for scan in SCANS:
        pages = scan_pages(scan)
        pdf = OUT / f"{scan.name}.pdf"
        if scan.text_layer:
            write_ocr_layer_pdf(pages, pdf, scan.dpi)
        else:
            write_image_pdf(pages, pdf, scan.dpi)
        golden = json.loads((HERE / f"{scan.source}.golden.json").read_text(encoding="utf-8"))
        golden["source"] = pdf.name
        (OUT / f"{scan.name}.golden.json").write_text(json.dumps(golden, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{pdf.relative_to(HERE.parent)}: {len(pages)} pages, {pdf.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
