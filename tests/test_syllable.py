"""Rule-based Vietnamese syllable validator."""

import pytest

from phuluc.normalize.syllable import is_syllable, split_tone, tone_key

VALID = [
    # onsets, c/k/q, g/gh, ng/ngh, gi, qu
    "ba", "ca", "kê", "kỹ", "kĩ", "quá", "quốc", "quyết", "quy", "quý", "gà", "ghế", "ngày", "nghĩa",
    "gì", "giá", "giữ", "giếng", "gìn", "nhiệm", "khuya", "khuỷu", "nguyễn", "nghiêng", "chuyển",
    "trường", "người", "thuế", "tuổi", "yên", "yêu", "ý", "y", "ạ", "ấp", "oẳn", "xoong", "soóc",
    # old and new tone placement
    "hòa", "hoà", "thúy", "thuý", "hóa", "hoá", "xòe", "xoè", "hoàn", "ngoài",
    # cases
    "Nhiệm", "NHIỆM", "Đảng", "ĐẢNG", "Ủy", "ỦY", "Ủy", "Quyết", "QUYẾT",
    "Đắk", "Lắk", "buýt",
]
INVALID = [
    "", "ng", "th", "Th", "t", "UBND", "HĐND", "KH", "nhIệm", "NHiệm",
    "ciêu", "ka", "ko", "nge", "ge", "gha", "ngha", "qa", "kuá",  # spelling of /k/ /ɣ/ /ŋ/
    "tàc", "hàt", "cảp",  # stop codas take only sắc / nặng
    "hòan", "thủy̆", "tiê", "iên", "yêm̃", "Café", "crème", "naïve", "brown", "fox",
    "nhiệ", "ắ", "ơo", "2026", "x1",
]


@pytest.mark.parametrize("s", VALID)
def test_valid(s):
    assert is_syllable(s), s


@pytest.mark.parametrize("s", INVALID)
def test_invalid(s):
    assert not is_syllable(s), s


def test_stop_codas_take_sac_or_nang_only():
    for ok in ("bạt", "bát", "các", "cạc", "hạch", "ích", "lập", "tốt"):
        assert is_syllable(ok), ok
    for bad in ("bàt", "bảt", "bãt", "càc", "hãch", "ìch", "lẫp", "tổt"):
        assert not is_syllable(bad), bad


def test_tone_helpers():
    assert split_tone("người") == ("ngươi", 2, 3)
    assert split_tone("ngươi") == ("ngươi", 0, -1)
    assert split_tone("hòa") == ("hoa", 2, 1)
    assert split_tone("hoà") == ("hoa", 2, 2)
    assert tone_key("hòa") == tone_key("hoà") == tone_key("HÒA") == "hoa2"
    assert split_tone("áà")[1] == -1  # two tone marks


def test_real_sentence_words_are_syllables():
    text = (
        "Tuyên truyền phổ biến các văn bản về Chính quyền thân thiện trọng tâm là Đề án "
        "của Thành ủy Hải Phòng và Nghị quyết của Ban Chấp hành Đảng bộ thành phố về xây dựng "
        "mô hình chủ nghĩa xã hội gắn với con người xã hội chủ nghĩa giai đoạn và những năm tiếp theo"
    )
    for w in text.split():
        assert is_syllable(w), w
