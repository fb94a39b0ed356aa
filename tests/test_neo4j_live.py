"""End-to-end on a live Neo4j 5 server: the full load and every named query.

Runs only when NEO4J_URI (and NEO4J_PASSWORD) name a server, e.g. after
`docker compose up -d neo4j`:

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=… python3 -m pytest -m neo4j_live

No Neo4j server can run on the project's build machines, so CI skips these; the
same queries are executed on the embedded engine and linted by Neo4j's linter.
"""

from __future__ import annotations

import os

import pytest

from plangraph.ingest.pipeline import load_paths
from plangraph.queries import public_queries, run_named
from plangraph.store.counts import stats
from plangraph.store.embedded import EmbeddedStore
from plangraph.store.neo4j import Neo4jSettings, Neo4jStore
from tests.conftest import SAMPLES, empty_neo4j

pytestmark = [
    pytest.mark.neo4j_live,
    pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set: no live Neo4j server"),
]


@pytest.fixture(scope="module")
def neo4j_store() -> Neo4jStore:
    store = Neo4jStore(Neo4jSettings.from_environment())
    empty_neo4j(store)
    report = load_paths([SAMPLES], store)
    assert not report.failed, report.render()
    return store


def test_neo4j_live_same_counts_as_embedded(neo4j_store: Neo4jStore, loaded_store: EmbeddedStore) -> None:
    assert stats(neo4j_store) == stats(loaded_store)


def test_neo4j_live_reload_is_idempotent(neo4j_store: Neo4jStore) -> None:
    before = stats(neo4j_store)
    load_paths([SAMPLES], neo4j_store)
    assert stats(neo4j_store) == before


@pytest.mark.parametrize("name", sorted(public_queries()))
def test_neo4j_live_named_query_matches_embedded(
    name: str, neo4j_store: Neo4jStore, loaded_store: EmbeddedStore
) -> None:
    example = {p.name: p.example for p in public_queries()[name].params}  # every parameter, as --list shows it
    live = run_named(neo4j_store, name, example).records()
    embedded = run_named(loaded_store, name, example).records()
    key = lambda r: repr(sorted((k, repr(v)) for k, v in r.items()))  # noqa: E731 - order-insensitive comparison
    assert sorted(live, key=key) == sorted(embedded, key=key)


def test_neo4j_live_read_only_refuses_writes(neo4j_store: Neo4jStore) -> None:
    from plangraph.errors import ReadOnlyViolation

    with pytest.raises(ReadOnlyViolation):
        neo4j_store.run_read("MATCH (t:Task) SET t.status = 'done'")
