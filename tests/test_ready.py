"""The counts the link keeps ready for the cascade (plangraph.store.ready; issue 21, item 4).

The cascade of a mandate counts each plan's tasks and its tasks per lead agency; the link counts them once and
the embedded store keeps them beside it. The cascade must answer exactly as when it counts live: with the
counts, without them, with some of them out of date, and with a damaged file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from plangraph.cascade.tree import cascade, refresh_counts
from plangraph.ingest.pipeline import load_paths
from plangraph.store import ready
from plangraph.store.embedded import EmbeddedStore
from plangraph.store.workers import ReadPool

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "data" / "samples", ROOT / "tests" / "data" / "web"]
MANDATES = ["NQ 57", "Đề án 06", "66-NQ/TW"]


def answers(store: object) -> list[str]:
    out = []
    for mandate in MANDATES:
        for province in (None, "Lạng Sơn"):
            result = cascade(store, mandate, tasks=False, province=province).as_dict()  # type: ignore[arg-type]
            out.append(json.dumps(result, sort_keys=True, ensure_ascii=False, default=str))
    return out


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ready") / "graph.lbdb"
    store = EmbeddedStore(path)
    load_paths([str(p) for p in DOCUMENTS], store, workers=1)  # links, and so keeps the counts
    store.close()
    return path


def live_answers(store_path: Path, tmp_path: Path) -> list[str]:
    kept = ready.counts_path(store_path)
    aside = tmp_path / "aside.json"
    kept.rename(aside)
    try:
        store = EmbeddedStore(store_path, read_only=True)
        try:
            return answers(store)
        finally:
            store.close()
    finally:
        aside.rename(kept)


def test_the_link_keeps_every_plans_counts(store_path: Path) -> None:
    kept = ready.load_file(store_path)
    store = EmbeddedStore(store_path, read_only=True)
    try:
        plans = store.run("MATCH (p:Plan) RETURN p.id, p.source_sha256").rows
        tasks = dict(store.run("MATCH (p:Plan)-[:HAS_TASK]->(t:Task) RETURN p.id, count(t)").rows)
    finally:
        store.close()
    assert sorted(kept) == sorted(p for p, _ in plans)
    for plan, sha in plans:
        assert kept[plan]["sha256"] == sha and kept[plan]["tasks"] == tasks.get(plan, 0)
    assert sum(sum(entry["leads"].values()) for entry in kept.values()) > 500


def test_the_cascade_from_kept_counts_is_the_cascade_counted_live(store_path: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(store_path, read_only=True)
    try:
        kept = answers(store)
    finally:
        store.close()
    assert kept == live_answers(store_path, tmp_path)
    assert any('"tasks_per_level": {"' in answer for answer in kept)  # the mandates cascade: counts to compare


def test_the_api_readers_use_the_kept_counts(store_path: Path, tmp_path: Path) -> None:
    pool = ReadPool(store_path, size=1)
    try:
        assert ready.load(pool)  # the pool's store file is found, so the API's cascade reads the kept counts
        assert answers(pool) == live_answers(store_path, tmp_path)
    finally:
        pool.close()


def test_counts_out_of_date_or_damaged_are_not_used(store_path: Path, tmp_path: Path) -> None:
    live = live_answers(store_path, tmp_path)
    kept_file = ready.counts_path(store_path)
    original = kept_file.read_text("utf-8")
    try:
        data = json.loads(original)
        for entry in data["plans"].values():  # every plan's counts wrong, and of other bytes
            entry["tasks"] += 1000
            entry["leads"] = {"Sở Không Có": 999}
            entry["sha256"] = "0" * 64
        kept_file.write_text(json.dumps(data), "utf-8")
        store = EmbeddedStore(store_path, read_only=True)
        try:
            assert answers(store) == live
            kept_file.write_text("{not json", "utf-8")
            assert answers(store) == live
        finally:
            store.close()
    finally:
        kept_file.write_text(original, "utf-8")


def test_the_same_wrong_counts_of_the_same_bytes_would_be_used(store_path: Path, tmp_path: Path) -> None:
    """The other side of the test above: the file is what the cascade reads (not a decoration)."""
    kept_file = ready.counts_path(store_path)
    original = kept_file.read_text("utf-8")
    try:
        data = json.loads(original)
        for entry in data["plans"].values():
            entry["tasks"] += 1000
        kept_file.write_text(json.dumps(data), "utf-8")
        store = EmbeddedStore(store_path, read_only=True)
        try:
            result = cascade(store, "NQ 57", tasks=False).as_dict()
        finally:
            store.close()
        whole = [p for plans in result["levels"].values() for p in plans if p["whole_plan"]]
        assert whole and all(p["task_count"] >= 1000 for p in whole)
    finally:
        kept_file.write_text(original, "utf-8")


def test_a_write_forgets_its_plans_counts_and_the_link_counts_them_again(tmp_path: Path) -> None:
    path = tmp_path / "graph.lbdb"
    store = EmbeddedStore(path)
    try:
        load_paths([str(DOCUMENTS[0])], store, workers=1)
        before = ready.load_file(path)
        assert len(before) == 5
        reloaded = sorted(DOCUMENTS[0].glob("*.txt"))[0]
        load_paths([str(reloaded)], store, workers=1, link=False)  # replaced, not linked
        after = ready.load_file(path)
        assert len(after) == 4  # its plan's counts are gone: the cascade counts that plan live
        load_paths([str(reloaded)], store, workers=1)  # replaced and linked: counted again
        assert ready.load_file(path) == before
    finally:
        store.close()


def test_neo4j_keeps_nothing_beside_it() -> None:
    class Neo4jLike:
        backend = "neo4j"

    assert ready.store_file(Neo4jLike()) is None
    assert refresh_counts(Neo4jLike(), None) == 0  # type: ignore[arg-type]


def test_a_damaged_file_is_reported_once_and_counted_live(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "graph.lbdb"
    ready.counts_path(path).write_text('{"version": 1, "plans": []}', "utf-8")
    with caplog.at_level(logging.WARNING):
        assert ready.load_file(path) == {}
    assert "cannot be read" in caplog.text
