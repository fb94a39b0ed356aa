"""The journal beside an embedded store, `plangraph check` and `plangraph repair` (issue 30, item 4).

The journal holds each loaded document's batch as parsed, recorded before the store writes it; `check` compares
the store with it and with the linker; `repair` rebuilds the store from it alone. The repaired store is the graph
a fresh load of the same documents builds, node by node, property by property, edge by edge.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import graph_snapshot  # noqa: E402

from plangraph.cli import main  # noqa: E402
from plangraph.errors import StoreError  # noqa: E402
from plangraph.ingest.pipeline import load_paths, parse_file  # noqa: E402
from plangraph.store.embedded import EmbeddedStore  # noqa: E402
from plangraph.store.journal import Journal, decode_batch, encode_batch  # noqa: E402
from plangraph.store.repair import check, repair  # noqa: E402
from tests.conftest import SAMPLE_FILES, SAMPLES, samples_store_at  # noqa: E402


def snapshot(path: Path) -> list[str]:
    store = EmbeddedStore(path, read_only=True)
    try:
        return graph_snapshot.canonical_lines(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The graph of the samples, loaded once into a new store."""
    return snapshot(samples_store_at(tmp_path_factory.mktemp("fresh") / "graph.lbdb"))


def damage(path: Path, *statements: str) -> None:
    """Change the store behind plangraph's back (the engine opened on its file, as a disk fault or an engine
    defect would): no writer of plangraph changes a store in place."""
    import real_ladybug as lb

    db = lb.Database(str(path))
    conn = lb.Connection(db)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()
        db.close()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """The samples loaded, then one reloaded twice and the whole folder again: the journal follows."""
    path = tmp_path / "graph.lbdb"
    store = EmbeddedStore(path)
    load_paths([SAMPLES], store)
    for _ in range(2):
        load_paths([SAMPLES / SAMPLE_FILES["003"]], store)
    load_paths([SAMPLES], store)
    store.close()
    return path


def test_a_batch_round_trips_through_the_journal() -> None:
    for name in SAMPLE_FILES.values():
        batch = parse_file(SAMPLES / name, name).batch
        assert batch is not None
        again = decode_batch(encode_batch(batch))
        assert encode_batch(again) == encode_batch(batch)
        assert again.plan_id == batch.plan_id and len(again.nodes) == len(batch.nodes)


def test_one_first_load_records_every_document(tmp_path: Path) -> None:
    """A first load writes its documents as one run: the journal names all of them, and the count at close
    agrees (a broken loop once recorded only the last document of a run)."""
    path = samples_store_at(tmp_path / "graph.lbdb")
    assert sorted(Journal(path).documents()) == sorted(SAMPLE_FILES.values())
    assert Journal(path).diverged() == []


def test_the_journal_names_every_loaded_document(history: Path) -> None:
    documents = Journal(history).documents()
    assert sorted(documents) == sorted(SAMPLE_FILES.values())
    result = check(history)
    assert result.ok, result.problems


def test_check_finds_what_was_lost_and_repair_rebuilds_the_fresh_graph(history: Path, fresh: list[str]) -> None:
    damage(
        history,
        "MATCH (p:Plan {code: '136/KH-UBND'})-[:HAS_TASK]->(:Task)-[r:LED_BY]->(:Agency) DELETE r",
        "MATCH (:Task)-[r:DERIVES_FROM]->(:Task) WITH r LIMIT 5 DELETE r",
        "MATCH (p:Plan {code: '110/KH-UBND'})-[:HAS_TASK]->(t:Task) WITH t LIMIT 3 DETACH DELETE t",
    )
    problems = check(history).problems
    joined = "\n".join(problems)
    assert "003_806a7918b24a7b13.txt: 102 lead and support edges in the store, 201 in the journal" in joined
    assert "000_0c3d8e49def43607.txt: 45 tasks in the store, 48 in the journal" in joined
    assert "lineage:" in joined and "DERIVES_FROM edges missing" in joined
    kept, documents = repair(history)
    assert documents == 5 and (kept / history.name).exists()
    assert check(history, exact=True).ok
    assert snapshot(history) == fresh


def test_a_document_recorded_but_not_written_is_found_and_repaired(history: Path, fresh: list[str]) -> None:
    """A plan the journal names and the store lost: check names it, repair writes it."""
    damage(
        history,
        "MATCH (p:Plan {code: '29/KH-UBND'})-[:HAS_TASK]->(t:Task) DETACH DELETE t",
        "MATCH (p:Plan {code: '29/KH-UBND'}) DETACH DELETE p",
    )
    assert "its plan" in "\n".join(check(history, lineage=False).problems)
    repair(history)
    assert snapshot(history) == fresh


def test_a_refused_document_is_not_recorded(tmp_path: Path) -> None:
    """A plan another file holds is refused by the store, and the journal takes its record back."""
    path = tmp_path / "graph.lbdb"
    store = EmbeddedStore(path)
    load_paths([SAMPLES / SAMPLE_FILES["003"]], store)
    copy = tmp_path / "copy-of-003.txt"
    shutil.copy(SAMPLES / SAMPLE_FILES["003"], copy)
    report = load_paths([copy], store)
    store.close()
    assert report.failed
    assert sorted(Journal(path).documents()) == [SAMPLE_FILES["003"]]


def test_check_counts_every_kind_of_node_and_edge(history: Path) -> None:
    """The soak's first loss (benchmarks/soak.py): after a killed reload of two other documents, one task's
    HAS_INDICATOR edge of a third was gone. No per-plan count showed it; the totals against the journal do."""
    reader = EmbeddedStore(history, read_only=True)
    held = reader.run("MATCH ()-[r:HAS_INDICATOR]->() RETURN count(r)").rows[0][0]
    reader.close()
    damage(history, "MATCH (:Task)-[r:HAS_INDICATOR]->(:Indicator) WITH r LIMIT 1 DELETE r")
    problems = check(history, lineage=False).problems
    assert problems == [f"HAS_INDICATOR: {held - 1} in the store, {held} in the journal"]


def test_exact_finds_a_changed_property(history: Path) -> None:
    """A change no count shows (a task's title) is found by the exact comparison with a fresh build."""
    damage(
        history,
        "MATCH (t:Task) WITH t LIMIT 1 SET t.title = 'changed behind the journal'",
    )
    assert check(history, lineage=False).ok
    result = check(history, lineage=False, exact=True)
    assert len(result.problems) == 1 and "2 nodes and relationships differ" in result.problems[0]
    assert '\n    - ["node", "Task"' in result.problems[0] and '\n    + ["node", "Task"' in result.problems[0]


def test_the_commands(history: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["check", "--store", str(history)])
    assert ok.exit_code == 0 and "no problem found" in ok.output
    damage(
        history,
        "MATCH (:Task)-[r:DERIVES_FROM]->(:Task) WITH r LIMIT 2 DELETE r",
    )
    broken = runner.invoke(main, ["check", "--store", str(history)])
    assert broken.exit_code == 1
    assert "problem: lineage: 2 DERIVES_FROM edges missing and 0 extra of 25" in broken.output
    repaired = runner.invoke(main, ["repair", "--store", str(history)])
    assert repaired.exit_code == 0 and "rebuilt from its journal (5 documents), linked" in repaired.output
    assert runner.invoke(main, ["check", "--store", str(history)]).exit_code == 0


def test_repair_without_a_journal_says_so(tmp_path: Path) -> None:
    path = tmp_path / "graph.lbdb"
    store = EmbeddedStore(path)
    load_paths([SAMPLES / SAMPLE_FILES["003"]], store)
    store.close()
    shutil.rmtree(Journal(path).folder)
    with pytest.raises(StoreError, match="no journal"):
        repair(path)
    assert any("no journal" in note for note in check(path, lineage=False).notes)


def test_the_manifest_is_json_a_person_can_read(history: Path) -> None:
    manifest = json.loads(Journal(history).manifest_path.read_text("utf-8"))
    assert manifest["version"] == 1
    entry = manifest["documents"][SAMPLE_FILES["003"]]
    assert entry["plan"] and len(entry["digest"]) == 64


def test_a_write_builds_the_store_from_its_journal_and_never_carries_a_loss(history: Path, fresh: list[str]) -> None:
    """A store that lost an edge behind plangraph's back (as the soak's killed reload once made one lose it) is
    said by check; the next ordinary write builds its version from the journal, so the loss is not carried into
    it (with an in-place writer it was, until a repair)."""
    damage(history, "MATCH (:Task)-[r:HAS_INDICATOR]->(:Indicator) WITH r LIMIT 1 DELETE r")
    assert check(history, lineage=False).problems[0].startswith("HAS_INDICATOR: ")
    writer = EmbeddedStore(history)
    load_paths([SAMPLES / SAMPLE_FILES["003"]], writer)  # an ordinary reload of another document
    writer.close()
    assert check(history, exact=True).ok
    assert snapshot(history) == fresh
    assert Journal(history).diverged() == []


def test_a_version_that_differs_from_its_journal_is_never_put_in_place(history: Path, fresh: list[str]) -> None:
    """Defence in depth: the writer counts its next version against the journal before the commit, and a version
    that differs (here a statement run on it) is refused; the store stays as it was."""
    writer = EmbeddedStore(history)
    writer.run("MATCH (:Task)-[r:HAS_INDICATOR]->(:Indicator) WITH r LIMIT 1 DELETE r")
    with pytest.raises(StoreError, match="next version differs from its journal"):
        writer.close()
    assert snapshot(history) == fresh
    assert not history.with_name(history.name + ".next").exists()


def test_an_unreadable_batch_is_a_problem_not_a_crash(history: Path) -> None:
    journal = Journal(history)
    entry = journal.documents()[SAMPLE_FILES["003"]]
    (journal.batches / f"{entry['digest']}.json.gz").write_bytes(b"not gzip")
    problems = check(history, lineage=False).problems
    assert len(problems) == 1 and problems[0].startswith(f"{SAMPLE_FILES['003']}: the journal's batch ")


def test_a_batch_s_kept_tables_round_trip_and_a_damaged_file_is_made_again(
    history: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Each batch's tables are kept beside it (`tables/<digest>.arrow`, Arrow streams and a JSON header: data,
    never pickle), so a version is built without decoding every batch again; a file that cannot be read is
    prepared again from the batch, with a warning, and the store is the same."""
    import logging

    from plangraph.store import bulk

    journal = Journal(history)
    entry = journal.documents()[SAMPLE_FILES["003"]]
    kept = journal.folder / "tables" / f"{entry['digest']}.arrow"
    assert kept.exists()
    fresh_prepared = bulk.prepare(journal.batch(entry["digest"]))
    read = journal.prepared(entry["digest"])
    assert read.summary == fresh_prepared.summary
    assert read.shared_nodes == fresh_prepared.shared_nodes and read.shared_edges == fresh_prepared.shared_edges
    assert read.nodes.keys() == fresh_prepared.nodes.keys()
    assert all(read.nodes[k].equals(fresh_prepared.nodes[k]) for k in read.nodes)
    assert all(read.edges[k].equals(fresh_prepared.edges[k]) for k in read.edges)
    before = snapshot(history)
    kept.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    with caplog.at_level(logging.WARNING):
        assert journal.prepared(entry["digest"]).summary == fresh_prepared.summary
    assert "cannot be read" in caplog.text
    assert bulk.load_prepared(kept.read_bytes()).summary == fresh_prepared.summary  # made again
    kept.write_bytes(b"damaged again")
    repair(history)  # the version's build reads the batch itself when its kept tables cannot be read
    assert snapshot(history) == before
