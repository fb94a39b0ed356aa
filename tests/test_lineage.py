"""Task lineage (DERIVES_FROM) on the samples: measured against the labelled pairs, and its rules."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from plangraph.cascade.lineage import LEVEL_RANK, THRESHOLD
from plangraph.cascade.linking import explain, fetch_tasks
from plangraph.errors import QueryError
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLE_FILES

PAIRS = Path(__file__).parent / "data" / "lineage_pairs.csv"
EDGES = """
MATCH (a:Task)-[d:DERIVES_FROM]->(b:Task)
RETURN a.id AS lower, b.id AS higher, d.score AS score, d.method AS method, d.deadline_after_parent AS late,
       d.shared_terms AS terms
"""


def short_ids(store: EmbeddedStore) -> dict[str, str]:
    """ "003#8" → the stored task id (sample short name + task ref)."""
    plan_of_file = {
        r["file"].rsplit("/", 1)[-1]: r["id"]
        for r in store.run_read("MATCH (p:Plan) RETURN p.id AS id, p.source_file AS file").records()
    }
    out = {}
    for task in fetch_tasks(store):
        for short, name in SAMPLE_FILES.items():
            if plan_of_file[name] == task.plan_id:
                out[f"{short}#{task.id.rsplit('#', 1)[1]}"] = task.id
    return out


@pytest.fixture()
def edges(samples_store: EmbeddedStore) -> list[dict]:
    return samples_store.run_read(EDGES, row_limit=100_000).records()


def test_precision_and_recall_on_the_labelled_pairs(samples_store: EmbeddedStore, edges: list[dict]) -> None:
    ids = short_ids(samples_store)
    linked = {(e["lower"], e["higher"]) for e in edges}
    tp = fp = fn = 0
    with PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 25 and all(r["reason"].strip() for r in rows)
    for row in rows:
        pair = (ids[row["lower"]], ids[row["higher"]])  # KeyError: a labelled task disappeared from the samples
        truth = row["label"] == "true"
        tp += truth and pair in linked
        fn += truth and pair not in linked
        fp += (not truth) and pair in linked
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    # The README ("Task lineage") reports these figures; keep them in step.
    assert (tp, fp, fn) == (10, 1, 3)
    assert precision >= 0.9 and recall >= 0.75


def test_links_respect_jurisdiction_and_level(samples_store: EmbeddedStore, edges: list[dict]) -> None:
    tasks = {t.id: t for t in fetch_tasks(samples_store)}
    assert edges, "the samples must produce some lineage"
    for e in edges:
        lower, higher = tasks[e["lower"]], tasks[e["higher"]]
        assert LEVEL_RANK[higher.level] < LEVEL_RANK[lower.level]
        assert higher.level == "national" or higher.province == lower.province
        assert e["score"] >= THRESHOLD and e["method"].startswith("tfidf")
        assert e["terms"], "every link keeps the terms it shares"


def test_at_most_top_k_parents_per_task(edges: list[dict]) -> None:
    from collections import Counter

    assert max(Counter(e["lower"] for e in edges).values()) <= 3


def test_deadline_after_parent_is_flagged(samples_store: EmbeddedStore, edges: list[dict]) -> None:
    tasks = {t.id: t for t in fetch_tasks(samples_store)}
    for e in edges:
        lower, higher = tasks[e["lower"]], tasks[e["higher"]]
        expected = bool(lower.due_end and higher.due_end and lower.due_end > higher.due_end)
        assert e["late"] == expected, (e["lower"], e["higher"])


def test_explain_link_gives_evidence_and_reasons(samples_store: EmbeddedStore) -> None:
    found = explain(samples_store, "136/KH-UBND#8", "110/KH-UBND#VII.2.10")
    assert found["linked"] and found["above_threshold"] and found["score"] > 0.8
    assert "núi" in found["shared_terms"]  # miền núi: the digital-skills Đề án for mountain areas
    weak = explain(samples_store, "136/KH-UBND#8", "110/KH-UBND#I.1")
    assert not weak["linked"] and weak["score"] < THRESHOLD
    across = explain(samples_store, "136/KH-UBND#19", "draft:004_90562d8295c9ca09#PL-II.11-2")
    assert not across["linked"] and "Lào Cai" in across["reason"]
    with pytest.raises(QueryError, match="136/KH-UBND#8"):
        explain(samples_store, "136/KH-UBND#8", "nope#1")


def test_link_tasks_flags_a_deadline_after_the_parents_and_blocks_other_provinces() -> None:
    from datetime import date

    from plangraph.cascade.lineage import TaskText, link_tasks

    def task(tid: str, level: str, province: str | None, title: str, due: date | None) -> TaskText:
        return TaskText(tid, tid.split("#")[0], level, province, title, "", "", due, frozenset({"57-NQ/TW"}))

    title = "Triển khai nền tảng học tập trực tuyến Bình dân học vụ số cho người dân"
    tasks = [
        task("P#1", "province", "Lạng Sơn", title, date(2026, 6, 30)),
        task("C#1", "commune", "Lạng Sơn", title + " trên địa bàn xã", date(2026, 12, 31)),
        task("D#1", "commune", "Lào Cai", title + " trên địa bàn xã", date(2026, 3, 31)),
        task("N#1", "national", None, title + " toàn quốc", date(2027, 12, 31)),
    ]
    links = {(link.lower, link.higher): link for link in link_tasks(tasks)}
    assert links[("C#1", "P#1")].deadline_after_parent  # the commune finishes after the province
    assert not links[("C#1", "N#1")].deadline_after_parent
    assert ("D#1", "P#1") not in links  # Lào Cai does not carry out a Lạng Sơn plan
    assert ("D#1", "N#1") in links and ("P#1", "N#1") in links
    assert ("P#1", "C#1") not in links  # never upwards


def test_a_link_scoped_to_provinces_finds_what_the_whole_link_finds_there(tmp_path: Path) -> None:
    """An incremental link (a load relinks the provinces it touched) scores only those provinces' blocks, and
    finds in them exactly the links a link of everything finds."""
    from plangraph.cascade.lineage import link_tasks
    from plangraph.ingest.pipeline import load_paths

    root = Path(__file__).resolve().parent.parent
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        load_paths([str(root / "data" / "samples"), str(root / "tests" / "data" / "web")], store, link=False)
        tasks = fetch_tasks(store)
        provinces = {t.province for t in tasks if t.level != "national"}
        fetched = {province: fetch_tasks(store, {province}) for province in provinces}
    finally:
        store.close()
    everything = link_tasks(tasks, workers=1)
    assert len(provinces) >= 5 and everything
    lowers = {t.id: t.province for t in tasks}
    for province in provinces:
        # Only the province's tasks and the national ones are read, and only its blocks are scored.
        assert {t.province for t in fetched[province] if t.level != "national"} == {province}
        scoped = link_tasks(fetched[province], workers=1, provinces={province})
        assert all(lowers[link.lower] == province for link in scoped)
        assert [link.row() for link in scoped] == [link.row() for link in everything if lowers[link.lower] == province]


def test_the_levels_a_change_reaches() -> None:
    """A block (province, level) is scored among its own tasks and those above: a change reaches its level and the
    levels below it; a province's own plan (or one of no known level) reaches every level."""
    from plangraph.cascade.lineage import levels_to_relink

    assert levels_to_relink(["commune"]) == ("commune",)
    assert levels_to_relink(["commune", "department"]) == ("department", "district", "commune")
    assert levels_to_relink(["district"]) == ("district", "commune")
    assert levels_to_relink(["commune", "province"]) is None
    assert levels_to_relink(["commune", None]) is None
    assert levels_to_relink(["commune", "national"]) is None
    assert levels_to_relink([]) is None


def test_a_link_scoped_to_levels_finds_what_the_whole_link_finds_there(tmp_path: Path) -> None:
    """Scored at some levels of a province only, the links of those levels are exactly the whole link's."""
    from plangraph.cascade.lineage import link_tasks
    from plangraph.ingest.pipeline import load_paths

    root = Path(__file__).resolve().parent.parent
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        load_paths([str(root / "data" / "samples"), str(root / "tests" / "data" / "web")], store, link=False)
        tasks = fetch_tasks(store)
    finally:
        store.close()
    everything = link_tasks(tasks, workers=1)
    of = {t.id: (t.province, t.level) for t in tasks}
    for province, levels in (("Lạng Sơn", ("commune",)), ("Đồng Nai", ("department", "district", "commune"))):
        scoped = link_tasks(tasks, workers=1, provinces={province}, levels={province: levels})
        expected = [link.row() for link in everything if of[link.lower][0] == province and of[link.lower][1] in levels]
        assert expected and [link.row() for link in scoped] == expected
