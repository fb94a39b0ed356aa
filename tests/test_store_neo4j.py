"""The Neo4j store without a server: settings, error wrapping, the statements it sends."""

from __future__ import annotations

import pytest

from plangraph.errors import StoreError
from plangraph.store import open_store
from plangraph.store.neo4j import FULLTEXT_INDEX, Neo4jSettings, schema_statements


def test_store_neo4j_settings_need_uri_and_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(StoreError, match="NEO4J_URI is not set"):
        Neo4jSettings.from_environment()
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    with pytest.raises(StoreError, match="NEO4J_PASSWORD is not set"):
        Neo4jSettings.from_environment()
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    monkeypatch.setenv("NEO4J_DATABASE", "plans")
    settings = Neo4jSettings.from_environment()
    assert (settings.uri, settings.user, settings.database) == (
        "neo4j+s://example.databases.neo4j.io",
        "neo4j",
        "plans",
    )


def test_store_neo4j_unreachable_server_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 1 on loopback: nothing listens, the driver fails at once.
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    with pytest.raises(StoreError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1: start it"):
        open_store("neo4j")


def test_store_neo4j_schema_has_constraints_indexes_and_fulltext() -> None:
    statements = schema_statements()
    assert "CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE" in statements
    assert "CREATE INDEX task_source_file IF NOT EXISTS FOR (n:Task) ON (n.source_file)" in statements
    assert any(s.startswith(f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS") for s in statements)
    assert all("IF NOT EXISTS" in s for s in statements)


def test_store_neo4j_server_accepts_every_statement_the_store_sends() -> None:
    """Every schema and write statement of the Neo4j dialect, run by the server in a transaction that is rolled
    back (the embedded store's twin: test_store_embedded_schema_and_write_statements_run)."""
    from plangraph.schema import NODE_PROPERTIES, REL_TYPES
    from plangraph.store.neo4j import Neo4jStore
    from plangraph.store.statements import all_write_statements, bookkeeping_statements
    from tests.conftest import neo4j_or_skip

    neo4j_or_skip()
    store = Neo4jStore(Neo4jSettings.from_environment())  # a writable open runs every schema statement
    try:
        columns = {name for props in NODE_PROPERTIES.values() for name in props}
        columns |= {name for rel in REL_TYPES for name in rel.properties}
        probe = {**dict.fromkeys(columns), "id": "probe", "from_id": "probe", "to_id": "probe", "aliases": []}
        params = {"rows": [probe], "source_file": "none.txt", "source_files": ["none.txt"], "ids": ["probe"]}
        params |= {"id": "probe", "limit": 10, "provinces": ["x"], "keys": ["probe"], "entry": "{}"}
        with store._driver.session(database=store.settings.database) as session:
            transaction = session.begin_transaction()
            try:
                for statement in [*all_write_statements("neo4j"), *bookkeeping_statements()]:
                    transaction.run(statement, params).consume()
            finally:
                transaction.rollback()
        assert store.run("MATCH (n {id: 'probe'}) RETURN count(n) AS n").rows == ((0,),)
    finally:
        store.close()
