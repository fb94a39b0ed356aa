"""Sampled fields of the sample plans, as printed in the sources (table-driven).

Every expected value below was read off the source file at the line given in
the comment; lead/support are the agency mentions of the cell in order.
"""

from __future__ import annotations

from typing import Any

import pytest

from plangraph.model import Interpretation, TaskRecord
from tests.conftest import task

LAPS = "Các sở, ban, ngành"  # spelled in lower case in 001


def fields(t: TaskRecord) -> dict[str, Any]:
    return {
        "title": t.title,
        "products": t.products,
        "lead": [a.name for a in t.lead],
        "support": [a.name for a in t.support],
        "due_text": t.due.text,
        "status": t.status,
        "accountable": t.accountable,
        "section_title": t.section_title,
    }


CASES: list[tuple[str, str, str, Any]] = [
    # --- 000: Lạng Sơn, tab-separated appendix, sections restart numbering ---------------
    ("000", "I.1", "lead", ["Sở Nội vụ"]),  # line 9
    ("000", "I.1", "support", ["Các Sở, Ban, ngành phụ trách các lĩnh vực CCHC"]),  # collective mention, one agency
    ("000", "I.1", "due_text", "Hằng năm"),
    (
        "000",
        "I.3",
        "lead",
        ["Sở Nội vụ", "Các Sở, Ban, ngành phụ trách các lĩnh vực CCHC", "Báo và Phát thanh, Truyền hình Lạng Sơn"],
    ),  # line 11: "- …; - …; - …" cell
    ("000", "I.3", "support", ["Các Sở, Ban, ngành", "UBND các xã, phường"]),
    (
        "000",
        "II.4",
        "due_text",
        "Khi được cơ quan có thẩm quyền giao xây dựng dự thảo quy định về thủ tục hành chính, "
        "quy định liên quan đến hoạt động kinh doanh tại dự thảo văn bản quy phạm pháp luật",
    ),  # line 20
    ("000", "II.8", "lead", ["Các Sở, Ban, ngành", "UBND các xã, phường"]),  # line 26: comma between two mentions
    (
        "000",
        "III.2",
        "title",
        "Xây dựng và tổ chức triển khai, thực hiện kế hoạch hoạt động kiểm soát TTHC, cải TTHC, "
        "thực hiện cơ chế một cửa, một cửa liên thông; kế hoạch rà soát, đánh giá TTHC thuộc thẩm quyền giải quyết, "
        "đề xuất các bộ, ngành Trung ương cắt giảm TTHC, cắt giảm thời hạn giải quyết TTHC, thành phần hồ sơ không "
        "cần thiết, không hợp lý (nhất là cắt giảm, đơn giản hóa các TTHC, điều kiện kinh doanh ngay trong quá trình "
        "xây dựng, ban hành văn bản quy phạm pháp luật, để tạo thuận lợi cho người dân và doanh nghiệp)",
    ),  # lines 30+33: page break
    (
        "000",
        "III.2",
        "products",
        "Kế hoạch của UBND tỉnh; Quyết định phê duyệt cắt giảm thời hạn "
        "giải quyết/thông qua phương án đơn giản hoá TTHC",
    ),  # continued cell by cell
    ("000", "IV.5", "support", ["4 Bệnh viện tuyến tỉnh", "10 Trung tâm Y tế khu vực"]),  # line 47
    (
        "000",
        "V.3",
        "title",
        "Rà soát, điều chỉnh phê duyệt Đề án VTVL cơ quan, tổ chức hành chính, đơn vị sự nghiệp công lập",
    ),
    ("000", "VI.5", "lead", ["Sở Tài chính"]),  # line 59
    ("000", "VII.1.1", "lead", ["Sở Khoa học và Công nghệ", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]),  # line 64
    ("000", "VII.1.1", "section_title", "Tiếp tục hoàn thiện khung pháp lý"),
    ("000", "VII.2.3", "due_text", "2026"),  # line 72
    ("000", "VII.2.10", "lead", ["Sở Dân tộc và Tôn giáo"]),  # line 81, last row
    # --- 001: text extracted from a PDF (columns recovered from the layout) ---------------
    ("001", "I.1", "title", "Ban hành Kế hoạch CCHC năm 2026"),  # line 23
    ("001", "I.1", "products", "Kế hoạch của UBND tỉnh"),
    ("001", "I.1", "lead", ["Sở Nội vụ"]),
    ("001", "I.1", "support", [LAPS, "UBND các xã, phường"]),
    ("001", "I.1", "due_text", "Tháng 01/2026"),
    ("001", "I.2", "products", "Quyết định công bố Chỉ số của Chủ tịch UBND tỉnh"),  # line 45-49
    ("001", "I.2", "lead", ["Sở Nội vụ"]),  # "Sở Nội vụ Các sở, ban, ngành": two cells on line 51
    ("001", "I.2", "support", [LAPS]),
    ("001", "I.3", "due_text", "Quý I/2026"),  # line 72
    ("001", "I.4", "lead", [LAPS, "UBND các xã, phường"]),  # lines 88-92
    ("001", "I.4", "support", ["Sở Nội vụ"]),  # "Sở Nội vụ Thường xuyên", line 94
    ("001", "I.4", "due_text", "Thường xuyên"),
    ("001", "I.6", "title", "Kiểm tra công tác CCHC tối thiểu 20% các sở, ban, ngành, UBND các xã, phường"),  # line 118
    ("001", "I.6", "due_text", "Quý III/2026"),
    (
        "001",
        "II.4",
        "products",
        "Quy định thủ tục hành chính, quy định liên quan đến hoạt động kinh doanh được ban "
        "hành bảo đảm sự cần thiết, hợp lý, hợp pháp và chi phí tuân thủ thấp nhất",
    ),  # lines 286-290 + 326-334 (page break)
    ("001", "II.4", "lead", ["Sở Tư pháp"]),
    (
        "001",
        "II.4",
        "due_text",
        "Khi được cơ quan có thẩm quyền giao xây dựng dự thảo quy định về thủ tục hành chính, "
        "quy định liên quan đến hoạt động kinh doanh tại dự thảo văn bản quy phạm pháp luật",
    ),
    ("001", "II.6", "support", ["Sở Tư pháp"]),  # line 407 "Sở Tư pháp Thường xuyên"
    ("001", "II.8", "lead", [LAPS, "UBND các xã, phường"]),  # lines 469-473
    ("001", "II.8", "support", ["Các cơ quan, đơn vị được kiểm tra"]),
    (
        "001",
        "III.2",
        "title",
        "Theo dõi, cập nhật các Quyết định công bố TTHC của Bộ, ngành Trung ương để kịp thời tham "
        "mưu Chủ tịch UBND tỉnh công bố danh mục TTHC, xây dựng quy trình nội bộ trong giải quyết TTHC theo cơ chế một "
        "cửa, một cửa liên thông bảo đảm tiến độ, nội dung theo quy định.",
    ),  # lines 561-567 + 607-609
    (
        "001",
        "III.2",
        "products",
        "Quyết định công bố/phê duyệt quy trình nội bộ của Chủ tịch UBND tỉnh; các hình thức niêm yết, công khai",
    ),  # lines 569-575 + 611-613
    ("001", "III.2", "support", ["Văn phòng UBND tỉnh"]),  # "Văn phòng / UBND tỉnh", lines 583-585
    (
        "001",
        "III.7",
        "products",
        "Hồ sơ TTHC được tiếp nhận, xử lý và trả kết quả giải quyết theo đúng quy trình, "
        "quy định; thông báo kết luận kiểm tra",
    ),  # lines 753-755 + 796-802
    ("001", "III.7", "lead", [LAPS, "UBND các xã, phường"]),  # "… ngành, UBND" / page break / "các xã, phường"
    ("001", "III.10", "due_text", "Quý II, III/2026"),  # lines 911-913
    ("001", "IV.1", "lead", [LAPS, "đơn vị sự nghiệp công lập thuộc UBND tỉnh", "UBND các xã, phường"]),
    ("001", "IV.4", "support", ["4 Bệnh viện tuyến tỉnh", "10 Trung tâm Y tế khu vực"]),  # a cell starting with a digit
    (
        "001",
        "V.1",
        "title",
        "Triển khai công tác đào tạo, bồi dưỡng cán bộ, công chức, viên chức theo Kế hoạch số "
        "06-KH/TU, ngày 28/11/2025 của Ban Thường vụ Tỉnh uỷ",
    ),
    ("001", "V.2", "support", [LAPS, "UBND các xã, phường"]),  # "phường" continues after the page break (line 1083+)
    ("001", "V.4", "due_text", "Trong năm 2026"),
    ("001", "VI.6", "support", ["Các cơ quan, đơn vị được kiểm toán, thanh tra"]),
    ("001", "VII.2", "support", ["Các doanh nghiệp viễn thông", "các Sở, ban, ngành", "UBND cấp xã"]),
    (
        "001",
        "VII.4",
        "products",
        "Chương trình, dự án, kế hoạch triển khai, báo cáo kết quả",
    ),  # "báo cáo kết quả năng, nhiệm vụ"
    ("001", "VII.4", "lead", ["Các sở, ban, ngành theo chức năng, nhiệm vụ quản lý nhà nước"]),
    ("001", "VII.4", "support", ["Sở Khoa học và Công nghệ", "các cơ quan, đơn vị liên quan"]),
    ("001", "VII.7", "lead", ["Công an tỉnh"]),  # last row
    # --- 002: Đồng Nai department plan, markdown with HTML cells --------------------------------
    ("002", "I.1", "lead", ["Trung tâm KHCN"]),  # line 186
    ("002", "I.1", "products", "Chuyên trang, Chuyên mục, Bản tin; Cuộc thi,..."),
    (
        "002",
        "I.6",
        "title",
        "Tăng cường kiểm tra việc thực hiện nhiệm vụ cải cách hành chính, bảo đảm chất lượng và "
        "tiến độ theo kế hoạch hàng năm; kip thời phát hiện, tháo gỡ khó khăn, vướng mắc và chấn "
        "chỉnh, xử lý nghiêm các trường hợp vi phạm",
    ),  # lines 191 + 194
    ("002", "I.6", "support", ["Các phòng, đơn vị"]),  # "Các phòng," + "đơn vị" across the page break
    ("002", "II.1.2", "due_text", "Theo Kế hoạch hành động triển khai Nghị quyết số 79-NQ/TW của tỉnh"),
    (
        "002",
        "II.2.5",
        "title",
        "Thực hiện hiệu quả công tác phổ biến, giáo dục pháp luật thông qua tăng cường thực hiện "
        "chuyển đổi số công tác này",
    ),  # line 206, numbered 5 after 2
    (
        "002",
        "II.2.1",
        "section_title",
        "Tạo chuyển biến mạnh mẽ trong tổ chức thi hành pháp luật trên địa bàn tỉnh, "
        "bảo đảm pháp luật được thực hiện công bằng, nghiêm minh, nhất quán, kịp thời, hiệu lực và hiệu quả; gắn kết "
        "chặt chẽ giữa xây dựng và tổ chức thi hành pháp luật.",
    ),  # bold title continued on line 203
    (
        "002",
        "II.3.1",
        "products",
        "- Đề xuất đổi mới, hoàn thiện quy trình xây dựng, ban hành văn bản quy phạm pháp "
        "luật thuộc thẩm quyền tỉnh. - Hướng dẫn, quy trình tham vấn chính sách và đánh giá tác động hoàn thiện.",
    ),  # <ul><li>, line 211
    ("002", "III.1.3", "due_text", "Giai đoạn 2026 - 2030"),
    ("002", "III.2.1", "lead", ["Phòng Chuyên đổi số"]),  # typo kept as printed (resolution is another stage)
    (
        "002",
        "III.2.8",
        "title",
        "Tiếp tục đẩy mạnh phân cấp, phân quyền trong thực hiện thủ tục hành chính, gắn với phân "
        "bổ nguồn lực, đề cao trách nhiệm thực thi của các cấp, các ngành theo hướng giảm việc giải quyết thủ tục của các "
        'cơ quan Trung ương " Cấp nào sát cơ sở, sát nhân dân nhất thì giao cấp đó giải quyết, không để tình trạng '
        "nhiều tầng nấc, kéo dài thời gian giải quyết và gây những nhiễu, tiêu cực”",
    ),  # lines 233 + 236 (<i>)
    ("002", "IV.4", "due_text", "Năm 2027"),
    ("002", "V.5", "products", ""),  # line 252: empty deliverable cell
    ("002", "VI.2", "support", []),  # line 258: empty supporting cell
    (
        "002",
        "VII.1.3",
        "lead",
        ["Phòng Chuyển đôi số"],
    ),  # "Phòng Chuyển" + "đôi số" across the page break (lines 269, 272)
    ("002", "VII.1.3", "due_text", "Sau khi Chiến lược dữ liệu quốc gia ban hành"),
    ("002", "VII.2.3", "due_text", "Giai đoạn 2026 - 2030"),  # "Giai đoạn" + "2026 - 2030" (lines 279, 282)
    (
        "002",
        "VII.2.10",
        "title",
        "Triển khai Đề án nâng cao năng lực số cho người dân vùng đồng bào dân tộc thiểu số và miền núi",
    ),
    # --- 003: Lợi Bác commune plan for NQ 57, accountable heads, footnotes ----------------------
    ("003", "1", "accountable", "Giám đốc Trung tâm dịch vụ công ích"),  # line 10
    ("003", "1", "support", ["Văn phòng HĐND và UBND", "Phòng Văn hóa – Xã hội"]),
    ("003", "1", "due_text", "Nhiệm vụ thường xuyên"),
    ("003", "4", "due_text", "Sau khi Bộ quy tắc được ban hành"),  # section II, line 16
    (
        "003",
        "10",
        "title",
        "Triển khai Nghị quyết về sử dụng chung công trình hạ tầng kỹ thuật, cơ sở hạ tầng viễn "
        "thông của cơ quan, tổ chức, doanh nghiệp để thực hiện nhiệm vụ quốc phòng, bảo vệ an ninh quốc gia, bảo đảm "
        "trật tự, an toàn xã hội",
    ),  # lines 22 + 25
    ("003", "10", "lead", ["Công an xã"]),
    ("003", "14", "lead", ["Phòng Văn hóa - Xã hội"]),  # section III, "Phòng Văn hóa - Xã hội;" trailing separator
    ("003", "21", "accountable", "Trưởng phòng Văn hóa - Xã hội"),  # "Trưởng phòng Văn" + "hóa - Xã hội" (41, 44)
    ("003", "21", "support", ["Các cơ quan, đơn vị liên quan"]),  # "…liên" + "quan"
    ("003", "26", "lead", ["Phòng Kinh tế", "Phòng Văn hóa – xã hội"]),  # section IV, line 53
    ("003", "28", "accountable", "Giám đốc Trung tâm PVHCC xã"),  # lines 55 + 58
    ("003", "28", "due_text", "Nhiệm vụ thường xuyên"),
    ("003", "32", "status", "done"),  # "Tháng 3/2026 ¹", footnote "¹ Nhiệm vụ đã hoàn thành" (line 67)
    ("003", "32", "due_text", "Tháng 3/2026"),
    ("003", "37", "status", "done"),  # "Tháng 3/2026 ²", footnote line 84
    ("003", "38", "status", "open"),
    ("003", "40", "lead", ["Công an xã"]),  # section V, line 90
    ("003", "56", "lead", ["Trung tâm PV HCC xã"]),  # section VI, line 115
    ("003", "62", "due_text", "Nhiệm vụ thường xuyên"),  # section VII, line 131
    ("003", "71", "due_text", "Theo nhiệm vụ được giao tại Kế hoạch số 230-KH/TU"),  # lines 146 + 149
    ("003", "75", "due_text", "Thường xuyên; 6 tháng/lần"),  # section IX
    ("003", "79", "due_text", "Năm 2026 (thực hiện theo chỉ đạo của Bộ Công an)"),  # <i> in the cell
    ("003", "81", "accountable", "Chỉ huy trưởng BCH Quân sự xã"),
    ("003", "83", "status", "done"),  # "Tháng 02/2026 ³"
    ("003", "84", "status", "open"),
    ("003", "89", "lead", ["Phòng Kinh tế"]),  # section XI, line 180
    ("003", "91", "status", "done"),  # "Tháng 03/2026 ⁴"
    ("003", "97", "due_text", "Nhiệm vụ thường xuyên"),  # last row, line 195
    # --- 004: Lào Cai steering committee, markdown, group column, narrative tasks ---------------
    (
        "004",
        "PL-I.1",
        "title",
        "Đề xuất chính sách khuyến khích sandbox thử nghiệm AI, blockchain, giáo dục số, y tế số, "
        "nông nghiệp thông minh.",
    ),  # line 139
    ("004", "PL-I.1", "lead", ["Sở KH&CN"]),
    ("004", "PL-I.1", "support", ["Sở Tư pháp", "Các Sở, ngành, địa phương"]),
    ("004", "PL-I.1", "due_text", "31/12/2025"),
    ("004", "PL-I.1-3", "lead", ["Sở Tài chính"]),  # line 141, unnumbered row of group 1
    (
        "004",
        "PL-I.3-2",
        "lead",
        ["Trường CD Lào Cai", "Trường CD nghề Yên Bái", "Phân hiệu ĐH Thái Nguyên"],
    ),  # line 148
    ("004", "PL-I.4-2", "due_text", ""),  # line 150: no deadline printed
    (
        "004",
        "PL-I.7-3",
        "title",
        "- Hoàn thành số sức khỏe điện tử, hồ sơ y tế điện tử cho ≥ 80% dân số.",
    ),  # LaTeX math
    ("004", "PL-I.10-2", "lead", ["Các Sở, ngành, địa phương"]),
    ("004", "PL-II.9", "lead", ["Thanh tra tỉnh"]),  # line 178
    ("004", "PL-II.11", "lead", ["Sở Văn hóa, Thể thao và Du lịch"]),  # comma inside one name (line 180)
    ("004", "PL-II.7", "due_text", "15/12/2025"),
    ("004", "PL-III.2", "support", ["Sở KH&CN", "Sở Nội vụ", "Ngân hàng Nhà nước", "UBND cấp xã"]),  # line 192
    ("004", "PL-III.8", "lead", ["Văn phòng UBND tỉnh", "Công an tỉnh"]),  # line 200
    ("004", "PL-III.9", "due_text", "Hàng tháng"),
    ("004", "§II.2.a", "title", "Tổ chức các phiên họp, hội nghị của Ban Chỉ đạo theo Quy chế hoạt động"),  # line 41
    ("004", "§II.2.a", "lead", ["Sở Khoa học và Công nghệ"]),  # "- Cơ quan chủ trì: …" (line 43)
    ("004", "§II.2.a", "support", ["Công an tỉnh", "Sở Nội vụ", "Văn phòng UBND tỉnh"]),
    ("004", "§II.2.a", "due_text", "Theo Quy chế làm việc đã xác định"),
    ("004", "§II.2.c", "due_text", "Theo quy chế đã xác định (hàng tuần) và đột xuất theo yêu cầu của cấp trên"),
    ("004", "§II.2.d", "due_text", "Tháng 12/2025"),
]


@pytest.mark.parametrize(("sample", "ref", "field", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_samples_field_matches_source(
    samples: dict[str, Interpretation], sample: str, ref: str, field: str, expected: Any
) -> None:
    assert fields(task(samples[sample], ref))[field] == expected


def test_samples_pdf_text_rows_sampled_at_least_15() -> None:
    assert len({ref for sample, ref, _, _ in CASES if sample == "001"}) >= 15


@pytest.mark.parametrize(
    ("sample", "ref", "line"),
    [
        ("000", "III.2", 30),  # provenance: the line where the row starts
        ("001", "II.4", 278),
        ("003", "32", 65),
        ("004", "§II.2.b", 49),
    ],
)
def test_samples_provenance_line(samples: dict[str, Interpretation], sample: str, ref: str, line: int) -> None:
    assert task(samples[sample], ref).line == line


def test_samples_continued_row_keeps_both_source_lines(samples: dict[str, Interpretation]) -> None:
    source = task(samples["000"], "III.2").source_text
    assert "kế hoạch rà soát, đánh" in source and "giá TTHC thuộc thẩm quyền" in source


def test_samples_pdf_rows_record_their_page(samples: dict[str, Interpretation]) -> None:
    assert task(samples["001"], "I.1").page == 1
    assert task(samples["001"], "VII.7").page == 11
