"""Duties assigned in the text of a plan (not its tables) become tasks of the body named."""

from __future__ import annotations

import pytest

from plangraph.model import Interpretation
from tests.conftest import task

PROSE_CASES = [
    # (sample, ref, lead as printed, accountable, title starts with) — line in the comment
    (
        "002",
        "§III.2.2",
        "phòng Chuyển đổi số",
        None,
        "Chủ trì theo dõi, đôn đốc việc triển khai Chương trình hành động của Chính phủ",
    ),  # "2. Giao phòng Chuyển đổi số", line 143
    (
        "002",
        "§III.3",
        "phòng Khoa học và Công nghệ",
        None,
        "Chủ trì theo dõi, tham mưu thực hiện hướng dẫn",
    ),  # line 149
    ("002", "§III.4", "Văn phòng", None, "Văn phòng Sở triển khai kế hoạch này"),  # "4. Giao Văn phòng: …", line 151
    ("002", "§III.5", "Ban Giám đốc Sở", None, "Ban Giám đốc Sở thường xuyên chỉ đạo"),  # line 153
    ("002", "§III.1.1", "Các phòng, đơn vị thuộc Sở", None, "Tăng cường vai trò, trách nhiệm người đứng đầu"),
    (
        "004",
        "§II.1.a",
        "các Tổ công tác của Ban Chỉ đạo tỉnh",
        "Tổ trưởng",
        "Tổ trưởng các Tổ công tác của Ban Chỉ đạo tỉnh theo chức năng",
    ),  # line 29, continued on line 31
    ("004", "§III.2.2", "Sở Khoa học và Công nghệ", None, "Chủ trì cập nhật số liệu lên Hệ thống thông tin giám sát"),
    (
        "004",
        "§III.3.1",
        "Công an tỉnh",
        None,
        "Chủ trì tham mưu triển khai và đôn đốc việc thực hiện các nhiệm vụ của Đề án 06",
    ),
    ("004", "§III.5.2", "Ủy ban nhân dân các xã, phường", None, "Duy trì chế độ báo cáo định kỳ và đột xuất"),
]


@pytest.mark.parametrize(("sample", "ref", "lead", "accountable", "title"), PROSE_CASES)
def test_prose_duty_is_a_task_of_the_body(
    samples: dict[str, Interpretation], sample: str, ref: str, lead: str, accountable: str | None, title: str
) -> None:
    t = task(samples[sample], ref)
    assert [a.name for a in t.lead] == [lead]
    assert t.accountable == accountable
    assert t.title.startswith(title)


def test_prose_mandate_named_in_a_duty_is_implemented(samples: dict[str, Interpretation]) -> None:
    # "Chủ trì theo dõi, đôn đốc việc triển khai Chương trình hành động của Chính phủ thực hiện
    # Nghị quyết số 57-NQ/TW …" (002 line 143) and "… các nhiệm vụ của Đề án 06" (004 line 93).
    assert [r.id for r in task(samples["002"], "§III.2.2").implements] == ["57-NQ/TW"]
    assert [r.id for r in task(samples["004"], "§III.3.1").implements] == ["06/QĐ-TTg"]


def test_prose_item_continued_on_next_paragraph(samples: dict[str, Interpretation]) -> None:
    assert "tiếp tục triển khai, thực hiện các nhiệm vụ của Đề án 06 năm 2025" in task(samples["004"], "§II.1.a").title
    assert task(samples["004"], "§III.1.1").title.endswith("tại các Phụ lục kèm theo Kế hoạch này")


def test_prose_pointers_to_appendices_and_closing_lines_are_not_tasks(samples: dict[str, Interpretation]) -> None:
    refs = {t.ref for t in samples["004"].tasks}
    assert "§II.1.b" not in refs and "§II.1.c" not in refs  # "(Phụ lục số I kèm theo)"
    assert not any(t.title.startswith("Trên đây") for t in samples["004"].tasks)
