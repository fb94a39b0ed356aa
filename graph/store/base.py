"""The store interface both engines implement (DESIGN.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from plangraph.errors import PlangraphError
from plangraph.model import GraphBatch

# Limits for queries run on behalf of users (CLI `cypher`, API): rows and milliseconds.
DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool = False  # more rows existed than the row limit allowed

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class WriteSummary:
    source_file: str
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


class Reader(Protocol):
    """Anything that runs read queries: a store, or the API's holder of one."""

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> QueryResult: ...


class GraphStore(Protocol):
    """A property-graph store holding the graph contract."""

    backend: str

    def ensure_schema(self) -> None:
        """Create tables/constraints/indexes if they do not exist."""
        ...

    def replace_document(self, batch: GraphBatch) -> WriteSummary:
        """Replace one document's subgraph in a single transaction."""
        ...

    def write(self, batch: GraphBatch) -> WriteSummary:
        """Write a document's subgraph (same as replace: loads are idempotent)."""
        ...

    def write_documents(self, batches: Sequence[GraphBatch]) -> list[WriteSummary | PlangraphError]:
        """Write several documents, each whole or not at all; one entry per batch: its summary or
        the error that kept it out."""
        ...

    def replace_derivations(
        self, provinces: list[str] | None, rows: list[dict[str, Any]], levels: dict[str, list[str]] | None = None
    ) -> None:
        """Replace the DERIVES_FROM edges of the lower-level tasks of `provinces` (None: all) with
        `rows` (plangraph.cascade.linking); `levels`: in a province it names, only the edges of its tasks at
        these levels."""
        ...

    def run(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run any statement (library use; not for user-supplied text)."""
        ...

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> QueryResult:
        """Run a query the engine guarantees cannot write."""
        ...

    def close(self) -> None: ...


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, nodes/relationships as plain dicts, recursively."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
