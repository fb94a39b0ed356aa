"""Plans as a web page's text extractor prints them (tests/data/web): the rules of the family, one by one."""

from __future__ import annotations

from pathlib import Path

from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import read_bytes, read_file
from plangraph.model import Interpretation

DECISION = "quyet-dinh-2530-qd-ttg-2025-ke-hoach-khac-phuc-o-nhiem-moi-t.txt"
LETTERHEAD = "**ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH**\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n|\n|\nSố: 144/KH-UBND\n|\n"


def read(text: str) -> Interpretation:
    return read_document(read_bytes(text.encode("utf-8"), "plan.txt"))[0]


def table(header: list[str], *rows: list[str]) -> str:
    lines = ["**PHỤ LỤC**", "|"]
    lines += "\n|\n".join(f"**{h}**" for h in header).split("\n") + ["|", "|"]
    for row in rows:
        lines += "\n|\n".join(row).split("\n") + ["|", "|"]
    return "\n".join(lines) + "\n\nNơi nhận:\n- Như trên;\n"


def test_webtext_rows_with_fewer_cells_continue_the_row_above() -> None:
    # 2530/QĐ-TTg Phụ lục I: a number, lead and support span the sub-rows, each sub-row its own task.
    text = LETTERHEAD + table(
        ["STT", "Cơ quan chủ trì", "Cơ quan phối hợp", "Nội dung nhiệm vụ", "Thời hạn hoàn thành"],
        ["1", "Bộ Nông nghiệp và Môi\ntrường", "- Bộ Xây dựng;\n- Bộ Công Thương.", "- Hoàn thiện Nghị định về xử\nlý vi phạm.", "Quý I năm 2026"],
        ["- Rà soát hướng dẫn kỹ thuật về hệ số phát thải.", "Giai đoạn 2026 - 2027"],
    )  # fmt: skip
    reading = read(text)
    assert reading.document.format == "webtext"
    titles = [t.title for t in reading.tasks]
    assert titles == ["- Hoàn thiện Nghị định về xử lý vi phạm.", "- Rà soát hướng dẫn kỹ thuật về hệ số phát thải."]
    second = reading.tasks[1]
    assert [m.name for m in second.lead] == ["Bộ Nông nghiệp và Môi trường"]
    assert {m.name for m in second.support} == {"Bộ Xây dựng", "Bộ Công Thương"}
    assert second.due.text == "Giai đoạn 2026 - 2027"
    assert second.line > reading.tasks[0].line  # each row keeps the line of its first cell


def test_webtext_letter_codes_are_parts_not_tasks() -> None:
    # "**A.** | **BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG**": a part whose numbering restarts, never a task without a title.
    text = LETTERHEAD + table(
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện"],
        ["**A.**", "**BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG**"],
        ["1", "Xây dựng quy chế phối hợp liên vùng", "Bộ Nông nghiệp và Môi trường", "Năm 2026"],
        ["**B.**", "**BỘ XÂY DỰNG**"],
        ["1", "Ban hành quy chuẩn vật liệu xây dựng", "Bộ Xây dựng", "Năm 2027"],
    )
    reading = read(text)
    assert [t.ref for t in reading.tasks] == ["A.1", "B.1"]
    assert all(t.title for t in reading.tasks)


def test_webtext_targets_beside_a_task_column_are_the_tasks_target() -> None:
    # "Chỉ tiêu đạt được" next to "Nội dung nhiệm vụ" is each task's target, not an indicator table.
    text = LETTERHEAD + table(
        ["STT", "Nội dung nhiệm vụ", "Chỉ tiêu đạt được", "Cơ quan chủ trì"],
        ["1", "Hoàn thiện Nghị định", "Nghị định được ban hành", "Bộ Nông nghiệp và Môi trường"],
    )
    reading = read(text)
    assert len(reading.tasks) == 1 and not reading.indicators
    assert reading.tasks[0].products == "Nghị định được ban hành"


def test_webtext_targets_given_to_owners_are_tasks_and_measures_stay_indicators() -> None:
    # 144/KH-UBND Phụ lục: "TT | Chỉ tiêu | Chủ trì" gives each target to an agency: tasks.
    owned = read(LETTERHEAD + table(["TT", "Chỉ tiêu", "Chủ trì"], ["1", "Kinh tế số chiếm 40% GRDP", "Sở Tài chính"]))
    assert [t.title for t in owned.tasks] == ["Kinh tế số chiếm 40% GRDP"] and not owned.indicators
    # With a unit column it is a table of measures (002's "Chỉ tiêu | Đơn vị tính | Kết quả"): indicators.
    measured = read(
        LETTERHEAD
        + table(["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Chủ trì"], ["1", "Hồ sơ số hóa", "%", "100", "Sở Nội vụ"])
    )
    assert not measured.tasks and len(measured.indicators) == 1


def test_webtext_the_name_column_is_the_task_when_two_columns_could_be() -> None:
    # 2530/QĐ-TTg Phụ lục II: "Tên dự án, nhiệm vụ" | "Nội dung chính": the name is the task.
    text = LETTERHEAD + table(
        ["STT", "Tên dự án, nhiệm vụ", "Nội dung chính", "Cơ quan chủ trì"],
        ["1", "Xây dựng Hệ thống cảnh báo", "- Yêu cầu: vận hành liên tục", "Bộ Nông nghiệp và Môi trường"],
    )
    reading = read(text)
    assert [t.title for t in reading.tasks] == ["Xây dựng Hệ thống cảnh báo"]
    assert "Yêu cầu: vận hành liên tục" in reading.tasks[0].source_text  # kept as printed


def test_webtext_a_wrapped_letterhead_cell_is_one_paragraph() -> None:
    # The nine other web plans print only their letterhead in pipe cells: the number, the place and the date
    # wrapped over two lines in italics ("*Bắc Ninh, ngày 24" / "tháng 11 năm 2025*").
    text = (
        LETTERHEAD
        + "*Bắc Ninh, ngày 24\ntháng 11 năm 2025*\n|\n|\n** **\n|\n\n**KẾ HOẠCH**\n**Phát triển kinh tế số**\n"
    )
    reading = read(text)
    assert reading.document.format == "webtext"
    assert reading.plan.code == "144/KH-UBND" and str(reading.plan.issued_on) == "2025-11-24"


def test_webtext_plain_markdown_is_not_this_family() -> None:
    # A markdown plan without pipe cells (sample 004) stays with the markdown family.
    from tests.conftest import SAMPLE_FILES, SAMPLES

    reading = read((SAMPLES / SAMPLE_FILES["004"]).read_text("utf-8"))
    assert reading.document.format == "markdown"


def test_webtext_group_row_after_an_empty_cell_is_a_group_not_a_continuation() -> None:
    # 144/KH-UBND Phụ lục: "| | |" then "**I. Kinh tế số**" alone: a group row, never a copy of the row above.
    text = LETTERHEAD + table(
        ["TT", "Chỉ tiêu", "Chủ trì"],
        ["1", "Kinh tế số chiếm 45% GRDP tỉnh.", "Sở Tài chính"],
    ).replace(
        "Sở Tài chính\n|\n|\n",
        "Sở Tài chính\n|\n|\n|\n**II. Xã\nhội số**\n|\n|\n|\n1\n|\nTỷ lệ phủ sóng 5G.\n|\nSở Khoa học và Công nghệ\n|\n|\n",
    )
    reading = read(text)
    assert [t.ref for t in reading.tasks] == ["1", "II.1"]
    assert reading.tasks[1].section_title == "Xã hội số"


def test_webtext_page_footer_and_footnotes_after_a_table_are_not_rows() -> None:
    # 2530/QĐ-TTg: no blank line after the last row; the footnote runs on as a ninth cell, and the site's
    # footer prints label and value cells ("**Địa chỉ:** | 17 Nguyễn Gia Thiều …").
    text = LETTERHEAD + table(
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì"],
        ["1", "Quan trắc không khí", "Bộ Nông nghiệp và Môi trường"],
    ).replace(
        "Bộ Nông nghiệp và Môi trường\n|\n|\n",
        "Bộ Nông nghiệp và Môi trường\n|\n[1] Tại phần 2 Nhiệm vụ\n|\n|\n|\n|\n**Địa chỉ:**\n|\n17 Nguyễn Gia Thiều\n"
        "|\n**Điện thoại:**\n|\n(028) 3930 3279\n|\n|\nTP. HCM, ngày 31/05/2021\n|\n|\n",
    )
    reading = read(text)
    assert [(t.ref, t.title, [m.name for m in t.lead]) for t in reading.tasks] == [
        ("1", "Quan trắc không khí", ["Bộ Nông nghiệp và Môi trường"])
    ]


def test_webtext_a_decision_carries_the_plan_it_approves() -> None:
    # 2530/QĐ-TTg: the Quyết định approves the national action plan; the plan is one Plan with both titles.
    reading = read_document(read_file(Path(__file__).parent / "data" / "web" / DECISION))[0]
    plan = reading.plan
    assert (plan.kind, plan.code, plan.level, plan.issuer) == (
        "Quyết định",
        "2530/QĐ-TTg",
        "national",
        "Thủ tướng Chính phủ",
    )
    assert plan.title.startswith("PHÊ DUYỆT KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA")
    assert plan.carried_plan.startswith("KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA VỀ KHẮC PHỤC Ô NHIỄM")
    assert read(LETTERHEAD + table(["TT", "Nội dung", "Chủ trì"], ["1", "Rà soát", "Sở Y tế"])).plan.carried_plan == ""
