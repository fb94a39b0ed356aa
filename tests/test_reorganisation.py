"""The 2025 reorganisation (issue 17, item 3): a plan of 2024 whose tasks are led by departments merged on
1 March 2025 keeps them as printed, with a dated SUCCEEDED_BY edge to the body that carries their work, and
"who owns this today" answers for the successor, saying so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plangraph.ingest.pipeline import load_paths
from plangraph.queries import run_named
from plangraph.store.embedded import EmbeddedStore
from plangraph.views import agency_tasks

PLAN_2024 = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN

Số: 77/KH-UBND

Lạng Sơn, ngày 12 tháng 6 năm 2024

KẾ HOẠCH

Chuyển đổi số tỉnh Lạng Sơn năm 2024

PHỤ LỤC

STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tXây dựng kế hoạch đầu tư công cho hạ tầng số\tSở Kế hoạch và Đầu tư\tSở Tài chính\tQuý III/2024
2\tVận hành Trung tâm giám sát an toàn thông tin\tSở Thông tin và Truyền thông\tCông an tỉnh\tNăm 2024
3\tRà soát chính sách trợ giúp xã hội trên nền tảng số\tSở Lao động - Thương binh và Xã hội\t\tNăm 2024
4\tCập nhật cơ sở dữ liệu đất đai\tSở Tài nguyên và Môi trường\t\tNăm 2024
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder = tmp_path_factory.mktemp("reorganisation")
    (folder / "ke-hoach-2024.txt").write_text(PLAN_2024, "utf-8")
    store = EmbeddedStore(folder / "graph.lbdb")
    load_paths([folder / "ke-hoach-2024.txt"], store)
    load_paths([folder / "ke-hoach-2024.txt"], store)  # a reload keeps one edge per dissolved body
    return store


def test_dissolved_departments_stay_as_printed_with_their_successors(store: EmbeddedStore) -> None:
    rows = store.run(
        "MATCH (old:Agency)-[s:SUCCEEDED_BY]->(new:Agency) RETURN old.name, new.name, s.since, s.basis, s.shared_with "
        "ORDER BY old.name"
    ).rows
    assert [tuple(r) for r in rows] == [
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính", date(2025, 3, 1), "45/2025/NĐ-CP", None),
        ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ", date(2025, 3, 1), "45/2025/NĐ-CP",
         "Sở Y tế, Sở Giáo dục và Đào tạo"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", date(2025, 3, 1), "45/2025/NĐ-CP", None),
        ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường", date(2025, 3, 1), "45/2025/NĐ-CP", None),
    ]  # fmt: skip
    led = store.run("MATCH (t:Task)-[l:LED_BY]->(a:Agency) RETURN t.ref, a.name, l.mention ORDER BY t.ref").rows
    assert [r[1] for r in led] == [
        "Sở Kế hoạch và Đầu tư",
        "Sở Thông tin và Truyền thông",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Tài nguyên và Môi trường",
    ]  # the owner as printed stays on every edge


def test_who_owns_this_today(store: EmbeddedStore) -> None:
    rows = run_named(store, "tasks-owned-today", {"agency": "Sở Tài chính", "jurisdiction": "Lạng Sơn"}).records()
    assert [(r["ref"], r["agency"], r["as_printed"], r["succeeded_on"], r["basis"]) for r in rows] == [
        ("1", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", date(2025, 3, 1), "45/2025/NĐ-CP")
    ]
    science = run_named(store, "tasks-owned-today", {"agency": "Khoa học và Công nghệ", "jurisdiction": ""}).records()
    assert [(r["task"], r["as_printed"]) for r in science] == [
        ("Vận hành Trung tâm giám sát an toàn thông tin", "Sở Thông tin và Truyền thông")
    ]


PLAN_YEN_BAI = """ỦY BAN NHÂN DÂN TỈNH YÊN BÁI

Số: 45/KH-UBND

Yên Bái, ngày 3 tháng 4 năm 2024

KẾ HOẠCH

Cải cách hành chính tỉnh Yên Bái năm 2024

PHỤ LỤC

STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tRà soát thủ tục hành chính nội bộ\tSở Nội vụ\tSở Tư pháp\tQuý II/2024
2\tXây dựng danh mục dự án đầu tư công trung hạn\tSở Kế hoạch và Đầu tư\t\tQuý IV/2024
"""


def test_a_merged_provinces_plan_is_owned_by_its_successor_today(tmp_path: Path) -> None:
    # Yên Bái was merged into Lào Cai on 1 July 2025 (Nghị quyết 202/2025/QH15): its 2024 plan stays Yên Bái's,
    # its bodies as printed, and today's Sở Nội vụ and Sở Tài chính of Lào Cai own its tasks.
    (tmp_path / "yen-bai-2024.txt").write_text(PLAN_YEN_BAI, "utf-8")
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    load_paths([tmp_path / "yen-bai-2024.txt"], store)
    plan = store.run("MATCH (p:Plan) RETURN p.province, p.jurisdiction, p.province_code").rows
    assert [tuple(r) for r in plan] == [("Yên Bái", "tỉnh Yên Bái", "15")]  # the code in force: Lào Cai's
    home = run_named(store, "tasks-owned-today", {"agency": "Sở Nội vụ", "jurisdiction": "Lào Cai"}).records()
    assert [(r["ref"], r["jurisdiction"], r["printed_in"], r["succeeded_on"], r["basis"]) for r in home] == [
        ("1", "tỉnh Lào Cai", "tỉnh Yên Bái", date(2025, 7, 1), "202/2025/QH15")
    ]
    # Two changes: Sở Kế hoạch và Đầu tư (merged into Sở Tài chính on 1 March 2025) of Yên Bái (into Lào Cai).
    money = run_named(store, "tasks-owned-today", {"agency": "Sở Tài chính", "jurisdiction": "Lào Cai"}).records()
    assert [(r["ref"], r["agency"], r["as_printed"], r["printed_in"]) for r in money] == [
        ("2", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "tỉnh Yên Bái")
    ]
    # GET /agencies/{id}/tasks (who owns what) answers for today's body, saying whom each task was given to.
    owned = agency_tasks(store, "tinh-lao-cai/so-tai-chinh")
    tasks = [task for group in owned["groups"] for task in group["tasks"]]
    assert [(t["ref"], t["given_to"], t["succeeded_on"]) for t in tasks] == [
        ("2", {"name": "Sở Kế hoạch và Đầu tư", "jurisdiction": "tỉnh Yên Bái"}, "2025-03-01")
    ]
    assert [p["name"] for p in owned["succeeds"]] == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    # No body is invented: the dissolved Sở Kế hoạch và Đầu tư has no copy in Lào Cai.
    copies = store.run("MATCH (a:Agency) WHERE a.name = 'Sở Kế hoạch và Đầu tư' RETURN a.jurisdiction").rows
    assert [r[0] for r in copies] == ["tỉnh Yên Bái"]
    store.close()
