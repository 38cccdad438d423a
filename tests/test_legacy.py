"""Legacy encodings: TCVN3 (.VnTime), VNI (VNI-Times), UTF-8 read as cp1252."""

import unicodedata

import pytest

from phuluc.normalize.legacy import (
    TCVN3_TABLE,
    VNI_TABLE,
    decode_mojibake,
    decode_tcvn3,
    decode_vni,
    font_encoding,
)
from phuluc.normalize.repair import repair_text

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
ALL_LOWER = [
    c for c in (unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES) if not c.isascii()
] + ["đ"]
# 12 vowels x 5 tones + ă â ê ô ơ ư + đ = 67 precomposed letters per case, 134 in all


def test_all_134_letters_count():
    assert len(set(ALL_LOWER)) == 67
    assert len(set(ALL_LOWER) | {c.upper() for c in ALL_LOWER}) == 134


def test_tcvn3_covers_every_lower_case_letter():
    values = set(TCVN3_TABLE.values())
    missing = [c for c in ALL_LOWER if c not in values]
    assert not missing
    # precomposed capitals of TCVN3
    assert {"Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"} <= values
    assert len(values) == len(TCVN3_TABLE)  # one byte per letter


def test_vni_covers_all_134_letters():
    values = set(VNI_TABLE.values())
    missing = [c for c in ALL_LOWER + [c.upper() for c in ALL_LOWER] if c not in values]
    assert not missing


SENT = "Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập - Tự do - Hạnh phúc"


def test_decode_tcvn3_national_motto():
    raw = "Céng hoµ x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc"
    assert decode_tcvn3(raw) == SENT.replace("hòa", "hoà")


def test_decode_tcvn3_soft_hyphen_is_u_horn():
    assert decode_tcvn3("Ch\u00ad¬ng tr×nh") == "Chương trình"
    assert decode_tcvn3("nh÷ng n¨m tiÕp theo") == "những năm tiếp theo"


def test_decode_vni():
    raw = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam Ñoäc laäp - Töï do - Haïnh phuùc"
    assert decode_vni(raw) == SENT
    assert decode_vni("Chöông trình nhieäm vuï") == "Chương trình nhiệm vụ"
    assert decode_vni("ÑAÛNG COÄNG SAÛN VIEÄT NAM") == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_decode_mojibake():
    bad = SENT.encode("utf-8").decode("cp1252", errors="replace")
    assert decode_mojibake("Viá»‡t Nam Ä‘á»™c láº­p") == "Việt Nam độc lập"
    assert decode_mojibake("Káº¿ hoáº¡ch") == "Kế hoạch"
    assert "Việt Nam" in decode_mojibake(bad)


@pytest.mark.parametrize(
    "font, enc",
    [(".VnTime", "tcvn3"), (".VnTimeH", "tcvn3h"), ("ABCDEF+.VnArialH", "tcvn3h"), (".VnArial", "tcvn3"),
     ("VNI-Times", "vni"), ("VNI-Helve", "vni"), ("Times New Roman", ""), ("", "")],
)
def test_font_encoding(font, enc):
    assert font_encoding(font) == enc


def test_repair_text_with_font_hint():
    assert repair_text("Céng hoµ x· héi chñ nghÜa ViÖt Nam", ".VnTime") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert repair_text("phô lôc nhiÖm vô", ".VnTimeH") == "PHỤ LỤC NHIỆM VỤ"
    assert repair_text("Keá hoaïch soá 761/KH-UBND", "VNI-Times") == "Kế hoạch số 761/KH-UBND"


def test_repair_text_detects_encoding_without_font():
    assert repair_text("KÕ ho¹ch thùc hiÖn m« h×nh “ChÝnh quyÒn th©n thiÖn”") == (
        "Kế hoạch thực hiện mô hình “Chính quyền thân thiện”"
    )
    assert repair_text("Keá hoaïch thöïc hieän moâ hình") == "Kế hoạch thực hiện mô hình"
    assert repair_text("Káº¿ hoáº¡ch thá»±c hiá»‡n mÃ´ hÃ¬nh") == "Kế hoạch thực hiện mô hình"


@pytest.mark.parametrize(
    "text",
    ["Café crème", "naïve", "Ça va", "Le Président de la République française", "Müller straße",
     "Hòa Bình và Tây Ninh", "Số 12/QĐ-UBND", "São Paulo", "Ñandú"],
)
def test_foreign_and_clean_text_left_alone(text):
    assert repair_text(text) == text


def test_decoded_text_is_stable():
    # The font hint names the encoding of the raw input; the decoded text is Unicode.
    once = repair_text("Tßa ¸n nh©n d©n", ".VnTime")
    assert once == "Tòa án nhân dân"
    assert repair_text(once) == once


def test_font_hint_decodes_text_that_also_reads_as_unicode():
    # "QuÝ" is TCVN3 for "Quí", and "phô lôc" in .VnTimeH is "PHỤ LỤC": the font decides.
    assert repair_text("QuÝ IV-2025", ".VnTime") == "Quí IV-2025"
    assert repair_text("phô lôc", ".VnTimeH") == "PHỤ LỤC"
    assert repair_text("ubnd x· tiªn l·ng", ".VnTimeH") == "UBND XÃ TIÊN LÃNG"


def test_mojibake_with_lost_no_break_space_and_c1_controls():
    # "à" is C3 A0: A0 read as a no-break space, then folded into a space ("ngÃ y");
    # "Đ" is C4 90: 0x90 has no cp1252 character and stays a C1 control ("Ä\x90").
    assert repair_text("ngÃ y Ä\x90oÃ n thá»±c hiá»‡n") == "ngày Đoàn thực hiện"
    # The lost byte ends a word: the real space after it is kept ("và các", "là y tế").
    assert repair_text("vÃ cÃ¡c sá»Ÿ, lÃ y táº¿") == "và các sở, là y tế"
    assert repair_text("Æ n vá»‹ vÃ") == "Ơn vị và"  # Ơ is C6 A0; a line may end in the lost byte


def test_clean_text_with_latin_letters_is_not_decoded():
    for clean in ("Café à la carte", "Ngày 05 tháng 01 năm 2026", "Ã"):
        assert repair_text(clean) == clean
