"""Bulk writes on the embedded store: the same graph as document-by-document writes, nothing of them when they
cannot complete, and parallel parsing that changes nothing but the time."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from plangraph.cascade.linking import relink
from plangraph.errors import StoreError
from plangraph.ingest import pipeline
from plangraph.ingest.pipeline import load_paths, read_document
from plangraph.ingest.reading import read_bytes, read_file
from plangraph.model import GraphBatch
from plangraph.schema import NODE_PROPERTIES, REL_TYPES
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLE_FILES, SAMPLES


def dump(store: EmbeddedStore) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[tuple[str, ...], dict[str, Any]]]:
    """Every node with its properties and every relationship with its properties."""
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(f"n.{name}" for name in props)
        for row in store.run_read(f"MATCH (n:{label}) RETURN {columns}", row_limit=10**6).rows:
            record = dict(zip(props, row, strict=True))
            nodes[(label, record["id"])] = record
    edges: dict[tuple[str, ...], dict[str, Any]] = {}
    for rel in REL_TYPES:
        names = list(rel.properties)
        columns = "".join(f", r.{name}" for name in names)
        for start, end in rel.pairs:
            query = f"MATCH (a:{start})-[r:{rel.name}]->(b:{end}) RETURN a.id, b.id{columns}"
            for row in store.run_read(query, row_limit=10**6).rows:
                key = (rel.name, start, row[0], end, row[1])
                assert key not in edges, f"duplicated relationship {key}"
                edges[key] = dict(zip(names, row[2:], strict=True))
    return nodes, edges


def batches() -> list[GraphBatch]:
    """The samples, plus a second Lạng Sơn plan that names the Sở Nội vụ differently (so a shared
    agency is written by several documents of one run, with different aliases)."""
    out = [read_document(read_file(SAMPLES / name))[1] for name in SAMPLE_FILES.values()]
    text = (SAMPLES / SAMPLE_FILES["000"]).read_text("utf-8")
    variant = text.replace("Sở Nội vụ", "Sở Nội Vụ").replace("số: 110/KH-UBND", "số: 137/KH-UBND")
    assert variant.count("137/KH-UBND") == 1 and "Sở Nội Vụ" in variant
    out.append(read_document(read_bytes(variant.encode(), "variant.txt"))[1])
    return out


def one_by_one(path: Path, first: list[GraphBatch], rest: list[GraphBatch]) -> EmbeddedStore:
    store = EmbeddedStore(path)
    for batch in [*first, *rest]:
        store.replace_document(batch)
    return store


def test_a_bulk_run_writes_the_graph_document_by_document_writes_do(tmp_path: Path) -> None:
    every = batches()
    # The commune plan is in the store before the run: its agencies are shared nodes the run updates.
    first, rest = every[3:4], every[:3] + every[4:]
    expected = dump(one_by_one(tmp_path / "seq.lbdb", first, rest))
    store = EmbeddedStore(tmp_path / "bulk.lbdb")
    store.replace_document(first[0])
    results = store.write_documents(rest)
    assert [r.source_file for r in results if not isinstance(r, Exception)] == [b.source_file for b in rest]
    got = dump(store)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    aliases = got[0][("Agency", "tinh-lang-son/so-noi-vu")]["aliases"]
    assert sorted(aliases) == ["Sở Nội Vụ", "Sở Nội vụ"]


def test_documents_written_again_leave_the_graph_as_it_was(tmp_path: Path) -> None:
    every = batches()
    store = EmbeddedStore(tmp_path / "g.lbdb")
    store.write_documents(every)
    before = dump(store)
    results = store.write_documents(every)  # the same files again: each replaces what its file held
    assert all(not isinstance(r, Exception) for r in results)
    assert dump(store) == before
    store.close()
    again = EmbeddedStore(tmp_path / "g.lbdb", read_only=True)
    assert dump(again) == before
    again.close()


def test_a_document_the_engine_refuses_is_left_out_and_the_others_are_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A batch whose lead names an agency it does not hold: the engine refuses the COPY of the version that
    holds it. The write finds that document alone, reports its error, and writes the others."""
    import dataclasses

    from plangraph.model import EdgeRecord

    every = batches()
    good = every[:2] + every[3:]
    broken = every[2]
    task_key = next(n.key for n in broken.nodes if n.label == "Task")
    stray = EdgeRecord("LED_BY", "Task", task_key, "Agency", "no/such-agency", {})
    broken = dataclasses.replace(broken, edges=(*broken.edges, stray))
    expected = dump(one_by_one(tmp_path / "seq.lbdb", [], good))
    store = EmbeddedStore(tmp_path / "g.lbdb")
    with caplog.at_level(logging.WARNING):
        results = store.write_documents(every[:2] + [broken] + every[3:])
    assert "writing them one by one" in caplog.text
    assert [isinstance(r, Exception) for r in results] == [False, False, True, False, False, False]
    assert "no/such-agency" in str(results[2])
    assert dump(store) == expected
    store.close()
    assert dump(EmbeddedStore(tmp_path / "g.lbdb", read_only=True)) == expected


KILLED_MID_RUN = """
import os, signal, sys
import real_ladybug as lb
from plangraph.ingest.pipeline import load_paths
from plangraph.store.embedded import EmbeddedStore
execute = lb.Connection.execute
def execute_then_kill(self, query, *args, **kwargs):
    result = execute(self, query, *args, **kwargs)
    if query.startswith("COPY LED_BY"):  # in the process that builds the next version, between two COPYs
        os.kill(os.getppid(), signal.SIGKILL)  # the writer killed
        os._exit(9)
    return result
lb.Connection.execute = execute_then_kill
store = EmbeddedStore(sys.argv[1])
load_paths([sys.argv[2]], store, link=False)
"""


def test_a_writer_killed_while_it_builds_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "g.lbdb"
    first = EmbeddedStore(path)
    load_paths([SAMPLES / SAMPLE_FILES["003"]], first)
    first.close()
    before = dump(EmbeddedStore(path, read_only=True))
    process = subprocess.run([sys.executable, "-c", KILLED_MID_RUN, str(path), str(SAMPLES)], timeout=300)
    assert process.returncode == -9
    assert path.with_name("g.lbdb.next").exists()  # the half-built version, never put in place
    reader = EmbeddedStore(path, read_only=True)  # no writer at work: what the killed one left goes
    assert dump(reader) == before  # the commune plan as it was, nothing of the killed load
    reader.close()
    assert not path.with_name("g.lbdb.next").exists()
    writer = EmbeddedStore(path)
    report = load_paths([SAMPLES], writer)
    writer.close()
    assert not report.failed and len(report.documents) == 5


def test_a_relink_again_and_a_relink_of_one_province_keep_the_lineage(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.lbdb")
    load_paths([SAMPLES], store, link=False)
    one = relink(store)
    lineage = dump(store)[1]
    two = relink(store)
    assert one == two and len(one) > 10
    assert dump(store)[1] == lineage
    # Relinking one province replaces only its derivations.
    relink(store, ["Lạng Sơn"])
    assert dump(store)[1] == lineage
    store.close()
    assert dump(EmbeddedStore(tmp_path / "g.lbdb", read_only=True))[1] == lineage


def test_an_interrupted_link_is_reported_until_a_link_completes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "g.lbdb"
    store = EmbeddedStore(path)
    load_paths([SAMPLES], store)
    store._journal("link", {"provinces": None})  # what a link killed between its delete and its COPY leaves
    store.close()
    with caplog.at_level(logging.WARNING):
        store = EmbeddedStore(path)
    assert "run plangraph link" in caplog.text
    relink(store)
    assert path.with_name("g.lbdb.link.json").exists()  # until the relinked version is the store's
    store.close()
    assert not path.with_name("g.lbdb.link.json").exists()


def test_an_unreadable_journal_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "g.lbdb"
    EmbeddedStore(path).close()
    path.with_name("g.lbdb.journal").joinpath("manifest.json").write_text("{not json", "utf-8")
    with pytest.raises(StoreError, match="journal .* cannot be read"):
        EmbeddedStore(path)


def test_the_engine_loses_a_relationship_table_when_a_copy_into_it_is_rolled_back(tmp_path: Path) -> None:
    # Why a version is built in a file of its own and never rolled back (plangraph.store.embedded: a write that
    # fails leaves its half-built version, and the store, as they were). Also in tests/test_engine_defects.py.
    import real_ladybug as lb

    db = lb.Database(str(tmp_path / "probe.lbdb"))
    conn = lb.Connection(db)
    conn.execute("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM N TO N)")
    conn.execute("CREATE (:N {id: 'a'}), (:N {id: 'b'}), (:N {id: 'c'})")
    conn.execute("COPY R FROM $rows", {"rows": pa.table({"from": ["a"], "to": ["b"]})})
    conn.execute("BEGIN TRANSACTION")
    conn.execute("COPY R FROM $rows", {"rows": pa.table({"from": ["b"], "to": ["c"]})})
    conn.execute("ROLLBACK")
    assert conn.execute("MATCH ()-[r:R]->() RETURN count(r)").get_next()[0] == 0  # the a→b edge is gone too


def test_parsing_in_worker_processes_gives_the_same_report_and_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loaded_store: EmbeddedStore
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    store = EmbeddedStore(tmp_path / "g.lbdb")
    seen: list[Path] = []
    report = load_paths([SAMPLES], store, workers=2, on_document=seen.append)
    serial = load_paths([SAMPLES], EmbeddedStore(tmp_path / "serial.lbdb"), workers=1)
    assert report.as_dict() == serial.as_dict()
    assert [p.name for p in seen] == sorted(SAMPLE_FILES.values())
    assert dump(store) == dump(loaded_store)


def test_linking_blocks_in_worker_processes_gives_the_same_links(
    loaded_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plangraph.cascade import lineage
    from plangraph.cascade.linking import fetch_tasks

    tasks = fetch_tasks(loaded_store)
    serial = lineage.link_tasks(tasks, workers=1)
    monkeypatch.setattr(lineage, "PARALLEL_FROM", 0)
    assert lineage.link_tasks(tasks, workers=2) == serial and len(serial) == 25


def test_a_plan_another_file_holds_is_refused_and_loses_nothing(tmp_path: Path) -> None:
    # Two files whose headers give the same plan (number, issuer, year) used to merge into one plan, the second
    # taking over the first's tasks without a word. Each path refuses the second file instead.
    text = (SAMPLES / SAMPLE_FILES["003"]).read_bytes()
    for name in ("ke-hoach.txt", "ban-sao.txt"):
        (tmp_path / name).write_bytes(text)
    store = EmbeddedStore(tmp_path / "bulk.lbdb")
    report = load_paths([tmp_path / "ban-sao.txt", tmp_path / "ke-hoach.txt"], store)
    assert [d.status for d in report.documents] == ["loaded", "failed"]
    assert "already loaded from ban-sao.txt" in str(report.documents[1].error)
    assert store.run("MATCH (t:Task) RETURN count(t)").rows[0][0] == 97
    # Later, one by one (the API's upload path), and through a bulk run that finds it in the store.
    again = load_paths([tmp_path / "ke-hoach.txt"], store)
    assert again.documents[0].status == "failed" and "ban-sao.txt" in str(again.documents[0].error)
    _, batch = read_document(read_bytes(text, "other.txt"))
    with pytest.raises(StoreError, match="already loaded from ban-sao.txt"):
        store.replace_document(batch)
    assert store.run("MATCH (t:Task) RETURN count(t)").rows[0][0] == 97
    assert store.run("MATCH (p:Plan) RETURN p.source_file").rows == (("ban-sao.txt",),)


def test_a_run_that_is_not_what_was_staged_is_merged_anew(tmp_path: Path) -> None:
    """Staged documents the write does not get as one run (one refused, or left out) are not copied from the
    staging: the run is merged from the documents it has, as without staging."""
    every = batches()
    expected = EmbeddedStore(tmp_path / "plain.lbdb")
    expected.write_documents(every[:1] + every[2:])
    want = dump(expected)
    store = EmbeddedStore(tmp_path / "staged.lbdb")
    for batch in every:
        store.stage(batch)
    store.write_documents(every[:1] + every[2:])  # the second staged document is not in the run
    assert dump(store) == want
    assert not store._staged  # what was staged and not written is let go
