"""The shared Vietnamese vocabulary of plan documents: word lists and the regex fragments built from them.

Stages that recognise the same words read them here, so a word added for one (a new kind of body, a new
way to say "annually") is known to all. Each list shows the strings it matches and where they were met.
"""

from __future__ import annotations

import re

# Words that begin an agency's name, as printed: "Sở Tư pháp", "UBND xã", "Công an tỉnh", "Các sở, ban, ngành",
# "10 Trung tâm Y tế khu vực" (a counted collective), "Trường Chính trị tỉnh", "Liên đoàn Lao động".
# Used to split agency cells at commas (plangraph.ingest.agencies), to tell agency cells in PDF text and to
# split two agencies run together there (plangraph.loaders.pdftext).
AGENCY_HEADS: tuple[str, ...] = (
    "Sở", "UBND", "Ủy ban", "Uỷ ban", "HĐND", "Văn phòng", "Phòng", "Trung tâm", "Công an", "Ban", "Bộ",
    "Các", "các", "Báo", "Đài", "Thanh tra", "Kho bạc", "Ngân hàng", "Hiệp hội", "Trường", "Phân hiệu",
    "Doanh nghiệp", "BHXH", "Bảo hiểm", "Cục", "Chi cục", "Viện", "Bệnh viện", "Hội", "Liên đoàn", "Đoàn",
    "Mặt trận", "Tỉnh [uủ]y", "Đảng [uủ]y", "BCH", "Tổ", "Chi nhánh", "Công ty", "Tập đoàn", "[Cc]ơ quan",
)  # fmt: skip
# A count before a head word: "4 Bệnh viện tuyến tỉnh", "10 Trung tâm Y tế khu vực".
COUNTED_HEAD = r"\d+\s+[A-ZĐ]"


# In PDF text a cell is taken for an agency cell only by the heads that never begin task wording: not "Tổ"
# ("Tổ chức triển khai …"), "Mặt trận", "Liên đoàn", "Cơ quan", "Phân hiệu", "Bảo hiểm", "Công ty" … (001's
# task cells); a count before "Bệnh viện" or "Trung tâm" is a collective there.
AGENCY_CELL_HEADS: tuple[str, ...] = (
    "Sở", "UBND", "Ủy ban", "Uỷ ban", "HĐND", "Văn phòng", "Phòng", "Trung tâm", "Công an", "Ban", "Bộ", "Các",
    "các", "Báo", "Đài", "Thanh tra", "Kho bạc", "Ngân hàng", "Hiệp hội", "Trường", "Doanh nghiệp", "BHXH", "Cục",
    "Chi cục", "Viện", "Bệnh viện", r"Tỉnh [uủ]y", r"\d+ Bệnh viện", r"\d+ Trung tâm", "Đoàn", "Hội",
)  # fmt: skip
# Where two agencies run together without a separator in PDF text ("Sở Nội vụ Công an tỉnh"), only these heads
# split them: words that rarely continue an agency's own name.
AGENCY_RUN_HEADS: tuple[str, ...] = (
    "Sở", "UBND", "Công an", "Văn phòng", "Phòng", "Trung tâm", "Ban", "Bộ", "Báo", "Thanh tra", "Kho bạc",
    "Ngân hàng", "Trường", "Cục", "Viện", "Bệnh viện", "BHXH", "Doanh nghiệp", "Các",
)  # fmt: skip


def agency_heads(words: tuple[str, ...] = AGENCY_HEADS) -> str:
    """Head words as one regex alternation (longest first, so "Chi cục" is tried before "Cục")."""
    return "(?:" + "|".join(sorted(set(words), key=len, reverse=True)) + ")"


# A Roman section number as printed: "I", "IV", "VII", "XL" (headings "II. NHIỆM VỤ", rows "VII.2.4",
# appendices "Phụ lục II").
ROMAN_NUMERAL = r"[IVXL]{1,6}"
# A quarter's Roman numeral in folded text: "quy ii", "quy iv".
ROMAN_QUARTER = r"iv|i{1,3}"

# Words a deadline starts with, folded ("Tháng 01/2026", "Quý II, III/2026", "Thường xuyên", "Trong năm 2026",
# "Khi được cơ quan …", "Sau khi …", "Định kỳ hằng quý", "31/12/2025").
DEADLINE_STARTS_FOLDED: tuple[str, ...] = (
    "thang", "quy", "nam", "trong", "thuong xuyen", "hang", "dinh ky", "giai doan", "tiep tuc", "sau khi", "khi",
    "theo", "truoc", "nhiem vu", "tu nam", "den",
)  # fmt: skip
# The same as printed, capitalised as a deadline cell starts: "Quý II", "Trong năm", "Thường xuyên".
DEADLINE_STARTS_PRINTED = r"Tháng(?: \d|$)|Quý(?: [IV]|$)|Trong năm|Thường xuyên|Hằng năm|Hàng năm|Năm 20\d\d"
# Deadline expressions inside running text: "Tháng 12/2025", "Quý II, III/2026", "trong năm 2026",
# "31/12/2025", "giai đoạn 2026 - 2030", "thường xuyên", "hằng năm", "hàng tuần" (the spaCy DEADLINE component).
DEADLINE_IN_TEXT = (
    r"(?:[Tt]háng\s*\d{1,2}\s*/\s*\d{4}|[Qq]uý\s+[IV]+(?:\s*,\s*[IV]+)*\s*/\s*\d{4}"
    r"|(?:[Tt]rong\s+)?[Nn]ăm\s+20\d\d|\b\d{1,2}/\d{1,2}/20\d\d\b|[Gg]iai đoạn\s+20\d\d\s*[-–]\s*20\d\d"
    r"|[Tt]hường xuyên|[Hh][ằà]ng\s+(?:năm|quý|tháng|tuần))"
)
# Recurrences, folded (regexes), and what they mean: "Thường xuyên", "Hằng năm"/"Hàng năm", "Hàng tháng",
# "hàng tuần", "6 tháng/lần". Several may apply: "Thường xuyên; 6 tháng/lần".
RECURRENCES: tuple[tuple[str, str], ...] = (
    (r"thuong xuyen", "ongoing"),
    (r"hang nam", "annual"),
    (r"hang quy", "quarterly"),
    (r"hang thang", "monthly"),
    (r"hang tuan", "weekly"),
    (r"6 thang\s*/\s*lan|6 thang mot lan", "semiannual"),
    # "Năm 2025 và các năm tiếp theo", "Quý IV năm 2025 và các năm tiếp theo": from then on, never over
    (r"(?:va|&)\s+(?:cac|nhung)\s+nam\s+tiep\s+theo", "continuing"),
)

# The words that begin an agency's name in running text, beyond AGENCY_HEADS: the posts that stand for their
# body ("Giám đốc các Sở", "Thủ trưởng các ngành"), central bodies ("Thông tấn xã Việt Nam", "Tòa án nhân dân
# tỉnh", "Kiểm toán nhà nước khu vực II", "Thuế tỉnh") and collectives ("Lực lượng Công an", "Chính quyền
# địa phương"). Met in the implementation sections of real plans (tests/data/web).
SUBJECT_HEADS: tuple[str, ...] = (
    *AGENCY_HEADS, "Giám đốc", "Thủ trưởng", "Chủ tịch", "Tòa án", "Toà án", "Viện kiểm sát", "Thuế",
    "Kiểm toán", "Liên minh", "Tỉnh đoàn", "Thông tấn xã", "Hải quan", "Lực lượng", "Chính quyền", "Bộ đội",
    "Người đứng đầu", "Trưởng", "Học viện", "Đại học", "Tổng cục", "Tổng công ty", "Quỹ", "Ủy ban", "UBMTTQ",
    "MTTQ", "Cảnh sát", "Kho bạc", "Cơ sở", "Hợp tác xã", "Nhà đầu tư", "Chủ đầu tư",
)  # fmt: skip
# After "Các"/"các" (or "Những"), the nouns that make a collective body: "Các sở, ban, ngành", "các cơ quan,
# đơn vị có liên quan", "Các cơ sở sản xuất", "Các doanh nghiệp công nghệ số" — not "Các nhiệm vụ …".
COLLECTIVE_NOUNS: tuple[str, ...] = (
    "sở", "ban", "ngành", "bộ", "cơ quan", "đơn vị", "địa phương", "cấp", "phòng", "tổ chức", "doanh nghiệp",
    "cơ sở", "hội", "đoàn thể", "trường", "xã", "phường", "tỉnh", "huyện", "thành phố", "ủy ban", "uỷ ban", "ubnd",
    "trung tâm", "viện", "bệnh viện", "chi cục", "cục", "tổng cục", "đài", "báo", "cơ quan báo chí", "lực lượng",
    "hợp tác xã", "nhà trường", "thành viên", "chủ đầu tư", "nhà đầu tư", "hộ",
    "tổ công tác", "ban chỉ đạo", "ngân hàng", "quỹ", "tập đoàn",
    "tổng công ty", "công ty", "hiệp hội", "liên đoàn", "đồng chí", "thủ trưởng", "giám đốc", "chủ tịch",
)  # fmt: skip
# The verbs and phrases that end an agency subject in a duty sentence, as printed in lower case: "Bộ Công
# Thương chủ trì, phối hợp …", "Sở Nội vụ chịu trách nhiệm …", "Doanh nghiệp viễn thông, bưu chính ưu tiên …",
# "Các sở, ngành theo chức năng, nhiệm vụ …". Not after "được" ("Các cơ quan được giao chủ trì có trách nhiệm").
DUTY_PREDICATES: tuple[str, ...] = (
    "chủ trì", "phối hợp", "chủ động", "tổ chức", "triển khai", "thực hiện", "chỉ đạo", "có trách nhiệm",
    "chịu trách nhiệm", "tham mưu", "xây dựng", "nghiên cứu", "tăng cường", "theo dõi", "hướng dẫn", "rà soát",
    "cần", "phát huy", "tuân thủ", "ưu tiên", "khẩn trương", "tiếp tục", "đẩy mạnh", "bố trí", "ban hành",
    "kiểm tra", "phân công", "lập", "quán triệt", "tập trung", "cập nhật", "cung cấp", "thường xuyên",
    "định kỳ", "báo cáo", "đề xuất", "trình", "bảo đảm", "đảm bảo", "quản lý", "hỗ trợ", "tuyên truyền",
    "phấn đấu", "vận động", "tích cực", "nghiêm túc", "kịp thời", "duy trì", "thành lập", "căn cứ",
    "theo chức năng", "trong phạm vi", "là cơ quan", "làm đầu mối", "giúp", "mở", "đôn đốc", "giám sát",
    "nâng cao", "phát triển", "hoàn thành", "hoàn thiện", "ứng dụng", "đầu tư", "vận hành", "khai thác",
    "tiến hành", "chấp hành", "quan tâm", "thống nhất", "tạo điều kiện", "khuyến khích", "bám sát",
    "thanh tra", "củng cố", "kiện toàn", "rà soát", "phổ biến", "đánh giá", "tổng hợp", "yêu cầu",
    "phòng chống", "phòng, chống", "làm nhiệm vụ", "quyết định", "thẩm định", "cho ý kiến", "sơ kết", "tổng kết",
    "chuẩn bị", "tiếp nhận", "cử", "chỉnh sửa", "sắp xếp", "liệt kê", "công khai", "kiểm soát", "đẩy nhanh",
    "hoàn tất", "thúc đẩy", "truyền thông", "sớm", "giải quyết", "xử lý", "nộp", "lấy ý kiến", "phê duyệt", "tập huấn",
)  # fmt: skip
# Section titles that hand out the work: "TỔ CHỨC THỰC HIỆN", "Trách nhiệm của các cơ quan", "PHÂN CÔNG NHIỆM
# VỤ", "Phân công trách nhiệm", "NHIỆM VỤ CỤ THỂ", "Giao nhiệm vụ", "CHẾ ĐỘ BÁO CÁO" (who reports what, when).
ASSIGNING_TITLE = r"tổ chức thực hiện|trách nhiệm|phân công|nhiệm vụ cụ thể|giao nhiệm vụ|chế độ báo cáo"

# Heads that begin a new mention after a comma in an agency list (plangraph.ingest.agencies): AGENCY_HEADS and
# the central bodies and collectives of SUBJECT_HEADS, lower-case collectives included ("Công an, lực lượng Hải
# quan"; "các sở, ngành, trường đại học, cao đẳng").
SPLIT_HEADS: tuple[str, ...] = (
    *AGENCY_HEADS, "Liên minh", "Thông tấn xã", "Tòa án", "Toà án", "Viện kiểm sát", "Kiểm toán", "Hải quan",
    "Tỉnh đoàn", "Thủ trưởng", "Giám đốc", "Lực lượng", "lực lượng", "trường", "Thành phố", "chính quyền",
    "cộng đồng", "Thuế", "Nhà đầu tư", "Nhà Đầu tư", "Chủ đầu tư",
)  # fmt: skip
# Heads after " và " that begin a second body ("Sở Tư pháp và các cơ quan liên quan", "… và UBND các tỉnh", "Hội
# Nông dân và Liên minh Hợp tác xã"); never a word that continues a name ("và Công nghệ", "và Môi trường").
AND_HEADS: tuple[str, ...] = (
    "Sở", "UBND", "Ủy ban", "Uỷ ban", "HĐND", "Văn phòng", "Công an", "Ban", "Bộ", "các", "Các", "Đài", "Báo",
    "Thông tấn xã", "Kho bạc", "Ngân hàng", "Liên đoàn", "Liên minh", "Hội", "Mặt trận", "Tỉnh đoàn", "Viện",
    "Tòa án", "Toà án", "Cục", "Chi cục", "Trung tâm", "Thanh tra", "lực lượng", "Lực lượng", "chính quyền",
    "cộng đồng", "Thủ trưởng", "Giám đốc", "Chủ tịch", "Bảo hiểm", "BHXH", "Doanh nghiệp", "doanh nghiệp",
    "Nhà đầu tư", "Nhà Đầu tư", "địa phương",
)  # fmt: skip

# The kinds of administrative documents by the abbreviation their number carries (Nghị định 30/2020/NĐ-CP,
# Phụ lục III): "Số: 110/KH-UBND" is a Kế hoạch, "Số: 45/TB-UBND" a Thông báo. A number whose symbol names no
# kind ("Số: 2775/SNV-CCHC&VTLT", "Số: 787/UBND-NC": the issuer, then its unit) is a Công văn, a letter.
DOCUMENT_KINDS: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch",
    "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình",
    "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "PC": "Phiếu chuyển", "PB": "Phiếu báo", "KL": "Kết luận",
    "CV": "Công văn",
}  # fmt: skip
LETTER_KIND = "Công văn"
# Kinds that are plans: read section by section, where only the sections that hand out the work assign it
# ("TỔ CHỨC THỰC HIỆN"). Every other kind (a letter, a notice, a decision, a directive, a report's proposals)
# is read as assigning throughout its body.
PLAN_KINDS: frozenset[str] = frozenset({"Kế hoạch", "Chương trình", "Đề án", "Phương án", "Dự án"})
# The kind word printed as a document's title line ("KẾ HOẠCH", "THÔNG BÁO", "CÔNG ĐIỆN").
KIND_WORDS: tuple[str, ...] = (
    "KẾ HOẠCH", "CHƯƠNG TRÌNH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "ĐỀ ÁN", "CÔNG VĂN", "THÔNG BÁO", "CHỈ THỊ",
    "CÔNG ĐIỆN", "BÁO CÁO", "HƯỚNG DẪN", "TỜ TRÌNH", "KẾT LUẬN", "PHƯƠNG ÁN", "THÔNG BÁO KẾT LUẬN",
)  # fmt: skip


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """Words as one regex alternation factored by their common prefixes ("chủ trì|chủ động" → "chủ (?:trì|động)"):
    the same language as "|".join(words), tried in far fewer steps, which matters for the long verb lists every
    sentence of a plan is searched with. A word that is a prefix of another comes after it (longest first)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        end = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return pattern(trie)
