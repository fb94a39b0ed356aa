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


PLAN_SON_TINH = """UBND TỈNH QUẢNG NGÃI
ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH

Số: 112/KH-UBND

Sơn Tịnh, ngày 20 tháng 5 năm 2024

KẾ HOẠCH

Thực hiện Đề án 06 trên địa bàn huyện Sơn Tịnh năm 2024

PHỤ LỤC

STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tLàm sạch dữ liệu dân cư trên địa bàn huyện\tCông an huyện\tUBND các xã, thị trấn\tQuý III/2024
2\tTriển khai thanh toán không dùng tiền mặt tại chợ Tịnh Hà\tUBND thị trấn Tịnh Hà\tPhòng Tài chính - Kế hoạch\tNăm 2024
3\tSố hóa hồ sơ thủ tục hành chính của huyện\tVăn phòng HĐND và UBND huyện\tPhòng Nội vụ\tQuý IV/2024
4\tChỉ đạo, đôn đốc thực hiện kế hoạch\tUBND huyện Sơn Tịnh\t\tNăm 2024
"""


@pytest.fixture(scope="module")
def district_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder = tmp_path_factory.mktemp("district")
    (folder / "son-tinh-2024.txt").write_text(PLAN_SON_TINH, "utf-8")
    store = EmbeddedStore(folder / "graph.lbdb")
    report = load_paths([folder / "son-tinh-2024.txt"], store)
    assert report.documents[0].agency_mentions_resolved == report.documents[0].agency_mentions
    return store


def test_a_district_plan_stays_the_districts(district_store: EmbeddedStore) -> None:
    # Districts were abolished on 1 July 2025 (Luật Tổ chức chính quyền địa phương 72/2025/QH15): a plan of 2024
    # by UBND huyện Sơn Tịnh is a district plan, in its district, its province's code the one in force.
    plan = district_store.run("MATCH (p:Plan) RETURN p.id, p.level, p.jurisdiction, p.province_code, p.commune_code")
    assert [tuple(r) for r in plan.rows] == [
        ("112/KH-UBND@huyen-son-tinh-tinh-quang-ngai@2024", "district", "huyện Sơn Tịnh, tỉnh Quảng Ngãi", "51", None)
    ]
    bodies = district_store.run(
        "MATCH (a:Agency) WHERE a.level = 'district' RETURN a.name, a.jurisdiction, a.is_group ORDER BY a.name"
    ).rows
    assert [r[0] for r in bodies] == [
        "Công an huyện",
        "Phòng Nội vụ",
        "Phòng Tài chính - Kế hoạch",
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện",
        "Ủy ban nhân dân các xã, phường",
        "Ủy ban nhân dân huyện Sơn Tịnh",
    ]
    assert {r[1] for r in bodies} == {"huyện Sơn Tịnh, tỉnh Quảng Ngãi"}


def test_a_district_and_its_communes_are_succeeded_by_the_communes_formed_from_them(
    district_store: EmbeddedStore,
) -> None:
    rows = district_store.run(
        "MATCH (old:Agency)-[s:SUCCEEDED_BY]->(new:Agency) "
        "RETURN old.name, old.jurisdiction, new.jurisdiction, new.commune_code, s.since, s.basis ORDER BY new.commune_code"
    ).rows
    district = [tuple(r[2:]) for r in rows if r[0] == "Ủy ban nhân dân huyện Sơn Tịnh"]
    assert district == [  # the communes its territory went to (the vietnamadminunits converter)
        ("xã Thọ Phong, tỉnh Quảng Ngãi", "21181", date(2025, 7, 1), "72/2025/QH15"),
        ("xã Trường Giang, tỉnh Quảng Ngãi", "21196", date(2025, 7, 1), "72/2025/QH15"),
        ("xã Ba Gia, tỉnh Quảng Ngãi", "21205", date(2025, 7, 1), "72/2025/QH15"),
        ("xã Sơn Tịnh, tỉnh Quảng Ngãi", "21220", date(2025, 7, 1), "72/2025/QH15"),
    ]
    # The former town keeps its name and district; it went whole into xã Sơn Tịnh (no basis: each province's
    # rearrangement has its own resolution, which the register does not carry).
    town = [tuple(r[1:]) for r in rows if r[1].startswith("thị trấn")]
    assert town == [
        ("thị trấn Tịnh Hà, huyện Sơn Tịnh, tỉnh Quảng Ngãi", "xã Sơn Tịnh, tỉnh Quảng Ngãi", "21220",
         date(2025, 7, 1), None)
    ]  # fmt: skip
    # The district's own communes are the members of its "UBND các xã, thị trấn", not those formed later.
    members = district_store.run("MATCH (a:Agency)-[:MEMBER_OF]->(g:Agency) RETURN a.jurisdiction").rows
    assert [r[0] for r in members] == ["thị trấn Tịnh Hà, huyện Sơn Tịnh, tỉnh Quảng Ngãi"]


def test_who_owns_a_district_plans_tasks_today(district_store: EmbeddedStore) -> None:
    rows = run_named(
        district_store, "tasks-owned-today", {"agency": "Ủy ban nhân dân xã", "jurisdiction": "xã Sơn Tịnh"}
    ).records()
    assert [(r["ref"], r["as_printed"], r["printed_in"], r["basis"]) for r in rows] == [
        ("2", "Ủy ban nhân dân xã", "thị trấn Tịnh Hà, huyện Sơn Tịnh, tỉnh Quảng Ngãi", None),
        ("4", "Ủy ban nhân dân huyện Sơn Tịnh", "huyện Sơn Tịnh, tỉnh Quảng Ngãi", "72/2025/QH15"),
    ]


PLAN_NATIONAL_2024 = """THỦ TƯỚNG CHÍNH PHỦ

Số: 99/QĐ-TTg

Hà Nội, ngày 5 tháng 1 năm 2024

QUYẾT ĐỊNH

Kế hoạch chuyển đổi số quốc gia năm 2024

PHỤ LỤC

STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tPhát triển hạ tầng số quốc gia\tBộ Thông tin và Truyền thông\tBộ Kế hoạch và Đầu tư\tNăm 2024
2\tHoàn thiện cơ sở dữ liệu đất đai quốc gia\tBộ Tài nguyên và Môi trường\tỦy ban Dân tộc\tNăm 2024
"""


def test_ministries_merged_in_2025_resolve_to_their_successors(tmp_path: Path) -> None:
    # Nghị quyết 176/2025/QH15: the Government's structure from 1 March 2025 (22 ministries and ministry-level
    # agencies became 17); a 2024 national plan keeps its ministries as printed.
    (tmp_path / "qd-99-2024.txt").write_text(PLAN_NATIONAL_2024, "utf-8")
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    load_paths([tmp_path / "qd-99-2024.txt"], store)
    rows = store.run(
        "MATCH (old:Agency)-[s:SUCCEEDED_BY]->(new:Agency) RETURN old.name, new.name, new.jurisdiction, s.basis "
        "ORDER BY old.name"
    ).rows
    assert [tuple(r) for r in rows] == [
        ("Bộ Kế hoạch và Đầu tư", "Bộ Tài chính", "Việt Nam", "176/2025/QH15"),
        ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ", "Việt Nam", "176/2025/QH15"),
        ("Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Môi trường", "Việt Nam", "176/2025/QH15"),
        ("Ủy ban Dân tộc", "Bộ Dân tộc và Tôn giáo", "Việt Nam", "176/2025/QH15"),
    ]
    today = run_named(store, "tasks-owned-today", {"agency": "Bộ Khoa học và Công nghệ"}).records()
    assert [(r["ref"], r["as_printed"], r["succeeded_on"]) for r in today] == [
        ("1", "Bộ Thông tin và Truyền thông", date(2025, 3, 1))
    ]
    store.close()
