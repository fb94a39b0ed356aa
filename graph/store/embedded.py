"""The embedded store: LadybugDB (`real_ladybug`, the maintained fork of Kùzu).

An in-process, file-backed property graph. Schema is declared as node and
relationship tables derived from :mod:`plangraph.schema`. Reads for users run on a
database opened read-only, so the engine itself refuses writes.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import real_ladybug as lb

from plangraph.errors import PlangraphError, ReadOnlyViolation, StoreError
from plangraph.model import GraphBatch
from plangraph.schema import (
    DOCUMENT_LABELS,
    NODE_PROPERTIES,
    REL_BY_NAME,
    REL_TYPES,
    SHARED_LABELS,
    STRINGS,
    merge_shared,
)
from plangraph.store import bulk, ready, statements
from plangraph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult, WriteSummary
from plangraph.store.journal import Journal
from plangraph.store.ordering import settle
from plangraph.store.workers import engine_error

log = logging.getLogger(__name__)

# Rows per UNWIND batch.
BATCH_SIZE = 2_000
# Ids per lookup statement (`UNWIND $ids AS id MATCH … WHERE n.id = id`).
LOOKUP_SIZE = 20_000
# Fewer derivations than this are replaced in one transaction; more are copied in bulk.
BULK_DERIVATIONS = 2_000
# The list columns of the shared labels (aliases), which the engine can misplace (see EmbeddedStore._check_lists).
LIST_COLUMNS = {
    label: names
    for label in SHARED_LABELS
    if (names := [name for name, kind in NODE_PROPERTIES[label].items() if kind == STRINGS])
}
# Rewrites of a list column (each followed by a checkpoint) before the store gives up on it.
LIST_REPAIRS = 4


# The engine's column types whose values come back as Python values with no decimal in them (_collect).
PLAIN_TYPES = frozenset(
    {"STRING", "BOOL", "DOUBLE", "FLOAT", "DATE", "TIMESTAMP", "INTERVAL", "UUID", "BLOB", "SERIAL", "INT128"}
    | {f"{sign}INT{bits}" for sign in ("", "U") for bits in (8, 16, 32, 64)}
)


def _number(value: Any) -> Any:
    """A decimal the engine returns (a SCORE column, or arithmetic on one) as the float it is everywhere else."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_number(v) for v in value]
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    return value


def schema_statements() -> list[str]:
    """DDL for the embedded engine (Neo4j needs constraints instead: see plangraph.store.neo4j)."""
    out = []
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(f"{name} {kind}" for name, kind in props.items())
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY(id))")
    for rel in REL_TYPES:
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
        rel_columns = "".join(f", {name} {kind}" for name, kind in rel.properties.items())
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}({pairs}{rel_columns})")
    return out


LINK_COMMAND = "plangraph link"


def diverged(path: str | Path) -> list[str]:
    """What the last write found different between the store at `path` and its journal ([]: nothing)."""
    return Journal(path).diverged()


REPAIR_COMMAND = "plangraph repair"


def interrupted_link(path: str | Path) -> str | None:
    """What an interrupted relink left incomplete in the store at `path` ("every province", "tỉnh Lạng Sơn, …"),
    or None when the lineage is complete. Read from the link journal beside the store (see replace_derivations)."""
    journal = Path(path).with_name(f"{Path(path).name}.link.json")
    if not journal.exists():
        return None
    try:
        entry = json.loads(journal.read_text("utf-8"))
        provinces, levels = entry.get("provinces"), entry.get("levels") or {}
    except (OSError, ValueError, AttributeError):
        provinces, levels = None, {}
    if provinces is None:
        return "every province"
    return ", ".join((p or "?") + (f" ({', '.join(levels[p])} tasks)" if p in levels else "") for p in provinces)


def _iso(value: Any) -> Any:
    """Dates as the ISO strings the statements take (and _rows returns)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


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
        # The relationship tables this writer deleted edges from: its last checkpoint checks them.
        self._edges_deleted: set[str] = set()
        # The list columns of shared nodes as this writer wrote them (label → id → lists), read when it first
        # writes shared nodes; every later write is checked against it (see _check_lists).
        self._lists: dict[str, dict[str, tuple[Any, ...]]] | None = None
        self._staging: bulk.Staging | None = None  # documents a load will write next, merged as they came (stage)
        # The documents as parsed, recorded before each write (plangraph.store.journal); None when read-only.
        self.journal: Journal | None = None if read_only else Journal(self.path)
        self._journaling = False  # write_documents recorded the run: replace_document inside it records nothing
        self._wrote = False  # documents written since the open: counted against the journal at close
        if not read_only:
            self.ensure_schema()
            self._recover()
        else:
            self._warn_unlinked()

    def _journal_path(self, kind: str) -> Path:
        """What a bulk write is doing ("load": the documents of a run; "link": the lineage), written
        before it starts and removed when it ends (see _copy_run, replace_derivations)."""
        return self.path.with_name(f"{self.path.name}.{kind}.json")

    def _open(self, read_only: bool) -> Any:
        if read_only and self._journal_path("load").exists():
            # A bulk write was interrupted (a writer holding the store would make this open fail):
            # undo it read-write first, so that readers never see half a document.
            recovering = EmbeddedStore(self.path)
            recovering.close()
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

    # -- the bulk-write journal -------------------------------------------------

    def _journal(self, kind: str, entry: dict[str, Any]) -> None:
        path = self._journal_path(kind)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(entry, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)

    def _journal_done(self, kind: str) -> None:
        self._journal_path(kind).unlink(missing_ok=True)

    def _read_journal(self, kind: str) -> dict[str, Any] | None:
        path = self._journal_path(kind)
        if not path.exists():
            return None
        try:
            entry: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"{path} (the record of an interrupted bulk write) cannot be read: {exc}. "
                f"Remove {self.path} and load the documents again."
            ) from exc
        return entry

    def _recover(self) -> None:
        """Undo what an interrupted bulk load committed: its documents are removed whole; finish a
        relationship table's rebuild that a crash interrupted (see _checkpoint_checked)."""
        rebuild = self._read_journal("edges")
        if rebuild is not None:
            rel = REL_BY_NAME[rebuild["table"]]
            log.warning("finishing the rebuild of the %s relationships that an interrupted writer began", rel.name)
            rows = [tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rebuild["rows"]]
            self._rebuild_edges(rel, rows)
        entry = self._read_journal("load")
        if entry is not None:
            files = list(entry.get("documents") or [])
            with self._lock, self._lists_tracked():
                self._remove_documents(files, dict(entry.get("created") or {}), dict(entry.get("before") or {}))
            log.warning(
                "an interrupted load had written %d documents in part; they were removed, load them again: %s",
                len(files),
                ", ".join(files[:10]) + (" …" if len(files) > 10 else ""),
            )
        self._warn_unlinked()

    def _warn_unlinked(self) -> None:
        incomplete = interrupted_link(self.path)
        if incomplete is not None:
            log.warning(
                "an interrupted link left the lineage (DERIVES_FROM) of %s incomplete: run %s", incomplete, LINK_COMMAND
            )

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

    def stage(self, batch: GraphBatch) -> None:
        """Merge a document the load will write next into a staged run (plangraph.store.bulk.Staging), as it
        arrives: when write_documents then gets the staged documents as one run, it copies the staged tables
        (else it merges the run itself). A first load calls it while it parses the other documents."""
        if self._staging is None:
            self._staging = bulk.Staging()
        self._staging.add(batch)

    def holds_documents(self) -> bool:
        """Whether any document is loaded (a load into an empty store copies its documents in one run)."""
        with self._lock:
            return bool(self._execute(statements.any_document()).get_all())

    def replace_document(self, batch: GraphBatch, replacing: str | None = None) -> WriteSummary:
        """Delete the document's previous subgraph (and that of `replacing`, the file that held this plan
        before: an upload of a corrected plan) and write the new one, in one transaction."""
        if self.read_only:
            raise ReadOnlyViolation("this store was opened read-only")
        ready.forget(self.path, [batch.plan_id])  # the counts kept for the cascade are older than this write
        recorded = None
        self._wrote = True
        if self.journal is not None and not self._journaling:
            recorded = self.journal.record([batch], replacing=replacing)
        try:
            return self._replace_document(batch, replacing)
        except BaseException:
            if recorded is not None and self.journal is not None:
                self.journal.restore(recorded)
            raise

    def _replace_document(self, batch: GraphBatch, replacing: str | None) -> WriteSummary:
        with self._lock, self._lists_tracked():
            with self._transaction():
                holder = self._execute(statements.plan_owner(), {"id": batch.plan_id})
                if holder.has_next() and (owner := holder.get_next()[0]) not in (batch.source_file, replacing):
                    raise StoreError(statements.plan_taken(batch.plan_id, batch.source_file, owner))
                # A document loaded before is replaced; a new one (the bulk of a first load) skips the
                # deletes, which scan every document's nodes and every shared node.
                seen = False
                for file in dict.fromkeys(f for f in (batch.source_file, replacing) if f):
                    params = {"source_file": file}
                    if self._execute(statements.document_loaded(), params).get_next()[0] > 0:
                        seen = True
                        self._edges_deleted.update(rel.name for rel in REL_TYPES)  # a document's edges go
                        for label in reversed(DOCUMENT_LABELS):
                            self._execute(statements.delete_document(label), params)
                summary = self._write_batch(batch)
                if seen:
                    for label in SHARED_LABELS:
                        self._execute(statements.delete_orphans(label))
        return summary

    write = replace_document

    def write_documents(self, batches: Sequence[GraphBatch]) -> list[WriteSummary | PlangraphError]:
        """Write several documents: new ones in bulk, runs of them with the engine's COPY; documents
        the store already holds (or whose plan it holds under another file name) by replace_document.

        The result has one entry per batch: its summary, or the error that kept it out (the others
        are written). A bulk run that cannot complete is undone and written document by document.
        """
        if self.read_only:
            raise ReadOnlyViolation("this store was opened read-only")
        ready.forget(self.path, [b.plan_id for b in batches])  # see replace_document
        recorded = self.journal.record(batches) if self.journal is not None else {}
        self._wrote = True
        self._journaling = True
        try:
            results = self._write_documents(batches)
        except BaseException:
            if self.journal is not None:
                self.journal.restore(recorded)
            raise
        finally:
            self._journaling = False
        if self.journal is not None:
            failed = {b.source_file for b, r in zip(batches, results, strict=True) if isinstance(r, PlangraphError)}
            self.journal.restore({file: recorded.get(file) for file in failed})
        return results

    def _write_documents(self, batches: Sequence[GraphBatch]) -> list[WriteSummary | PlangraphError]:
        with self._lock:
            files = [b.source_file for b in batches]
            loaded = {row[0] for row in self._each(statements.loaded_files(), "source_files", files)}
            plans = [b.plan_id for b in batches]
            holders = {plan: file for plan, file in self._each(statements.plan_owners(), "ids", plans)}
        out: list[WriteSummary | PlangraphError | None] = [None] * len(batches)
        run: list[int] = []  # indices of the batches of the current bulk run
        in_run: set[str] = set()  # their source files

        def flush() -> None:
            for index, result in zip(run, self._write_run([batches[i] for i in run]), strict=True):
                out[index] = result
            run.clear()
            in_run.clear()

        for index, batch in enumerate(batches):
            holder = holders.setdefault(batch.plan_id, batch.source_file)
            if holder != batch.source_file:  # another file's plan: refused, never merged into it
                out[index] = StoreError(statements.plan_taken(batch.plan_id, batch.source_file, holder))
            elif batch.source_file in loaded or batch.source_file in in_run:
                flush()
                out[index] = self._replace_one(batch)
            else:
                run.append(index)
                in_run.add(batch.source_file)
        flush()
        self._staging = None  # what was staged is written (or was not this run): staging starts again
        return [result for result in out if result is not None]

    def _replace_one(self, batch: GraphBatch) -> WriteSummary | PlangraphError:
        try:
            return self.replace_document(batch)
        except PlangraphError as exc:
            return exc

    def _write_run(self, run: list[GraphBatch]) -> list[WriteSummary | PlangraphError]:
        if not run:
            return []
        staged, self._staging = self._staging, None
        merged = staged.finish() if staged is not None and staged.holds(run) else bulk.merge_run(run)
        try:
            with self._lock, self._lists_tracked():
                self._copy_run(merged)
        except PlangraphError as exc:
            log.warning("a bulk write of %d documents failed (%s); writing them one by one", len(run), exc)
            return [self._replace_one(batch) for batch in run]
        return list(merged.summaries)

    def _copy_run(self, run: bulk.Run) -> None:
        """Write a run of documents the store does not hold: new rows by COPY, rows updating shared
        nodes (and relationships between them) by MERGE statements.

        The engine loses every relationship of a table when a transaction that copied into it rolls
        back (LadybugDB 0.15.3, benchmarks/RESULTS.md), so each COPY commits on its own; a journal
        names the documents until the last one has, and an interrupted run is removed whole.
        """
        files = run.source_files
        # Shared nodes the run updates, as they are now (restored if the run is undone), and those it creates.
        before = {label: self._rows(label, list(run.nodes.get(label, {}))) for label in SHARED_LABELS}
        existing = {label: {row["id"] for row in rows} for label, rows in before.items()}
        created = {
            label: [key for key in run.nodes.get(label, {}) if key not in existing[label]] for label in SHARED_LABELS
        }
        self._journal("load", {"documents": files, "created": created, "before": before})
        try:
            for label in DOCUMENT_LABELS:
                self._copy(label, run.own_node_table(label))
            with self._transaction():
                for label in SHARED_LABELS:
                    rows = [row for key, row in run.nodes.get(label, {}).items() if key in existing[label]]
                    self._merge_shared(label, rows)
            for label in SHARED_LABELS:
                new = [row for key, row in run.nodes.get(label, {}).items() if key not in existing[label]]
                self._copy(label, bulk.node_table(label, new))
                self._note_lists(label, new)
            for name, start, end in run.own_edges:  # from the documents' own nodes: every one is new
                options = f" (from='{start}', to='{end}')" if len(REL_BY_NAME[name].pairs) > 1 else ""
                self._copy(name, run.own_edge_table((name, start, end)), options)
            merged: list[tuple[bulk.EdgeKey, list[dict[str, Any]]]] = []
            for (name, start, end), pairs in run.edges.items():
                old_start, old_end = existing.get(start, set()), existing.get(end, set())
                if old_start and old_end:  # between two shared nodes: the store may hold it already
                    known = [(k, v) for k, v in pairs.items() if k[0] in old_start and k[1] in old_end]
                    fresh = [(k, v) for k, v in pairs.items() if not (k[0] in old_start and k[1] in old_end)]
                else:
                    known, fresh = [], list(pairs.items())
                table = REL_BY_NAME[name]
                options = f" (from='{start}', to='{end}')" if len(table.pairs) > 1 else ""
                self._copy(name, bulk.edge_table(name, fresh), options)
                merged.append(
                    ((name, start, end), [{"from_id": a, "to_id": b, **bulk.edge_row(name, v)} for (a, b), v in known])
                )
            with self._transaction():
                for (name, start, end), rows in merged:
                    self._merge(statements.merge_edges(REL_BY_NAME[name], start, end, "embedded"), rows)
        except BaseException:
            self._remove_documents(files, created, before)
            raise
        self._journal_done("load")

    def _copy(self, table: str, rows: Any, options: str = "") -> None:
        if rows.num_rows:
            self._execute(f"COPY {table} FROM $rows{options}", {"rows": rows})

    def _merge(self, statement: str, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), BATCH_SIZE):
            self._execute(statement, {"rows": rows[start : start + BATCH_SIZE]})

    def _merge_shared(self, label: str, rows: list[dict[str, Any]]) -> None:
        """Upsert shared nodes by the one rule (plangraph.schema.merge_shared), merged here rather than in
        Cypher: only rows that change are written, and when a stored node's list changes the table's
        list columns are rewritten whole (statements.rewrite_lists: the engine's checkpoint bug)."""
        if not rows:
            return
        self._list_mirror()
        stored = {row["id"]: row for row in self._rows(label, list(dict.fromkeys(r["id"] for r in rows)))}
        changed: dict[str, dict[str, Any]] = {}
        lists_changed = False
        lists = [name for name, kind in NODE_PROPERTIES[label].items() if kind == STRINGS]
        for row in rows:
            row = {name: _iso(row.get(name)) for name in NODE_PROPERTIES[label]}
            old = changed.get(row["id"]) or stored.get(row["id"])
            merged = row if old is None else merge_shared(old, row, label)
            if old is not None and merged == old:
                continue
            if row["id"] in stored and any(merged[name] != stored[row["id"]][name] for name in lists):
                lists_changed = True
            changed[row["id"]] = merged
        self._merge(statements.merge_nodes(label, "embedded", plain=True), list(changed.values()))
        self._note_lists(label, changed.values())
        if lists_changed:
            self._execute(statements.rewrite_lists(label))

    def _each(self, query: str, name: str, values: list[str]) -> Iterator[list[Any]]:
        """The rows of a lookup by a list of keys, sent LOOKUP_SIZE keys at a time."""
        for start in range(0, len(values), LOOKUP_SIZE):
            result = self._execute(query, {name: values[start : start + LOOKUP_SIZE]})
            while result.has_next():
                yield result.get_next()

    def _rows(self, label: str, ids: list[str]) -> list[dict[str, Any]]:
        """The stored rows of nodes among `ids` (dates as ISO strings, as the statements take them)."""
        names = list(NODE_PROPERTIES[label])
        return [
            dict(zip(names, [v.isoformat() if hasattr(v, "isoformat") else v for v in row], strict=True))
            for row in self._each(statements.existing_rows(label), "ids", ids)
        ]

    def _remove_documents(
        self, files: list[str], created: dict[str, list[str]], before: dict[str, list[dict[str, Any]]]
    ) -> None:
        """Undo a bulk run, in one transaction: remove the nodes its documents wrote and the shared
        nodes it created, set the shared nodes it updated back to their rows `before`, and remove
        shared nodes left without relationships. (A relationship the run added between two shared
        nodes that existed before it, such as an office's PART_OF, stays.)"""
        self._edges_deleted.update(rel.name for rel in REL_TYPES)
        with self._transaction():
            for label in reversed(DOCUMENT_LABELS):
                self._execute(statements.delete_documents(label), {"source_files": files})
            for label, ids in created.items():
                for start in range(0, len(ids), LOOKUP_SIZE):
                    self._execute(statements.delete_created(label), {"ids": ids[start : start + LOOKUP_SIZE]})
            for label, rows in before.items():
                self._merge(statements.restore_nodes(label, "embedded"), rows)
                self._note_lists(label, rows)
                if rows:
                    self._execute(statements.rewrite_lists(label))
            for label in SHARED_LABELS:
                self._execute(statements.delete_orphans(label))
        self._journal_done("load")

    def expect_link(self, provinces: list[str] | None, levels: dict[str, list[str]]) -> None:
        """Record, before a write, that the lineage of `provinces` (at `levels`) is stale until a relink covers
        it (the link journal that replace_derivations clears); merged with a record already there."""
        entry = self._read_journal("link")
        if entry is not None:
            provinces, levels = _union_scope(provinces, levels, entry)
        self._journal("link", {"provinces": provinces, "levels": levels})

    def replace_derivations(
        self, provinces: list[str] | None, rows: list[dict[str, Any]], levels: dict[str, list[str]] | None = None
    ) -> None:
        """Replace the DERIVES_FROM edges of the lower-level tasks of `provinces` (None: every
        province; `levels`: in a province it names, only those of its tasks at these levels) with `rows`: one
        transaction for a few, the delete then a COPY for many."""
        rel = REL_BY_NAME["DERIVES_FROM"]
        levels = {p: list(v) for p, v in (levels or {}).items() if provinces is not None and p in provinces}
        deletes = [
            (statements.delete_derivations(provinces is not None, leveled), params)
            for leveled, params in statements.derivation_scopes(provinces, levels)
        ]
        unique = {(row["from_id"], row["to_id"]): row for row in rows}
        interrupted = self._read_journal("link")
        covered = interrupted is None or _covers(provinces, levels, interrupted)
        if interrupted is not None and covered:
            self._journal_done("link")  # an interrupted link (or a write's stale lineage) is superseded by this one
        with self._lock:
            if len(unique) < BULK_DERIVATIONS:
                self._edges_deleted.add(rel.name)
                with self._transaction():
                    for delete, params in deletes:
                        self._execute(delete, params)
                    self._merge(statements.merge_edges(rel, "Task", "Task", "embedded"), list(unique.values()))
                return
            self.expect_link(provinces, levels)  # merged with a record this link does not cover
            if provinces is None:
                # Every lineage edge goes: drop and recreate the table. The engine copies into an empty
                # relationship table far faster than into one holding (or having held) edges: 931,594 edges
                # nationally, 136 s after a DELETE (benchmarks/RESULTS.md).
                self._execute(f"DROP TABLE {rel.name}")
                self._execute(next(t for t in schema_statements() if f"REL TABLE IF NOT EXISTS {rel.name}(" in t))
            else:
                self._edges_deleted.add(rel.name)
                for delete, params in deletes:
                    self._execute(delete, params)
            pairs = [(key, bulk.edge_row(rel.name, row)) for key, row in unique.items()]
            self._copy(rel.name, bulk.edge_table(rel.name, pairs))
            if covered:
                self._journal_done("link")
            else:  # what this link did not reach is still stale
                self._journal("link", interrupted or {})

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One engine transaction: committed when the block ends, rolled back if it raises (no COPY inside:
        see _copy_run)."""
        self._execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._execute("COMMIT")

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
        for label in SHARED_LABELS:
            self._merge_shared(label, nodes.get(label, []))
        for label in DOCUMENT_LABELS:
            self._merge(statements.merge_nodes(label, "embedded"), nodes.get(label, []))
        edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for edge in batch.edges:
            rel = REL_BY_NAME[edge.type]
            row = {"from_id": edge.start_key, "to_id": edge.end_key}
            row.update({name: edge.props.get(name) for name in rel.properties})
            edges.setdefault((edge.type, edge.start_label, edge.end_label), []).append(row)
        for (name, start_label, end_label), rows in edges.items():
            own = start_label in DOCUMENT_LABELS  # a document's own node: its edges are new (see merge_edges)
            rows = list({(row["from_id"], row["to_id"]): row for row in rows}.values()) if own else rows
            statement = statements.merge_edges(REL_BY_NAME[name], start_label, end_label, "embedded", create=own)
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
        """Run a read query (library text; user text goes through plangraph.store.guard.run_user_query first).
        On a read-only store the engine refuses any write."""
        with self._lock:
            self._conn.set_query_timeout(timeout_ms)
            try:
                result = self._collect(self._execute(query, params), row_limit)
            finally:
                self._conn.set_query_timeout(0)
        # Lists sorted, and the final ORDER BY kept (the engine can lose it after an aggregation): store.ordering.
        return QueryResult(result.columns, settle(query, result.columns, result.rows), result.truncated)

    def _collect(self, result: Any, row_limit: int) -> QueryResult:
        if isinstance(result, list):  # several statements: keep the last result
            result = result[-1]
        columns = tuple(result.get_column_names())
        # Only a column of another type than these can hold a decimal (itself, or inside a list, node or map).
        converted = [i for i, kind in enumerate(result.get_column_data_types()) if kind not in PLAIN_TYPES]
        rows: list[tuple[Any, ...]] = []
        truncated = False
        while result.has_next():
            if len(rows) >= row_limit:
                truncated = True
                break
            row = result.get_next()
            for i in converted:
                row[i] = _number(row[i])
            rows.append(tuple(row))
        return QueryResult(columns=columns, rows=tuple(rows), truncated=truncated)

    def _execute(self, query: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(query, params or {})
        except (RuntimeError, MemoryError, ValueError, TypeError, OverflowError) as exc:
            raise engine_error(exc) from exc

    # -- the engine's checkpoint, checked ---------------------------------------------------------------

    def _list_rows(self, label: str) -> dict[str, tuple[Any, ...]]:
        """The list columns of every `label` node, as stored (id → one tuple per column, None for null)."""
        rows = self._execute(statements.list_rows(label, LIST_COLUMNS[label])).get_all()
        return {row[0]: tuple(None if v is None else tuple(v) for v in row[1:]) for row in rows}

    def _list_mirror(self) -> dict[str, dict[str, tuple[Any, ...]]]:
        """What this writer knows the shared nodes' lists to be: read from the store before its first write
        of shared nodes, then kept by every write (_note_lists)."""
        if self._lists is None:
            self._lists = {label: self._list_rows(label) for label in LIST_COLUMNS}
        return self._lists

    def _note_lists(self, label: str, rows: Any) -> None:
        """Rows (dicts with every property) this writer has just given to shared nodes of `label`."""
        if self._lists is not None and label in LIST_COLUMNS:
            mirror, names = self._lists[label], LIST_COLUMNS[label]
            for row in rows:
                mirror[row["id"]] = tuple(None if row.get(n) is None else tuple(row[n]) for n in names)

    @contextmanager
    def _lists_tracked(self) -> Iterator[None]:
        """A write that may change shared nodes: what they hold is known before it, forgotten again if it
        fails (its transaction rolled back, or its bulk run undone), and checked after it."""
        mirror = self._list_mirror()
        saved = {label: dict(rows) for label, rows in mirror.items()}
        try:
            yield
        except BaseException:
            self._lists = saved
            raise
        self._check_lists()

    def _check_lists(self) -> None:
        """Compare the shared nodes' list columns with what this writer wrote, and rewrite a column the engine
        changed.

        LadybugDB 0.15.3 misplaces entries of a list column when rows are added (by COPY or CREATE) to a node
        group whose lists were updated in place and checkpointed: the lists of some rows become their
        neighbours' (`tests/test_graph_snapshot.py` found it, loading runs of three documents; pinned by
        `tests/test_store_embedded.py`). Rewriting every row's lists in one transaction and checkpointing
        puts them right; rewriting only the rows that moved does not (the next checkpoint moves others).
        Nodes deleted since (orphans) leave the mirror; a node this writer did not write is taken as stored."""
        if self._lists is None:
            return
        for label, mirror in self._lists.items():
            for attempt in range(LIST_REPAIRS + 1):
                stored = self._list_rows(label)
                for key in [key for key in mirror if key not in stored]:
                    del mirror[key]
                for key, value in stored.items():
                    mirror.setdefault(key, value)
                moved = sum(1 for key, value in mirror.items() if stored[key] != value)
                if not moved:
                    break
                if attempt == LIST_REPAIRS:
                    raise StoreError(
                        f"the store's {label} lists could not be written back after {LIST_REPAIRS} attempts; "
                        "reload the documents into a new store"
                    )
                log.warning("the engine misplaced the lists of %d %s nodes; rewriting the column", moved, label)
                names = LIST_COLUMNS[label]
                rows = [
                    {"id": key, **{n: None if v is None else list(v) for n, v in zip(names, value, strict=True)}}
                    for key, value in mirror.items()
                ]
                with self._transaction():
                    self._merge(statements.set_lists(label, names), rows)
                self._execute("CHECKPOINT")

    def _edge_snapshot(self, rel: Any) -> list[Any]:
        """Every relationship of a table as Arrow tables, one per label pair, sorted by their endpoints (each pair
        of endpoints has one edge): compared across a checkpoint without a Python row per edge."""
        out = []
        for start, end in rel.pairs:
            table = self._execute(statements.edge_rows(rel, start, end)).get_as_arrow()
            if table.num_rows:
                table = table.sort_by([(table.column_names[0], "ascending"), (table.column_names[1], "ascending")])
            out.append(table)
        return out

    @staticmethod
    def _snapshot_rows(rel: Any, snapshot: list[Any]) -> list[tuple[Any, ...]]:
        """A snapshot as rows (start label, end label, from, to, properties…): lists as tuples, decimals as floats."""
        rows: list[tuple[Any, ...]] = []
        for (start, end), table in zip(rel.pairs, snapshot, strict=True):
            for row in table.to_pylist():
                values = [_number(v) for v in row.values()]
                rows.append((start, end, *(tuple(v) if isinstance(v, list) else v for v in values)))
        return rows

    def _checkpoint_checked(self) -> None:
        """Checkpoint, and rebuild any relationship table the checkpoint changed.

        LadybugDB 0.15.3 can misplace relationships' string properties when it checkpoints a table that had
        edges deleted and inserted: three reload rounds of six documents left LED_BY and SUPPORTED_BY edges of
        documents never reloaded with another edge's `mention` (tests/test_reload.py; the store was right up
        to the checkpoint). A writer that deleted edges therefore reads the relationship tables it deleted edges
        from (every table for a reload, DERIVES_FROM for a relink) before and after its final checkpoint, and
        rebuilds a table that changed from the rows it held before, by COPY into an empty table (the path of a
        first load, which the engine gets right)."""
        tables = [rel for rel in REL_TYPES if rel.properties and rel.name in self._edges_deleted]
        before = {rel.name: self._edge_snapshot(rel) for rel in tables}
        self._execute("CHECKPOINT")
        for rel in tables:
            after = self._edge_snapshot(rel)
            if not all(a.equals(b) for a, b in zip(after, before[rel.name], strict=True)):
                log.warning("the engine's checkpoint changed %s relationships; rebuilding the table", rel.name)
                self._rebuild_edges(rel, self._snapshot_rows(rel, before[rel.name]))

    def _rebuild_edges(self, rel: Any, rows: list[tuple[Any, ...]]) -> None:
        """Drop and recreate a relationship table and copy `rows` ((start, end, from, to, props…)) into it,
        journaled: a crash before the copy ends is finished by the next writable open."""
        self._journal(
            "edges",
            {"table": rel.name, "rows": [[list(v) if isinstance(v, tuple) else v for v in row] for row in rows]},
        )
        self._execute(f"DROP TABLE {rel.name}")
        self._execute(next(t for t in schema_statements() if f"REL TABLE IF NOT EXISTS {rel.name}(" in t))
        names = list(rel.properties)
        for start, end in rel.pairs:
            pairs = [
                (
                    (row[2], row[3]),
                    {n: list(v) if isinstance(v, tuple) else v for n, v in zip(names, row[4:], strict=True)},
                )
                for row in rows
                if row[0] == start and row[1] == end
            ]
            options = f" (from='{start}', to='{end}')" if len(rel.pairs) > 1 else ""
            self._copy(rel.name, bulk.edge_table(rel.name, pairs), options)
        self._execute("CHECKPOINT")
        rebuilt = self._snapshot_rows(rel, self._edge_snapshot(rel))
        if sorted(map(repr, rebuilt)) != sorted(map(repr, rows)):
            raise StoreError(f"the {rel.name} relationships could not be rebuilt; reload the documents")
        self._journal_done("edges")

    def verify(self) -> list[str]:
        """After this writer's writes: the store's document nodes and relationships counted against the journal.
        A difference is recorded beside the store (`graph.lbdb.diverged.json`: `/health`, `stats` and every
        open say "run plangraph repair") and logged; an agreement clears an earlier record."""
        if self.journal is None or not self.journal.exists():
            return []
        expected = self.journal.expected_counts()
        if expected is None:
            return []
        from plangraph.store.counts import stats

        held = stats(self)
        counted = {**held["nodes"], **held["relationships"]}
        differences = [
            f"{name}: {counted.get(name, 0)} in the store, {count} in the journal"
            for name, count in sorted(expected.items())
            if counted.get(name, 0) != count
        ]
        self.journal.mark(differences)
        if differences:
            log.error("the store differs from its journal (%s): run plangraph repair", "; ".join(differences))
        return differences

    def close(self) -> None:
        if not self.read_only and self._wrote:
            try:
                self.verify()
            except PlangraphError as exc:
                log.error("the store could not be counted against its journal: %s", exc)
            self._wrote = False
        if not self.read_only and self._edges_deleted:
            with self._lock:
                self._checkpoint_checked()
            self._edges_deleted = set()
        if not self.read_only and self._lists is not None:
            with self._lock:  # the lists as written, after the checkpoint that could move them (_check_lists)
                self._execute("CHECKPOINT")
                self._check_lists()
            self._lists = None
        try:
            self._conn.close()
            self._db.close()
        except RuntimeError as exc:
            log.debug("close: %s", exc)


def _union_scope(
    provinces: list[str] | None, levels: dict[str, list[str]], entry: dict[str, Any]
) -> tuple[list[str] | None, dict[str, list[str]]]:
    """The scope of a link journal `entry` and of (`provinces`, `levels`) together (a province named without
    levels stands for every level)."""
    before, before_levels = entry.get("provinces"), entry.get("levels") or {}
    if provinces is None or before is None:
        return None, {}
    union: dict[str, list[str]] = {}
    for province in set(provinces) | set(before):
        mine = levels.get(province) if province in provinces else []
        theirs = before_levels.get(province) if province in before else []
        if (province in provinces and mine is None) or (province in before and theirs is None):
            continue  # every level there
        union[province] = sorted(set(mine or []) | set(theirs or []))
    return sorted(set(provinces) | set(before)), union


def _covers(provinces: list[str] | None, levels: dict[str, list[str]], interrupted: dict[str, Any]) -> bool:
    """Does a relink of `provinces` at `levels` rewrite every edge the `interrupted` one (its journal entry) had
    deleted? (A province not in `levels` is relinked at every lower level.)"""
    if provinces is None:
        return True
    before = interrupted.get("provinces")
    if before is None or not set(before) <= set(provinces):
        return False
    before_levels = interrupted.get("levels") or {}
    for province in before:
        now = levels.get(province)
        if now is not None and (province not in before_levels or not set(before_levels[province]) <= set(now)):
            return False
    return True
