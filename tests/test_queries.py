"""Named queries: headers documented, parameters typed, each executed with asserted results."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.errors import NoMatch, QueryError, UsageError
from plangraph.queries import TYPES, parse_query_file, public_queries, run_named
from plangraph.store.embedded import EmbeddedStore


def test_queries_every_file_has_header_and_example_params() -> None:
    queries = public_queries()
    assert set(queries) == {
        "agency-workload",
        "cited-by",
        "legal-bases-of-plan",
        "mandate-cascade-by-level",
        "overdue-tasks",
        "plans-implementing",
        "tasks-due-between",
        "tasks-led-by",
        "tasks-of-plan",
        "tasks-owned-today",
        "tasks-supported-by",
        "tasks-without-lead",
        "task-lineage",
    }
    for query in queries.values():
        assert query.title and len(query.description) > 20
        for param in query.params:
            assert param.help and param.type in TYPES


def test_queries_agency_workload_counts_commune_division(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "agency-workload", {"limit": 50}).records()
    culture = next(r for r in rows if r["agency"] == "Phòng Văn hóa - Xã hội")
    # 003: 33 numbered rows name "Phòng Văn h…" in the lead cell, plus task 71 whose cell
    # "Phòng Văn" / "hóa - Xã hội" is split across a page break (lines 146, 149) = 34.
    assert culture == {
        "agency": "Phòng Văn hóa - Xã hội",
        "part_of": "Ủy ban nhân dân xã",
        "jurisdiction": "xã Lợi Bác, tỉnh Lạng Sơn",
        "is_group": False,
        "lead_tasks": 34,
        "support_tasks": 3,
    }
    assert len(run_named(samples_store, "agency-workload", {"limit": 3}).rows) == 3


def test_queries_tasks_led_by_so_noi_vu_lang_son(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "tasks-led-by", {"agency": "Sở Nội vụ", "jurisdiction": "Lạng Sơn"}).records()
    # 000 leads: I.1-I.5, V.1-V.3 (8); 001 leads: I.1-I.3, I.5-I.7, V.1-V.4 (10).
    assert {r["plan"] for r in rows} == {"110/KH-UBND", "29/KH-UBND"}
    assert len([r for r in rows if r["plan"] == "110/KH-UBND"]) == 8
    assert len([r for r in rows if r["plan"] == "29/KH-UBND"]) == 10
    assert all(r["agency"] == "Sở Nội vụ" for r in rows)


@pytest.mark.parametrize("name", ["tasks-led-by", "tasks-supported-by"])
def test_queries_empty_jurisdiction_means_every_jurisdiction(samples_store: EmbeddedStore, name: str) -> None:
    """The embedded engine answers `x CONTAINS ''` with false: "empty for all" must not mean "none"."""
    rows = run_named(samples_store, name, {"agency": "Sở", "jurisdiction": ""}).records()
    assert len({r["jurisdiction"] for r in rows}) >= 2


def test_queries_tasks_of_plan_by_file_name(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "tasks-of-plan", {"plan": "004_90562d8295c9ca09.txt"}).records()
    assert len(rows) == 68
    narrative = next(r for r in rows if r["ref"] == "§II.2.b")
    assert narrative["leads"] == ["Sở Khoa học và Công nghệ"]
    # "Công an tỉnh, Sở Nội vụ, Văn phòng UBND tỉnh, các sở, ban, ngành, địa phương" (line 53)
    assert sorted(narrative["supports"]) == sorted(
        ["Công an tỉnh", "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh", "Các sở, ban, ngành, địa phương"]
    )


def test_queries_unknown_parameter_refused(samples_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="has no parameter"):
        run_named(samples_store, "tasks-of-plan", {"nope": "x"})


def test_queries_bad_parameter_type_refused(samples_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="must be a int"):
        run_named(samples_store, "agency-workload", {"limit": "many"})


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("// name: x\n// title: X\nRETURN 1", "no description"),  # description missing
        ("// name: y\n// title: X\n// description: d\nRETURN 1", "file name must match"),
        ("// name: x\n// title: X\n// description: d\n// param: limit number = 3 -- n\nRETURN 1", "bad param line"),
    ],
)
def test_queries_header_errors(text: str, error: str) -> None:
    with pytest.raises(QueryError, match=error):
        parse_query_file("x", text)


def test_queries_tasks_supported_by_so_tu_phap(samples_store: EmbeddedStore) -> None:
    rows = run_named(
        samples_store, "tasks-supported-by", {"agency": "Sở Tư pháp", "jurisdiction": "Lạng Sơn"}
    ).records()
    # 000 II.6 (line 24) and IV.2 ("Sở Tư pháp; Sở Nội vụ", line 44); 001 II.6 ("Sở Tư pháp Thường xuyên", line 407).
    assert [(r["plan"], r["ref"]) for r in rows] == [
        ("110/KH-UBND", "II.6"),
        ("110/KH-UBND", "IV.2"),
        ("29/KH-UBND", "II.6"),
    ]
    assert rows[0]["leads"] == ["Các sở, ban, ngành"]


def test_queries_plans_implementing_nq57_as_typed(samples_store: EmbeddedStore) -> None:
    rows = {r["plan_id"]: r for r in run_named(samples_store, "plans-implementing", {"mandate": "NQ 57"}).records()}
    commune = rows["136/KH-UBND@xa-loi-bac-tinh-lang-son@2026"]
    assert commune["names_it"] and commune["tasks_implementing"] == 97  # its title: "… NGHỊ QUYẾT SỐ 57-NQ/TW …"
    assert rows["draft:002_6574c376147333d0"]["tasks_implementing"] == 1  # §III.2.2 (line 143)
    assert rows["draft:004_90562d8295c9ca09"]["tasks_implementing"] == 3  # §II.2.c, §III.2.2, §III.5.2
    assert set(rows) == {
        "136/KH-UBND@xa-loi-bac-tinh-lang-son@2026",
        "draft:002_6574c376147333d0",
        "draft:004_90562d8295c9ca09",
    }


def test_queries_mandate_cascade_by_level_orders_levels(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "mandate-cascade-by-level", {"mandate": "57-NQ/TW"}).records()
    assert [(r["level"], r["tasks"]) for r in rows] == [("province", 3), ("department", 1), ("commune", 97)]
    assert "Phòng Chuyển đổi số" in rows[1]["lead_agencies"]
    de_an = run_named(samples_store, "mandate-cascade-by-level", {"mandate": "Đề án 06"}).records()
    # The Lào Cai plan's title names Đề án 06: all its 68 tasks; no other sample names it.
    assert [(r["level"], r["jurisdiction"], r["tasks"]) for r in de_an] == [("province", "tỉnh Lào Cai", 68)]


def test_queries_overdue_tasks_skip_done_and_open_ended(samples_store: EmbeddedStore) -> None:
    recurring = {
        (plan, ref)
        for plan, ref in samples_store.run(
            "MATCH (p:Plan)-[:HAS_TASK]->(t:Task) WHERE t.recurrence IS NOT NULL RETURN coalesce(p.code, p.id), t.ref"
        ).rows
    }
    assert recurring
    rows = run_named(samples_store, "overdue-tasks", {"as_of": "2026-04-01"}).records()
    commune = {r["ref"] for r in rows if r["plan"] == "136/KH-UBND"}
    assert "92" in commune  # "Tháng 3/2026", open
    assert not {"32", "37", "91", "83"} & commune  # done (footnotes ¹ ² ⁴ ³)
    assert "84" not in commune  # "Tháng 4/2026": not yet due
    assert all(str(r["due_end"]) < "2026-04-01" for r in rows)
    assert not {(r["plan"], r["ref"]) for r in rows} & recurring  # "Hằng năm", "Thường xuyên": never overdue
    assert rows[0]["ref"] == "PL-II.2" and str(rows[0]["due_end"]) == "2025-11-30"  # oldest first (004 line 170)


def test_queries_tasks_due_between_first_quarter(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "tasks-due-between", {"from_date": "2026-01-01", "to_date": "2026-03-31"}).records()
    # 001: I.1, I.2 "Tháng 01/2026", I.3, I.5 "Quý I/2026"; 003: "Tháng 02/2026" (83) and four "Tháng 3/2026" rows.
    assert sorted((r["plan"], r["ref"]) for r in rows) == sorted(
        [
            ("29/KH-UBND", "I.1"),
            ("29/KH-UBND", "I.2"),
            ("29/KH-UBND", "I.3"),
            ("29/KH-UBND", "I.5"),
            ("136/KH-UBND", "83"),
            ("136/KH-UBND", "32"),
            ("136/KH-UBND", "37"),
            ("136/KH-UBND", "91"),
            ("136/KH-UBND", "92"),
        ]
    )


def test_queries_legal_bases_of_plan(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "legal-bases-of-plan", {"plan": "004_90562d8295c9ca09.txt"}).records()
    found = {(r["legal_basis"], r["relation"], r["named_by"]) for r in rows}
    assert ("06/QĐ-TTg", "IMPLEMENTS", "plan") in found  # title: "… và Đề án 06"
    assert ("126/QĐ-BCĐCP@2025", "IMPLEMENTS", "plan") in found  # "Thực hiện … Quyết định số 126/QĐ-BCĐCP …"
    assert ("1012/UBND-NC@tinh-lao-cai@2025", "CITES", "plan") in found  # named in §II.1 a)
    own = run_named(samples_store, "legal-bases-of-plan", {"plan": "110/KH-UBND"}).records()
    assert not any(r["legal_basis"].startswith("110/KH-UBND") for r in own)  # a plan does not cite itself


def test_queries_cited_by_law_as_typed(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "cited-by", {"document": "Luật số 64/2025/QH15"}).records()
    # "Tổ chức triển khai Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15" in both Lạng Sơn plans.
    assert [(r["plan"], r["task_ref"], r["relation"], r["source_line"]) for r in rows] == [
        ("110/KH-UBND", "II.2", "IMPLEMENTS", 18),
        ("29/KH-UBND", "II.2", "IMPLEMENTS", 202),
    ]


def test_queries_tasks_without_lead(tmp_path) -> None:
    from plangraph.ingest.pipeline import load_paths

    doc = tmp_path / "plan.txt"
    doc.write_text(
        "PHỤ LỤC\nDANH MỤC\n(Kèm theo Kế hoạch số: 5/KH-UBND ngày 2/3/2026 của UBND tỉnh Lạng Sơn)\n\n"
        "STT\tNội dung\tCơ quan chủ trì\tThời gian thực hiện\nI\tCHUNG\t\t\n"
        "1\tRà soát quy chế\tSở Nội vụ\tNăm 2026\n2\tCập nhật dữ liệu\t\tNăm 2026\n",
        "utf-8",
    )
    store = EmbeddedStore(tmp_path / "g.lbdb")
    report = load_paths([doc], store)
    assert [f.code for d in report.documents for f in d.findings] == ["W201"]  # reported at load …
    rows = run_named(store, "tasks-without-lead", {"plan": ""}).records()
    assert [(r["ref"], r["source_line"]) for r in rows] == [("2", 8)]  # … and found by the query


def test_queries_unknown_mandate_refused(samples_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="names no legal document"):
        run_named(samples_store, "plans-implementing", {"mandate": "chuyển đổi số"})


def test_queries_task_lineage_lists_parents_with_evidence(samples_store: EmbeddedStore) -> None:
    rows = run_named(samples_store, "task-lineage", {"plan": "136/KH-UBND"}).records()
    edges = samples_store.run_read("MATCH (:Task)-[d:DERIVES_FROM]->(:Task) RETURN count(d) AS n").rows[0][0]
    assert len(rows) == edges  # every lineage edge of the samples starts in the commune plan
    first = rows[0]
    assert (first["ref"], first["parent_plan"], first["parent_ref"]) == ("8", "110/KH-UBND", "VII.2.10")
    assert first["score"] > 0.8 and first["shared_terms"] and first["deadline_after_parent"] is False
    assert run_named(samples_store, "task-lineage", {"plan": "110/KH-UBND"}).rows == ()


# Parameters that name things, as users type them (issue 18, item 5).
@pytest.mark.parametrize("typed", ["so noi vu", "SỞ NỘI VỤ", "Sở nội vụ", "noi vu"])
def test_queries_agency_as_typed_any_case_or_diacritics(samples_store: EmbeddedStore, typed: str) -> None:
    rows = run_named(samples_store, "tasks-led-by", {"agency": typed, "jurisdiction": "lang son"}).records()
    expected = run_named(samples_store, "tasks-led-by", {"agency": "Sở Nội vụ", "jurisdiction": "Lạng Sơn"}).records()
    assert rows == expected and len(rows) == 18


def test_queries_a_name_nothing_matches_is_refused_with_the_closest(samples_store: EmbeddedStore) -> None:
    with pytest.raises(NoMatch, match=r"no agency matches 'so noi vuu'; did you mean 'Sở Nội vụ'\?"):
        run_named(samples_store, "tasks-led-by", {"agency": "so noi vuu"})
    with pytest.raises(NoMatch, match=r"no jurisdiction matches 'Lang Sonn'; did you mean .*Lạng Sơn"):
        run_named(samples_store, "tasks-led-by", {"agency": "Sở Nội vụ", "jurisdiction": "Lang Sonn"})
    with pytest.raises(NoMatch, match=r"no loaded plan is '119/KH-UBND'.*closest: 110/KH-UBND@tinh-lang-son@2026"):
        run_named(samples_store, "tasks-of-plan", {"plan": "119/KH-UBND"})


def test_queries_a_missing_parameter_is_a_usage_error_not_its_example(samples_store: EmbeddedStore) -> None:
    with pytest.raises(
        UsageError, match=r"needs agency \(part of the lead agency's name; e.g. -p agency=\"Sở Nội vụ\"\)"
    ):
        run_named(samples_store, "tasks-led-by", {})
    with pytest.raises(UsageError, match="needs mandate"):
        run_named(samples_store, "mandate-cascade-by-level", {})
    assert len(run_named(samples_store, "agency-workload", {}).rows) == 20  # a limit's example is its default
    assert (
        run_named(samples_store, "tasks-without-lead", {}).rows
        == run_named(samples_store, "tasks-without-lead", {"plan": ""}).rows
    )  # an empty example: optional, all plans


def test_queries_plan_in_any_case(samples_store: EmbeddedStore) -> None:
    upper = run_named(samples_store, "tasks-of-plan", {"plan": "110/KH-UBND"}).rows
    assert run_named(samples_store, "tasks-of-plan", {"plan": "110/kh-ubnd"}).rows == upper and len(upper) == 48


def test_queries_cli_exit_codes_for_names_and_missing_parameters(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plangraph.cli import main
    from tests.conftest import SAMPLES

    store = ["--store", str(tmp_path / "graph.lbdb")]
    assert CliRunner().invoke(main, ["load", str(SAMPLES / "000_0c3d8e49def43607.txt"), *store]).exit_code == 0
    unknown = CliRunner().invoke(main, ["query", "tasks-led-by", "-p", "agency=so noi vuu", *store])
    assert unknown.exit_code == 1 and "did you mean 'Sở Nội vụ'?" in unknown.output
    missing = CliRunner().invoke(main, ["query", "tasks-led-by", *store])
    assert missing.exit_code == 2 and "needs agency" in missing.output
    typed = CliRunner().invoke(main, ["query", "tasks-led-by", "-p", "agency=so noi vu", "--format", "csv", *store])
    assert typed.exit_code == 0 and typed.output.count("\nSở Nội vụ,tỉnh Lạng Sơn,110/KH-UBND") == 8


def test_duties_from_a_year_on_are_never_overdue(tmp_path: Path) -> None:
    """Issue 34: "Năm 2025 và các năm tiếp theo" and "Quý IV năm 2025 và các năm tiếp theo" are duties carried on
    every year from then; they were read as due 2025-12-31 and listed as overdue."""
    from plangraph.ingest.pipeline import load_paths

    web = Path(__file__).parent / "data" / "web"
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        load_paths(sorted(web.glob("ke-hoach-172-*.txt")) + sorted(web.glob("ke-hoach-7360-*.txt")), store)
        continuing = store.run(
            "MATCH (t:Task) WHERE t.due_text CONTAINS 'các năm tiếp theo' RETURN t.id, t.recurrence, t.due_start"
        ).rows
        assert len(continuing) >= 3 and all(recurrence == "continuing" for _, recurrence, _ in continuing)
        overdue = {r["task"] for r in run_named(store, "overdue-tasks", {"as_of": "2026-11-22"}).records()}
        titles = {row[0] for row in store.run("MATCH (t:Task) WHERE t.recurrence IS NOT NULL RETURN t.title").rows}
        assert not overdue & titles
    finally:
        store.close()
