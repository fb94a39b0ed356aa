"""The official register (issue 17, item 1): provinces and communes by their codes, whatever the spelling;
same-name communes resolved by the province or reported, never guessed; every plan and agency coded."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import read_bytes, read_file
from plangraph.ingest.resolve import AgencyResolver
from plangraph.model import GraphBatch, PlanRecord
from plangraph.reference import provinces
from plangraph.register import commune_unit, former_communes, former_district, province_unit, register, unit_codes


def test_register_holds_the_34_provinces_and_3321_communes_of_2025() -> None:
    reg = register()
    assert len({u.code for u in reg.provinces.values()}) == 34
    assert sum(len(units) for units in reg.communes.values()) == 3321


@pytest.mark.parametrize(
    ("spelling", "code"),
    [("Lạng Sơn", "20"), ("tỉnh Lạng Sơn", "20"), ("Lang Son", "20"), ("TP. Hồ Chí Minh", "79"),
     ("Thành phố Hà Nội", "01"), ("thanh pho ha noi", "01"), ("Đồng Tháp", "82"), ("tỉnh Yên Bái", None)],
)  # fmt: skip
def test_provinces_by_any_spelling(spelling: str, code: str | None) -> None:
    unit = province_unit(spelling)
    assert (unit.code if unit else None) == code


@pytest.mark.parametrize(
    "spelling",
    ["xã Lợi Bác", "Xã Lợi Bác", "X. Lợi Bác", "UBND xã Lợi Bác, tỉnh Lạng Sơn", "Ủy ban nhân dân xã Lợi Bác",
     "Loi Bac", "xa loi bac", "xã  Lợi   Bác"],
)  # fmt: skip
def test_communes_by_any_spelling(spelling: str) -> None:
    lookup = commune_unit(spelling, "Lạng Sơn")
    assert lookup.unit is not None and (lookup.unit.code, lookup.unit.province_code) == ("06601", "20")
    assert commune_unit(spelling).unit == lookup.unit  # one commune of that name in the country


def test_a_name_several_provinces_share_is_resolved_by_the_province_or_reported() -> None:
    shared = commune_unit("xã Bình Minh")
    assert shared.unit is None and shared.ambiguous and len(shared.candidates) == 5
    province = shared.candidates[0].province_code
    within = commune_unit("Bình Minh", province)
    assert within.unit == shared.candidates[0]
    assert commune_unit("xã Không Có Thật", "Lạng Sơn").unit is None


def _plan_nodes(batch: GraphBatch, label: str) -> list[dict]:  # type: ignore[type-arg]
    return [n.props for n in batch.nodes if n.label == label]


def test_plans_and_agencies_carry_their_codes(samples_store: object) -> None:
    rows = samples_store.run(  # type: ignore[attr-defined]
        "MATCH (p:Plan) RETURN p.level, p.province_code, p.commune_code ORDER BY p.id"
    ).rows
    assert all(r[1] for r in rows)  # every sample plan: its province's code
    assert ("commune", "20", "06601") in [tuple(r) for r in rows]  # 136/KH-UBND of xã Lợi Bác
    communes = samples_store.run(  # type: ignore[attr-defined]
        "MATCH (a:Agency) WHERE a.level = 'commune' RETURN DISTINCT a.jurisdiction, a.commune_code"
    ).rows
    assert communes and all(code == "06601" for _, code in communes)


def test_an_unknown_commune_is_reported_with_its_line() -> None:
    text = "**ỦY BAN NHÂN DÂN XÃ KHÔNG CÓ THẬT**\n\nSố: 5/KH-UBND\n\n*Lạng Sơn, ngày 2 tháng 3 năm 2026*\n\n"
    text += "**KẾ HOẠCH**\n\n**Chuyển đổi số**\n\n**I. TỔ CHỨC THỰC HIỆN**\n\n**1. Công an xã**\n\n- Rà soát dữ liệu dân cư.\n"
    reading, _ = read_document(read_bytes(text.encode(), "ke-hoach.txt"))
    assert reading.plan.level == "commune" and reading.plan.province_code == "20"
    assert reading.plan.commune_code is None
    assert [f.code for f in reading.findings if f.code == "W305"] == ["W305"]


WEB = Path(__file__).resolve().parent / "data" / "web"


def _agencies(name: str) -> dict[str, dict]:  # type: ignore[type-arg]
    _, batch = read_document(read_file(WEB / name))
    return {n.key: n.props for n in batch.nodes if n.label == "Agency"}


def test_a_national_plan_names_provinces_bodies_in_their_own_province() -> None:
    # 2530/QĐ-TTg (Thủ tướng Chính phủ, signed in Hà Nội): its scope is the country; "UBND thành phố Hà Nội"
    # and "Thành phố Hồ Chí Minh" are those cities' people's committees, keyed as their own plans key them.
    agencies = _agencies("quyet-dinh-2530-qd-ttg-2025-ke-hoach-khac-phuc-o-nhiem-moi-t.txt")
    hanoi = agencies["thanh-pho-ha-noi/uy-ban-nhan-dan-thanh-pho"]
    assert (hanoi["name"], hanoi["jurisdiction"], hanoi["province_code"]) == (
        "Ủy ban nhân dân thành phố", "thành phố Hà Nội", "01"
    )  # fmt: skip
    assert agencies["thanh-pho-ho-chi-minh/uy-ban-nhan-dan-thanh-pho"]["province_code"] == "79"
    assert agencies["viet-nam/uy-ban-nhan-dan-cac-tinh-thanh-pho-truc-thuoc-trung-uong"]["is_group"]
    for key in ("viet-nam/dai-truyen-hinh-viet-nam", "viet-nam/thong-tan-xa-viet-nam", "viet-nam/bo-y-te"):
        assert agencies[key]["level"] == "national"


@pytest.mark.parametrize(
    ("document", "key"),
    [
        ("ke-hoach-1026-kh-ubnd-2025-trien-khai-chi-thi-32-ct-ttg-bao-.txt", "tinh-nghe-an/vien-kiem-sat-nhan-dan-tinh"),
        ("ke-hoach-1026-kh-ubnd-2025-trien-khai-chi-thi-32-ct-ttg-bao-.txt", "tinh-nghe-an/van-phong-tinh-uy"),
        ("ke-hoach-144-kh-ubnd-2025-phat-trien-kinh-te-so-va-xa-hoi-so.txt", "tinh-bac-ninh/tinh-doan"),
        ("ke-hoach-165-kh-ubnd-2025-thuc-hien-chi-thi-27-ct-ttg-cong-t.txt",
         "thanh-pho-can-tho/uy-ban-mat-tran-to-quoc-viet-nam-thanh-pho"),
    ],
)  # fmt: skip
def test_provinces_bodies_beyond_the_departments_are_in_the_registry(document: str, key: str) -> None:
    agencies = _agencies(document)
    assert key in agencies, sorted(agencies)


@pytest.mark.parametrize("province", [name for name, _ in provinces()])
def test_every_province_has_its_bodies_with_their_codes(province: str) -> None:
    # The registry is written once with the province as a placeholder: every unit of the register has them.
    kind = "thành phố" if dict(provinces())[province] == "thành phố" else "tỉnh"
    plan = PlanRecord(
        code="1/KH-UBND", kind="Kế hoạch", title="", issued_on=None, issued_text="", issuer=f"UBND {kind} {province}",
        level="province", province=province, jurisdiction=f"{kind} {province}", is_draft=False, implements=(),
        cites=(), line=1,
    )  # fmt: skip
    resolver = AgencyResolver(plan)
    code = province_unit(province).code  # type: ignore[union-attr]
    for mention in ("Sở Nội vụ", "Công an tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Tòa án nhân dân tỉnh"):
        agency = resolver.resolve(mention)
        assert agency.method == "registry" and agency.jurisdiction == f"{kind} {province}", mention
        assert unit_codes(agency.province, agency.jurisdiction, agency.level) == (code, None)


# Units of before 1 July 2025 (the three-level register, from the vietnamadminunits converter).
@pytest.mark.parametrize(
    ("spelling", "province", "successors"),
    [
        ("huyện Sơn Tịnh", "Quảng Ngãi", ["21181", "21196", "21205", "21220"]),
        ("H. Sơn Tịnh", "tỉnh Quảng Ngãi", ["21181", "21196", "21205", "21220"]),
        ("huyen son tinh", "51", ["21181", "21196", "21205", "21220"]),
        ("Huyện Văn Yên", "Yên Bái", None),  # a district of a former province: found in its successor, Lào Cai
    ],
)
def test_former_districts_by_any_spelling(spelling: str, province: str, successors: list[str] | None) -> None:
    district = former_district(spelling, province)
    assert district is not None and district.district is None
    assert district.province.code == ("15" if province == "Yên Bái" else "51")
    if successors is not None:
        assert [u.code for u in district.successors] == successors
    assert all(u.province_code == district.province.code for u in district.successors)


def test_former_communes_with_their_district_and_successors() -> None:
    (loi_bac,) = former_communes("xã Lợi Bác", "Lạng Sơn")
    assert (loi_bac.name, loi_bac.district, [u.name for u in loi_bac.successors]) == (
        "xã Lợi Bác",
        "huyện Lộc Bình",
        ["Xã Lợi Bác"],
    )
    # Three former communes of Long An were named Tân Thành: only the district tells them apart.
    assert len(former_communes("Xã Tân Thành", "Long An")) >= 2
    (one,) = former_communes("Xã Tân Thành", "Tây Ninh", "huyện Tân Thạnh")
    assert one.district == "huyện Tân Thạnh" and len(one.successors) >= 1
    assert former_communes("xã Không Có Thật", "Lạng Sơn") == ()


PLAN_NAMING_COMMUNES = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN

Số: 77/KH-UBND

Lạng Sơn, ngày 12 tháng {month} năm {year}

KẾ HOẠCH

Chuyển đổi số tỉnh Lạng Sơn

PHỤ LỤC

STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tXây dựng mô hình xã số\tUBND xã Lợi Bác\tSở Khoa học và Công nghệ\tQuý III/{year}
2\tThí điểm chợ số\tUBND P. Tam Thanh\tCông an phường Tam Thanh\tNăm {year}
"""


def test_a_province_plan_names_communes_bodies_in_their_commune() -> None:
    text = PLAN_NAMING_COMMUNES.format(month=8, year=2025)
    _, batch = read_document(read_bytes(text.encode(), "ke-hoach.txt"))
    agencies = {n.key: n.props for n in batch.nodes if n.label == "Agency"}
    assert agencies["xa-loi-bac-tinh-lang-son/uy-ban-nhan-dan-xa"]["commune_code"] == "06601"
    tam_thanh = {k: v for k, v in agencies.items() if k.startswith("phuong-tam-thanh-tinh-lang-son/")}
    assert sorted(tam_thanh) == [
        "phuong-tam-thanh-tinh-lang-son/cong-an-xa",
        "phuong-tam-thanh-tinh-lang-son/uy-ban-nhan-dan-xa",
    ]
    assert {v["level"] for v in tam_thanh.values()} == {"commune"}
    assert {v["jurisdiction"] for v in tam_thanh.values()} == {"phường Tam Thanh, tỉnh Lạng Sơn"}


def test_a_2024_plan_names_the_commune_of_its_day() -> None:
    # Before 1 July 2025 "xã Lợi Bác" was the commune of huyện Lộc Bình; the new xã Lợi Bác took it in.
    text = PLAN_NAMING_COMMUNES.format(month=3, year=2024)
    _, batch = read_document(read_bytes(text.encode(), "ke-hoach.txt"))
    agencies = {n.key: n.props for n in batch.nodes if n.label == "Agency"}
    old = "xa-loi-bac-huyen-loc-binh-tinh-lang-son/uy-ban-nhan-dan-xa"
    assert agencies[old]["jurisdiction"] == "xã Lợi Bác, huyện Lộc Bình, tỉnh Lạng Sơn"
    succession = [e for e in batch.edges if e.type == "SUCCEEDED_BY" and e.start_key == old]
    assert [(e.end_key, e.props["since"]) for e in succession] == [
        ("xa-loi-bac-tinh-lang-son/uy-ban-nhan-dan-xa", "2025-07-01")
    ]
