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
