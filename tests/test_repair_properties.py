"""Property tests (hypothesis) for repair_text: never raises, NFC, idempotent, and
leaves clean ASCII and clean Vietnamese text alone."""

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phuluc.normalize.repair import repair_text

# Real syllables from the Vĩnh Bảo appendix and corpus sentences (inline, self-contained).
SYLLABLES = sorted(set("""
Tuyên truyền phổ biến các văn bản về Chính quyền thân thiện trọng tâm là Đề án số ngày của Thành ủy
Hải Phòng và Nghị quyết Ban Chấp hành Đảng bộ thành phố xây dựng mô hình chủ nghĩa xã hội gắn với con
người tại giai đoạn những năm tiếp theo thực hiện phường đặc khu trên địa Quyết định Ủy ban nhân dân
tiêu chí Bảng thang điểm quy trình xét công nhận cấp Hằng Phòng Văn hóa Trung tâm Dịch vụ sự nghiệp
Mặt trận Tổ quốc Việt Nam cơ quan có liên Hướng dẫn sở đẩy mạnh phong trào Toàn đời sống lồng ghép
nội dung vào bình danh hiệu hằng Kế hoạch triển khai đăng ký mức đạt chuẩn gửi Sở vụ tổng hợp dõi
Trước chức đơn vị bảo đảm đúng định Thường xuyên báo cáo tự đánh giá chấm kết quả qua Tháng dự toán
kinh phí tham mưu đề xuất bố trí ngân sách hàng để pháp luật lưới tư viên thuộc dịch bia câu đối đại
tài liệu Hán Nôm hoặc bằng thiên nhiên thế giới ở khoản Điều kiểm tra công tác vệ quản vật gia quốc
giám sát chợ chuyển đổi thú y tế hòa hoà thủy thuỷ quý khuya nghiêng giữ gìn yêu ý kiến
""".split()))

ASCII_WORDS = ["the", "quick", "brown", "fox", "Report", "on", "task", "appendix", "UBND", "KH", "2026",
               "a", "I", "plan", "Section", "3.1", "(draft)", "e-mail", "x", "of", "and"]

settings.register_profile("repair", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("repair")


@given(st.text(max_size=80))
@settings(max_examples=400)
def test_never_raises_and_is_nfc(s):
    out = repair_text(s)
    assert isinstance(out, str)
    assert unicodedata.is_normalized("NFC", out)


@given(st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđ ngthckqu ̣́̀̉̃ÐµÖ¸§/-()”“;,.\u00a0\u200b\u00ad")),
               max_size=60))
@settings(max_examples=400)
def test_idempotent_on_vietnamese_like_noise(s):
    once = repair_text(s)
    assert repair_text(once) == once


@given(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=12), st.sampled_from([" ", "  ", "   "]))
@settings(max_examples=300)
def test_idempotent_on_damaged_real_syllables(words, gap):
    import random

    rng = random.Random(len(words))
    parts = []
    for w in words:
        k = rng.randint(0, len(w))
        parts.append(w[:k] + " " + w[k:] if 0 < k < len(w) else w)
    once = repair_text(gap.join(parts))
    assert repair_text(once) == once


@given(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=20))
@settings(max_examples=500)
def test_clean_vietnamese_unchanged(words):
    s = " ".join(words)
    assert repair_text(s) == s


@given(st.lists(st.sampled_from(ASCII_WORDS), min_size=1, max_size=15))
@settings(max_examples=300)
def test_clean_ascii_unchanged(words):
    s = " ".join(words)
    assert repair_text(s) == s


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60))
@settings(max_examples=300)
def test_ascii_text_only_loses_extra_spaces_or_punctuation_spaces(s):
    out = repair_text(s)
    assert out.replace(" ", "") == s.replace(" ", "")
