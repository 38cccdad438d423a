"""OCR of scanned pages: each step on a synthetic page, then a real scan sample end to end.

Under CI (CI=true) these tests never skip: a machine without Tesseract and its `vie`
data fails them, so the OCR path is always exercised there.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

import phuluc
from phuluc.extract.image_table import erase_rules, find_rules
from phuluc.extract.page_image import drop_colour_marks, measure_skew, rotate
from phuluc.extract.pdf_tables import find_tables
from phuluc.schema.errors import OcrUnavailable
from phuluc.schema.validate import validate

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "samples-scans"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def _tesseract_ready() -> bool:
    try:
        from phuluc.extract.tesseract import check_language

        check_language("vie")
        return True
    except OcrUnavailable:
        return False


needs_tesseract = pytest.mark.skipif(
    not _tesseract_ready() and not os.environ.get("CI"),
    reason="Tesseract with `vie` is not installed (apt-get install tesseract-ocr tesseract-ocr-vie); CI runs these",
)


def ruled_page(width: int = 1600, height: int = 1000) -> Image.Image:
    """A white page with a 3x3 ruled table whose top-right two cells are merged, and text."""
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    xs, ys = [100, 300, 900, 1500], [200, 320, 600, 880]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill="black", width=3)
    for i, x in enumerate(xs):
        # The rule between columns 1 and 2 stops under the first row: those two cells are one.
        d.line([(x, ys[1] if i == 2 else ys[0]), (x, ys[-1])], fill="black", width=3)
    font = ImageFont.truetype(FONT, 40)
    for r, y in enumerate(ys[:-1]):
        for x in xs[:-1]:
            if r == 0 and x == xs[2]:
                continue
            d.text((x + 20, y + 30), "Nội dung" if r == 0 else "Kế hoạch", fill="black", font=font)
    d.text((300, 80), "PHỤ LỤC NHIỆM VỤ", fill="black", font=font)
    return img


def test_deskew_recovers_a_known_angle():
    gray = np.array(ruled_page().convert("L"))
    for angle in (1.3, -0.6):
        leaning = rotate(gray, angle)
        assert measure_skew(leaning) == pytest.approx(-angle, abs=0.1)


def test_red_seal_is_removed_and_black_under_it_kept():
    img = ruled_page()
    seal = Image.new("RGB", img.size, "white")
    ImageDraw.Draw(seal).ellipse((1250, 120, 1550, 420), outline=(210, 30, 35), width=18)
    arr = (np.asarray(img, np.float32) * np.asarray(seal, np.float32) / 255).astype(np.uint8)  # ink multiplies
    gray = drop_colour_marks(arr)
    assert gray[270, 1250:1268].min() == 255  # the seal's left rim: gone
    assert gray[200, 1255] < 100  # the table's top rule under the seal: kept
    assert gray[250, 1500] < 100  # the table's right rule under the seal: kept


def test_a_seal_stamped_over_the_table_corner_leaves_its_rules_whole():
    """A seal stamped over ink (not multiplied with it) tints the rules under its rings dark red:
    (171, 37, 47) where the seal ink is (210, 85, 90) in the held-out scans. Taken as seal ink,
    those pixels turned to paper and broke the top and right rules, so a page lost its rows."""
    img = ruled_page()
    stamp = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(stamp)
    d.ellipse((1250, 120, 1550, 420), outline=255, width=14)
    d.ellipse((1300, 170, 1500, 370), outline=255, width=8)
    alpha = np.asarray(stamp, np.float32)[..., None] / 255 * 0.8
    red = np.array([230, 90, 95], np.float32)
    arr = (np.asarray(img, np.float32) * (1 - alpha) + red * alpha).astype(np.uint8)
    assert drop_colour_marks(arr)[270, 1250:1264].min() == 255  # the seal's rim over paper: gone
    gray = drop_colour_marks(arr, keep_under_seal=True)
    assert gray[270, 1250:1264].min() == 255
    rules, _ = find_rules(gray, 144.0)
    scale = 72.0 / 144.0
    top = [r for r in rules if r.horizontal and abs(r.pos - 200 * scale) < 3]
    right = [r for r in rules if not r.horizontal and abs(r.pos - 1500 * scale) < 3]
    assert len(top) == 1 and top[0].end == pytest.approx(1502 * scale, abs=3)
    assert len(right) == 1 and right[0].start == pytest.approx(199 * scale, abs=3)


def test_cells_cut_from_a_ruled_image_with_a_merged_cell():
    gray = np.array(ruled_page().convert("L"))
    rules, mask = find_rules(gray, dpi=144)  # 144 dpi: 2 pixels a point
    boxes = find_tables(rules)
    assert len(boxes) == 1
    box = boxes[0]
    assert len(box.xs) == 4 and len(box.ys) == 4
    assert box.xs == pytest.approx([50, 150, 450, 750], abs=1.5)
    merged = [c for c in box.cells if c.colspan == 2]
    assert len(merged) == 1 and (merged[0].row, merged[0].col) == (0, 1)
    assert len(box.cells) == 8
    clean = erase_rules(gray, mask)
    assert clean[200, 500] == 255 and clean[240, 130] < 128  # the rule is gone, the text is not


def _to_pdf(pages: list[Image.Image], path: Path, dpi: int) -> Path:
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return path


@needs_tesseract
def test_scan_sample_validates_and_carries_the_ocr_warning():
    doc = phuluc.convert(SCANS / "scan-ha-noi-300dpi.pdf").to_dict()
    validate(doc)  # raises on a breach of the contract
    codes = [w["code"] for w in doc["warnings"]]
    assert codes.count("ocr") == 1
    ocr = next(w for w in doc["warnings"] if w["code"] == "ocr")
    assert "pages 1 read from page images" in ocr["message"] and "mean word confidence" in ocr["message"]
    golden = json.loads((SCANS / "scan-ha-noi-300dpi.golden.json").read_text(encoding="utf-8"))
    assert [t["stt"] for t in doc["tasks"]] == [t["stt"] for t in golden["tasks"]]
    assert doc["document"]["number"] == golden["document"]["number"]


@needs_tesseract
def test_low_confidence_for_a_degraded_cell(tmp_path):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(ROOT / "samples" / "owner-password-ha-noi.pdf"))
    dpi = 200
    img = pdf[0].render(scale=dpi / 72).to_pil().convert("RGB")
    pdf.close()
    # Smudge the timeline cell of STT 2 (x 524-694 pt, the row under STT 1) past easy reading.
    from phuluc.extract.pdf import read_pdf

    table = read_pdf(ROOT / "samples" / "owner-password-ha-noi.pdf").tables[0]
    cell = next(c for c in table.cells if c.row == 2 and c.col == 3)
    k = dpi / 72
    box = tuple(int(v * k) for v in cell.bbox)
    inner = (box[0] + 6, box[1] + 6, box[2] - 6, box[3] - 6)
    img.paste(img.crop(inner).filter(ImageFilter.GaussianBlur(2.6)), inner[:2])
    doc = phuluc.convert(_to_pdf([img], tmp_path / "smudged.pdf", dpi)).to_dict()
    low = [w["message"] for w in doc["warnings"] if w["code"] == "low-confidence"]
    assert any(m.startswith("STT 2, timeline") for m in low), low


@needs_tesseract
def test_ocr_never_refuses_a_scan_and_text_pdfs_do_not_touch_ocr(tmp_path):
    from phuluc.schema.errors import NoTextLayer

    with pytest.raises(NoTextLayer):
        phuluc.convert(SCANS / "scan-ha-noi-300dpi.pdf", {"ocr": "never"})
    doc = phuluc.convert(ROOT / "samples" / "vinh-bao-761.pdf")
    assert "ocr" not in {w.code for w in doc.warnings}


def test_missing_tesseract_gives_one_clear_line_and_the_batch_goes_on(tmp_path):
    empty = tmp_path / "no-tessdata"
    empty.mkdir()
    env = dict(os.environ, TESSDATA_PREFIX=str(empty))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-P", "-m", "phuluc.cli", "convert", str(SCANS / "scan-ha-noi-300dpi.pdf"),
         str(ROOT / "samples" / "vinh-bao-761.pdf"), "-o", str(out), "--jobs", "1"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if "scan-ha-noi-300dpi.pdf" in ln]
    assert len(lines) == 1 and "apt-get install tesseract-ocr tesseract-ocr-vie" in lines[0], result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    codes = {Path(r["input"]).name: r.get("code") for r in report["files"]}
    assert codes["scan-ha-noi-300dpi.pdf"] == "ocr-unavailable"
    assert (out / "vinh-bao-761.json").exists()


@needs_tesseract
def test_missing_language_names_the_package():
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-xyz"):
        phuluc.convert(SCANS / "scan-ha-noi-300dpi.pdf", {"ocr_lang": "xyz"})


def test_jpeg_scan_helpers_are_deterministic():
    """The sample builder's degradation is seeded: the same input gives the same bytes."""
    sys.path.insert(0, str(ROOT / "samples"))
    try:
        import make_scan_samples as m
    finally:
        sys.path.pop(0)
    page = ruled_page(400, 300)
    a = m.degrade(page, 1.0, np.random.default_rng(7), 45)
    b = m.degrade(page, 1.0, np.random.default_rng(7), 45)
    buf_a, buf_b = io.BytesIO(), io.BytesIO()
    a.save(buf_a, "PNG")
    b.save(buf_b, "PNG")
    assert buf_a.getvalue() == buf_b.getvalue()
    assert cv2.countNonZero(255 - np.array(a.convert("L"))) > 0


def test_tone_repair_fixes_measured_ocr_errors():
    from phuluc.normalize.ocr_tones import restore_tones

    # Each pair: Tesseract's reading on samples-scans/ and the source text.
    measured = {
        "Thời gian thực hiên": "Thời gian thực hiện",
        "Tố chức lại Ban Chỉ huy": "Tổ chức lại Ban Chỉ huy",
        "xác thưc điên tử": "xác thực điện tử",
        "Toàn dần xây dựng": "Toàn dân xây dựng",
        "tự bảo vê mình": "tự bảo vệ mình",
        "G. BỒ GIÁO DỤC VÀ ĐÀO TẠO": "G. BỘ GIÁO DỤC VÀ ĐÀO TẠO",  # held-out scans
        "bảo đảm theo đúng quy đỉnh": "bảo đảm theo đúng quy định",
        "M. ĐÀI TRUYỀN HÌNH VIỆT NAM, ĐÀI TIỂNG NÓI VIỆT NAM": "M. ĐÀI TRUYỀN HÌNH VIỆT NAM, ĐÀI TIẾNG NÓI VIỆT NAM",
        "II. TRIÊN KHAI ĐÔNG BỘ VĂN BẢN QUY PHAM PHÁP LUẬT, CƠ CHẼ, CHÍNH SÁCH": "II. TRIỂN KHAI ĐỒNG BỘ VĂN BẢN QUY PHẠM PHÁP LUẬT, CƠ CHẾ, CHÍNH SÁCH",
    }
    for read, truth in measured.items():
        assert restore_tones(read) == truth


def test_tone_repair_leaves_every_golden_text_unchanged():
    """Clean text stays as it is: every task field and title of the samples' golden files."""
    from phuluc.normalize.ocr_tones import restore_tones

    texts = []
    for golden in sorted((ROOT / "samples").glob("*.golden.json")):
        doc = json.loads(golden.read_text(encoding="utf-8"))
        texts += [t[k] for t in doc["tasks"] for k in ("section", "task", "timeline", "lead", "partners")]
        texts.append(doc["document"]["title"])
    assert len(texts) > 900
    assert [t for t in texts if restore_tones(t) != t] == []


def test_tone_repair_runs_only_on_ocr_text():
    from phuluc.normalize.text import clean_text
    from phuluc.schema.grid import OCR_FONT

    assert clean_text("Thời gian thực hiên", OCR_FONT) == "Thời gian thực hiện"
    assert clean_text("Thời gian thực hiên", "TimesNewRoman") == "Thời gian thực hiên"  # the author's spelling


def test_a_page_declared_feet_wide_is_rendered_within_the_pixel_cap():
    # A scan saved without its resolution (Tesseract's PDF of an image at 70 dpi): 35 x 50 inches.
    from phuluc.extract.page_image import MAX_PIXELS, render_dpi

    dpi = render_dpi(35 * 72, 50 * 72, 300)
    assert dpi < 300 and (35 * dpi) * (50 * dpi) <= MAX_PIXELS * 1.0001
    assert render_dpi(595, 842, 300) == 300  # an A4 page at the asked dpi


def test_a_page_declared_larger_than_its_paper_is_taken_as_a4():
    # Tesseract's PDF of an image without a resolution: 70 dpi, so an A4 scan declares a page of 34 x 48 inches.
    from phuluc.extract.page_image import paper_factor

    assert paper_factor(595, 842) == 1.0 and paper_factor(842, 1191) == 1.0  # A4, A3
    assert abs(paper_factor(1701.3, 2405.8) - 2405.8 / 842) < 1e-9


def test_without_the_ocr_packages_a_scan_says_what_to_install(monkeypatch):
    # A plain `pip install phuluc` has no OpenCV: the scan must get `ocr-unavailable`, not "no page could be read".
    import phuluc
    from phuluc.schema.errors import OcrUnavailable

    monkeypatch.setitem(sys.modules, "cv2", None)  # import cv2 raises ImportError
    for name in ("phuluc.extract.ocr", "phuluc.extract.page_image", "phuluc.extract.image_table"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    scan = Path(__file__).resolve().parents[1] / "samples-scans" / "scan-ha-noi-300dpi.pdf"
    with pytest.raises(OcrUnavailable, match="pip install 'phuluc\\[ocr\\]'"):
        phuluc.convert(scan)


def test_text_image_keeps_letters_under_a_pasted_seal_without_its_specks_or_rim():
    """A seal pasted over black (held-out scans) tints the black dark red: the text image keeps
    it dark; a noisy pixel of seal ink over paper darker than the rest, and the seal's washed-out
    rim, turn to paper (they stayed as specks and grey rings that Tesseract read as letters)."""
    rgb = np.full((60, 60, 3), 245, np.uint8)
    rgb[10:50, 10:50] = (216, 80, 87)  # seal ink over paper
    rgb[20:30, 20:40] = (160, 23, 31)  # seal ink over a black stroke
    rgb[40, 40] = (170, 40, 45)  # one noisy dark pixel of seal ink
    rgb[9, 10:50] = (240, 205, 205)  # the rim, colour washed out by JPEG
    gray = drop_colour_marks(rgb, keep_under_seal=True, for_text=True)
    assert gray[22:28, 22:38].max() < 100  # the stroke under the seal: kept
    assert gray[40, 40] == 255 and gray[45, 15] == 255  # speck and seal ink: paper
    assert gray[9, 10:50].min() == 255  # the rim: paper
    assert drop_colour_marks(rgb, keep_under_seal=True)[40, 40] < 255  # the rules image decides pixel by pixel


def test_letter_height_and_the_reading_scale():
    """Tesseract reads a 13 pt page best with its median letter ~21 px tall (225 dpi): a 300 dpi
    page is scaled down by about 3/4, a 200 dpi one left almost as it is, a blank page untouched."""
    from phuluc.extract.ocr import READ_LETTER_PX, letter_height, reading_factor

    img = Image.new("L", (1700, 600), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 54)  # 13 pt at 300 dpi
    for y in range(40, 560, 80):
        d.text((40, y), "Xây dựng kế hoạch thực hiện nhiệm vụ chuyển đổi số", fill=0, font=font)
    gray = np.array(img)
    height = letter_height(gray, 300)
    assert height is not None and 5.5 < height < 9.5
    factor = reading_factor(gray, 300)
    assert factor == pytest.approx(READ_LETTER_PX / (height * 300 / 72))
    assert 0.6 < factor < 0.9
    assert reading_factor(np.full((600, 600), 255, np.uint8), 300) == 1.0


def test_letters_vietnamese_never_uses_are_read_as_what_they_stand_for():
    from phuluc.extract.ocr import NOT_VIETNAMESE

    assert "761⁄KH-UBND quốc øia ÐA".translate(NOT_VIETNAMESE) == "761/KH-UBND quốc gia ĐA"


def test_a_place_name_ocr_ran_together_is_cased_as_two_syllables():
    """OCR reads "QUẢNG NINH" in a page header as "QUẢNGNINH" (held-out scans): "Quảng Ninh",
    not "Quảngninh"; names that are no Vietnamese syllables stay whole."""
    from phuluc.normalize.body_names import title_syllable

    assert title_syllable("QUẢNGNINH") == "Quảng Ninh"
    assert title_syllable("LƯƠNGMINH") == "Lương Minh"
    assert [title_syllable(w) for w in ("KRÔNG", "PẮC", "H'LEO", "M'ĐRẮK", "EAKAR", "UBND")] == \
        ["Krông", "Pắc", "H'Leo", "M'Đrắk", "Eakar", "UBND"]
