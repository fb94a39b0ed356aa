"""The graph built from the project's documents is the one recorded (issue 21: speed without change).

`tests/data/graph-snapshot.jsonl.gz` holds every node, property and edge that the samples, the web corpus
and the office and example documents load into (lineage linked), as the code built it when it was recorded
(`python3 tools/graph_snapshot.py --write`). The parsers, the load and the link may get faster; the graph may
only change on purpose, with the snapshot rewritten in the same commit. The ways a load writes — everything
in one run, runs into tables that already hold earlier runs, replacing documents already held — must all
arrive at the same graph.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import graph_snapshot  # noqa: E402

from plangraph.ingest import pipeline  # noqa: E402
from plangraph.model import GraphBatch  # noqa: E402
from plangraph.store import bulk  # noqa: E402
from plangraph.store.embedded import EmbeddedStore  # noqa: E402

HOW_TO_RECORD = "the graph changed; if on purpose, record it: python3 tools/graph_snapshot.py --write\n"


def assert_as_recorded(lines: list[str]) -> None:
    diff = graph_snapshot.differences(graph_snapshot.recorded(), lines)
    assert not diff, HOW_TO_RECORD + "\n".join(diff)


@pytest.fixture(scope="module")
def recorded() -> list[str]:
    lines = graph_snapshot.recorded()
    assert len(lines) > 4000  # the documents load: plans, tasks, agencies, legal bases and their edges
    assert sum(line.startswith('["node", "Task"') for line in lines) > 650
    assert sum(line.startswith('["rel", "DERIVES_FROM"') for line in lines) > 20
    return lines


def test_one_load_builds_the_recorded_graph(recorded: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A first load into an empty store: every document in one run, each table copied once."""
    runs: list[int] = []
    original = EmbeddedStore.write_documents

    def write_documents(self: EmbeddedStore, batches: list[object]) -> object:
        runs.append(len(batches))
        return original(self, batches)  # type: ignore[arg-type]

    monkeypatch.setattr(EmbeddedStore, "write_documents", write_documents)
    assert_as_recorded(graph_snapshot.build(workers=1))
    assert runs == [18]  # the documents that parse, written together (two refused: another file holds their plans)


def test_a_staged_first_load_builds_the_same_graph_from_the_tables_it_staged(
    recorded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first load prepares each document's tables as it arrives (EmbeddedStore.stage); the write builds the
    version from them, preparing no document twice."""
    prepared: list[str] = []
    original = bulk.prepare

    def prepare(batch: GraphBatch) -> bulk.Prepared:
        prepared.append(batch.source_file)
        return original(batch)

    monkeypatch.setattr(bulk, "prepare", prepare)
    # The office documents render two samples: their plans are refused (another file holds them). Without them
    # every staged document is written.
    sources = [s for s in graph_snapshot.SOURCES if s.name != "office"]
    assert_as_recorded(graph_snapshot.build(workers=1, sources=sources))
    assert len(prepared) == 16 and len(set(prepared)) == 16  # each document once: staged, then copied


def test_parsing_in_workers_builds_the_same_graph(recorded: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    assert_as_recorded(graph_snapshot.build(workers=2))


def test_small_runs_into_populated_tables_build_the_same_graph(
    recorded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "FIRST_RUN", 3)
    monkeypatch.setattr(pipeline, "WRITE_RUN", 3)  # every run after the first copies into tables holding rows
    assert_as_recorded(graph_snapshot.build(workers=1))


def test_loading_source_by_source_then_reloading_builds_the_same_graph(recorded: list[str], tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        for source in graph_snapshot.SOURCES:  # each load relinks the provinces it touched
            pipeline.load_paths([str(source)], store, workers=1)
        pipeline.load_paths([str(graph_snapshot.SOURCES[0])], store, workers=1)  # held already: replaced
        assert_as_recorded(graph_snapshot.canonical_lines(store))
    finally:
        store.close()


def test_a_changed_graph_is_caught(recorded: list[str]) -> None:
    """The comparison fails on one changed property, one lost edge and one repeated line."""
    changed = list(recorded)
    index = next(i for i, line in enumerate(changed) if '"due_end": "' in line and line.startswith('["node", "Task"'))
    changed[index] = changed[index].replace('"due_end": "', '"due_end": "x', 1)
    lost = next(i for i, line in enumerate(changed) if line.startswith('["rel", "LED_BY"'))
    del changed[lost]
    diff = graph_snapshot.differences(recorded, changed)
    assert any(line.startswith("+ ") and '"due_end": "x' in line for line in diff)
    assert sum(line.startswith("- ") for line in diff) == 2  # the old property's line and the lost edge
    assert graph_snapshot.differences(recorded, recorded + recorded[:1])
