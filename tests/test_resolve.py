"""Agency resolution: canonical, jurisdiction-scoped agencies with PART_OF and MEMBER_OF."""

from __future__ import annotations

from typing import Any

import pytest

from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import read_bytes
from plangraph.ingest.resolve import AgencyResolver, agency_key, expand, resolve_document
from plangraph.model import Interpretation, PlanRecord


def plan(level: str, province: str, jurisdiction: str, issuer: str) -> PlanRecord:
    return PlanRecord(
        code="1/KH-UBND",
        kind="Kế hoạch",
        title="",
        issued_on=None,
        issued_text="",
        issuer=issuer,
        level=level,
        province=province,
        jurisdiction=jurisdiction,
        is_draft=False,
        implements=(),
        cites=(),
        line=1,
    )


LANG_SON = plan("province", "Lạng Sơn", "tỉnh Lạng Sơn", "UBND tỉnh Lạng Sơn")
LAO_CAI = plan("province", "Lào Cai", "tỉnh Lào Cai", "UBND tỉnh Lào Cai")
DONG_NAI_DEPT = plan("department", "Đồng Nai", "tỉnh Đồng Nai", "Sở Khoa học và Công nghệ")
LOI_BAC = plan("commune", "Lạng Sơn", "xã Lợi Bác, tỉnh Lạng Sơn", "Ủy ban nhân dân xã Lợi Bác")


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Phòng Chuyên đổi số", "Phòng Chuyển đổi số"),  # typo in 002
        ("Trung tâm PV HCC xã", "Trung tâm Phục vụ hành chính công xã"),
        ("Văn phòng HĐND&U BND xã", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"),  # broken across a cell (003)
        ("BCH Quân sự xã", "Ban Chỉ huy Quân sự xã"),
        ("Sở NN&MT", "Sở Nông nghiệp và Môi trường"),
    ],
)
def test_resolve_expands_abbreviations_and_typos(text: str, expanded: str) -> None:
    assert expand(text) == expanded


@pytest.mark.parametrize(
    "mentions",
    [
        ["Sở KH&CN", "Sở KHCN", "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"],
        ["UBND tỉnh", "Ủy ban nhân dân tỉnh", "UBND tỉnh Lạng Sơn", "Uỷ ban nhân dân tỉnh Lạng Sơn"],
        ["Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"],
    ],
)
def test_resolve_one_agency_written_many_ways_is_one_node(mentions: list[str]) -> None:
    resolver = AgencyResolver(LANG_SON)
    assert len({resolver.resolve(m).key for m in mentions}) == 1


def test_resolve_same_name_in_two_provinces_is_two_nodes() -> None:
    a, b = AgencyResolver(LANG_SON).resolve("Sở Nội vụ"), AgencyResolver(LAO_CAI).resolve("Sở Nội vụ")
    assert a.key != b.key
    assert (a.jurisdiction, b.jurisdiction) == ("tỉnh Lạng Sơn", "tỉnh Lào Cai")


def test_resolve_department_division_belongs_to_the_issuer() -> None:
    resolver = AgencyResolver(DONG_NAI_DEPT)
    division = resolver.resolve("Phòng Chuyên đổi số")
    assert division.name == "Phòng Chuyển đổi số" and division.level == "department"
    assert resolver.issuer is not None and division.parent == resolver.issuer.key
    assert resolver.issuer.name == "Sở Khoa học và Công nghệ" and resolver.issuer.jurisdiction == "tỉnh Đồng Nai"
    assert resolver.resolve("Văn phòng").name == "Văn phòng Sở"  # "Văn phòng" in a department plan


def test_resolve_commune_bodies_are_the_communes() -> None:
    resolver = AgencyResolver(LOI_BAC)
    police = resolver.resolve("Công an xã")
    assert police.name == "Công an xã" and police.jurisdiction == "xã Lợi Bác, tỉnh Lạng Sơn"
    culture = resolver.resolve("Phòng Văn hoá xã hội")
    assert culture.name == "Phòng Văn hóa - Xã hội" and culture.parent == resolver.issuer.key  # type: ignore[union-attr]
    # A provincial department named in a commune plan is the province's.
    assert resolver.resolve("Sở Khoa học và Công nghệ").jurisdiction == "tỉnh Lạng Sơn"


@pytest.mark.parametrize(
    ("mention", "group"),
    [
        ("Các Sở, Ban, ngành phụ trách các lĩnh vực CCHC", "Các sở, ban, ngành"),
        ("các sở, ngành liên quan", "Các sở, ban, ngành"),
        ("UBND các xã, phường", "Ủy ban nhân dân các xã, phường"),
        ("UBND cấp xã", "Ủy ban nhân dân các xã, phường"),
        ("Các Sở, ngành, địa phương", "Các sở, ban, ngành, địa phương"),
        ("Các cơ quan, đơn vị có liên quan", "Các cơ quan, đơn vị liên quan"),
        ("4 Bệnh viện tuyến tỉnh", "Bệnh viện tuyến tỉnh"),
    ],
)
def test_resolve_collective_mentions_are_groups(mention: str, group: str) -> None:
    agency = AgencyResolver(LANG_SON).resolve(mention)
    assert agency.is_group and agency.name == group


def test_resolve_unknown_mention_is_kept_and_reported() -> None:
    text = (
        "PHỤ LỤC\nDANH MỤC\n(Kèm theo Kế hoạch số: 5/KH-UBND ngày 2/3/2026 của UBND tỉnh Lạng Sơn)\n\n"
        "STT\tNội dung\tCơ quan chủ trì\tThời gian thực hiện\nI\tCHUNG\t\t\n"
        "1\tRà soát\tHợp tác xã Đồng Tiến\tNăm 2026\n"
    )
    interpretation, batch = read_document(read_bytes(text.encode(), "x.txt"))
    w205 = [f for f in interpretation.findings if f.code == "W205"]
    assert [(f.line, "Hợp tác xã Đồng Tiến" in f.message) for f in w205] == [(7, True)]
    assert any(n.props.get("name") == "Hợp tác xã Đồng Tiến" for n in batch.nodes if n.label == "Agency")


def test_resolve_samples_rate_at_least_98_percent(samples: dict[str, Interpretation]) -> None:
    mentions = resolved = 0
    for interpretation in samples.values():
        result = resolve_document(interpretation)
        mentions, resolved = mentions + result.mentions, resolved + result.resolved
    assert mentions == 824  # 797 in tables and field statements + 27 in duties (24 leads, 3 supports)
    assert resolved / mentions >= 0.98


def test_resolve_key_folds_and_drops_punctuation() -> None:
    assert agency_key("Phòng Văn hóa – Xã hội;") == agency_key("Phòng Văn hoá - xã hội") == "phong van hoa xa hoi"


def test_resolve_graph_part_of_chain_and_members(samples_store: Any) -> None:
    chain = samples_store.run(
        "MATCH (d:Agency)-[:PART_OF]->(s:Agency)-[:PART_OF]->(u:Agency) "
        "WHERE d.name = 'Phòng Chuyển đổi số' RETURN s.name, s.jurisdiction, u.name"
    ).rows
    assert chain == (("Sở Khoa học và Công nghệ", "tỉnh Đồng Nai", "Ủy ban nhân dân tỉnh"),)
    members = samples_store.run(
        "MATCH (m:Agency)-[:MEMBER_OF]->(g:Agency) WHERE g.name = 'Các sở, ban, ngành' "
        "AND g.jurisdiction = 'tỉnh Lạng Sơn' RETURN m.name ORDER BY m.name"
    ).rows
    assert ("Sở Nội vụ",) in members and ("Sở Tư pháp",) in members
    assert all(name.startswith("Sở ") for (name,) in members)


def test_resolve_mentions_kept_on_edges(samples_store: Any) -> None:
    rows = samples_store.run(
        "MATCH (t:Task)-[l:LED_BY]->(a:Agency) WHERE a.name = 'Phòng Chuyển đổi số' "
        "RETURN DISTINCT l.mention ORDER BY l.mention"
    ).rows
    # Four spellings in 002's tables, and "phòng Chuyển đổi số" of "2. Giao phòng Chuyển đổi số".
    assert [r[0] for r in rows] == [
        "Phòng Chuyên đôi số",
        "Phòng Chuyên đổi số",
        "Phòng Chuyển đôi số",
        "Phòng Chuyển đổi số",
        "phòng Chuyển đổi số",
    ]


def test_resolve_analyst_table_of_lead_agencies(samples_store: Any) -> None:
    result = samples_store.run_read(
        "MATCH (a:Agency)<-[:LED_BY]-(t:Task) RETURN a.name, a.jurisdiction, count(t) ORDER BY count(t) DESC, a.name"
    )
    top = result.rows[:3]
    # "Các sở, ban, ngành": 21 rows of 000 name it in the lead cell ("Các Sở, Ban, ngành …", any
    # qualifier) and 18 tasks of 001 (lead cells recovered from the PDF text) = 39.
    assert top == (
        ("Các sở, ban, ngành", "tỉnh Lạng Sơn", 39),
        ("Phòng Văn hóa - Xã hội", "xã Lợi Bác, tỉnh Lạng Sơn", 34),
        ("Công an xã", "xã Lợi Bác, tỉnh Lạng Sơn", 29),
    )
    names = [row[0] for row in result.rows]
    assert len(names) == len(set(zip(names, [r[1] for r in result.rows], strict=True)))  # one row per agency
