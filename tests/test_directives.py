"""Every assignment in every directive document (issue 31): letters, notices, decisions and reports are read as
plans are, family by family, on synthetic documents whose wording differs from the corpus (other bodies, other
numbers, other labels), with a hypothesis round-trip of letters and notices; then the shared office corpus
(tests/data/office, from shared/corpus/office) and the web corpus are scored against their readings by hand."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraph.errors import Warnings
from plangraph.ingest.evaluate import evaluate_paths
from plangraph.ingest.header import kind_of_number
from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import read_bytes
from plangraph.loaders import detect
from plangraph.loaders.docx import format_number
from plangraph.model import GraphBatch, Interpretation, Paragraph, TaskRecord
from plangraph.vocabulary import DOCUMENT_KINDS

DATA = Path(__file__).parent / "data"
OFFICE = DATA / "office"
WEB = DATA / "web"
SCANS = ("O01", "O02", "O03")  # no text layer: read once OCR is in (issue 32)


def letterhead(number: str, kind_line: str = "", place: str = "Quảng Trị", issuer: str = "ỦY BAN NHÂN DÂN") -> str:
    top = f"{issuer}\nTỈNH {place.upper()}\nSố: {number}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    top += f"Độc lập - Tự do - Hạnh phúc\n{place}, ngày 12 tháng 3 năm 2026\n"
    return top + (f"{kind_line}\n" if kind_line else "")


def read(text: str, name: str = "doc.txt") -> tuple[Interpretation, GraphBatch]:
    return read_document(read_bytes(text.encode("utf-8"), name))


def duties(reading: Interpretation) -> list[TaskRecord]:
    return [t for t in reading.tasks if t.origin == "duty"]


def leads(task: TaskRecord) -> list[str]:
    return [m.name for m in task.lead]


# -- the kind of a document, from its number ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symbol", "kind"),
    [
        ("KH-UBND", "Kế hoạch"),
        ("TB-UBND", "Thông báo"),
        ("QĐ-TTg", "Quyết định"),
        ("CĐ-UBND", "Công điện"),
        ("BC-VP", "Báo cáo"),
        ("CT-UBND", "Chỉ thị"),
        ("UBND-KT", "Công văn"),  # a letter: the issuer, then its unit
        ("SNV-CCHC&VTLT", "Công văn"),
    ],
)
def test_the_kind_comes_from_the_number_as_decree_30_spells_it(symbol: str, kind: str) -> None:
    assert kind_of_number(symbol) == kind
    assert set(DOCUMENT_KINDS.values()) >= {kind}


def test_a_letter_is_a_letter_with_its_subject_line_and_is_not_refused() -> None:
    text = letterhead("415/UBND-NC") + (
        "V/v tăng cường công tác phòng cháy\nchữa cháy mùa khô năm 2026\n"
        "Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- UBND các xã, phường.\n"
        "Thực hiện Chỉ thị số 19/CT-TTg ngày 05/6/2025 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh đề nghị:\n"
        "1. Công an tỉnh chủ trì, phối hợp với Sở Xây dựng kiểm tra an toàn phòng cháy tại các chợ, hoàn thành "
        "trước ngày 30/4/2026.\n"
        "2. UBND các xã, phường:\n"
        "a) Rà soát các khu dân cư có nguy cơ cháy cao.\n"
        "b) Tổ chức diễn tập phòng cháy tại cơ sở.\n"
        "Đề nghị các cơ quan, đơn vị triển khai thực hiện./.\n"
        "Nơi nhận:\n- Như trên;\n"
    )
    reading, batch = read(text)
    plan = reading.plan
    assert (plan.kind, plan.code, plan.level) == ("Công văn", "415/UBND-NC", "province")
    assert plan.title.startswith("tăng cường công tác phòng cháy chữa cháy")
    found = duties(reading)
    assert [leads(t) for t in found] == [["Công an tỉnh"], ["UBND các xã, phường"], ["UBND các xã, phường"]]
    assert [m.name for m in found[0].support] == ["Sở Xây dựng"]
    assert found[0].due.text.endswith("trước ngày 30/4/2026")
    assert found[1].title.startswith("Rà soát") and found[2].title.startswith("Tổ chức diễn tập")
    assert not any("triển khai thực hiện./" in t.title for t in found)  # the closing request is not a duty


def test_a_conclusion_notice_with_lettered_bodies_labels_and_sub_items() -> None:
    text = letterhead("/TB-UBND", "THÔNG BÁO") + (
        "Kết luận của Phó Chủ tịch UBND tỉnh tại buổi làm việc về tiến độ dự án đường ven biển\n"
        "I. Đánh giá chung\n"
        "Sở Giao thông vận tải đã phối hợp với các địa phương giải phóng mặt bằng nhưng tiến độ còn chậm.\n"
        "II. Nhiệm vụ trong thời gian tới\n"
        "1. Đối với công tác giải phóng mặt bằng\n"
        "a) Trung tâm Phát triển quỹ đất tỉnh\n"
        "- Chủ trì, phối hợp chặt chẽ với UBND xã Hải Lăng hoàn thành kiểm đếm, cụ thể như sau:\n"
        "+ Đối với đoạn Km2 - Km5: hoàn thành trong tháng 5/2026.\n"
        "+ Đối với đoạn Km5 - Km9: hoàn thành trong tháng 6/2026.\n"
        "- Đối với khu tái định cư Km3: Tập trung vận động nhận tiền bồi thường.\n"
        "b) UBND xã Hải Lăng: Rà soát nguồn gốc đất của 12 hộ dân trước ngày 20/5/2026.\n"
        "c) Sở Tài chính:\n"
        "- Thẩm định phương án bồi thường bổ sung.\n"
        "2. Đối với hồ sơ thiết kế: Giao Ban Quản lý dự án đầu tư xây dựng số 2 chủ trì, phối hợp Sở Xây dựng "
        "hoàn thiện hồ sơ.\n"
        "Trân trọng thông báo để các cơ quan biết, thực hiện./.\n"
        "Nơi nhận:\n- Như trên;\n"
    )
    reading, _ = read(text)
    assert (reading.plan.kind, reading.plan.issued_on) == ("Thông báo", date(2026, 3, 12))
    found = duties(reading)
    assert [(leads(t), " ".join(t.title.split()[:3])) for t in found] == [
        (["Trung tâm Phát triển quỹ đất tỉnh"], "Chủ trì, phối"),  # its "+" items are its parts
        (["Trung tâm Phát triển quỹ đất tỉnh"], "Tập trung vận"),  # the topic label is not the duty
        (["UBND xã Hải Lăng"], "Rà soát nguồn"),
        (["Sở Tài chính"], "Thẩm định phương"),
        (["Ban Quản lý dự án đầu tư xây dựng số 2"], "Giao Ban Quản"),
    ]
    assert "Km5 - Km9" in found[0].title
    assert [m.name for m in found[0].support] == ["UBND xã Hải Lăng"]
    assert [m.name for m in found[4].support] == ["Sở Xây dựng"]
    assert found[2].due.text.endswith("trước ngày 20/5/2026")
    assert not any(t.title.startswith("Sở Giao thông") for t in found)  # the assessment reports, it assigns nothing


def test_a_decision_setting_up_a_committee_members_are_not_duties_its_articles_are() -> None:
    text = letterhead("/QĐ-UBND", "QUYẾT ĐỊNH") + (
        "Thành lập Tổ công tác về chuyển đổi số tỉnh Quảng Trị\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
        "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.\n"
        "QUYẾT ĐỊNH:\n"
        "Điều 1. Thành lập Tổ công tác về chuyển đổi số tỉnh Quảng Trị (sau đây gọi tắt là Tổ công tác) gồm các "
        "thành viên sau:\n"
        "1. Phó Chủ tịch UBND tỉnh Lê Văn An, Tổ trưởng.\n"
        "2. Giám đốc Sở Khoa học và Công nghệ, Tổ phó.\n"
        "- Giám đốc Sở Tài chính;\n- Giám đốc Sở Nội vụ.\n"
        "Điều 2. Nhiệm vụ của Tổ công tác\n"
        "1. Tham mưu Chủ tịch UBND tỉnh chỉ đạo các nhiệm vụ chuyển đổi số trọng tâm.\n"
        "2. Theo dõi, đôn đốc các sở, ngành thực hiện nhiệm vụ được giao.\n"
        "Báo cáo định kỳ 6 tháng về kết quả thực hiện.\n"
        "3. Thực hiện các nhiệm vụ khác do Chủ tịch UBND tỉnh giao.\n"
        "Điều 3. Chế độ làm việc\n"
        "1. Các thành viên Tổ công tác làm việc theo chế độ kiêm nhiệm.\n"
        "Điều 4. Sở Khoa học và Công nghệ làm nhiệm vụ cơ quan thường trực của Tổ công tác.\n"
        "Điều 5. Chánh Văn phòng UBND tỉnh, Giám đốc các sở và các thành viên Tổ công tác chịu trách nhiệm thi "
        "hành Quyết định này.\n"
        "Nơi nhận:\n- Như Điều 5;\n"
    )
    reading, _ = read(text)
    found = duties(reading)
    group = ["Tổ công tác về chuyển đổi số tỉnh Quảng Trị"]  # its name as Điều 1 defines it
    assert [(leads(t), t.title.split(" ")[0]) for t in found] == [
        (group, "Tham"),
        (group, "Theo"),
        (group, "Báo"),  # a further duty of the article's body, printed without a number
        (["Sở Khoa học và Công nghệ"], "Sở"),
    ]


def test_a_report_proposes_work_its_status_sections_assign_nothing() -> None:
    text = letterhead("/BC-SCT", "BÁO CÁO", issuer="UBND TỈNH QUẢNG TRỊ\nSỞ CÔNG THƯƠNG") + (
        "Tình hình phát triển thương mại điện tử\n"
        "I. KẾT QUẢ THỰC HIỆN\n"
        "1. Sở Công Thương đã chủ trì tổ chức 05 hội nghị xúc tiến thương mại.\n"
        "II. KIẾN NGHỊ\n"
        "1. Chỉ đạo Sở Tài chính bố trí kinh phí hỗ trợ doanh nghiệp.\n"
        "2. Đôn đốc các doanh nghiệp bán lẻ phối hợp với Sở Công Thương đăng ký sàn giao dịch.\n"
        "Trên đây là báo cáo của Sở Công Thương.\n"
    )
    reading, _ = read(text)
    assert (reading.plan.kind, reading.plan.level) == ("Báo cáo", "department")
    assert [leads(t) for t in duties(reading)] == [["Sở Tài chính"], ["các doanh nghiệp bán lẻ"]]


def test_every_request_of_a_notice_is_a_duty_and_one_a_plan_does_not_read_is_a_finding() -> None:
    paragraph = (
        "Sở Khoa học và Công nghệ chủ trì xây dựng nền tảng dữ liệu dùng chung; đề nghị Sở Tài chính bố trí kinh "
        "phí thực hiện trong năm 2026.\n"
    )
    notice = letterhead("/TB-UBND", "THÔNG BÁO") + "Kết luận của Chủ tịch UBND tỉnh\n1. Về chuyển đổi số\n"
    reading, _ = read(notice + paragraph + "Trân trọng thông báo./.\n")
    found = duties(reading)
    assert [leads(t) for t in found] == [["Sở Khoa học và Công nghệ"], ["Sở Tài chính"]]
    assert found[1].title.startswith("đề nghị Sở Tài chính bố trí") and found[1].requested
    assert not [f for f in reading.findings if f.code == Warnings.W206]

    plan = letterhead("40/KH-UBND", "KẾ HOẠCH") + "Chuyển đổi số năm 2026\nIII. TỔ CHỨC THỰC HIỆN\n"
    reading, _ = read(plan + paragraph + "Trên đây là Kế hoạch.\n")
    assert [leads(t) for t in duties(reading)] == [["Sở Khoa học và Công nghệ"]]
    unread = [f for f in reading.findings if f.code == Warnings.W206]
    assert len(unread) == 1 and "đề nghị Sở Tài chính bố trí" in unread[0].message
    assert unread[0].line == 10  # the paragraph's line in `plangraph text`


# -- owner cells of report tables, and deadlines printed in the action ----------------------------------------------


def word_table(
    name: str, lines: tuple[str, ...], rows: list[tuple[str, ...]], merge_down: tuple[int, int] = (0, 0)
) -> tuple[Interpretation, GraphBatch]:
    """A Word file of `lines` then a table of `rows` (row `merge_down[0]`'s first cell merged over the next
    `merge_down[1]` rows), read as `plangraph load` reads it."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    if merge_down[1]:
        table.cell(merge_down[0], 0).merge(table.cell(merge_down[0] + merge_down[1], 0))
    buffer = io.BytesIO()
    document.save(buffer)
    return read_document(read_bytes(buffer.getvalue(), name))


def test_an_owner_cell_that_labels_its_roles_gives_lead_and_support() -> None:
    lines = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "Số: /BC-UBND", "BÁO CÁO", "Tình hình các khu công nghiệp")
    rows = [
        ("TT", "Khu công nghiệp", "Tiến độ hiện tại", "Giải pháp, kiến nghị", "Cơ quan phụ trách"),
        ("1", "KCN Nam Đông Hà", "Đang san lấp", "Hoàn thành GPMB trong Quý III/2026",
         "Chủ trì: Công ty CP Hạ tầng Đông Hà (CĐT). Phối hợp: UBND phường Đông Lương (GPMB); Sở Xây dựng (quy hoạch)."),
        ("2", "KCN Quán Ngang", "Chậm", "Đầu tư hệ thống xử lý nước thải",
         "Chủ trì: UBND xã Gio Linh; Sở Tài chính bố trí ngân sách."),
        ("3", "KCN Tây Bắc Hồ Xá", "Chưa triển khai", "Lập quy hoạch chi tiết",
         "Theo phân công tại Quyết định số 1441/QĐ-UBND ngày 02/10/2025 của UBND tỉnh"),
        ("4", "KCN Triệu Phú", "Đang lập hồ sơ", "Thẩm định hồ sơ quy hoạch", "Lãnh đạo Sở Xây dựng"),
        ("5", "KCN Đông Hà", "Chậm", "Di dời cơ sở gây ô nhiễm", "Sở Y tế chủ trì; Sở Tài chính, Công an tỉnh phối hợp"),
    ]  # fmt: skip
    reading, _ = word_table("report.docx", lines, rows)
    found = [t for t in reading.tasks if t.origin == "table"]
    assert [(leads(t), [m.name for m in t.support], t.due.text) for t in found] == [
        (["Công ty CP Hạ tầng Đông Hà"], ["UBND phường Đông Lương", "Sở Xây dựng"], "trong Quý III/2026"),
        (["UBND xã Gio Linh"], ["Sở Tài chính"], ""),
        ([], [], ""),  # the lead is in another document: cited, and said, never an agency named "Theo phân công …"
        (["Sở Xây dựng"], [], ""),  # a post keeps its body; the post answers for the task
        (["Sở Y tế"], ["Sở Tài chính", "Công an tỉnh"], ""),  # one cell, both roles said by their verbs
    ]
    assert [r.number for r in found[2].cites] == ["1441/QĐ-UBND"]
    assert any(f.code == Warnings.W207 and f.line == found[2].line for f in reading.findings)
    assert found[3].accountable == "Lãnh đạo"


# -- Word: automatic numbering, decomposed marks, tables of data --------------------------------------------------


NUMBERING_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="7">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
    "</w:numbering>"
)


def _numbered_docx(paragraphs: list[tuple[str, int | None]]) -> bytes:
    """A Word file whose numbered paragraphs carry only w:numPr (list 3, level ilvl), and the numbering part."""
    document = docx.Document()
    for text, level in paragraphs:
        p = document.add_paragraph(text)
        if level is not None:
            ppr = p._p.get_or_add_pPr()
            num = ppr.makeelement(docx.oxml.ns.qn("w:numPr"), {})
            ilvl = num.makeelement(docx.oxml.ns.qn("w:ilvl"), {docx.oxml.ns.qn("w:val"): str(level)})
            num_id = num.makeelement(docx.oxml.ns.qn("w:numId"), {docx.oxml.ns.qn("w:val"): "3"})
            num.append(ilvl)
            num.append(num_id)
            ppr.append(num)
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/numbering.xml":
                data = NUMBERING_XML.encode()
            target.writestr(item, data)
        if "word/numbering.xml" not in source.namelist():
            raise AssertionError("python-docx's template has a numbering part to replace")
    return out.getvalue()


def test_word_numbering_is_read_as_displayed() -> None:
    paragraphs: list[tuple[str, int | None]] = [
        ("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", None),
        ("Số: 88/UBND-KGVX", None),
        ("Quảng Trị, ngày 2 tháng 4 năm 2026", None),
        ("V/v triển khai tháng hành động vì trẻ em", None),
        ("Ủy ban nhân dân tỉnh yêu cầu các cơ quan thực hiện các nội dung sau:", None),
        ("Sở Y tế", 0),
        ("Chủ trì tổ chức khám sàng lọc cho trẻ em vùng khó khăn.", 1),
        ("Phối hợp với Sở Giáo dục và Đào tạo truyền thông về dinh dưỡng.", 1),
        ("Công an tỉnh", 0),
        ("Tăng cường bảo đảm an toàn cho trẻ em trong dịp hè.", 1),
        ("Nơi nhận:", None),
    ]
    reading, _ = read_document(read_bytes(_numbered_docx(paragraphs), "cv.docx"))
    found = duties(reading)
    assert [(t.ref, leads(t)) for t in found] == [
        ("§1.a", ["Sở Y tế"]),
        ("§1.b", ["Sở Y tế"]),
        ("§2.a", ["Công an tỉnh"]),
    ]
    assert [m.name for m in found[1].support] == ["Sở Giáo dục và Đào tạo"]


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "decimal", "1"),
        (4, "lowerLetter", "d"),
        (27, "lowerLetter", "aa"),
        (9, "upperRoman", "IX"),
        (3, "decimalZero", "03"),
    ],
)
def test_word_counter_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_word_text_typed_with_decomposed_marks_reads_as_composed() -> None:
    decomposed = (
        "Tra\u0302n tro\u0323ng tho\u0302ng ba\u0301o./."  # "Trân trọng thông báo./." as some keyboards type it
    )
    paragraphs: list[tuple[str, int | None]] = [
        ("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", None),
        ("Số: 12/TB-UBND", None),
        ("THÔNG BÁO", None),
        ("Kết luận về công tác cải cách hành chính", None),
        ("1. Giao Sở Nội vụ chủ trì tổng hợp kết quả chấm điểm.", None),
        (decomposed, None),
    ]
    reading, _ = read_document(read_bytes(_numbered_docx(paragraphs), "tb.docx"))
    assert [leads(t) for t in duties(reading)] == [["Sở Nội vụ"]]  # the closing line is recognised, not a duty


# -- round-trips: random letters and notices -----------------------------------------------------------------------

BODIES = [
    "Sở Tư pháp", "Sở Y tế", "Công an tỉnh", "Sở Tài chính", "Văn phòng UBND tỉnh", "Sở Nông nghiệp và Môi trường",
    "Bộ Chỉ huy Quân sự tỉnh", "Sở Văn hóa, Thể thao và Du lịch", "Ban Quản lý các khu công nghiệp",
]  # fmt: skip
ACTIONS = [
    "rà soát hồ sơ tồn đọng và báo cáo kết quả",
    "tổ chức tập huấn cho cán bộ cơ sở",
    "kiểm tra việc thực hiện các quy định hiện hành",
    "hướng dẫn các đơn vị cập nhật dữ liệu lên hệ thống",
    "xây dựng kế hoạch triển khai chi tiết",
]


@st.composite
def assignments(draw: st.DrawFn) -> list[tuple[str, str, str | None]]:
    chosen = draw(st.lists(st.sampled_from(BODIES), min_size=1, max_size=5, unique=True))
    out = []
    for body in chosen:
        action = draw(st.sampled_from(ACTIONS))
        partner = draw(st.one_of(st.none(), st.sampled_from([b for b in BODIES if b != body])))
        out.append((body, action, partner))
    return out


def _sentence(body: str, action: str, partner: str | None, style: int) -> str:
    joined = f", phối hợp với {partner}" if partner else ""
    if style == 0:
        return f"Giao {body} chủ trì{joined} {action}."
    if style == 1:
        return f"{body} chủ trì{joined} {action}."
    return f"{body}: {action[:1].upper()}{action[1:]}{' (phối hợp với ' + partner + ')' if partner else ''}."


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=assignments(), kind=st.sampled_from(["letter", "notice"]), style=st.integers(0, 1), lettered=st.booleans())
def test_round_trip_of_random_letters_and_notices(
    items: list[tuple[str, str, str | None]], kind: str, style: int, lettered: bool
) -> None:
    number = "21/UBND-VX" if kind == "letter" else "21/TB-UBND"
    head = letterhead(number, "" if kind == "letter" else "THÔNG BÁO")
    head += "V/v triển khai nhiệm vụ trọng tâm\n" if kind == "letter" else "Kết luận của Chủ tịch UBND tỉnh\n"
    lines = []
    for k, (body, action, partner) in enumerate(items):
        mark = f"{'abcdeg'[k]})" if lettered else f"{k + 1}."
        lines.append(f"{mark} {_sentence(body, action, partner, style)}")
    reading, _ = read(head + "\n".join(lines) + "\nNơi nhận:\n- Như trên;\n")
    found = duties(reading)
    assert [leads(t) for t in found] == [[body] for body, _, _ in items]
    assert [[m.name for m in t.support] for t in found] == [[p] if p else [] for _, _, p in items]
    assert reading.plan.kind == ("Công văn" if kind == "letter" else "Thông báo")


# -- the corpora, scored ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office_scores() -> dict:  # type: ignore[type-arg]
    return evaluate_paths(OFFICE / "gold.json", sorted((OFFICE / "docs").iterdir())).as_dict()


@pytest.fixture(scope="module")
def web_scores() -> dict:  # type: ignore[type-arg]
    return evaluate_paths(WEB / "gold.json", sorted(WEB.glob("*.txt"))).as_dict()


def test_the_office_corpus_is_read_as_its_reading_by_hand(office_scores: dict) -> None:  # type: ignore[type-arg]
    text_layer = [d for d in office_scores["documents"] if not d["file"].startswith(SCANS)]
    expected = sum(d["expected"] for d in text_layer)
    found = sum(d["found"] for d in text_layer)
    extra = sum(d["extra"] for d in text_layer)
    assert expected == 151  # the eleven files with a text layer
    assert found / expected >= 0.95
    assert extra / max(found + extra, 1) <= 0.05
    total = office_scores["total"]
    assert total["lead"]["f1"] >= 0.93
    assert total["metadata"]["kind"]["right"] == 14 and total["metadata"]["level"]["right"] == 14


def test_scans_are_read_by_ocr_and_their_letters_requests_found(office_scores: dict) -> None:  # type: ignore[type-arg]
    scans = [d for d in office_scores["documents"] if d["file"].startswith(SCANS)]
    assert len(scans) == 3 and all(d["loaded"] for d in scans)
    # Issue 32's target: 85% of their 25 tasks with lead F1 0.85 (24 of 25, none extra, 0.94 measured: O01's items
    # each where OCR left a mark of its circled number, its run-together paragraph split at them).
    scanned = evaluate_paths(OFFICE / "gold.json", sorted(OFFICE / "docs" / d["file"] for d in scans)).as_dict()
    total = scanned["total"]
    assert total["found"] >= 23 and total["extra"] <= 1 and total["lead"]["f1"] >= 0.85
    assert office_scores["total"]["found"] / office_scores["total"]["expected"] >= 0.97


def test_few_tasks_are_missed_without_a_finding(office_scores: dict, web_scores: dict) -> None:  # type: ignore[type-arg]
    """A task not read is said (W206, W208) rather than dropped silently: issue 31 asks it of 90% of the misses.
    Measured: every miss of the office corpus (3) and of the web corpus (2) is quoted by a finding."""
    missed = flagged = 0
    for total in (office_scores["total"], web_scores["total"]):
        missed += total["expected"] - total["found"]
        flagged += total["missed_flagged"]
    assert missed <= 15 and flagged >= 0.9 * missed


# -- what a sentence or an item gives besides its first duty -----------------------------------------------------


def test_a_request_joining_a_second_action_of_its_own_is_two_duties() -> None:
    text = letterhead("88/SCT-QLTM", issuer="SỞ CÔNG THƯƠNG") + (
        "V/v cấp giấy phép kinh doanh xăng dầu\nKính gửi: Ủy ban nhân dân các xã, phường\n"
        "Sở Công Thương đề nghị Ủy ban nhân dân các xã, phường rà soát, hướng dẫn các cửa hàng xăng dầu trên "
        "địa bàn hoàn thiện hồ sơ đề nghị cấp giấy phép theo quy định và tăng cường phối hợp với Công an tỉnh trong "
        "kiểm tra, xử lý vi phạm về kinh doanh xăng dầu theo đúng quy định pháp luật./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    found = duties(read(text)[0])
    assert [t.title[:30] for t in found] == ["Sở Công Thương đề nghị Ủy ban ", "tăng cường phối hợp với Công a"]
    assert [leads(t) for t in found] == [["Ủy ban nhân dân các xã, phường"]] * 2
    assert [m.name for m in found[1].support] == ["Công an tỉnh"]


def test_a_second_action_inside_a_purpose_stays_in_its_duty() -> None:
    text = letterhead("89/SXD-QLXD", issuer="SỞ XÂY DỰNG") + (
        "V/v tiến độ dự án\nKính gửi: Ban Quản lý dự án đầu tư xây dựng tỉnh\n"
        "Sở Xây dựng đề nghị Ban Quản lý dự án đầu tư xây dựng tỉnh duy trì giao ban hằng tuần với nhà thầu để "
        "đánh giá tiến độ thi công và kịp thời đôn đốc nhà thầu thực hiện đúng kế hoạch đã cam kết./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    assert len(duties(read(text)[0])) == 1


def test_an_introduction_with_a_duty_of_its_own_is_a_duty_besides_its_items() -> None:
    text = letterhead("45/KH-UBND", "KẾ HOẠCH") + (
        "Triển khai Đề án phát triển du lịch\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Các sở, ngành:\na) Sở Văn hóa, Thể thao và Du lịch chủ trì tổng hợp kết quả thực hiện Kế hoạch.\n"
        "b) Ủy ban nhân dân các huyện chịu trách nhiệm trước Ủy ban nhân dân tỉnh về các nhiệm vụ được giao, báo "
        "cáo kết quả thực hiện trên địa bàn; lồng ghép các mục tiêu phát triển du lịch vào kế hoạch phát triển "
        "kinh tế - xã hội của địa phương, cụ thể:\n"
        "- Xây dựng và ban hành kế hoạch phát triển du lịch cộng đồng của huyện trong năm 2026.\n"
        "- Tổ chức tập huấn kỹ năng làm du lịch cho người dân.\n"
        "Trên đây là Kế hoạch của Ủy ban nhân dân tỉnh.\nNơi nhận:\n- Như trên;\n"
    )
    found = duties(read(text)[0])
    huyen = [t for t in found if leads(t) == ["Ủy ban nhân dân các huyện"]]
    assert [t.title[:30] for t in huyen] == [
        "Ủy ban nhân dân các huyện chịu",
        "Xây dựng và ban hành kế hoạch ",
        "Tổ chức tập huấn kỹ năng làm d",
    ]
    # an introduction that only leads into its items is no duty of its own
    plain = text.replace("về các nhiệm vụ được giao, báo cáo kết quả thực hiện trên địa bàn; lồng ghép", "lồng ghép")
    assert len([t for t in duties(read(plain)[0]) if leads(t) == ["Ủy ban nhân dân các huyện"]]) == 2


def test_an_item_of_the_assigning_section_read_as_no_duty_is_said() -> None:
    text = letterhead("46/KH-UBND", "KẾ HOẠCH") + (
        "Triển khai công tác dân vận\nIV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Nội vụ chủ trì theo dõi, tổng hợp kết quả thực hiện Kế hoạch.\n"
        "2. Đề nghị ủy ban mặt trận và các đoàn thể, địa\n"  # an item OCR cut short: its body and action are lost
        "Trên đây là Kế hoạch của Ủy ban nhân dân tỉnh.\nNơi nhận:\n- Như trên;\n"
    )
    reading = read(text)[0]
    assert [leads(t) for t in duties(reading)] == [["Sở Nội vụ"]]
    said = [f for f in reading.findings if f.code == Warnings.W206]
    assert len(said) == 1 and "2. Đề nghị ủy ban mặt trận" in said[0].message


def test_the_web_corpus_stays_read(web_scores: dict) -> None:  # type: ignore[type-arg]
    total = web_scores["total"]
    assert total["found"] / total["expected"] >= 0.98 and total["lead"]["f1"] >= 0.95


# The verbs of an assignment: a name that holds one is a sentence ("Sở Y tế chủ trì, phối hợp …").
SENTENCE_IN_NAME = re.compile(
    r"\s(?:chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|triển khai|thực hiện|tham mưu|báo cáo|khẩn trương)\s"
)


def test_no_agency_is_a_sentence_or_a_pointer_in_any_corpus() -> None:
    from plangraph.ingest.pipeline import named_files, parse_files

    files = [
        f
        for f in named_files([OFFICE / "docs", WEB, DATA.parent.parent / "data" / "samples"])
        if not f[1].endswith((".json", ".md", ".tsv")) and not Path(f[1]).name.startswith(SCANS)
    ]
    names = {
        node.props["name"]
        for parsed in parse_files(files, workers=1)
        if parsed.batch is not None
        for node in parsed.batch.nodes
        if node.label == "Agency"
    }
    assert len(names) > 100
    bad = [
        n
        for n in names
        if len(n.split()) > 25
        or re.match(r"^(?:Theo|Như|Tại)\s", n)
        or re.search(r"\b(?:Quyết định|Kế hoạch|Công văn) số\b", n)
        or SENTENCE_IN_NAME.search(f" {n} ")
    ]
    assert not bad


def test_an_owner_printed_after_its_duty_belongs_to_that_duty_not_the_next() -> None:
    text = letterhead("31/KH-UBND", "KẾ HOẠCH") + (
        "Phổ biến pháp luật năm 2026\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "a) Xây dựng kế hoạch tuyên truyền pháp luật cho người lao động (Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ).\n"
        "b) Tổ chức tập huấn kỹ năng cho báo cáo viên cấp xã. Sở Nội vụ chủ trì; Sở Tài chính phối hợp.\n"
        "c) Kiểm tra việc thực hiện kế hoạch tại các xã (Chủ trì: Thanh tra tỉnh; Phối hợp: Sở Tư pháp).\n"
        "Trên đây là Kế hoạch của UBND tỉnh.\n"
    )
    reading, _ = read(text)
    found = duties(reading)
    assert [(leads(t), [m.name for m in t.support]) for t in found] == [
        (["Sở Tư pháp"], ["Sở Nội vụ"]),
        (["Sở Nội vụ"], ["Sở Tài chính"]),
        (["Thanh tra tỉnh"], ["Sở Tư pháp"]),
    ]


def test_split_rows_and_the_monitoring_column_of_a_word_table() -> None:
    lines = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "Số: 12/KH-UBND", "KẾ HOẠCH", "Chuyển đổi số năm 2026")
    rows = [
        ("STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Theo dõi, kiểm tra, đôn đốc"),
        ("1", "Xây dựng cơ sở dữ liệu đất đai", "Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Quý II/2026",
         "Văn phòng UBND tỉnh"),
        ("", "Cập nhật dữ liệu lên nền tảng dùng chung", "Sở Khoa học và Công nghệ", "Công an tỉnh", "Quý III/2026",
         "Văn phòng UBND tỉnh"),
        ("2", "Tập huấn cán bộ", "Sở Nội vụ", "", "Năm 2026", "Thanh tra tỉnh"),
    ]  # fmt: skip
    reading, batch = word_table("kh.docx", lines, rows, merge_down=(1, 1))  # row 1 split in two, each a task
    assert [(t.ref, leads(t), [m.name for m in t.support]) for t in reading.tasks] == [
        ("1", ["Sở Nông nghiệp và Môi trường"], ["Sở Tài chính"]),
        ("1-2", ["Sở Khoa học và Công nghệ"], ["Công an tỉnh"]),
        ("2", ["Sở Nội vụ"], []),
    ]
    monitored = sorted(
        (e.start_key.rsplit("#", 1)[1], e.props["mention"]) for e in batch.edges if e.type == "MONITORED_BY"
    )
    assert monitored == [("1", "Văn phòng UBND tỉnh"), ("1-2", "Văn phòng UBND tỉnh"), ("2", "Thanh tra tỉnh")]
    assert not any(e.type == "SUPPORTED_BY" and e.props["mention"] == "Thanh tra tỉnh" for e in batch.edges)


def test_units_named_by_their_code_own_their_duties() -> None:
    text = letterhead("77/KH-BCA-C06", "KẾ HOẠCH", issuer="BỘ CÔNG AN") + (
        "Tổ chức tập huấn về căn cước\n"
        "IV. PHÂN CÔNG NHIỆM VỤ\n"
        "1. C06: Chủ trì, phối hợp với V03 chuẩn bị tài liệu tập huấn.\n"
        "2. H01: Bố trí kinh phí tổ chức tập huấn theo quy định.\n"
        "3. Giao PC06 Công an các tỉnh cử cán bộ tham dự đầy đủ.\n"
        "Trên đây là Kế hoạch.\n"
    )
    reading, _ = read(text)
    assert [(leads(t), [m.name for m in t.support]) for t in duties(reading)] == [
        (["C06"], ["V03"]),
        (["H01"], []),
        (["PC06 Công an các tỉnh"], []),
    ]


def test_labelled_blocks_marked_in_brackets_with_their_fields_below_the_bullets() -> None:
    text = letterhead("55/KH-UBND", "KẾ HOẠCH") + (
        "Chuyển đổi số năm 2026\n"
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "(1) Xây dựng cơ sở dữ liệu dân cư dùng chung, gồm:\n"
        "- Làm sạch dữ liệu hộ tịch;\n"
        "- Kết nối với cơ sở dữ liệu quốc gia.\n"
        "- Đơn vị chủ trì thực hiện: Công an tỉnh.\n"
        "- Đơn vị phối hợp: Sở Khoa học và Công nghệ, UBND các xã.\n"
        "- Thời gian hoàn thành: Quý III/2026.\n"
        "(2) Số hóa hồ sơ thủ tục hành chính.\n"
        "- Đơn vị chủ trì thực hiện: Văn phòng UBND tỉnh.\n"
        "- Thời gian hoàn thành: Năm 2026.\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "(1) Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.\n"
        "Trên đây là Kế hoạch.\n"
    )
    reading, _ = read(text)
    assert [(t.origin, leads(t), [m.name for m in t.support], t.due.text) for t in reading.tasks] == [
        ("inline", ["Công an tỉnh"], ["Sở Khoa học và Công nghệ", "UBND các xã"], "Quý III/2026"),
        ("inline", ["Văn phòng UBND tỉnh"], [], "Năm 2026"),
        ("duty", ["Sở Tài chính"], [], ""),
    ]
    assert "Kết nối với cơ sở dữ liệu quốc gia" in reading.tasks[0].source_text


def test_a_report_template_of_what_was_done_is_not_a_task_table() -> None:
    lines = ("SỞ NỘI VỤ TỈNH QUẢNG TRỊ", "Số: 12/BC-SNV", "BÁO CÁO", "Kết quả thực hiện nhiệm vụ năm 2025")
    rows = [
        ("STT", "Nhiệm vụ được giao", "Vai trò (Chủ trì/Phối hợp)", "Kết quả thực hiện"),
        ("1", "Tổ chức tập huấn cải cách hành chính", "Chủ trì", "Đã hoàn thành"),
        ("2", "Thẩm định đề án vị trí việc làm", "Phối hợp", "Đang thực hiện"),
        ("3", "Rà soát thủ tục hành chính nội bộ", "Chủ trì", "Đã hoàn thành"),
        ("4", "Cập nhật cơ sở dữ liệu cán bộ", "Phối hợp", "Đang thực hiện"),
    ]
    reading, _ = word_table("bc.docx", lines, rows)
    assert reading.tasks == ()
    assert any(f.code == Warnings.W106 for f in reading.findings)  # said once: a table of data


# -- what is not read is said: findings on the paragraphs that hold assignments no task was read from ------------


def _findings(reading: Interpretation, code: str) -> list[str]:
    return [f.message for f in reading.findings if f.code == code]


def test_a_cue_that_opens_its_sentence_or_that_a_scan_misspelt_is_still_a_cue() -> None:
    text = letterhead("21/KH-BCA-C06", "KẾ HOẠCH", issuer="BỘ CÔNG AN") + (
        "Tổ chức hội nghị sơ kết công tác căn cước\n"
        "IV. PHÂN CÔNG NHIỆM VỤ\n"
        "1. C06: Chủ trì chuẩn bị báo cáo sơ kết của Bộ.\n"
        "® Chủ trì biên soạn tài liệu hội nghị, phôi hợp với Văn phòng Bộ in và phát cho đại biểu.\n"
        "Trên đây là Kế hoạch.\n"
    )
    reading, _ = read(text)
    assert [leads(t) for t in duties(reading)] == [["C06"]]
    unread = _findings(reading, Warnings.W206)
    assert len(unread) == 1 and "Chủ trì biên soạn tài liệu hội nghị" in unread[0]


def test_items_a_scan_ran_together_in_one_paragraph_are_said() -> None:
    head = letterhead("22/KH-BCA-C06", "KẾ HOẠCH", issuer="BỘ CÔNG AN") + (
        "Tổ chức hội nghị tập huấn\nIV. PHÂN CÔNG NHIỆM VỤ\n"
    )
    scanned = (
        "1. V03: # Chủ trì chuẩn bị nội dung hội nghị gồm: báo cáo đề dẫn; Bài phát biểu khai mạc; "
        "® Phối hợp với C06 bố trí hội trường.\n"
    )
    reading, _ = read(head + scanned + "Trên đây là Kế hoạch.\n")
    assert [leads(t) for t in duties(reading)] == [["V03"]]  # read as one duty, and said
    together = _findings(reading, Warnings.W208)
    assert len(together) == 1 and "Bài phát biểu khai mạc" in together[0]

    clean = (
        "1. V03: Chủ trì chuẩn bị nội dung hội nghị gồm: báo cáo đề dẫn, bài phát biểu khai mạc; bố trí hội trường.\n"
    )
    reading, _ = read(head + clean + "Trên đây là Kế hoạch.\n")
    assert [leads(t) for t in duties(reading)] == [["V03"]]
    assert not _findings(reading, Warnings.W208) and not _findings(reading, Warnings.W206)


def _read_as_scanned(text: str, name: str = "scan.txt") -> Interpretation:
    """`text` read as if its paragraphs came from a scan's OCR (as the PDF reader marks them)."""

    def scanned(source: Any) -> Any:
        loader = detect(source)

        class Scanned:
            def parse(self, source: Any) -> Any:
                document = loader.parse(source)
                blocks = tuple(
                    dataclasses.replace(b, scanned=True, page=3) if isinstance(b, Paragraph) else b
                    for b in document.blocks
                )
                return dataclasses.replace(document, blocks=blocks)

        return Scanned()

    return read_document(read_bytes(text.encode("utf-8"), name), detect_format=scanned)[0]


def test_items_a_scan_ran_together_are_one_duty_each_where_their_garbled_marks_are() -> None:
    head = letterhead("22/KH-BCA-C06", "KẾ HOẠCH", issuer="BỘ CÔNG AN") + (
        "Tổ chức hội nghị tập huấn\nIV. PHÂN CÔNG NHIỆM VỤ\n"
    )
    scanned = (
        "1. V03: # Chủ trì chuẩn bị nội dung hội nghị gồm: báo cáo đề dẫn; Bài phát biểu khai mạc; "
        "® Phôi hợp với C06 bố trí hội trường; # Gửi giấy mời đại biểu; 6) Chủ trì, phối hợp H01 bố trí kinh phí.\n"
        "2. C06: Chủ trì bảo đảm an ninh hội nghị; giữ trật tự. Tổ chức đón tiếp đại biểu.\n"
    )
    reading = _read_as_scanned(head + scanned + "Trên đây là Kế hoạch.\n")
    found = [(t.title, leads(t), [m.name for m in t.support]) for t in duties(reading)]
    assert found == [
        ("Chủ trì chuẩn bị nội dung hội nghị gồm: báo cáo đề dẫn; Bài phát biểu khai mạc", ["V03"], []),
        ("Phôi hợp với C06 bố trí hội trường", ["V03"], ["C06"]),  # the cue with the marks a scan slipped
        ("Gửi giấy mời đại biểu", ["V03"], []),
        ("Chủ trì, phối hợp H01 bố trí kinh phí", ["V03"], ["H01"]),
        ("Chủ trì bảo đảm an ninh hội nghị; giữ trật tự. Tổ chức đón tiếp đại biểu", ["C06"], []),  # no marks
    ]
    assert not _findings(reading, Warnings.W208)  # read apart: nothing run together to say
    assert {t.page for t in duties(reading)} == {3}  # the scan's page as their provenance
    # The same text with a text layer: its marks are what they say, one duty, and said (W208).
    reading, _ = read(head + scanned + "Trên đây là Kế hoạch.\n")
    assert [leads(t) for t in duties(reading)] == [["V03"], ["C06"]]
    assert len(_findings(reading, Warnings.W208)) == 1
    assert {t.page for t in duties(reading)} == {None}


def test_a_body_asked_to_work_with_another_in_a_scan_is_the_lead_without_the_cue() -> None:
    text = letterhead("23/KH-BCA-C06", "KẾ HOẠCH", issuer="BỘ CÔNG AN") + (
        "Tổ chức hội nghị tập huấn\nVI. TỔ CHỨC THỰC HIỆN\n"
        "2. Giao C04 phôi hợp với V01 giúp lãnh đạo Bộ theo dõi việc thực hiện Kế hoạch này.\n"
    )
    (duty,) = duties(read(text)[0])
    assert leads(duty) == ["C04"] and [m.name for m in duty.support] == ["V01"]


def test_labelled_fields_a_scan_garbled_are_still_the_items_fields() -> None:
    text = letterhead("31/KH-UBND", "KẾ HOẠCH") + (
        "Công tác dân vận năm 2026\n"
        "II. NỘI DUNG\n"
        "1. Nâng cao chất lượng tiếp công dân, cụ thể:\n"
        "a) Bố trí cán bộ có năng lực làm công tác tiếp dân\n"
        "6 b) Công khai lịch tiếp công dân tại trụ sở\n"
        "Cơ quan thực hiện: Các cơ quan, đơn vị\n"
        "Thời gian thực hiện: Thường xuyên\n"
        "2. Rà soát quy chế dân chủ ở cơ sở\n"
        "- a) Cơ quan chủ trì: Sở Nội vụ\n"
        "6 b) Cơ quan phối hợp: Sở Tư pháp\n"
        "3. Tổng kết công tác dân vận chính quyền\n"
        "a) Cơ quan chủ trì: Thanh tra tỉnh; b) Thời gian thực hiện: Quý IV/2026\n"
        "Z. Tập huấn kỹ năng dân vận cho cán bộ cấp xã\n"
        "a) Cơ quan chủ trì: Sở Nội vụ\n"
        "III. KINH PHÍ THỰC HIỆN\n"
        "Trên đây là Kế hoạch.\n"
    )
    reading, _ = read(text)
    found = [
        (t.origin, t.title.split(" ")[0], leads(t), [m.name for m in t.support], t.due.text) for t in reading.tasks
    ]
    assert found == [
        ("inline", "Nâng", ["Các cơ quan, đơn vị"], [], "Thường xuyên"),  # its fields after its contents a) b)
        ("inline", "Rà", ["Sở Nội vụ"], ["Sở Tư pháp"], ""),
        ("inline", "Tổng", ["Thanh tra tỉnh"], [], "Quý IV/2026"),  # two fields on one line
        ("inline", "Tập", ["Sở Nội vụ"], [], ""),  # its number read as "Z."
    ]


def test_an_item_with_a_time_but_no_owner_is_said() -> None:
    text = letterhead("32/KH-UBND", "KẾ HOẠCH") + (
        "Triển khai Luật Tiêu chuẩn\n"
        "II. NHIỆM VỤ\n"
        "1. Tuyên truyền, phổ biến Luật\n"
        "- Cơ quan chủ trì: Sở Khoa học và Công nghệ.\n"
        "2. Xây dựng bộ tiêu chuẩn cơ sở của tỉnh\n"
        "Thời gian thực hiện sau khi Bộ tiêu chuẩn quốc gia được công bố.\n"
        "III. KINH PHÍ\n"
        "Trên đây là Kế hoạch.\n"
    )
    reading, _ = read(text)
    assert [t.title for t in reading.tasks] == ["Tuyên truyền, phổ biến Luật"]
    unread = _findings(reading, Warnings.W206)
    assert len(unread) == 1 and "Xây dựng bộ tiêu chuẩn cơ sở của tỉnh" in unread[0]


def _pipe_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    out = "|\n".join(f"**{cell}**\n" for cell in header) + "|\n|\n"
    for row in rows:
        out += "|\n".join(f"{cell}\n" for cell in row) + "|\n|\n"
    return out


def test_a_web_tables_last_row_that_runs_into_the_next_appendix_is_read() -> None:
    header = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành")
    first = _pipe_table(
        header, [("1", "Xây dựng cơ sở dữ liệu y tế", "Sở Y tế", "Năm 2026"), ("**A.**", "**ĐOÀN THỂ**")]
    )
    last = "|\nVận động hội viên tham gia phân loại rác\n|\nHội Nông dân tỉnh\n|\nNăm 2026\n|\n"  # no "|" "|" after it
    second = "**PHỤ LỤC II**\nDANH MỤC DỰ ÁN\n|\n" + _pipe_table(
        ("STT", "Tên dự án", "Cơ quan chủ trì", "Thời gian thực hiện"),
        [("1", "Dự án nhà ở xã hội", "Sở Xây dựng", "2027")],
    )
    text = letterhead("41/KH-UBND", "KẾ HOẠCH") + "Bảo vệ môi trường\n\nPHỤ LỤC I\n|\n" + first + last + second
    reading, _ = read(text, "kh.txt")
    assert reading.document.format == "webtext"
    assert [(t.title, leads(t)) for t in reading.tasks] == [
        ("Xây dựng cơ sở dữ liệu y tế", ["Sở Y tế"]),
        ("Vận động hội viên tham gia phân loại rác", ["Hội Nông dân tỉnh"]),
        ("Dự án nhà ở xã hội", ["Sở Xây dựng"]),
    ]


def test_an_items_owner_said_in_the_sentence_below_it_leads_it_in_a_plan_only() -> None:
    body = (
        "II. NỘI DUNG\n"
        "1. Xây dựng văn bản quy định chi tiết Luật Thủ đô\n"
        "Các sở, ngành thuộc Ủy ban nhân dân tỉnh có trách nhiệm rà soát, tham mưu ban hành văn bản quy định chi "
        "tiết theo lĩnh vực phụ trách.\n"
        "2. Kiểm tra việc thi hành Luật\n"
        "- Cơ quan chủ trì: Sở Tư pháp.\n"
        "III. KINH PHÍ THỰC HIỆN\nTrên đây là Kế hoạch.\n"
    )
    reading, _ = read(letterhead("33/KH-UBND", "KẾ HOẠCH") + "Triển khai Luật Thủ đô\n" + body)
    assert [(t.origin, t.title, leads(t)) for t in reading.tasks] == [
        ("inline", "Xây dựng văn bản quy định chi tiết Luật Thủ đô", ["Các sở, ngành thuộc Ủy ban nhân dân tỉnh"]),
        ("inline", "Kiểm tra việc thi hành Luật", ["Sở Tư pháp"]),
    ]
    # after the item's contents the sentence is not the item's owner: "2. Một số chỉ tiêu" lists targets
    targets = (
        "I. MỤC TIÊU\n2. Một số chỉ tiêu cụ thể\n- 100% hồ sơ được số hóa.\n"
        "Phòng, đơn vị chủ trì phụ trách các chỉ tiêu tại Phụ lục I kèm theo.\n" + body
    )
    reading, _ = read(letterhead("36/KH-UBND", "KẾ HOẠCH") + "Triển khai Luật Thủ đô\n" + targets)
    assert [t.title for t in reading.tasks][:1] == ["Xây dựng văn bản quy định chi tiết Luật Thủ đô"]
    # in a notice the sentence is a duty of its own, as it was
    reading, _ = read(letterhead("34/TB-UBND", "THÔNG BÁO") + "Kết luận của Chủ tịch UBND tỉnh\n" + body)
    assert any(t.origin == "duty" and t.title.startswith("Các sở, ngành thuộc") for t in reading.tasks)


def test_a_periodic_duty_of_other_bodies_after_an_item_that_named_its_own_is_said() -> None:
    text = letterhead("35/QĐ-TTg", "QUYẾT ĐỊNH", issuer="THỦ TƯỚNG CHÍNH PHỦ") + (
        "Ban hành Kế hoạch chăm sóc người có công\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Bộ Y tế chủ trì hướng dẫn điều dưỡng người có công.\n"
        "Hằng năm, các bộ, ngành và Ủy ban nhân dân các tỉnh báo cáo kết quả thực hiện về Bộ Nội vụ để tổng hợp.\n"
        "Trên đây là Kế hoạch.\n"
    )
    reading, _ = read(text)
    assert [leads(t) for t in duties(reading)] == [["Bộ Y tế"]]
    unread = _findings(reading, Warnings.W206)
    assert len(unread) == 1 and "Hằng năm, các bộ, ngành và Ủy ban nhân dân các tỉnh báo cáo" in unread[0]
