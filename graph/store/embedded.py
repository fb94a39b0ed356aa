"""The embedded store: LadybugDB (`real_ladybug`, the maintained fork of Kùzu).

An in-process, file-backed property graph. Schema is declared as node and
relationship tables derived from :mod:`graph.schema`. Reads for users run on a
database opened read-only, so the engine itself refuses writes.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import real_ladybug as lb

from graph.errors import QueryError, ReadOnlyViolation, StoreError
from graph.model import GraphBatch
from graph.schema import DOCUMENT_LABELS, NODE_PROPERTIES, REL_BY_NAME, REL_TYPES, SHARED_LABELS
from graph.store import statements
from graph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult, WriteSummary
from graph.store.guard import check_user_query

log = logging.getLogger(__name__)

# Engine messages that mean the query text is at fault, not the store.
USER_ERRORS = ("Parser exception", "Binder exception", "Catalog exception", "Runtime exception")
# Rows per UNWIND batch.
BATCH_SIZE = 2_000


def schema_statements() -> list[str]:
    """DDL for the embedded engine (Neo4j needs constraints instead: see graph.store.neo4j)."""
    out = []
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(f"{name} {kind}" for name, kind in props.items())
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY(id))")
    for rel in REL_TYPES:
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
        rel_columns = "".join(f", {name} {kind}" for name, kind in rel.properties.items())
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}({pairs}{rel_columns})")
    return out


def _is_write_refusal(message: str) -> bool:
    return "read-only" in message.lower() or "read only" in message.lower()


class EmbeddedStore:
    backend = "embedded"

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no graph store at {self.path}. Load documents first: plangraph load data/samples")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open(read_only)
            self._conn = lb.Connection(self._db)
        except RuntimeError as exc:
            raise StoreError(
                f"cannot open the embedded store at {self.path}: {exc}. "
                "If another plangraph process is writing to it, wait for it to finish."
            ) from exc
        self._lock = threading.Lock()
        if not read_only:
            self.ensure_schema()

    def _open(self, read_only: bool) -> Any:
        try:
            return lb.Database(str(self.path), read_only=read_only)
        except RuntimeError as exc:
            if not (read_only and "replay shadow pages" in str(exc)):
                raise
        # The last writer stopped before its checkpoint (killed, or crashed): its committed work is in the
        # write-ahead log. Opening once read-write replays it; then the store opens read-only as asked.
        log.warning("replaying the write-ahead log of %s left by an interrupted writer", self.path.name)
        lb.Database(str(self.path), read_only=False).close()
        return lb.Database(str(self.path), read_only=True)

    # -- schema ---------------------------------------------------------------

    def ensure_schema(self) -> None:
        existing = {row[1] for row in self._execute("CALL show_tables() RETURN *").get_all()}
        for label, props in NODE_PROPERTIES.items():
            self._check_table(label, existing, list(props))
        for rel in REL_TYPES:
            self._check_table(rel.name, existing, list(rel.properties))
        for statement in schema_statements():
            self._execute(statement)

    def _check_table(self, name: str, existing: set[str], expected: list[str]) -> None:
        """A store made by an older plangraph is refused with what to do, not silently mixed."""
        if name not in existing:
            return
        have = [row[1] for row in self._execute(f"CALL table_info('{name}') RETURN *").get_all()]
        if have != expected:
            raise StoreError(
                f"the store at {self.path} was made by another version of plangraph (table {name} has "
                f"{', '.join(have) or 'no properties'}; this version expects {', '.join(expected) or 'none'}). "
                f"Load the documents into a new store: remove {self.path} and run plangraph load again."
            )

    # -- writes ---------------------------------------------------------------

    def replace_document(self, batch: GraphBatch) -> WriteSummary:
        """Delete the document's previous subgraph and write the new one, in one transaction."""
        if self.read_only:
            raise ReadOnlyViolation("this store was opened read-only")
        with self._lock:
            self._execute("BEGIN TRANSACTION")
            try:
                params = {"source_file": batch.source_file}
                # A document loaded before is replaced; a new one (the bulk of a first load) skips the
                # deletes, which scan every document's nodes and every shared node.
                seen = self._execute(statements.document_loaded(), params).get_next()[0] > 0
                if seen:
                    for label in reversed(DOCUMENT_LABELS):
                        self._execute(statements.delete_document(label), params)
                summary = self._write_batch(batch)
                if seen:
                    for label in SHARED_LABELS:
                        self._execute(statements.delete_orphans(label))
                self._execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return summary

    write = replace_document

    def replace_derivations(self, lower_ids: list[str], rows: list[dict[str, Any]]) -> None:
        """Replace the DERIVES_FROM edges of `lower_ids` with `rows`, in one transaction."""
        statement = statements.merge_edges(REL_BY_NAME["DERIVES_FROM"], "Task", "Task", "embedded")
        with self._lock:
            self._execute("BEGIN TRANSACTION")
            try:
                for start in range(0, len(lower_ids), BATCH_SIZE):
                    self._execute(statements.delete_derivations(), {"ids": lower_ids[start : start + BATCH_SIZE]})
                for start in range(0, len(rows), BATCH_SIZE):
                    self._execute(statement, {"rows": rows[start : start + BATCH_SIZE]})
                self._execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError as exc:  # nothing to roll back
            log.debug("rollback: %s", exc)

    def _write_batch(self, batch: GraphBatch) -> WriteSummary:
        nodes: dict[str, list[dict[str, Any]]] = {}
        for record in batch.nodes:
            row = {name: record.props.get(name) for name in NODE_PROPERTIES[record.label]}
            nodes.setdefault(record.label, []).append(row)
        # Shared nodes first so relationships find them.
        for label in (*SHARED_LABELS, *DOCUMENT_LABELS):
            rows = nodes.get(label, [])
            for start in range(0, len(rows), BATCH_SIZE):
                self._execute(statements.merge_nodes(label, "embedded"), {"rows": rows[start : start + BATCH_SIZE]})
        edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for edge in batch.edges:
            rel = REL_BY_NAME[edge.type]
            row = {"from_id": edge.start_key, "to_id": edge.end_key}
            row.update({name: edge.props.get(name) for name in rel.properties})
            edges.setdefault((edge.type, edge.start_label, edge.end_label), []).append(row)
        for (name, start_label, end_label), rows in edges.items():
            statement = statements.merge_edges(REL_BY_NAME[name], start_label, end_label, "embedded")
            for start in range(0, len(rows), BATCH_SIZE):
                self._execute(statement, {"rows": rows[start : start + BATCH_SIZE]})
        return WriteSummary(
            source_file=batch.source_file,
            nodes={label: len(rows) for label, rows in nodes.items()},
            relationships={f"{k[0]}({k[1]}→{k[2]})": len(v) for k, v in edges.items()},
        )

    # -- reads ----------------------------------------------------------------

    def run(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        with self._lock:
            return self._collect(self._execute(query, params), DEFAULT_ROW_LIMIT)

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> QueryResult:
        """Run a user query. On a read-only store the engine refuses any write."""
        check_user_query(query)
        with self._lock:
            self._conn.set_query_timeout(timeout_ms)
            try:
                return self._collect(self._execute(query, params), row_limit)
            finally:
                self._conn.set_query_timeout(0)

    def _collect(self, result: Any, row_limit: int) -> QueryResult:
        if isinstance(result, list):  # several statements: keep the last result
            result = result[-1]
        columns = tuple(result.get_column_names())
        rows: list[tuple[Any, ...]] = []
        truncated = False
        while result.has_next():
            if len(rows) >= row_limit:
                truncated = True
                break
            rows.append(tuple(result.get_next()))
        return QueryResult(columns=columns, rows=tuple(rows), truncated=truncated)

    def _execute(self, query: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(query, params or {})
        except (ValueError, TypeError, OverflowError) as exc:  # the binding refused a parameter value
            raise QueryError(f"a query parameter cannot be passed to the engine: {exc}") from exc
        except RuntimeError as exc:
            message = str(exc)
            if message.startswith("Unable to cast Python instance"):
                raise QueryError(f"a query parameter cannot be passed to the engine: {message}") from exc
            if _is_write_refusal(message):
                raise ReadOnlyViolation("the query tries to change the graph; this entry point is read-only") from exc
            if "interrupted" in message.lower() or "timeout" in message.lower():
                raise QueryError(f"the query was stopped at its time limit: {message}") from exc
            if message.startswith(USER_ERRORS):
                raise QueryError(f"the query is not valid Cypher for this graph: {message}") from exc
            raise StoreError(f"the embedded engine failed: {message}") from exc

    def close(self) -> None:
        try:
            self._conn.close()
            self._db.close()
        except RuntimeError as exc:
            log.debug("close: %s", exc)
