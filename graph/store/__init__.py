"""Graph stores: the embedded engine (default) and Neo4j (production)."""

from __future__ import annotations

from pathlib import Path

from plangraph.errors import StoreError
from plangraph.store.base import GraphStore

BACKENDS = ("embedded", "neo4j")


def default_store_path() -> Path:
    """`PLANGRAPH_STORE`, else `.plangraph/graph.lbdb` under the current directory (plangraph.settings)."""
    from plangraph.settings import Settings

    return Settings().store


def open_store(backend: str = "embedded", location: str | Path | None = None, read_only: bool = False) -> GraphStore:
    """Open a store. `read_only` stores are enforced by the engine, not by filtering text.

    `location` is the embedded store's path; Neo4j reads NEO4J_URI, NEO4J_USER,
    NEO4J_PASSWORD and NEO4J_DATABASE from the environment.
    """
    if backend == "embedded":
        from plangraph.store.embedded import EmbeddedStore

        return EmbeddedStore(location or default_store_path(), read_only=read_only)
    if backend == "neo4j":
        from plangraph.store.neo4j import Neo4jSettings, Neo4jStore

        return Neo4jStore(Neo4jSettings.from_environment(), read_only=read_only)
    raise StoreError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


def interrupted_link(backend: str, location: str | Path | None = None, store: object | None = None) -> str | None:
    """What the store's lineage (DERIVES_FROM) lacks until `plangraph link` runs ("every province", "tỉnh Lạng
    Sơn (commune tasks)"), or None when it is complete: the embedded store's link journal, Neo4j's link state
    (read through `store` when one is open)."""
    if backend == "embedded":
        from plangraph.store.embedded import interrupted_link as journal_says

        return journal_says(location or default_store_path())
    owed = getattr(store, "interrupted_link", None)
    if owed is not None:
        said: str | None = owed()
        return said
    opened = open_store(backend, location, read_only=True)
    try:
        return interrupted_link(backend, location, opened)
    finally:
        opened.close()
