"""The cascade, gaps, coverage, overlaps and analytics on the samples (real embedded store)."""

from __future__ import annotations

from datetime import date

import pytest

from plangraph.cascade.analytics import forest_rows, overlap_clusters, pull_graph, workload
from plangraph.cascade.coverage import coverage, gaps, overlaps
from plangraph.cascade.tree import cascade, render_tree
from plangraph.errors import QueryError
from plangraph.store.embedded import EmbeddedStore

DERIVED = """
MATCH (l:Task)-[:DERIVES_FROM]->(h:Task), (p:Plan)-[:HAS_TASK]->(l)
WHERE p.code = '136/KH-UBND' RETURN DISTINCT h.id AS id
"""


@pytest.mark.parametrize("typed", ["NQ 57", "57-NQ/TW", "Nghị quyết 57", "nghị quyết số 57-NQ/TW"])
def test_nq57_reaches_province_department_and_commune(samples_store: EmbeddedStore, typed: str) -> None:
    result = cascade(samples_store, typed)
    assert result.mandate["id"] == "57-NQ/TW"
    assert "71/NQ-CP" in {i["id"] for i in result.instruments}
    levels = result.levels()
    assert list(levels) == ["province", "department", "commune"]
    assert levels["province"][0].jurisdiction == "tỉnh Lào Cai"
    assert levels["department"][0].jurisdiction == "tỉnh Đồng Nai"
    assert levels["commune"][0].code == "136/KH-UBND" and levels["commune"][0].whole_plan
    assert result.counts()["tasks_per_level"] == {"province": 3, "department": 1, "commune": 97}
    for plans in levels.values():
        for plan in plans:
            assert all(t["leads"] for t in plan.tasks), "every cascade task here has a lead in its source"


def test_de_an_06_and_nq_66(samples_store: EmbeddedStore) -> None:
    de_an = cascade(samples_store, "Đề án 06")
    assert de_an.mandate["id"] == "06/QĐ-TTg"
    assert de_an.counts()["tasks_per_level"] == {"province": 68}
    nq66 = cascade(samples_store, "NQ 66")
    assert {p.code for p in nq66.plans} == {"110/KH-UBND", "29/KH-UBND"}
    assert [t["ref"] for p in nq66.plans for t in p.tasks] == ["II.2", "II.2"]


def test_tree_and_json_show_owners_and_counts(samples_store: EmbeddedStore) -> None:
    result = cascade(samples_store, "NQ 57")
    tree = render_tree(result, max_tasks=2)
    assert tree.startswith("57-NQ/TW — Nghị quyết (Bộ Chính trị)")
    assert "chủ trì: Sở Khoa học và Công nghệ" in tree and "… 95 more" in tree
    assert "Tasks per level: province 3, department 1, commune 97" in tree
    data = result.as_dict()
    assert sum(len(p["tasks"]) for p in data["levels"]["commune"]) == 97
    assert data["counts"]["tasks_per_lead_agency"]["Công an xã"] == 29


@pytest.mark.parametrize("typed", ["NQ 57", "Đề án 06", "NQ 66"])
def test_the_overview_counts_what_the_full_cascade_lists(samples_store: EmbeddedStore, typed: str) -> None:
    full, overview = cascade(samples_store, typed), cascade(samples_store, typed, tasks=False)
    assert overview.counts() == full.counts()
    for plan, listed in zip(overview.plans, full.plans, strict=True):
        assert plan.id == listed.id and plan.tasks == [] and plan.task_count == len(listed.tasks)
    leads: dict[str, int] = {}
    for plan in full.plans:
        for task in plan.tasks:
            for name in task["leads"]:
                leads[name] = leads.get(name, 0) + 1
    assert full.lead_counts == leads
    data = overview.as_dict()
    assert data["tasks_listed"] is False and all("tasks" not in p for ps in data["levels"].values() for p in ps)
    # Without task lists, each plan's line carries its count (the full tree lists the tasks instead).
    for plan in overview.plans:
        assert f"{plan.jurisdiction} · " in render_tree(overview)
        assert f" · {plan.task_count} task(s)" in render_tree(overview)
    assert not any(f"· some tasks name it · {p.task_count}" in render_tree(full) for p in full.plans)
    assert not any(f"· the plan names it · {p.task_count}" in render_tree(full) for p in full.plans)


def test_a_province_narrows_the_cascade_to_its_plans(samples_store: EmbeddedStore) -> None:
    lang_son = cascade(samples_store, "NQ 57", province="Lạng Sơn")
    assert {p.province for p in lang_son.plans} == {"Lạng Sơn"}
    assert lang_son.counts()["tasks_per_level"] == {"commune": 97}
    assert cascade(samples_store, "NQ 57", province="Hà Nội").plans == []


def test_unknown_mandate_is_a_clear_error(samples_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="names no legal document"):
        cascade(samples_store, "hello")
    assert "no loaded plan or task carries it" in render_tree(cascade(samples_store, "52-NQ/TW"))


def test_gaps_of_the_commune_plan_split_higher_tasks_by_lineage(samples_store: EmbeddedStore) -> None:
    found = gaps(samples_store, "136/KH-UBND")
    assert found["higher_plans"] == ["110/KH-UBND", "29/KH-UBND"]
    derived_from = {r["id"] for r in samples_store.run_read(DERIVED).records()}
    assert {r["task_id"] for r in found["carried"]} == derived_from
    assert found["candidates"] == 48 + 49 == len(found["carried"]) + len(found["not_carried"])
    not_carried = {(r["plan"], r["ref"]) for r in found["not_carried"]}
    assert ("110/KH-UBND", "I.1") in not_carried  # the province's own annual admin-reform plan
    carried = {(r["plan"], r["ref"]): r["carried_by"] for r in found["carried"]}
    assert carried[("110/KH-UBND", "VII.2.10")] == ["8"]  # digital skills for ethnic-minority and mountain areas


def test_gaps_by_file_name_and_mandate_scope(samples_store: EmbeddedStore) -> None:
    assert gaps(samples_store, "003_806a7918b24a7b13.txt")["plan"]["code"] == "136/KH-UBND"
    scoped = gaps(samples_store, "136/KH-UBND", mandate="NQ 66")
    assert scoped["candidates"] == 2 and scoped["scope"].endswith("NQ 66")
    with pytest.raises(QueryError, match="no loaded plan"):
        gaps(samples_store, "999/KH-UBND")
    assert gaps(samples_store, "draft:004_90562d8295c9ca09")["candidates"] == 0  # nothing above it is loaded


def test_coverage_counts_tasks_that_reach_lower_levels(samples_store: EmbeddedStore) -> None:
    rows = {(r["level"], r["reaches"]): r for r in coverage(samples_store, "8536/VPCP-KSTT")["coverage"]}
    assert rows[("province", "commune")] == {
        "level": "province",
        "reaches": "commune",
        "lower_plans": 1,
        "tasks": 2,
        "reached": 2,
        "share": 1.0,
    }
    nq57 = {(r["level"], r["reaches"]): r for r in coverage(samples_store, "NQ 57")["coverage"]}
    # Lào Cai's tasks cannot reach Lạng Sơn's commune: no lower plan of Lào Cai is loaded.
    assert nq57[("province", "commune")]["lower_plans"] == 0 and nq57[("province", "commune")]["reached"] == 0


def test_overlaps_name_tasks_under_two_mandates(samples_store: EmbeddedStore) -> None:
    found = overlaps(samples_store)
    both = {r["ref"] for r in found["overlaps"] if r["mandates"] == ["06/QĐ-TTg", "57-NQ/TW"]}
    assert both == {"§II.2.c", "§III.2.2", "§III.5.2"}
    graph = pull_graph(samples_store)
    clusters = overlap_clusters(graph, {r["task_id"]: r["mandates"] for r in found["overlaps"]})
    assert clusters[0]["mandates"] == ["06/QĐ-TTg", "57-NQ/TW"] and clusters[0]["tasks"] == 3


def test_networkx_workload_and_forest(samples_store: EmbeddedStore) -> None:
    graph = pull_graph(samples_store)
    rows = {r["agency"]: r for r in workload(graph, date(2026, 11, 22))}
    police = rows["Công an xã"]
    assert police["lead"] == 29 and police["overdue_lead"] > 0
    assert workload(graph, date(2020, 1, 1))[0]["overdue_lead"] == 0  # nothing is overdue before it starts
    forest = forest_rows(graph)
    edges = samples_store.run_read("MATCH (:Task)-[d:DERIVES_FROM]->(:Task) RETURN count(d) AS n").rows[0][0]
    assert sum(r["links"] for r in forest) == edges
    assert all(r["levels"][0] in {"national", "province"} and r["depth"] >= 1 for r in forest)
