"""Legal references, agency cells, deadlines and targets (table-driven)."""

from __future__ import annotations

from datetime import date

import pytest

from plangraph.ingest.agencies import split_agencies
from plangraph.ingest.deadlines import normalise_deadline
from plangraph.ingest.legal import find_legal_refs, resolve_mandate
from plangraph.ingest.targets import parse_target
from plangraph.model import Interpretation

LEGAL_CASES = [
    # (text as printed in a sample, context jurisdiction, expected ids in order)
    (
        "Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15, được sửa đổi, bổ sung bởi Luật số 87/2025/QH15",
        None,
        ["64/2025/QH15", "87/2025/QH15"],
    ),  # 000 line 18
    (
        "Chỉ thị số 43/CT-TTg ngày 11/12/2020 của Thủ tướng Chính phủ",
        None,
        ["43/CT-TTg@2020"],
    ),  # year qualifies a recurring number
    ("Nghị quyết số 66-NQ/TW của Bộ Chính trị", None, ["66-NQ/TW"]),
    ("theo Nghị quyết số 66.7/2025/NQ-CP ngày 15/11/2025 của Chính phủ", None, ["66.7/2025/NQ-CP"]),  # never 66-NQ/TW
    ("Nghị quyết 18-NQ/TW", None, ["18-NQ/TW"]),
    ("Công văn số 8536/VPCP-KSTT ngày 11/9/2025 của Văn phòng Chính phủ", None, ["8536/VPCP-KSTT@2025"]),
    (
        "Nghị định số 186/2025/NĐ-CP ngày 01/7/2025, Nghị định số 286/2025/NĐ-CP ngày 03/11/2025",
        None,
        ["186/2025/NĐ-CP", "286/2025/NĐ-CP"],
    ),
    (
        "(Kèm theo Kế hoạch số: 110/KH-UBND ngày 25 /3/2026 của UBND tỉnh Lạng Sơn)",
        None,
        ["110/KH-UBND@tinh-lang-son@2026"],
    ),  # local: qualified by issuer's province and year
    (
        "(Kèm theo Kế hoạch số: 29 /KH-UBND ngày   30 /01/2026 của UBND tỉnh)",
        "tỉnh Lạng Sơn",
        ["29/KH-UBND@tinh-lang-son@2026"],
    ),  # issuer names no province: the document's
    (
        "Kế hoạch số 06-KH/TU, ngày 28/11/2025 của Ban Thường vụ Tỉnh uỷ",
        "tỉnh Lạng Sơn",
        ["06-KH/TU@tinh-lang-son@2025"],
    ),
    (
        "Nghị quyết số 42/2025/NQ-HĐND ngày 10/12/2025 của Hội đồng nhân dân tỉnh",
        "tỉnh Lạng Sơn",
        ["42/2025/NQ-HĐND@tinh-lang-son"],
    ),
    ("Nghị quyết số 193/2025/QH15", None, ["193/2025/QH15"]),  # 003 line 17
    ("Thông báo số 06-TB/CQTTBCĐ ngày 27/9/2025", None, ["06-TB/CQTTBCĐ"]),  # central party body
    (
        "Kế hoạch số 230-KH/TU, ngày 29/4/2025 của Ban Thường vụ Tỉnh ủy",
        "tỉnh Lạng Sơn",
        ["230-KH/TU@tinh-lang-son@2025"],
    ),
    ("Nghị định số 169/2007/NĐ-CP ngày 19/11/2007", None, ["169/2007/NĐ-CP"]),
    ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị", None, ["57-NQ/TW"]),  # 002 line 143
    ("Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ", None, ["06/QĐ-TTg"]),
    ("Quyết định số 126/QĐ-BCĐCP ngày 11/9/2025 của Trưởng Ban Chỉ đạo của Chính phủ", None, ["126/QĐ-BCĐCP@2025"]),
    ("Công văn số 1012/UBND-NC ngày 7/8/2025 của UBND tỉnh Lào Cai", None, ["1012/UBND-NC@tinh-lao-cai@2025"]),
    ("Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ", None, ["71/NQ-CP"]),
    ("Đề án 06 năm 2025", None, ["06/QĐ-TTg"]),  # informal alias
    ("TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW CỦA BỘ CHÍNH TRỊ", None, ["57-NQ/TW"]),  # upper case (003 title)
    ("DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM TRIỂN KHAI ĐỀ ÁN 06", None, ["06/QĐ-TTg"]),  # 004 Phụ lục III
    ("Công khai kết quả trên nq57.vn hàng tháng", None, []),  # a web address is not a citation
    ("giai đoạn 2026 - 2030, ngày 25 /3/2026, 6 tháng/lần, giải quyết/thông qua", None, []),
]


@pytest.mark.parametrize(("text", "context", "expected"), LEGAL_CASES)
def test_legal_refs_found_with_canonical_ids(text: str, context: str | None, expected: list[str]) -> None:
    assert [r.id for r in find_legal_refs(text, context)] == expected


def test_legal_ref_keeps_span_date_and_issuer() -> None:
    text = "Thực hiện Chỉ thị số 43/CT-TTg ngày 11/12/2020 của Thủ tướng Chính phủ về nâng cao"
    (ref,) = find_legal_refs(text)
    assert text[ref.start : ref.end] == ref.surface
    assert ref.issued_on == date(2020, 12, 11) and ref.issuer == "Thủ tướng Chính phủ" and ref.kind == "Chỉ thị"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("NQ 57", "57-NQ/TW"),
        ("57-NQ/TW", "57-NQ/TW"),
        ("Nghị quyết 57", "57-NQ/TW"),
        ("nghị quyết số 57", "57-NQ/TW"),
        ("Đề án 06", "06/QĐ-TTg"),
        ("NQ 66", "66-NQ/TW"),
        ("66.7/2025/NQ-CP", "66.7/2025/NQ-CP"),
        ("Nghị quyết 66.7", None),  # not 66-NQ/TW
        ("chuyển đổi số", None),
    ],
)
def test_legal_resolve_mandate_as_typed(typed: str, expected: str | None) -> None:
    assert resolve_mandate(typed) == expected


AGENCY_CASES = [
    # (cell as printed, expected mentions) — commas inside collective mentions are not separators
    (
        "- Sở Nội vụ; - Các Sở, Ban, ngành phụ trách các lĩnh vực CCHC; - Báo và Phát thanh, Truyền hình Lạng Sơn",
        ["Sở Nội vụ", "Các Sở, Ban, ngành phụ trách các lĩnh vực CCHC", "Báo và Phát thanh, Truyền hình Lạng Sơn"],
    ),
    ("Các Sở, Ban, ngành, UBND các xã, phường", ["Các Sở, Ban, ngành", "UBND các xã, phường"]),
    (
        "Sở Khoa học và Công nghệ, Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh",
        ["Sở Khoa học và Công nghệ", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"],
    ),
    ("Sở Tư pháp, Các Sở, ngành, địa phương", ["Sở Tư pháp", "Các Sở, ngành, địa phương"]),
    ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Các cơ quan, đơn vị có liên quan", ["Các cơ quan, đơn vị có liên quan"]),
    ("Trường học và Các cơ quan, đơn vị liên quan", ["Trường học", "Các cơ quan, đơn vị liên quan"]),
    ("UBND các xã, phường, Sở Tư pháp, BHXH tỉnh", ["UBND các xã, phường", "Sở Tư pháp", "BHXH tỉnh"]),
    ("Các sở,ban,  ngành theo chức năng", ["Các sở, ban, ngành theo chức năng"]),
    ("Phòng Văn hóa - Xã hội;", ["Phòng Văn hóa - Xã hội"]),
    ("", []),
]


@pytest.mark.parametrize(("cell", "expected"), AGENCY_CASES)
def test_agencies_split_cell(cell: str, expected: list[str]) -> None:
    assert [m.name for m in split_agencies(cell)] == expected


@pytest.mark.parametrize(
    ("name", "is_group"),
    [
        ("Các Sở, Ban, ngành", True),
        ("UBND các xã, phường", True),
        ("Các cơ quan, đơn vị liên quan", True),
        ("Sở Nội vụ", False),
        ("Công an xã", False),
        ("Báo và Phát thanh, Truyền hình Lạng Sơn", False),
    ],
)
def test_agencies_collective_mentions_are_groups(name: str, is_group: bool) -> None:
    (mention,) = split_agencies(name)
    assert mention.is_group is is_group


PERIOD = (date(2026, 1, 1), date(2030, 12, 31))
DEADLINE_CASES = [
    # (text, start, end, recurrence, condition?)
    ("Tháng 01/2026", date(2026, 1, 1), date(2026, 1, 31), None, False),
    ("Quý I/2026", date(2026, 1, 1), date(2026, 3, 31), None, False),
    ("Quý II, III/2026", date(2026, 4, 1), date(2026, 9, 30), None, False),
    ("Năm 2026", date(2026, 1, 1), date(2026, 12, 31), None, False),
    ("Trong năm 2026", date(2026, 1, 1), date(2026, 12, 31), None, False),
    ("31/12/2025", None, date(2025, 12, 31), None, False),
    ("15/4/2026", None, date(2026, 4, 15), None, False),
    ("Hằng năm", *PERIOD, "annual", False),  # recurring: the plan's period
    ("Hàng năm", *PERIOD, "annual", False),
    ("Thường xuyên", *PERIOD, "ongoing", False),
    ("Nhiệm vụ thường xuyên. Định kỳ hằng tháng báo cáo kết quả", *PERIOD, "ongoing, monthly", False),
    ("Thường xuyên; 6 tháng/lần", *PERIOD, "ongoing, semiannual", False),
    ("Hàng tháng", *PERIOD, "monthly", False),
    ("hàng tuần", *PERIOD, "weekly", False),
    ("Giai đoạn 2026 - 2030", date(2026, 1, 1), date(2030, 12, 31), None, False),
    ("Tiếp tục triển khai giai đoạn 2026 - 2030", date(2026, 1, 1), date(2030, 12, 31), None, False),
    ("Năm 2026 (thực hiện theo chỉ đạo của Bộ Công an)", date(2026, 1, 1), date(2026, 12, 31), None, True),
    ("Sau khi Đề án được ban hành", None, None, None, True),
    ("Theo lộ trình của Bộ Công an", None, None, None, True),
    ("Khi được Trung ương giao thực hiện", None, None, None, True),
    ("Theo nhiệm vụ được giao tại Kế hoạch số 230-KH/TU", None, None, None, True),
    # from a date on, every year after it (issue 34): through the plan's period, and never overdue
    ("Năm 2026 và các năm tiếp theo", date(2026, 1, 1), date(2030, 12, 31), "continuing", False),
    ("Quý IV năm 2026 và các năm tiếp theo", date(2026, 10, 1), date(2030, 12, 31), "continuing", False),
    ("2027 và những năm tiếp theo", date(2027, 1, 1), date(2030, 12, 31), "continuing", False),
]


def test_a_continuing_deadline_without_a_period_is_open_ended() -> None:
    deadline = normalise_deadline("Năm 2025 và các năm tiếp theo").deadline
    assert (deadline.start, deadline.end, deadline.recurrence) == (date(2025, 1, 1), None, "continuing")


@pytest.mark.parametrize(
    ("status", "due_end", "recurrence", "overdue"),
    [
        ("open", date(2025, 12, 31), None, True),
        ("open", "2025-12-31", None, True),
        ("done", date(2025, 12, 31), None, False),
        ("open", date(2025, 12, 31), "continuing", False),  # "Năm 2025 và các năm tiếp theo"
        ("open", date(2025, 12, 31), "annual", False),
        ("open", date(2026, 12, 31), None, False),  # not yet
        ("open", None, None, False),  # a condition only
    ],
)
def test_the_one_rule_for_overdue(status: str, due_end: object, recurrence: str | None, overdue: bool) -> None:
    from plangraph.model import is_overdue

    assert is_overdue(status, due_end, recurrence, date(2026, 11, 22)) is overdue  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "start", "end", "recurrence", "has_condition"), DEADLINE_CASES)
def test_deadlines_normalised(text: str, start, end, recurrence, has_condition: bool) -> None:
    result = normalise_deadline(text, PERIOD)
    assert result.understood
    d = result.deadline
    assert (d.start, d.end, d.recurrence, d.condition is not None) == (start, end, recurrence, has_condition)


def test_deadlines_not_understood_is_not_guessed() -> None:
    result = normalise_deadline("Khẩn", PERIOD)
    assert not result.understood and result.deadline.end is None


def test_deadlines_every_sample_string_normalised_or_reported(samples: dict[str, Interpretation]) -> None:
    for key, interpretation in samples.items():
        reported = {f.line for f in interpretation.findings if f.code == "W202"}
        for t in interpretation.tasks:
            if t.due.text and not (t.due.start or t.due.end or t.due.recurrence or t.due.condition):
                assert t.line in reported, (key, t.ref, t.due.text)


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        ("≥ 95", ">=", 95.0, "%"),  # 002 Phụ lục I, unit from the unit column
        ("100", "=", 100.0, "%"),
        ("Tối thiểu 90% dân số trưởng thành tiếp cận dịch vụ số", ">=", 90.0, "%"),
        ("Đào tạo chuyên sâu về quản trị số cho ít nhất 200 doanh nghiệp", ">=", 200.0, "doanh nghiệp"),
        ("đạt tối thiểu 1,5%", ">=", 1.5, "%"),
        ("Tối thiểu 6 bài báo", ">=", 6.0, "bài báo"),
        ("trên >80% công dân", ">", 80.0, "%"),
    ],
)
def test_targets_parsed(text: str, comparator: str, value: float, unit: str) -> None:
    target = parse_target(text, "%")
    assert target is not None
    assert (target.comparator, target.value, target.unit) == (comparator, value, unit)


def test_targets_ignore_dates_and_numbers_of_documents() -> None:
    assert parse_target("Quyết định số 06/QĐ-TTg ngày 25/3/2026") is None


# Every document number printed in the samples (found by reading them; "29 /KH-UBND" has a space,
# "76/NQCP" lacks its hyphen) and the node it becomes.
SAMPLE_NUMBERS = {
    "06-KH/TU": "06-KH/TU@tinh-lang-son@2025",  # 001 line 530
    "06-TB/CQTTBCĐ": "06-TB/CQTTBCĐ",  # 003 line 167
    "06/KH-UBND": "06/KH-UBND@tinh-lao-cai@2025",  # 004 line 29: "ngày 14/7/2025"
    "06/QĐ-TTg": "06/QĐ-TTg",  # 002 line 121
    "1012/UBND-NC": "1012/UBND-NC@tinh-lao-cai@2025",
    "1065/QĐ-UBND": "1065/QĐ-UBND@tinh-dong-nai@2026",
    "110/KH-UBND": "110/KH-UBND@tinh-lang-son@2026",
    "118/2025/NĐ-CP": "118/2025/NĐ-CP",
    "126/QĐ-BCĐCP": "126/QĐ-BCĐCP@2025",
    "130/2020/NĐ-CP": "130/2020/NĐ-CP",
    "136/KH-UBND": "136/KH-UBND@xa-loi-bac-tinh-lang-son@2026",
    "169/2007/NĐ-CP": "169/2007/NĐ-CP",
    "18-NQ/TW": "18-NQ/TW",
    "186/2025/NĐ-CP": "186/2025/NĐ-CP",
    "193/2025/QH15": "193/2025/QH15",
    "230-KH/TU": "230-KH/TU@tinh-lang-son@2025",
    "260/QĐ-UBND": "260/QĐ-UBND@tinh-lao-cai@2025",
    "263/2025/NĐ-CP": "263/2025/NĐ-CP",
    "286/2025/NĐ-CP": "286/2025/NĐ-CP",
    "29/KH-UBND": "29/KH-UBND@tinh-lang-son@2026",
    "30/KH-UBND": "30/KH-UBND@tinh-lao-cai@2025",  # 004 line 29: "ngày 30/7/2025 của UBND / tỉnh Lào Cai"
    "42/2025/NQ-HĐND": "42/2025/NQ-HĐND@tinh-lang-son",
    "43/CT-TTg": "43/CT-TTg@2020",
    "57-NQ/TW": "57-NQ/TW",
    "64/2025/QH15": "64/2025/QH15",
    "66-NQ/TW": "66-NQ/TW",
    "66.7/2025/NQ-CP": "66.7/2025/NQ-CP",
    "66/KH-UBND": "66/KH-UBND@tinh-lao-cai@2025",
    "71/NQ-CP": "71/NQ-CP",
    "76/NQ-CP": "76/NQ-CP@2021",  # 002 line 17, printed "76/NQCP", "ngày 15/7/2021"
    "79-NQ/TW": "79-NQ/TW",
    "8536/VPCP-KSTT": "8536/VPCP-KSTT@2025",
    "87/2025/QH15": "87/2025/QH15",
}


def test_legal_every_number_in_samples_extracted(samples: dict[str, Interpretation]) -> None:
    from plangraph.ingest.build import build_batch
    from plangraph.ingest.resolve import resolve_document

    numbers: set[str] = set()
    nodes: set[str] = set()
    for interpretation in samples.values():
        numbers |= {ref.number for ref in find_legal_refs(interpretation.document.source.text)}
        batch = build_batch(interpretation, resolve_document(interpretation))
        nodes |= {n.key for n in batch.nodes if n.label == "LegalBasis"}
        nodes |= {batch.plan_id}  # a loaded plan is the node its citations point to
    assert numbers == set(SAMPLE_NUMBERS)
    missing = {number: node for number, node in SAMPLE_NUMBERS.items() if node not in nodes}
    assert not missing


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # An owner cell that says the duty after the body (web 144/KH-UBND, its indicator table).
        (
            "Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện công bố dữ liệu mở",
            ["Sở KH&CN", "Các sở, ngành", "UBND cấp xã"],
        ),
        ("Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu", ["Sở Khoa học và Công nghệ"]),
        # The predicate word inside a name stays; a collective keeps the clause that says which bodies.
        ("Sở Xây dựng", ["Sở Xây dựng"]),
        ("Ban Quản lý các Khu công nghiệp", ["Ban Quản lý các Khu công nghiệp"]),
        ("Ban Chỉ đạo tỉnh", ["Ban Chỉ đạo tỉnh"]),
        ("Các cơ quan chủ trì triển khai phần mềm", ["Các cơ quan chủ trì triển khai phần mềm"]),
    ],
)
def test_a_duty_written_after_the_body_is_not_part_of_its_name(cell: str, expected: list[str]) -> None:
    assert [m.name for m in split_agencies(cell)] == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (  # web 556/KH-UBND: a counted list of named communes, one body each
            "Ủy ban nhân dân 04 xã: Gia Thuận, Tân Điền, Gò Công Đông, Tân Phú Đông",
            ["Ủy ban nhân dân xã Gia Thuận", "Ủy ban nhân dân xã Tân Điền", "Ủy ban nhân dân xã Gò Công Đông",
             "Ủy ban nhân dân xã Tân Phú Đông"],
        ),
        ("UBND các xã: Gia Thuận, Tân Điền", ["Ủy ban nhân dân xã Gia Thuận", "Ủy ban nhân dân xã Tân Điền"]),
        # A count that disagrees with the names is kept as printed, never guessed.
        ("Ủy ban nhân dân 03 xã: Gia Thuận, Tân Điền", ["Ủy ban nhân dân 03 xã: Gia Thuận, Tân Điền"]),
    ],
)  # fmt: skip
def test_a_list_of_named_communes_is_one_body_each(cell: str, expected: list[str]) -> None:
    assert [m.name for m in split_agencies(cell)] == expected
