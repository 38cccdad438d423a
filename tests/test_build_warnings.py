"""The legacy-encoding warning comes from the decoding itself: it names only conversions that happened."""

from __future__ import annotations

from phuluc.normalize.build import build_document
from phuluc.normalize.legacy import decode_tcvn3
from phuluc.schema import Grid, Line


def _codes(grid: Grid) -> dict[str, str]:
    return {w.code: w.message for w in build_document(grid).warnings}


def test_text_decoded_from_a_legacy_font_is_reported_with_the_font():
    raw = "Thùc hiÖn kÕ ho¹ch"  # TCVN3 bytes read as latin-1
    assert decode_tcvn3(raw) == "Thực hiện kế hoạch"
    codes = _codes(Grid("x.docx", lines=[Line(raw, font=".VnTime", order=1)]))
    assert codes["legacy-encoding"] == "text in legacy fonts (.VnTime) was converted to Unicode"


def test_unicode_text_under_an_old_font_name_claims_no_conversion():
    # Converted to Unicode with the old font name kept: nothing is decoded, nothing is claimed.
    codes = _codes(Grid("x.docx", lines=[Line("Thực hiện kế hoạch", font=".VnTime", order=1)]))
    assert "legacy-encoding" not in codes


def test_legacy_text_without_a_legacy_font_names_the_encoding():
    codes = _codes(Grid("x.docx", lines=[Line("Thùc hiÖn kÕ ho¹ch", font="Times New Roman", order=1)]))
    assert codes["legacy-encoding"] == "text in legacy encodings (TCVN3) was converted to Unicode"
