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
from plangraph.register import commune_unit, province_unit, register, unit_codes


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


def test_plans_and_agencies_carry_their_codes(loaded_store: object) -> None:
    rows = loaded_store.run(  # type: ignore[attr-defined]
        "MATCH (p:Plan) RETURN p.level, p.province_code, p.commune_code ORDER BY p.id"
    ).rows
    assert all(r[1] for r in rows)  # every sample plan: its province's code
    assert ("commune", "20", "06601") in [tuple(r) for r in rows]  # 136/KH-UBND of xã Lợi Bác
    communes = loaded_store.run(  # type: ignore[attr-defined]
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
