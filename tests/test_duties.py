"""Agency duties and inline labelled tasks (issue 16, items 3, 4 and 6), family by family: each rule on a
synthetic plan whose wording differs from the corpus (labels reworded, markers changed, lines wrapped
elsewhere), and a hypothesis round-trip that renders random duty sections in the web and markdown layouts and
reads them back."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraph.api.app import create_app
from plangraph.errors import FormatError
from plangraph.ingest.pipeline import load_paths, read_document
from plangraph.ingest.reading import read_bytes
from plangraph.model import Interpretation, TaskRecord
from plangraph.settings import Settings
from plangraph.store.embedded import EmbeddedStore

HEADER = "**ỦY BAN NHÂN DÂN TỈNH NGHỆ AN**\n\nSố: 77/KH-UBND\n\n*Nghệ An, ngày 3 tháng 11 năm 2025*\n\n**KẾ HOẠCH**\n\n"
HEADER += "**Triển khai công tác bảo vệ bí mật nhà nước**\n\n"
CLOSING = "\n\nTrên đây là Kế hoạch của Ủy ban nhân dân tỉnh.\n\nNơi nhận:\n- Như trên;\n"


# The letterhead as a web page's extractor prints it (pipe cells): the document then reads as the web family,
# whose running text is wrapped anywhere.
WEB_HEADER = (
    "|\n**ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN**\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n|\n|\nSố: 77/KH-UBND\n|\n"
    "*Nghệ An, ngày 3 tháng 11\nnăm 2025*\n|\n\n**KẾ HOẠCH**\n\n**Triển khai công tác bảo vệ bí mật nhà nước**\n\n"
)


def read(body: str, header: str = HEADER) -> Interpretation:
    return read_document(read_bytes((header + body + CLOSING).encode("utf-8"), "plan.txt"))[0]


def duties(reading: Interpretation) -> list[TaskRecord]:
    return [t for t in reading.tasks if t.origin == "duty"]


def names(mentions: tuple) -> list[str]:  # type: ignore[type-arg]
    return [m.name for m in mentions]


@pytest.mark.parametrize(
    "title", ["TỔ CHỨC THỰC HIỆN", "TRÁCH NHIỆM CỦA CÁC CƠ QUAN, ĐƠN VỊ", "PHÂN CÔNG NHIỆM VỤ", "NHIỆM VỤ CỤ THỂ"]
)
@pytest.mark.parametrize("marker", ["a) ", "b) ", "- ", "+ ", ""])
def test_duties_under_a_body_heading_whatever_the_section_title_and_marker(title: str, marker: str) -> None:
    body = (
        f"**III. {title}**\n\n**1. Sở Tài chính**\n\n{marker}Chủ trì, phối hợp với Sở Tư pháp và các cơ quan liên"
        f"\nquan bố trí kinh phí thực hiện Kế hoạch.\n\n{marker.replace('a', 'b')}Hướng dẫn các đơn vị thanh"
        " quyết toán kinh phí theo quy định.\n\n**2. Công an tỉnh**\n\nChủ trì theo dõi, đôn đốc việc thực"
        " hiện; định kỳ hằng quý báo cáo Ủy ban nhân dân tỉnh."
    )
    found = duties(read(body))
    assert [t.title[:24] for t in found] == [
        "Chủ trì, phối hợp với Sở",
        "Hướng dẫn các đơn vị tha",
        "Chủ trì theo dõi, đôn đố",
    ]
    assert [names(t.lead) for t in found] == [["Sở Tài chính"], ["Sở Tài chính"], ["Công an tỉnh"]]
    assert names(found[0].support) == ["Sở Tư pháp", "các cơ quan liên quan"]
    assert found[2].due.text == "định kỳ hằng quý" and found[2].due.recurrence


@pytest.mark.parametrize(
    ("sentence", "lead", "requested"),
    [
        ("Giao Sở Nội vụ chủ trì tổng hợp kết quả thực hiện", ["Sở Nội vụ"], False),
        ("Bộ Công Thương chủ trì, hướng dẫn các địa phương thực hiện", ["Bộ Công Thương"], False),
        ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tuyên truyền, vận động",
         ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"], True),
        ("Căn cứ Kế hoạch này, các sở, ban, ngành và UBND các xã, phường xây dựng kế hoạch cụ thể",
         ["các sở, ban, ngành", "UBND các xã, phường"], False),
        ("Đồng thời, giao Văn phòng UBND tỉnh theo dõi, đôn đốc", ["Văn phòng UBND tỉnh"], False),
    ],
)  # fmt: skip
def test_duty_named_by_its_own_sentence_in_an_assigning_section(
    sentence: str, lead: list[str], requested: bool
) -> None:
    found = duties(read(f"**IV. TỔ CHỨC THỰC HIỆN**\n\n1. {sentence} trước ngày 15/12/2025."))
    assert len(found) == 1
    assert names(found[0].lead) == lead
    assert found[0].requested is requested
    assert found[0].due.text == "trước ngày 15/12/2025"


def test_duty_sentences_outside_assigning_sections_are_not_tasks() -> None:
    # Measures with no owner and topic headings ("Doanh nghiệp số") are not duties; a body's heading is.
    body = (
        "**II. NHIỆM VỤ, GIẢI PHÁP**\n\n**1. Doanh nghiệp số**\n\n- Phát triển các doanh nghiệp số là lực đẩy.\n\n"
        "2. Các sở, ngành tổ chức quán triệt Kế hoạch.\n\n**3. Sở Y tế**\n\n- Chủ trì triển khai tiêm chủng."
    )
    found = duties(read(body))
    assert [(t.title, names(t.lead)) for t in found] == [("Chủ trì triển khai tiêm chủng", ["Sở Y tế"])]


def test_duty_introductions_and_generic_closing_lines() -> None:
    body = (
        "**IV. TỔ CHỨC THỰC HIỆN**\n\n"
        "a) Ủy ban nhân dân các xã, phường thực hiện các nhiệm vụ sau:\n\n- Rà soát danh sách hộ nghèo.\n\n"
        "- Tổ chức tuyên truyền tại cơ sở.\n\n**2. Công an tỉnh**\n\n"
        "a) Chủ trì, phối hợp\n\n- Sở Tài chính tham mưu bố trí kinh phí.\n\n- Sở Nội vụ tham mưu khen thưởng.\n\n"
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan báo cáo Ủy ban nhân dân tỉnh."
    )
    found = duties(read(body))
    assert [t.title for t in found] == [
        "Rà soát danh sách hộ nghèo",
        "Tổ chức tuyên truyền tại cơ sở",
        "Sở Tài chính tham mưu bố trí kinh phí",
        "Sở Nội vụ tham mưu khen thưởng",
    ]  # the introductions are not duties, nor is the closing line
    assert names(found[0].lead) == ["Ủy ban nhân dân các xã, phường"]
    # "Chủ trì, phối hợp" / "- Sở Tài chính …": the body leads, each item names its partner.
    assert [(names(t.lead), names(t.support)) for t in found[2:]] == [
        (["Công an tỉnh"], ["Sở Tài chính"]),
        (["Công an tỉnh"], ["Sở Nội vụ"]),
    ]


@pytest.mark.parametrize(
    ("lead_label", "support_label", "due_label"),
    [
        ("Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"),
        ("Đơn vị chủ trì thực hiện", "Đơn vị phối hợp", "Thời hạn ban hành"),
        ("Đơn vị chủ trì tham mưu thực hiện", "Phối hợp", "Tiến độ thực hiện"),
        ("Cơ quan thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện"),
    ],
)
@pytest.mark.parametrize("item", ["**1. Tập huấn nghiệp vụ cho cán bộ**", "a) Tập huấn nghiệp vụ cho cán bộ"])
def test_inline_tasks_with_any_wording_of_the_labels(
    item: str, lead_label: str, support_label: str, due_label: str
) -> None:
    body = (
        f"**II. NỘI DUNG**\n\n{item}\n\n- {lead_label}: Sở Nội vụ chủ trì; Sở Giáo dục và Đào tạo.\n\n"
        f"- {support_label}: Sở Tài chính, Bảo hiểm xã hội tỉnh.\n\n- {due_label}: Quý I năm 2026."
    )
    found = [t for t in read(body).tasks if t.origin == "inline"]
    assert len(found) == 1 and not duties(read(body))
    task = found[0]
    assert task.title == "Tập huấn nghiệp vụ cho cán bộ"  # the item, never the label
    assert names(task.lead) == ["Sở Nội vụ", "Sở Giáo dục và Đào tạo"]
    assert names(task.support) == ["Sở Tài chính", "Bảo hiểm xã hội tỉnh"]
    assert task.due.text == "Quý I năm 2026"


def test_inline_task_with_a_bare_number_takes_its_title_from_the_next_line() -> None:
    body = "**II. NỘI DUNG**\n\n**1.**\n\nTổ chức phổ biến Luật.\n\n- Cơ quan thực hiện: Sở Tư pháp.\n"
    (task,) = [t for t in read(body).tasks if t.origin == "inline"]
    assert (task.title, names(task.lead)) == ("Tổ chức phổ biến Luật", ["Sở Tư pháp"])


# -- round trip ---------------------------------------------------------------------------------------------

BODIES = ["Sở Tài chính", "Sở Nội vụ", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Sở Y tế", "Ban Dân tộc tỉnh",
          "Ủy ban nhân dân các xã, phường", "Sở Giáo dục và Đào tạo", "Văn phòng Ủy ban nhân dân tỉnh"]  # fmt: skip
PARTNERS = ["Sở Tư pháp", "các cơ quan, đơn vị có liên quan", "Sở Xây dựng", "Ủy ban nhân dân các xã, phường"]
ACTIONS = ["Chủ trì tham mưu Ủy ban nhân dân tỉnh ban hành quy chế phối hợp", "Tăng cường kiểm tra việc thực hiện",
           "Tổ chức tập huấn nghiệp vụ cho cán bộ làm công tác", "Rà soát, cập nhật cơ sở dữ liệu của ngành",
           "Hướng dẫn các địa phương triển khai thực hiện nhiệm vụ"]  # fmt: skip


@dataclass
class Duty:
    body: str
    action: str
    partner: str | None


def render(section: list[tuple[str, list[Duty]]], marker: str, web: bool, rng: random.Random) -> str:
    """A duty section as the web extractor (wrapped lines, bold headings split) or a markdown file prints it."""

    def wrap(text: str) -> str:
        words = text.split()
        if not web or len(words) < 4:
            return text
        cut = rng.randrange(1, len(words) - 1)
        return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])

    out = ["**III. PHÂN CÔNG NHIỆM VỤ**"]
    for n, (body, items) in enumerate(section, start=1):
        out.append(wrap(f"**{n}. {body}**"))
        for k, duty in enumerate(items):
            mark = {"letter": f"{'abcdeg'[k]}) ", "dash": "- ", "none": ""}[marker]
            partner = f", phối hợp với {duty.partner} để thực hiện" if duty.partner else ""
            out.append(wrap(f"{mark}{duty.action}{partner}."))
    return "\n\n".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(BODIES),
            st.lists(
                st.tuples(st.sampled_from(ACTIONS), st.none() | st.sampled_from(PARTNERS)), min_size=1, max_size=4
            ),
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda x: x[0],
    ),
    st.sampled_from(["letter", "dash", "none"]),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_properties_duty_sections_round_trip(
    spec: list[tuple[str, list[tuple[str, str | None]]]], marker: str, web: bool, rng: random.Random
) -> None:
    section = [(body, [Duty(body, a, p if p != body else None) for a, p in items]) for body, items in spec]
    reading = read(render(section, marker, web, rng), WEB_HEADER if web else HEADER)
    assert reading.document.format == ("webtext" if web else "markdown")
    found = duties(reading)
    expected = [duty for _, items in section for duty in items]
    assert len(found) == len(expected)
    for task, duty in zip(found, expected, strict=True):
        assert task.title.startswith(duty.action)
        assert names(task.lead) == [duty.body]
        assert names(task.support) == ([duty.partner] if duty.partner else [])


# -- origin in the API --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("duties")
    plan = path / "plan.txt"
    plan.write_text(
        HEADER
        + "**II. NỘI DUNG**\n\na) Tập huấn nghiệp vụ\n\n- Cơ quan chủ trì: Sở Nội vụ.\n\n"
        + "**III. TỔ CHỨC THỰC HIỆN**\n\n1. Giao Sở Nội vụ chủ trì tổng hợp kết quả.\n\n"
        + "2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tuyên truyền, vận động Nhân dân."
        + CLOSING,
        "utf-8",
    )
    store = EmbeddedStore(path / "graph.lbdb")
    load_paths([plan], store)
    store.close()
    settings = Settings(backend="embedded", store=path / "graph.lbdb", api_key="k", upload_dir=path / "uploads")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_api_tasks_filter_by_origin_and_mark_requests(client: TestClient) -> None:
    duty = client.get("/tasks", params={"origin": "duty"}).json()
    assert [(t["title"], t["origin"], t["requested"]) for t in duty["items"]] == [
        ("Giao Sở Nội vụ chủ trì tổng hợp kết quả", "duty", False),
        ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tuyên truyền, vận động Nhân dân", "duty", True),
    ]
    inline = client.get("/tasks", params={"origin": "inline"}).json()
    assert [t["title"] for t in inline["items"]] == ["Tập huấn nghiệp vụ"]
    assert client.get("/tasks", params={"origin": "prose"}).status_code == 422
    rows = client.get("/queries/tasks-led-by", params={"agency": "Sở Nội vụ", "origin": "duty"}).json()
    assert [r["origin"] for r in rows["rows"]] == ["duty"]


def test_bold_heading_naming_a_body_whose_name_holds_a_verb() -> None:
    # 987/KH-UBND §IV.5: "Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp" is a body, not a sentence.
    body = (
        "**IV. TỔ CHỨC THỰC HIỆN**\n\n**5. Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp**\n\n"
        "- Tạo điều kiện về mặt bằng cho việc lắp đặt thiết bị 5G.\n\n- Đầu tư hạ tầng bảo đảm triển khai IoT."
    )
    found = duties(read(body))
    assert [names(t.lead) for t in found] == [["Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp"]] * 2


def test_request_to_many_bodies_is_one_duty_of_them_all() -> None:
    bodies = [
        "Văn phòng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh", "Thuế tỉnh", "Kiểm toán nhà nước khu vực II",
        "Kho bạc nhà nước khu vực XI", "Ngân hàng nhà nước khu vực 8", "Chi cục Hải quan khu vực XI",
    ]  # fmt: skip
    found = duties(read(f"**III. PHÂN CÔNG NHIỆM VỤ**\n\n6. Đề nghị {', '.join(bodies)} tăng cường công tác bảo mật."))
    assert len(found) == 1 and found[0].requested
    assert names(found[0].lead) == bodies


def test_a_document_that_is_not_a_plan_is_refused_with_the_reason() -> None:
    # "plangraph load README.md" made a draft plan of the README (issue 18, item 6).
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_bytes()
    with pytest.raises(FormatError, match="not a plan"):
        read_document(read_bytes(readme, "README.md"))
