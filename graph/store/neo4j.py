"""The Neo4j 5 store, through the official `neo4j` driver.

- Schema: a uniqueness constraint on `id` for every label, lookup indexes on the
  keys loads and queries filter by, and one full-text index for search — all
  `IF NOT EXISTS`.
- Writes: a document's subgraph is replaced in one managed write transaction
  (delete what the file contributed, then batched `UNWIND $rows … MERGE`).
- Reads for users run in managed read transactions on READ-mode sessions, so the
  server refuses any write; they carry a timeout and a row cap.

Connection settings: NEO4J_URI (bolt://, neo4j://, neo4j+s:// for Aura),
NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import READ_ACCESS, GraphDatabase, ManagedTransaction, unit_of_work
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship

from plangraph.errors import PlangraphError, QueryError, QueryLimitExceeded, ReadOnlyViolation, StoreError
from plangraph.model import GraphBatch
from plangraph.schema import (
    DOCUMENT_LABELS,
    NODE_PROPERTIES,
    REL_BY_NAME,
    SEARCH_PROPERTIES,
    SHARED_LABELS,
    merge_shared,
)
from plangraph.store import linkscope, statements
from plangraph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult, WriteSummary, jsonable
from plangraph.store.codec import decode, encode
from plangraph.store.ordering import settle

log = logging.getLogger(__name__)

BATCH_SIZE = 5_000  # rows per UNWIND statement (benchmarks/neo4j_load.py takes it as a parameter)
FULLTEXT_INDEX = "plangraph_search"
# Properties the loads and the named queries filter by, per label.
LOOKUP_INDEXES: dict[str, tuple[str, ...]] = {
    "Task": ("source_file", "plan_id", "status", "due_end"),
    "Plan": ("source_file", "code", "level"),
    "Indicator": ("source_file", "plan_id"),
    "Agency": ("name", "jurisdiction"),
    "LegalBasis": ("number",),
}


def schema_statements() -> list[str]:
    """Neo4j's schema (the embedded engine declares tables instead: plangraph.store.embedded)."""
    out = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODE_PROPERTIES
    ]
    for label, props in LOOKUP_INDEXES.items():
        out += [f"CREATE INDEX {label.lower()}_{p} IF NOT EXISTS FOR (n:{label}) ON (n.{p})" for p in props]
    share, state = statements.SHARE, statements.STATE  # the bookkeeping (statements: "Neo4j's bookkeeping")
    for p in ("key", "source_file"):
        out.append(f"CREATE INDEX {share.lower()}_{p} IF NOT EXISTS FOR (n:{share}) ON (n.{p})")
    out.append(f"CREATE CONSTRAINT {state.lower()}_id IF NOT EXISTS FOR (n:{state}) REQUIRE n.id IS UNIQUE")
    labels = "|".join(SEARCH_PROPERTIES)
    indexed = ", ".join(f"n.{p}" for p in sorted({p for ps in SEARCH_PROPERTIES.values() for p in ps}))
    out.append(f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) ON EACH [{indexed}]")
    return out


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str | None

    @classmethod
    def from_environment(cls) -> Neo4jSettings:
        """The connection from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (plangraph.settings)."""
        from plangraph.settings import Neo4jEnvironment

        environment = Neo4jEnvironment()
        uri, password = environment.uri, environment.password
        if not uri:
            raise StoreError(
                "NEO4J_URI is not set: e.g. export NEO4J_URI=bolt://localhost:7687 (see docker-compose.yml)"
            )
        if not password:
            raise StoreError("NEO4J_PASSWORD is not set: export the password of the Neo4j user")
        return cls(uri, environment.user, password, environment.database or None)


def _native(value: Any) -> Any:
    """Driver values as plain Python: nodes and relationships as property dicts, temporal values native."""
    if isinstance(value, Node | Relationship):
        return {k: _native(v) for k, v in dict(value).items()}
    if isinstance(value, Path):
        return [_native(n) for n in value.nodes]
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


TX_ROWS = 100_000  # lineage edges per write transaction beyond which a relink is split (see replace_derivations)


class Neo4jStore:
    backend = "neo4j"

    def __init__(self, settings: Neo4jSettings, read_only: bool = False, batch_size: int = BATCH_SIZE) -> None:
        self.settings = settings
        self.read_only = read_only
        self.batch_size = batch_size  # rows per UNWIND statement
        self.result_bytes: int | None = None  # a read's answer as JSON past which it is refused (the API sets it)
        try:
            self._driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password))
            self._driver.verify_connectivity()
        except Exception as exc:  # wrapped with what to do; the driver's own error is chained
            raise self._wrap(exc) from exc
        if not read_only:
            self.ensure_schema()

    def _wrap(self, exc: BaseException) -> Exception:
        if isinstance(exc, PlangraphError):  # ours already says what and what to do
            return exc
        if isinstance(exc, neo4j_errors.AuthError):
            return StoreError(
                f"Neo4j at {self.settings.uri} refused the credentials of user {self.settings.user!r}: "
                "check NEO4J_USER and NEO4J_PASSWORD"
            )
        if isinstance(exc, neo4j_errors.ServiceUnavailable | OSError):
            return StoreError(
                f"cannot reach Neo4j at {self.settings.uri}: start it (docker compose up -d neo4j) or check NEO4J_URI"
            )
        if isinstance(exc, OverflowError | TypeError) and not isinstance(exc, neo4j_errors.Neo4jError):
            # raised by the driver while packing parameters (an integer past 64 bits, a value Bolt has no type for)
            return QueryError(f"a query parameter cannot be sent to Neo4j: {exc}")
        if isinstance(exc, neo4j_errors.ConstraintError):
            return StoreError(f"a Neo4j constraint was violated: {exc.message}")
        if isinstance(exc, neo4j_errors.ClientError):
            if exc.code and ("AccessMode" in exc.code or "ForbiddenDueToTransactionType" in exc.code):
                return ReadOnlyViolation("the query tries to change the graph; this entry point is read-only")
            if exc.code and ("Timeout" in exc.code or "TimedOut" in exc.code):
                # Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration: the limit the store set
                return QueryLimitExceeded(f"the query was stopped at its time limit: {exc.message}")
            return QueryError(f"Neo4j refused the query: {exc.message}")
        if isinstance(exc, neo4j_errors.TransientError) and exc.code and "OutOfMemory" in exc.code:
            # Neo.TransientError.General.TransactionOutOfMemoryError (db.memory.transaction.max) and the pool's
            return QueryLimitExceeded("the query needed more memory than a query may use; add LIMIT or match less")
        if isinstance(exc, neo4j_errors.Neo4jError):
            return StoreError(f"Neo4j failed: {exc.message}")
        return StoreError(f"Neo4j failed: {exc}")

    def _session(self, read: bool = False) -> Any:
        if read:
            return self._driver.session(database=self.settings.database, default_access_mode=READ_ACCESS)
        return self._driver.session(database=self.settings.database)

    # -- schema and writes -------------------------------------------------------

    def ensure_schema(self) -> None:
        try:
            with self._session() as session:
                for statement in schema_statements():
                    session.run(statement).consume()
        except Exception as exc:
            raise self._wrap(exc) from exc

    def replace_document(self, batch: GraphBatch, replacing: str | None = None) -> WriteSummary:
        if self.read_only:
            raise ReadOnlyViolation("this store was opened read-only")
        try:
            with self._session() as session:
                result: WriteSummary = session.execute_write(_replace_document, batch, self.batch_size, replacing)
                return result
        except Exception as exc:
            raise self._wrap(exc) from exc

    write = replace_document

    def write_documents(self, batches: Sequence[GraphBatch]) -> list[WriteSummary | PlangraphError]:
        """One write transaction per document (Neo4j's MERGE finds endpoints through the key constraints'
        indexes, so per-document writes stay linear in the store's size)."""
        out: list[WriteSummary | PlangraphError] = []
        for batch in batches:
            try:
                out.append(self.replace_document(batch))
            except PlangraphError as exc:
                out.append(exc)
        return out

    # -- what a relink owes (plangraph.store.linkscope) -------------------------------------------------------

    def expect_link(self, provinces: list[str] | None, levels: dict[str, list[str]]) -> None:
        """Record, before a write, that the lineage of `provinces` (at `levels`) is stale until a relink covers it
        (united with what is owed already): a writer stopped between its write and its relink (two transactions
        here) leaves every open, `stats`, `check` and /health saying "run plangraph link"."""
        if self.read_only:
            raise ReadOnlyViolation("this store was opened read-only")

        def owe(tx: ManagedTransaction) -> None:
            tx.run(statements.lock_link_state()).consume()  # the node's write lock first, its entry kept
            entry = _entry(tx.run(statements.link_state()).single())
            scope = {"provinces": provinces, "levels": levels}
            if entry is not None:
                joined, joined_levels = linkscope.union(provinces, levels, entry)
                scope = {"provinces": joined, "levels": joined_levels}
            tx.run(statements.set_link_state(), entry=json.dumps(scope, ensure_ascii=False)).consume()

        try:
            with self._session() as session:
                session.execute_write(owe)
        except Exception as exc:
            raise self._wrap(exc) from exc

    def link_owed(self) -> dict[str, Any] | None:
        """What a relink owes (a linkscope entry), or None when the lineage is complete."""
        try:
            with self._session(read=True) as session:
                record = session.execute_read(lambda tx: tx.run(statements.link_state()).single())
        except Exception as exc:
            raise self._wrap(exc) from exc
        return _entry(record)

    def interrupted_link(self) -> str | None:
        """What the lineage lacks, as a user reads it ("tỉnh Lạng Sơn (commune tasks)"), or None when complete."""
        owed = self.link_owed()
        return None if owed is None else linkscope.describe(owed)

    def replace_derivations(
        self, provinces: list[str] | None, rows: list[dict[str, Any]], levels: dict[str, list[str]] | None = None
    ) -> None:
        """Replace the DERIVES_FROM edges of the lower tasks of `provinces` (None: all; `levels`: in a province it
        names, only those of its tasks at these levels): in one write transaction
        up to TX_ROWS edges; a larger lineage (a national relink: 931,594 edges) in transactions of TX_ROWS,
        as one transaction would pass the server's memory limit for a transaction
        (`dbms.memory.transaction.total.max`, 70% of the heap by default). An interrupted large relink leaves
        the lineage partial until the next `plangraph link`."""
        statement = statements.merge_edges(REL_BY_NAME["DERIVES_FROM"], "Task", "Task", "neo4j")
        size = self.batch_size
        scoped = provinces is not None
        scopes = statements.derivation_scopes(provinces, levels)  # a province not in `provinces` is not relinked

        def write(tx: ManagedTransaction, part: list[dict[str, Any]], delete: bool) -> None:
            if delete:
                for leveled, params in scopes:
                    tx.run(statements.delete_derivations(scoped, leveled), params).consume()
            for start in range(0, len(part), size):
                tx.run(statement, rows=part[start : start + size]).consume()

        def delete_some(tx: ManagedTransaction) -> int:
            deleted = 0
            for leveled, params in scopes:
                found = tx.run(statements.delete_derivations_batch(scoped, leveled), {**params, "limit": TX_ROWS})
                record = found.single()
                deleted += int(record["deleted"]) if record is not None else 0
            return deleted

        covered = {p: list(v) for p, v in (levels or {}).items() if provinces is not None and p in provinces}

        def settle_owed(tx: ManagedTransaction) -> None:
            owed = _entry(tx.run(statements.link_state()).single())
            if owed is not None and linkscope.covers(provinces, covered, owed):
                tx.run(statements.clear_link_state()).consume()

        try:
            with self._session() as session:
                if len(rows) <= TX_ROWS:
                    session.execute_write(write, rows, True)
                else:  # several transactions: owed until the last one, so a stop in between is said
                    self.expect_link(provinces, covered)
                    while session.execute_write(delete_some):
                        pass
                    for start in range(0, len(rows), TX_ROWS):
                        session.execute_write(write, rows[start : start + TX_ROWS], False)
                session.execute_write(settle_owed)  # what this relink covered is owed no more
        except Exception as exc:
            raise self._wrap(exc) from exc

    # -- reads ---------------------------------------------------------------------

    def run(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            with self._session() as session:
                result = session.run(query, params or {})
                return _collect(result, DEFAULT_ROW_LIMIT)
        except Exception as exc:
            raise self._wrap(exc) from exc

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> QueryResult:
        """A read transaction on a READ-mode session: the server refuses writes. (User text is parsed
        first by plangraph.store.guard.run_user_query.)"""

        @unit_of_work(timeout=timeout_ms / 1000)  # the server stops the transaction at the limit
        def work(tx: ManagedTransaction) -> QueryResult:
            return _collect(tx.run(query, params or {}), row_limit, self.result_bytes)

        try:
            with self._session(read=True) as session:
                result: QueryResult = session.execute_read(work)
                # Lists sorted as on the embedded store (collect() has no order of its own): store.ordering.
                return QueryResult(result.columns, settle(query, result.columns, result.rows), result.truncated)
        except Exception as exc:
            raise self._wrap(exc) from exc

    def close(self) -> None:
        self._driver.close()


def _collect(result: Any, row_limit: int, byte_limit: int | None = None) -> QueryResult:
    """The rows, up to `row_limit`; past `byte_limit` bytes of JSON the answer is refused (as the embedded
    store's workers refuse it), so one query cannot make the API hold or send an unbounded answer."""
    columns = tuple(result.keys())
    rows: list[tuple[Any, ...]] = []
    truncated = False
    size = 0
    for record in result:
        if len(rows) >= row_limit:
            truncated = True
            break
        row = tuple(_native(v) for v in record.values())
        if byte_limit is not None:
            size += len(json.dumps(jsonable(row), ensure_ascii=False))
            if size > byte_limit:
                raise QueryLimitExceeded(
                    f"the result is larger than {byte_limit:,} bytes; return fewer or shorter values, or add LIMIT"
                )
        rows.append(row)
    return QueryResult(columns=columns, rows=tuple(rows), truncated=truncated)


def _entry(record: Any) -> dict[str, Any] | None:
    """The link state's entry from its record (None: nothing owed)."""
    if record is None or not record["entry"]:
        return None
    try:
        entry = json.loads(record["entry"])
    except ValueError:
        return {"provinces": None}  # unreadable: owed everywhere
    return entry if isinstance(entry, dict) and entry else None


# A shared key: ("node", label, id) or ("edge", type, start label, start id, end label, end id), joined.
SEP = "\x1f"


def _node_key(label: str, node_id: Any) -> str:
    return SEP.join(("node", label, str(node_id)))


def _edge_key(edge: Any) -> str:
    return SEP.join(("edge", edge.type, edge.start_label, edge.start_key, edge.end_label, edge.end_key))


def _batches(tx: ManagedTransaction, statement: str, rows: list[Any], batch_size: int, **params: Any) -> None:
    """Run `statement` over `rows` in UNWIND batches of `batch_size`."""
    for start in range(0, len(rows), batch_size):
        tx.run(statement, rows=rows[start : start + batch_size], **params).consume()


def _shares(batch: GraphBatch) -> dict[str, dict[str, Any]]:
    """What one document gives each shared key: a node's rows merged in the document's order (schema.merge_shared),
    an edge's last row (as plangraph.store.bulk.join takes them)."""
    out: dict[str, dict[str, Any]] = {}
    for record in batch.nodes:
        if record.label in SHARED_LABELS:
            key = _node_key(record.label, record.props["id"])
            out[key] = merge_shared(out.get(key, {}), record.props, record.label)
    for edge in batch.edges:
        if edge.start_label in SHARED_LABELS:
            out[_edge_key(edge)] = dict(edge.props)
    return out


def _recompute(tx: ManagedTransaction, keys: list[str], batch_size: int) -> None:
    """Set each shared key to what the documents held give, folded in the order of their files' names (a fresh
    build's rule); a key no document gives any more goes."""
    given: dict[str, list[tuple[str, dict[str, Any]]]] = {key: [] for key in keys}
    for start in range(0, len(keys), batch_size):
        for record in tx.run(statements.shares_of(), keys=keys[start : start + batch_size]):
            given[record["key"]].append((record["source_file"], decode(json.loads(record["props"]))))
    nodes: dict[str, list[dict[str, Any]]] = {}
    gone_nodes: dict[str, list[str]] = {}
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    gone_edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for key, contributions in given.items():
        kind, *parts = key.split(SEP)
        contributions.sort(key=lambda c: c[0])
        if kind == "node":
            label, node_id = parts
            if not contributions:
                gone_nodes.setdefault(label, []).append(node_id)
                continue
            row: dict[str, Any] = {}
            for _, props in contributions:
                row = merge_shared(row, props, label)
            nodes.setdefault(label, []).append({**row, "id": node_id})
        else:
            name, start_label, start_id, end_label, end_id = parts
            target = edges if contributions else gone_edges
            props = contributions[-1][1] if contributions else {}
            rel = REL_BY_NAME[name]
            target.setdefault((name, start_label, end_label), []).append(
                {"from_id": start_id, "to_id": end_id, **{p: props.get(p) for p in rel.properties}}
            )
    for label, rows in nodes.items():
        _batches(tx, statements.set_nodes(label, "neo4j"), rows, batch_size)
    for (name, start_label, end_label), rows in edges.items():
        _batches(tx, statements.merge_edges(REL_BY_NAME[name], start_label, end_label, "neo4j"), rows, batch_size)
    for (name, start_label, end_label), rows in gone_edges.items():
        _batches(tx, statements.delete_edges(REL_BY_NAME[name], start_label, end_label), rows, batch_size)
    for label, ids in gone_nodes.items():
        tx.run(statements.delete_nodes(label), ids=ids).consume()


def _unkept_said() -> None:
    """A write into a database filled without the bookkeeping (`neo4j-admin` import of `plangraph export`, or an
    older plangraph): the contributions of the documents it holds are unknown, so shared nodes are merged as
    they come (the first values stay, lists are united) and a reload cannot take back what a replaced document
    gave them. Said once per process; loading every document again into an emptied database cures it."""
    global _UNKEPT_SAID
    if not _UNKEPT_SAID:
        _UNKEPT_SAID = True
        log.warning(
            "this Neo4j database was filled without plangraph's record of what each document gives the shared "
            "agencies and legal bases (an import, or an older plangraph): they keep what replaced documents gave "
            "them. Empty it and load the documents again to have a fresh build's graph after every reload."
        )


_UNKEPT_SAID = False


def _summary(
    batch: GraphBatch, nodes: dict[str, list[dict[str, Any]]], edges: dict[tuple[str, str, str], list[Any]]
) -> WriteSummary:
    return WriteSummary(
        source_file=batch.source_file,
        nodes={label: len(rows) for label, rows in nodes.items()},
        relationships={f"{k[0]}({k[1]}→{k[2]})": len(v) for k, v in edges.items()},
    )


def _replace_document(
    tx: ManagedTransaction, batch: GraphBatch, batch_size: int = BATCH_SIZE, replacing: str | None = None
) -> WriteSummary:
    """Inside one write transaction: remove the file's old subgraph (and that of `replacing`, the file
    that held this plan before), write the new one.

    Shared nodes and edges (agencies, legal bases, the edges between them) hold what the documents held give, as a
    fresh build makes them: each document's contribution is kept (statements: "Neo4j's bookkeeping"), and a key
    the write took something from, or that a document whose file's name comes later also gives, is folded again
    from every contribution in the order of the files' names; a key this document is the last to give is merged
    as it comes (its first values stay, lists are united: the same fold). In a database filled without the
    bookkeeping every key is merged as it comes (_unkept_said)."""
    tx.run(statements.take_writer()).consume()  # writers take turns: what this one reads is all committed
    holder = tx.run(statements.plan_owner(), id=batch.plan_id).single()
    if holder is not None and holder["source_file"] not in (batch.source_file, replacing):
        raise StoreError(statements.plan_taken(batch.plan_id, batch.source_file, holder["source_file"]))
    files = list(dict.fromkeys(f for f in (batch.source_file, replacing) if f))
    kept = tx.run(statements.shares_kept()).single() is not None
    if not kept and tx.run(statements.any_document()).single() is None:
        tx.run(statements.keep_shares()).consume()  # an empty database: every contribution kept from now on
        kept = True
    refold: set[str] = set()  # folded again from every contribution; the other keys merged as they come
    if kept:
        refold = {record["key"] for record in tx.run(statements.share_keys(), source_files=files)}
        tx.run(statements.delete_shares(), source_files=files).consume()
    else:
        _unkept_said()
    for file in files:
        for label in reversed(DOCUMENT_LABELS):
            tx.run(statements.delete_document(label), source_file=file).consume()
    if kept:
        shares = _shares(batch)
        fresh = sorted(set(shares) - refold)
        for start in range(0, len(fresh), batch_size):
            chunk = fresh[start : start + batch_size]
            refold |= {r["key"] for r in tx.run(statements.later_shares(), keys=chunk, source_file=batch.source_file)}
        rows = [
            {"key": key, "source_file": batch.source_file, "props": json.dumps(encode(props), ensure_ascii=False)}
            for key, props in shares.items()
        ]
        _batches(tx, statements.create_shares(), rows, batch_size)
    nodes: dict[str, list[dict[str, Any]]] = {}
    for record in batch.nodes:
        nodes.setdefault(record.label, []).append(
            {name: record.props.get(name) for name in NODE_PROPERTIES[record.label]}
        )
    for label in SHARED_LABELS:
        rows = nodes.get(label, [])
        _batches(tx, statements.ensure_nodes(label), rows, batch_size)
        merged = [row for row in rows if _node_key(label, row["id"]) not in refold]
        _batches(tx, statements.merge_nodes(label, "neo4j"), merged, batch_size)
    for label in DOCUMENT_LABELS:
        _batches(tx, statements.merge_nodes(label, "neo4j"), nodes.get(label, []), batch_size)
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for edge in batch.edges:
        if edge.start_label in SHARED_LABELS and _edge_key(edge) in refold:
            continue
        rel = REL_BY_NAME[edge.type]
        row = {"from_id": edge.start_key, "to_id": edge.end_key, **{p: edge.props.get(p) for p in rel.properties}}
        edges.setdefault((edge.type, edge.start_label, edge.end_label), []).append(row)
    for (name, start_label, end_label), rows in edges.items():
        _batches(tx, statements.merge_edges(REL_BY_NAME[name], start_label, end_label, "neo4j"), rows, batch_size)
    _recompute(tx, sorted(refold), batch_size)
    for label in SHARED_LABELS:
        tx.run(statements.delete_orphans(label)).consume()
    return _summary(batch, nodes, edges)
