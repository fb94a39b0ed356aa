"""The embedded store: LadybugDB (`real_ladybug`, the maintained fork of Kùzu).

An in-process, file-backed property graph. Schema is declared as node and relationship tables derived from
:mod:`plangraph.schema`. Reads for users run on a database opened read-only, so the engine itself refuses writes.
Writes never change the store in place: each builds the store's next version from the journal of parsed documents
by bulk COPY into empty tables, and puts it in the store's place in one rename (EmbeddedStore,
plangraph.store.versions; the design and why: README, "How it is built").
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import real_ladybug as lb

from plangraph.errors import PlangraphError, ReadOnlyViolation, StoreError
from plangraph.model import GraphBatch
from plangraph.schema import (
    NODE_PROPERTIES,
    REL_BY_NAME,
    REL_TYPES,
)
from plangraph.store import builder, bulk, linkscope, ready, statements, versions
from plangraph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult, WriteSummary
from plangraph.store.journal import Journal, journal_folder
from plangraph.store.ordering import settle
from plangraph.store.workers import engine_error

log = logging.getLogger(__name__)

# Files an in-place writer of an earlier plangraph left beside the store (an interrupted bulk load, a table's
# rebuild): a writer that finds one commits a version built from the journal in the store's place.
LEGACY_COMPANIONS = (".load.json", ".edges.json")

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
        entry.get("provinces")
    except (OSError, ValueError, AttributeError):
        entry = {"provinces": None}
    return linkscope.describe(entry)


def _iso(value: Any) -> Any:
    """Dates as the ISO strings the statements take (and _rows returns)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


class EmbeddedStore:
    """One embedded store, opened to read or to write.

    Opened read-only, it reads the store's current version. Opened to write, it is the store's one writer (see
    plangraph.store.versions) and never writes the store in place: every write — documents
    (write_documents, replace_document), lineage (replace_derivations), a statement (run) — goes to the
    store's next version, built from the journal (plangraph.store.journal) by the engine's bulk COPY into empty
    tables, which this writer reads from then on; commit (or close) puts it in the store's place in one rename.
    Until then every other reader reads the version before; a writer stopped at any point (killed, crashed,
    interrupted) leaves it. Why: the engine loses and misplaces data when rows are deleted, updated and
    inserted in place (benchmarks/RESULTS.md, tests/test_engine_defects.py); a table it fills by COPY from empty
    it gets right.
    """

    backend = "embedded"

    def __init__(self, path: str | Path, read_only: bool = False, rebuild: bool = False) -> None:
        """`rebuild`: a writer that builds the next version from the journal alone, without reading the store
        (plangraph repair: the store may be what is broken); its lineage is empty until a relink."""
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no graph store at {self.path}. Load documents first: plangraph load data/samples")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()  # reentrant: a commit counts its version through run_read
        self._db: Any = None
        self._conn: Any = None
        self._writer: versions.WriterLock | None = None
        # The documents as parsed (plangraph.store.journal); None when read-only.
        self.journal: Journal | None = None if read_only else Journal(self.path)
        self._documents: dict[str, dict[str, Any]] = {}  # source file → manifest entry: what the next version holds
        self._staged: dict[int, tuple[GraphBatch, bulk.Prepared]] = {}  # batches prepared while a load parses
        self._lineage: pa.Table | None = None  # DERIVES_FROM rows of the next version
        self._forgotten: set[str] = set()  # tasks of documents replaced since the last build: their lineage goes
        self._working = False  # the connection is to the next version (else to the store, read-only)
        self._stale = False  # the documents changed since the next version was built
        self._changed = False  # the next version differs from the store: something to commit
        self._abandoned = False
        self._unjournaled = False  # a store loaded before the journal: it cannot be rebuilt, so not written
        self._legacy = False  # an earlier plangraph's in-place writer left a record: rebuilt from the journal
        self._link_after: dict[str, Any] | str | None = None  # the link journal once the next version is in place
        self._link_expected: dict[str, Any] | None = None  # lineage this writer's writes made stale (expect_link)
        if read_only:
            versions.settle_if_free(self.path)
            self._connect(self.path, read_only=True)
            self._warn_unlinked()
            return
        self._writer = versions.WriterLock(self.path)
        try:
            self._start_writing(rebuild)
        except BaseException:
            self._disconnect()
            self._release()
            raise

    def _start_writing(self, rebuild: bool) -> None:
        assert self.journal is not None
        versions.settle(self.path)
        if rebuild:
            self._documents = dict(self.journal.documents())
            self._lineage = bulk.edge_table("DERIVES_FROM", [])
            self._build()
            self._changed = True
            return
        for companion in LEGACY_COMPANIONS:
            if self.path.with_name(self.path.name + companion).exists():
                # The record of an in-place write by an earlier plangraph: the next version (from the journal)
                # replaces whatever it left.
                self._changed = self._legacy = True
        self._documents = dict(self.journal.documents())
        if self.path.exists():
            self._connect(self.path, read_only=True)
            self._check_schema()
            if not self.journal.exists() and self._engine(statements.any_document()).get_all():
                self._unjournaled = True
        else:
            self._build()  # a new store: its first version, empty
            self._changed = True
        self._warn_unlinked()

    def _connect(self, path: Path, read_only: bool) -> None:
        try:
            self._db = self._open(path, read_only)
            self._conn = lb.Connection(self._db)
        except RuntimeError as exc:
            raise StoreError(
                f"cannot open the embedded store at {self.path}: {exc}. "
                "If another plangraph process is writing to it, wait for it to finish."
            ) from exc

    def _open(self, path: Path, read_only: bool) -> Any:
        try:
            return lb.Database(str(path), read_only=read_only)
        except RuntimeError as exc:
            if not (read_only and "replay shadow pages" in str(exc)):
                raise
            lock = None if self._writer is not None else versions.try_lock(self.path)
            if self._writer is None and lock is None:
                raise
        # A writer of an earlier plangraph stopped before its checkpoint (killed, or crashed): its committed work
        # is in the write-ahead log. Opening once read-write replays it; then the store opens read-only as asked.
        try:
            log.warning("replaying the write-ahead log of %s left by an interrupted writer", path.name)
            lb.Database(str(path), read_only=False).close()
        finally:
            if lock is not None:
                lock.release()
        return lb.Database(str(path), read_only=True)

    def _disconnect(self) -> None:
        try:
            if self._conn is not None:
                self._conn.close()
            if self._db is not None:
                self._db.close()
        except RuntimeError as exc:
            log.debug("close: %s", exc)
        self._conn = self._db = None

    def _lock_fd(self) -> int | None:
        return None if self._writer is None else self._writer.fd

    def _release(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    # -- the link journal -------------------------------------------------------

    def _journal_path(self, kind: str) -> Path:
        """The record of what a write leaves for later ("link": the lineage waits for a relink), written before
        the write and removed when what it names is done (expect_link, replace_derivations)."""
        return self.path.with_name(f"{self.path.name}.{kind}.json")

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
                f"{path} (the record of an interrupted link) cannot be read: {exc}. Run {LINK_COMMAND} after "
                "removing it."
            ) from exc
        return entry

    def _warn_unlinked(self) -> None:
        incomplete = interrupted_link(self.path)
        if incomplete is not None:
            log.warning(
                "an interrupted link left the lineage (DERIVES_FROM) of %s incomplete: run %s", incomplete, LINK_COMMAND
            )

    # -- schema ---------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Every version is built with the schema of this plangraph; a store made by another is refused."""
        self._check_schema()

    def _check_schema(self) -> None:
        existing = {row[1] for row in self._engine("CALL show_tables() RETURN *").get_all()}
        for label, props in NODE_PROPERTIES.items():
            self._check_table(label, existing, list(props))
        for rel in REL_TYPES:
            self._check_table(rel.name, existing, list(rel.properties))

    def _check_table(self, name: str, existing: set[str], expected: list[str]) -> None:
        """A store made by an older plangraph is refused with what to do, not silently mixed."""
        if name not in existing:
            return
        have = [row[1] for row in self._engine(f"CALL table_info('{name}') RETURN *").get_all()]
        if have != expected:
            raise StoreError(
                f"the store at {self.path} was made by another version of plangraph (table {name} has "
                f"{', '.join(have) or 'no properties'}; this version expects {', '.join(expected) or 'none'}). "
                f"Load the documents into a new store: remove {self.path} and run plangraph load again."
            )

    # -- writes ---------------------------------------------------------------

    def stage(self, batch: GraphBatch) -> None:
        """Prepare the tables of a document the load will write next (plangraph.store.bulk.prepare) while it
        parses the others: the write then finds them made."""
        self._staged[id(batch)] = (batch, bulk.prepare(batch))

    def documents(self) -> dict[str, dict[str, Any]]:
        """The documents this writer's next version holds: source file → its journal entry."""
        return dict(self._documents)

    def holds_documents(self) -> bool:
        """Whether any document is loaded."""
        with self._lock:
            if self.read_only or self._unjournaled:
                return bool(self._execute(statements.any_document()).get_all())
            return bool(self._documents)

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyViolation("this store was opened read-only")
        if self._unjournaled:
            raise StoreError(
                f"the store at {self.path} holds documents loaded before plangraph kept a journal of them "
                f"({journal_folder(self.path).name}), so it cannot be rebuilt: load the documents into a new store "
                f"(remove {self.path} first)"
            )

    def _holders(self) -> dict[str, str]:
        return {entry["plan"]: file for file, entry in self._documents.items()}

    def _put(self, batch: GraphBatch, holders: dict[str, str]) -> WriteSummary:
        """Record a document as what its file holds in the next version (its batch in the journal)."""
        assert self.journal is not None
        entry = self.journal.put(batch)
        staged = self._staged.pop(id(batch), None)
        prepared = staged[1] if staged is not None and staged[0] is batch else bulk.prepare(batch)
        self.journal.keep_prepared(entry["digest"], prepared)  # the build (another process) reads it there
        old = self._documents.get(batch.source_file)
        if old is not None:
            self._forget(old)
            if holders.get(old["plan"]) == batch.source_file:
                del holders[old["plan"]]
        self._documents[batch.source_file] = entry
        holders[batch.plan_id] = batch.source_file
        self._stale = self._changed = True
        return prepared.summary

    def _forget(self, entry: dict[str, Any]) -> None:
        """A document leaves the next version: the lineage of its tasks goes with them (as a reload deletes
        them), until a relink finds it again."""
        self._forgotten.update(self._task_ids(self._prepare(entry)))

    def replace_document(self, batch: GraphBatch, replacing: str | None = None) -> WriteSummary:
        """Write a document (in place of what its file held, and of `replacing`: the file that held this plan
        before, an upload of a corrected plan), refused when another file holds its plan."""
        self._writable()
        ready.forget(self.path, [batch.plan_id])  # the counts kept for the cascade are older than this write
        with self._lock:
            holders = self._holders()
            holder = holders.get(batch.plan_id)
            if holder is not None and holder not in (batch.source_file, replacing):
                raise StoreError(statements.plan_taken(batch.plan_id, batch.source_file, holder))
            documents, forgotten = dict(self._documents), set(self._forgotten)
            try:
                if replacing and replacing != batch.source_file and replacing in self._documents:
                    self._forget(self._documents.pop(replacing))
                    self._changed = True
                summary = self._put(batch, holders)
                self._build()
            except BaseException:
                self._documents, self._forgotten, self._stale = documents, forgotten, True
                raise
        return summary

    write = replace_document

    def write_documents(self, batches: Sequence[GraphBatch]) -> list[WriteSummary | PlangraphError]:
        """Write several documents. The result has one entry per batch: its summary, or the error that kept it
        out (the others are written): a document whose plan another file holds is refused, never merged into
        it; a document the engine cannot take is found alone and left out."""
        self._writable()
        ready.forget(self.path, [b.plan_id for b in batches])  # see replace_document
        with self._lock:
            documents, forgotten = dict(self._documents), set(self._forgotten)
            holders = self._holders()
            out: list[WriteSummary | PlangraphError] = []
            for batch in batches:
                holder = holders.get(batch.plan_id)
                if holder is not None and holder != batch.source_file:
                    out.append(StoreError(statements.plan_taken(batch.plan_id, batch.source_file, holder)))
                else:
                    out.append(self._put(batch, holders))
            if not self._stale:  # every document refused: nothing to build
                self._staged.clear()
                return out
            try:
                self._build()
            except PlangraphError as exc:
                log.warning("a write of %d documents failed (%s); writing them one by one", len(batches), exc)
                self._documents, self._forgotten = documents, forgotten
                out = self._one_by_one(batches, out)
            except BaseException:
                self._documents, self._forgotten, self._stale = documents, forgotten, True
                raise
            finally:
                self._staged.clear()  # staged and not in this write: let go
        return out

    def _one_by_one(
        self, batches: Sequence[GraphBatch], first: list[WriteSummary | PlangraphError]
    ) -> list[WriteSummary | PlangraphError]:
        out: list[WriteSummary | PlangraphError] = []
        for batch, result in zip(batches, first, strict=True):
            if isinstance(result, PlangraphError):
                out.append(result)
                continue
            documents, forgotten = dict(self._documents), set(self._forgotten)
            try:
                summary = self._put(batch, self._holders())
                self._build()
                out.append(summary)
            except PlangraphError as exc:
                self._documents, self._forgotten = documents, forgotten
                out.append(exc)
        self._build()
        return out

    def expect_link(self, provinces: list[str] | None, levels: dict[str, list[str]]) -> None:
        """Note, before a write, that the lineage of `provinces` (at `levels`) is stale until a relink covers it.
        Kept with the next version: a version committed before its relink writes the link journal first (every
        open then says "run plangraph link"); a writer stopped before its commit leaves the store, and its
        lineage, as they were."""
        entry = self._link_pending()
        if entry is not None:
            provinces, levels = linkscope.union(provinces, levels, entry)
        self._link_expected = {"provinces": provinces, "levels": levels}
        self._link_after = None

    def _link_pending(self) -> dict[str, Any] | None:
        """What is stale in the next version's lineage: the store's link journal and what this writer expects."""
        entry = self._read_journal("link")
        expected = self._link_expected
        if expected is None:
            return entry
        if entry is None:
            return expected
        provinces, levels = linkscope.union(expected["provinces"], expected["levels"], entry)
        return {"provinces": provinces, "levels": levels}

    def replace_derivations(
        self, provinces: list[str] | None, rows: list[dict[str, Any]], levels: dict[str, list[str]] | None = None
    ) -> None:
        """Replace the DERIVES_FROM edges of the lower-level tasks of `provinces` (None: every province;
        `levels`: in a province it names, only those of its tasks at these levels) with `rows`, in the next
        version: its lineage table is made again, empty, and filled by one COPY."""
        self._writable()
        rel = REL_BY_NAME["DERIVES_FROM"]
        levels = {p: list(v) for p, v in (levels or {}).items() if provinces is not None and p in provinces}
        unique = {(row["from_id"], row["to_id"]): row for row in rows}
        interrupted = self._link_pending()
        with self._lock:
            if not (self._working or self._stale or self._forgotten or self._legacy) and self.path.exists():
                self._copy_of_store()
            elif not self._working or self._stale:
                self._build()
            lineage = self._lineage_rows()
            new = bulk.edge_table(rel.name, [(key, bulk.edge_row(rel.name, row)) for key, row in unique.items()])
            replaced = [_keys(new["from"], new["to"])]
            for leveled, params in statements.derivation_scopes(provinces, levels):
                scope = self._engine(statements.derivations_in(provinces is not None, leveled), params).get_as_arrow()
                if scope.num_rows:
                    replaced.append(_keys(scope.column(0), scope.column(1)))
            drop = pa.chunked_array(replaced, pa.string())
            kept = lineage.filter(pc.invert(pc.is_in(_keys(lineage["from"], lineage["to"]), value_set=drop)))
            self._relineage(pa.concat_tables([kept, new]).combine_chunks())
            self._changed = True
            if interrupted is None or linkscope.covers(provinces, levels, interrupted):
                self._link_after = "done"  # cleared once this version is the store's (commit)
            else:  # what this link did not reach is still stale
                self._link_after = interrupted
            self._link_expected = None

    # -- the next version -------------------------------------------------------------------------------

    def _prepare(self, entry: dict[str, Any]) -> bulk.Prepared:
        assert self.journal is not None
        return self.journal.prepared(entry["digest"])

    @staticmethod
    def _task_ids(prepared: bulk.Prepared) -> set[str]:
        table = prepared.nodes.get("Task")
        return set() if table is None else set(table.column("id").to_pylist())

    def _lineage_rows(self) -> pa.Table:
        """The lineage of the next version (DERIVES_FROM rows as bulk.edge_table makes them): read from the version
        this writer reads (the store, or its next version once built), then kept until the next build."""
        if self._lineage is None:
            empty = bulk.edge_table("DERIVES_FROM", [])
            self._lineage = empty
            if self._conn is not None:
                rel = REL_BY_NAME["DERIVES_FROM"]
                table = self._engine(statements.edge_rows(rel, "Task", "Task")).get_as_arrow()
                if table.num_rows:
                    self._lineage = table.rename_columns(empty.column_names).cast(empty.schema)
        return self._lineage

    def _copy_of_store(self) -> None:
        """The next version as a copy of the store's file, for a write that changes no document (a relink): its
        document tables are the store's, built by COPY; only its lineage table is made again."""
        self._lineage_rows()  # read from the store before its connection closes
        self._disconnect()
        target = versions.next_path(self.path)
        versions.remove_version(target)
        self._stale = True
        shutil.copyfile(self.path, target)
        self._connect(target, read_only=False)
        self._working = True
        self._stale = False

    def _build(self) -> None:
        """Build the next version from the documents (each file's kept tables, in the order of the files' names)
        and the lineage, in a new file, by COPY into empty tables, in a process of its own
        (plangraph.store.builder); the connection reads it from then on."""
        lineage = self._lineage_rows()  # read before the connection closes
        self._disconnect()
        target = versions.next_path(self.path)
        versions.remove_version(target)
        self._stale = True
        with tempfile.TemporaryDirectory(prefix=".write-", dir=self.path.parent) as work:
            spec: dict[str, Any] = {
                "store": str(self.path),
                "target": str(target),
                "digests": [self._documents[file]["digest"] for file in sorted(self._documents)],
                "forgotten": sorted(self._forgotten),
                "lineage": None,
            }
            if lineage.num_rows:
                spec["lineage"] = str(Path(work) / "lineage.arrow")
                builder.write_table(lineage, Path(spec["lineage"]))
            try:
                builder.run("build", spec, lock=self._lock_fd())
            except BaseException:
                versions.remove_version(target)
                raise
        self._connect(target, read_only=False)
        self._working = True
        self._lineage, self._forgotten = None, set()  # the version's own, read when next needed
        self._stale = False

    def _relineage(self, lineage: pa.Table) -> None:
        """Make the next version's lineage table again with `lineage`, in a process of its own."""
        target = versions.next_path(self.path)
        self._disconnect()
        try:
            with tempfile.TemporaryDirectory(prefix=".write-", dir=self.path.parent) as work:
                spec: dict[str, Any] = {"target": str(target), "lineage": None}
                if lineage.num_rows:
                    spec["lineage"] = str(Path(work) / "lineage.arrow")
                    builder.write_table(lineage, Path(spec["lineage"]))
                builder.run("lineage", spec, lock=self._lock_fd())
        except BaseException:
            self._stale = True  # what the next version holds is unknown: built again before any read
            raise
        finally:
            self._connect(target, read_only=False)
        self._lineage = lineage

    def _check_counts(self) -> None:
        """The next version's document nodes and relationships, counted against its manifest before it is put in
        place: a version that differs is never committed."""
        from plangraph.store.counts import stats

        expected: dict[str, int] = {}
        for entry in self._documents.values():
            for name, count in (entry.get("counts") or {}).items():
                expected[name] = expected.get(name, 0) + int(count)
        held = stats(self)  # under this writer's lock, which it holds again (reentrant)
        counted = {**held["nodes"], **held["relationships"]}
        differences = [
            f"{name}: {counted.get(name, 0)} in the new version, {count} in its journal"
            for name, count in sorted(expected.items())
            if counted.get(name, 0) != count
        ]
        if differences:
            raise StoreError(
                "the store's next version differs from its journal, so it was not put in place (the store is as it "
                f"was): {'; '.join(differences)}"
            )

    def commit(self) -> None:
        """Put the next version in the store's place (see plangraph.store.versions); nothing when nothing
        changed. The writer reads the store from then on, and may write again."""
        if self.read_only or not self._changed:
            return
        with self._lock:
            if not self._working or self._stale:
                self._build()
            self._check_counts()
            self._disconnect()
            self._working = False
            if self._link_expected is not None:  # committed before its relink: said first, never "complete"
                self._journal("link", self._link_pending() or {})
            versions.commit(self.path, self._documents)
            self._changed = False
            for companion in LEGACY_COMPANIONS:
                self.path.with_name(self.path.name + companion).unlink(missing_ok=True)
            if self.journal is not None:
                self.journal.mark([])
            if self._link_after == "done":
                self._journal_done("link")
            elif isinstance(self._link_after, dict):
                self._journal("link", self._link_after)
            self._link_after = self._link_expected = None
            self._connect(self.path, read_only=True)

    def abandon(self) -> None:
        """Close without committing: the store stays the version it was (an interrupted command)."""
        self._abandoned = True

    # -- reads ----------------------------------------------------------------

    def run(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run a statement. On a writer, a statement that writes runs on the next version (committed with it):
        a statement is not a document, so the next write of documents, built from the journal, does not keep
        it."""
        with self._lock:
            if self.read_only or self._working or self._unjournaled:
                return self._collect(self._execute(query, params), DEFAULT_ROW_LIMIT)
            try:
                return self._collect(self._execute(query, params), DEFAULT_ROW_LIMIT)
            except ReadOnlyViolation:
                pass
            self._build()
            self._changed = True
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
            if self._stale:
                self._build()
            self._conn.set_query_timeout(timeout_ms)
            try:
                result = self._collect(self._engine(query, params), row_limit)
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
        """A statement on what this store reads now (the next version, built first if documents changed)."""
        if self._stale:
            self._build()
        return self._engine(query, params)

    def _engine(self, query: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(query, params or {})
        except (RuntimeError, MemoryError, ValueError, TypeError, OverflowError) as exc:
            raise engine_error(exc) from exc

    def close(self) -> None:
        """Close; a writer commits its next version first (unless abandoned), and always lets the store go."""
        try:
            if not self.read_only and not self._abandoned and self._conn is not None:
                self.commit()
        finally:
            self._disconnect()
            if self._writer is not None and self._working:
                versions.remove_version(versions.next_path(self.path))
            self._working = False
            self._release()


def _keys(lower: Any, higher: Any) -> Any:
    """One key per lineage edge (its two task ids), for set operations on Arrow columns."""
    return pc.binary_join_element_wise(lower, higher, "\x1f")


def pair_option(name: str, start: str, end: str) -> str:
    """The COPY option that names the label pair of a relationship table with several."""
    return f" (from='{start}', to='{end}')" if len(REL_BY_NAME[name].pairs) > 1 else ""
