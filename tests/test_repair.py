"""repair_text / repair_lines on real damaged lines.

Sentences come from the Vĩnh Bảo 761 appendix seed and the public legal corpus;
they are inlined so the tests are self-contained."""

import pytest

from phuluc.normalize.repair import repair_lines, repair_text

# --- damage kind 1: spaces around letters, word gaps widened (seed line 125) -------------
SEED_125 = (
    "    PH Ụ   L Ụ C   NHI Ệ M   V Ụ   C Ụ   TH Ể   Th ự c   hi ệ n   mô hình   “Chính   quy ề n   thân   "
    "thi ệ n” trên   đ ị a   bàn   xã  Vĩnh B ả o     giai đo ạ n 2026 - 2030 và nh ữ ng năm ti ế p theo   "
    "(Kèm   theo   Kế   hoạch   số   761 /KH - UBND   ngày   06/ 4/ 2026  của   Ủy   ban   nhân   dân   xã )"
    "              "
)
SEED_125_FIXED = (
    "PHỤ LỤC NHIỆM VỤ CỤ THỂ Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo "
    "giai đoạn 2026 - 2030 và những năm tiếp theo (Kèm theo Kế hoạch số 761/KH-UBND ngày 06/4/2026 "
    "của Ủy ban nhân dân xã)"
)


def test_seed_title_line():
    assert repair_text(SEED_125) == SEED_125_FIXED


@pytest.mark.parametrize(
    "damaged, fixed",
    [
        ("PH Ụ   L Ụ C   NHI Ệ M   V Ụ", "PHỤ LỤC NHIỆM VỤ"),
        ("“Chính   quy ề n   thân   thi ệ n”", "“Chính quyền thân thiện”"),
        ("Th ự c   hi ệ n   mô hình   “Chính   quy ề n   thân   thi ệ n” trên   đ ị a   bàn   xã",
         "Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã"),
        # corpus: Quyết định về di sản văn hóa
        ("ki ể m   tra,   hư ớ ng   d ẫ n   công   t á c   b ả o   v ệ ,   b ả o   qu ả n   b ả o   v ậ t   qu ố c   gia",
         "kiểm tra, hướng dẫn công tác bảo vệ, bảo quản bảo vật quốc gia"),
        ("THU Ộ C   TH Ẩ M   QUY Ề N   GI Ả I   QUY Ế T   C Ủ A   CH Ủ   T Ị CH   Ủ Y   BAN   NHÂN   DÂN",
         "THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN"),
    ],
)
def test_kind1_spaced_letters_wide_gaps(damaged, fixed):
    assert repair_text(damaged) == fixed


# --- damage kind 2: the same with single gaps --------------------------------------------
@pytest.mark.parametrize(
    "damaged, fixed",
    [
        ("Qu ả n l ý , gi á m s á t c á c ch ợ", "Quản lý, giám sát các chợ"),
        ("gi á m đ ố c 04 T ổ ng công ty Nh à nư ớ c thu ộ c Th à nh ph ố ;",
         "giám đốc 04 Tổng công ty Nhà nước thuộc Thành phố;"),
        ("th ì th ự c hi ệ n ph ụ c ch ế theo quy đ ị nh t ạ i kho ả n 3 Đi ề u n à y.",
         "thì thực hiện phục chế theo quy định tại khoản 3 Điều này."),
        ("l ấ y ý ki ế n d ự á n, k ế ho ạ ch ph ụ c ch ế di s ả n tư li ệ u đư ợ c UNESCO ghi danh",
         "lấy ý kiến dự án, kế hoạch phục chế di sản tư liệu được UNESCO ghi danh"),
        ("Ban Ch ỉ đ ạ o t ạ i H ộ i ngh ị tri ể n khai công t á c năm 2024 c ủ a Ban Ch ỉ đ ạ o Qu ố c gia",
         "Ban Chỉ đạo tại Hội nghị triển khai công tác năm 2024 của Ban Chỉ đạo Quốc gia"),
    ],
)
def test_kind2_spaced_letters_single_gaps(damaged, fixed):
    assert repair_text(damaged) == fixed


# --- damage kind 3: random splits inside words -------------------------------------------
@pytest.mark.parametrize(
    "damaged, fixed",
    [
        ("Bộ t iêu chí, Bảng thang điểm", "Bộ tiêu chí, Bảng thang điểm"),
        ("giai đoạn 2026 - 2030 và nhữ ng năm tiếp theo", "giai đoạn 2026 - 2030 và những năm tiếp theo"),
        ("đẩy mạnh c huyển đổ i số", "đẩy mạnh chuyển đổi số"),
        ("Các cơ quan quả n lý chức d anh nghề nghiệp viên chức chuyên ngành",
         "Các cơ quan quản lý chức danh nghề nghiệp viên chức chuyên ngành"),
        ("thành phố Sài Gòn đ ược ch ia thành hai quận cản h sát", "thành phố Sài Gòn được chia thành hai quận cảnh sát"),
        ("tham mưu U BND TP có chỉ đạo xây dựng Đề án", "tham mưu UBND TP có chỉ đạo xây dựng Đề án"),
    ],
)
def test_kind3_random_splits(damaged, fixed):
    assert repair_text(damaged) == fixed


# --- damage kind 4: punctuation and code spacing -----------------------------------------
@pytest.mark.parametrize(
    "damaged, fixed",
    [
        ("761 /KH - UBND", "761/KH-UBND"),
        ("06/ 4/ 2026", "06/4/2026"),
        ("Nghị quyết số 05 - NQ/TU ngày 14/01/2026", "Nghị quyết số 05-NQ/TU ngày 14/01/2026"),
        ("Quyết định số 5049/QĐ - UBND ngày 11/12/2025", "Quyết định số 5049/QĐ-UBND ngày 11/12/2025"),
        ("Đề án số 04 - ĐA/TU ngày 14/01/2026", "Đề án số 04-ĐA/TU ngày 14/01/2026"),
        ("của Ủy ban nhân dân xã )", "của Ủy ban nhân dân xã)"),
        ("( Kèm theo Kế hoạch số 761/KH-UBND", "(Kèm theo Kế hoạch số 761/KH-UBND"),
        ("Thường trực H Đ ND xã", "Thường trực HĐND xã"),
        ("và những năm tiếp theo ;", "và những năm tiếp theo;"),
        ("Tuyên truyền , phổ biến", "Tuyên truyền, phổ biến"),
    ],
)
def test_kind4_punctuation(damaged, fixed):
    assert repair_text(damaged) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "giai đoạn 2026 - 2030 và những năm tiếp theo",
        "Phòng Văn hóa - Xã hội",
        "giai đoạn 2026-2030",
        "Độc lập - Tự do - Hạnh phúc",
        "Quyết định số /QĐ-UBND ngày tháng năm",
        "Về tiến độ thực hiện: từ .../.../...",
        "cư trú tại thôn/tổ dân phố",
    ],
)
def test_kind4_keeps_legitimate_spacing(text):
    assert repair_text(text) == text


# --- damage kind 5: Unicode ------------------------------------------------------------------
def test_nfd_to_nfc():
    import unicodedata

    s = "Ủy ban nhân dân thành phố Hải Phòng"
    assert repair_text(unicodedata.normalize("NFD", s)) == s


def test_detached_combining_marks():
    assert repair_text("Vie \u0302\u0323t Nam") == "Việt Nam"
    assert repair_text("Vie ̣t Nam") == "Việt Nam"  # lost circumflex restored: only ệ makes a syllable
    assert repair_text("nhân da \u0302n") == "nhân dân"


def test_zero_width_and_odd_spaces():
    assert repair_text("Kế\u200b hoạch\u00a0số\u2009761/KH-UBND\ufeff") == "Kế hoạch số 761/KH-UBND"
    assert repair_text("Ủy\u00a0\u00a0ban\tnhân\u200d dân") == "Ủy ban nhân dân"
    assert repair_text("Bộ tiêu\u00ad chí") == "Bộ tiêu chí"


def test_eth_for_d_stroke():
    assert repair_text("ÐẢNG BỘ XÃ VĨNH BẢO") == "ĐẢNG BỘ XÃ VĨNH BẢO"
    assert repair_text("Ðề án số 04-ÐA/TU") == "Đề án số 04-ĐA/TU"
    assert repair_text("ðồng chí Bí thư") == "đồng chí Bí thư"


# --- clean text is never changed ----------------------------------------------------------
CLEAN = [
    "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện, trọng tâm là: Đề án số 04-ĐA/TU ngày "
    "14/01/2026 của Thành ủy Hải Phòng và Nghị quyết số 05-NQ/TU ngày 14/01/2026 của Ban Chấp hành Đảng bộ "
    "thành phố về xây dựng mô hình chủ nghĩa xã hội gắn với con người xã hội chủ nghĩa tại thành phố Hải Phòng "
    "giai đoạn 2026 - 2030 và những năm tiếp theo;",
    "Trung tâm Dịch vụ sự nghiệp công, Ban Xây dựng Đảng ủy; Ủy ban Mặt trận Tổ quốc Việt Nam xã và các cơ quan có liên quan",
    "nhà, đường phố, thôn, làng, xã/phường/đặc khu, tỉnh/thành phố trực thuộc trung",
    "viên pháp luật thuộc mạng lưới tư vấn viên pháp luật được Ủy ban nhân dân tỉnh",
    "dịch văn bia, câu đối, đại tự và các tài liệu Hán Nôm hoặc tài liệu bằng các",
    "văn hóa và thiên nhiên thế giới ở Việt Nam tại khoản 6 Điều 25),",
    "Lớp ngoài: tường thành được xây dựng bằng \"những khối đá vôi to lớn, được đẽo gọt và ghép một cách tài tình\"(13).",
    "Công suất khả dụng thực hiện của tổ máy i",
    "Người này tâm tính tàn nhẫn tiểu nhân ti bỉ.",
    "lập theo quy định tại điểm b khoản 2 Điều 90 Nghị định này.",
    "cục Thủy sản và Biển đảo, đại diện Chi cục Chăn nuôi và Thú y, đại diện Phòng",
    "Trường Đại học Thông tin liên lạc, Phân viện thú y miền Trung",
    "Thực hiện chuyển đổi số, bảo đảm an ninh mạng và y tế cơ sở",
    "Đắk Lắk, Kon Tum, Gia Lai và Lâm Đồng",
    "the quick brown fox jumps over the lazy dog",
    "Hòa Bình, hoà giải, thuỷ lợi, thủy sản, quý I năm 2026",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_unchanged(text):
    assert repair_text(text) == text


# --- API contract -----------------------------------------------------------------------
def test_newlines_repaired_per_line():
    assert repair_text("PH Ụ   L Ụ C\nxã )\r\nBộ t iêu chí") == "PHỤ LỤC\nxã)\nBộ tiêu chí"


def test_repair_lines_one_out_per_one_in():
    lines = ["PH Ụ   L Ụ C", "", "   ", "Bộ t iêu chí\n", "xã )"]
    out = list(repair_lines(lines))
    assert out == ["PHỤ LỤC", "", "", "Bộ tiêu chí", "xã)"]


def test_never_raises_on_odd_input():
    expected = {None: "", "": "", " ": "", "\t \u00a0": "", 123: "123", "a" * 10000: "a" * 10000,
                "/ / - - ( )": "/ / - - ()"}
    for x, want in expected.items():
        assert repair_text(x) == want, repr(x)
    for x in ["\x00", "\ud800", "́", " ̣", "Ð" * 50, *expected]:
        out = repair_text(x)
        assert isinstance(out, str) and out == out.strip()
        assert len(out) <= len(str(x if x is not None else ""))  # repair never invents text
        assert repair_text(out) == out  # and a second pass changes nothing


def test_whitespace_collapsed_and_stripped():
    assert repair_text("  Kế   hoạch \t số  ") == "Kế hoạch số"


def test_idempotent_on_seed():
    once = repair_text(SEED_125)
    assert repair_text(once) == once


def test_document_code_with_lowercase_letters_joins_its_dash():
    # A PDF line wrapped after "1039/TTr-" leaves "TTr- CP"; "Văn hóa - Xã hội" keeps its spaced dash.
    assert repair_text("Tờ trình số 1039/TTr- CP ngày") == "Tờ trình số 1039/TTr-CP ngày"
    assert repair_text("Phòng Văn hóa - Xã hội") == "Phòng Văn hóa - Xã hội"
    assert repair_text("Quý IV/2025 - Quý II/2026") == "Quý IV/2025 - Quý II/2026"
