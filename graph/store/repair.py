"""`plangraph check` and `plangraph repair`: an embedded store against its journal (issue 30).

:func:`check` says, one line each, what is wrong with a store, reading it only in a sandboxed query worker (a
column the engine can no longer read may crash the engine: that crash is a finding, not the end of the check):

- a document of the journal whose plan is missing, or whose plan holds another number of tasks, indicators or
  owner edges than its batch; a plan the journal does not name;
- a task no plan holds; nodes per label and relationships per type other than the journal's batches hold;
- a text column (of a node table or a relationship table) the engine cannot read back whole;
- lineage: an interrupted link or write (the link journal), or DERIVES_FROM edges that differ from what the
  linker finds on the tasks the store holds (missing or extra).

:func:`repair` builds a new store from the journal alone — every batch copied in bulk into empty tables, then
linked — as the store's next version, without reading the old one, and puts it in the old one's place with one
rename (plangraph.store.versions); a copy of the old store is kept beside it (`graph.lbdb.before-repair-<time>`)
until you remove it. A crash during a repair leaves the old store as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangraph.errors import PlangraphError, StoreError
from plangraph.queries import internal_query
from plangraph.schema import NODE_PROPERTIES, REL_TYPES, STRING
from plangraph.store.counts import stats
from plangraph.store.journal import Journal, journal_folder

# Read in the worker, each on the whole store (graph/queries/internal/store-repair-*.cypher).
PLAN_COUNTS = internal_query("store-repair-plan-counts")
OWNER_EDGES = internal_query("store-repair-owner-edges")
ORPHAN_TASKS = internal_query("store-repair-orphan-tasks")
DERIVATIONS = internal_query("store-repair-derivations")
# Files written beside the store, by suffix: they belong to the store they sit beside (moved with it).
COMPANIONS = (".wal", ".load.json", ".link.json", ".edges.json", ".counts.json", ".diverged.json", ".shadow", ".tmp")
# Beside a store made only to be compared (exact_differences), and removed with it.
BUILT = (*COMPANIONS, ".next", ".lock", ".journal")


@dataclass
class CheckResult:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _owner_edges(batch: Any) -> int:
    tasks = {n.key for n in batch.nodes if n.label == "Task"}
    return sum(1 for e in batch.edges if e.type in ("LED_BY", "SUPPORTED_BY") and e.start_key in tasks)


def column_reads() -> list[tuple[str, str]]:
    """One read per text column of the graph contract (plangraph.schema): every node label's and every
    relationship type's STRING properties, each read back whole."""
    reads = [
        (f"{label}.{name}", f"MATCH (n:{label}) RETURN n.{name} AS v")
        for label, props in NODE_PROPERTIES.items()
        for name, kind in props.items()
        if kind == STRING
    ]
    reads += [
        (f"{rel.name}.{name}", f"MATCH ()-[r:{rel.name}]->() RETURN r.{name} AS v")
        for rel in REL_TYPES
        for name, kind in rel.properties.items()
        if kind == STRING
    ]
    return reads


def check(path: str | Path, lineage: bool = True, exact: bool = False) -> CheckResult:
    """What is wrong with the embedded store at `path`, against its journal (see the module's docstring)."""
    from plangraph.cascade.lineage import THRESHOLD, link_tasks
    from plangraph.cascade.linking import fetch_tasks
    from plangraph.store.embedded import interrupted_link
    from plangraph.store.workers import ReadPool, WorkerLimits

    path = Path(path)
    result = CheckResult()
    journal = Journal(path)
    # Whole columns and every task's text come back through this worker: the API's 20 MB result cap would make a
    # national store's task titles look unreadable.
    pool = ReadPool(path, size=1, limits=WorkerLimits(memory_mb=4096, result_bytes=2_000_000_000))
    try:
        for column, query in column_reads():
            _readable(pool, query, column, result)
        plans = {row[0]: (row[1], row[2]) for row in _rows(pool, PLAN_COUNTS, result)}
        owners = dict(_rows(pool, OWNER_EDGES, result))
        orphans = _rows(pool, ORPHAN_TASKS, result)
        if orphans and orphans[0][0]:
            result.problems.append(f"{orphans[0][0]} tasks belong to no plan")
        if not journal.exists():
            result.notes.append(
                f"no journal beside the store ({journal.folder.name}): it was loaded before plangraph kept one; "
                "load its documents again to record it"
            )
        else:
            documents = journal.documents()
            batches = _read_batches(journal, documents, result)  # once, for every comparison below
            _against_journal(documents, batches, plans, owners, result)
            if len(batches) == len(documents):  # totals need every batch: without one they would all differ
                _totals(list(batches.values()), stats(pool), result)
            if exact and result.ok:
                count, sample = exact_differences(path, list(batches.values()))
                if count:
                    result.problems.append(
                        f"{count} nodes and relationships differ from a fresh build of the journal "
                        "(- only in the fresh build, + only in the store):\n    " + "\n    ".join(sample)
                    )
        if lineage:
            incomplete = interrupted_link(path)
            if incomplete is not None:
                result.problems.append(f"lineage: incomplete for {incomplete} (an interrupted link or write)")
            else:
                stored = {(row[0], row[1]) for row in _rows(pool, DERIVATIONS, result)}
                expected = {(link.lower, link.higher) for link in link_tasks(fetch_tasks(pool), THRESHOLD)}
                missing, extra = len(expected - stored), len(stored - expected)
                if missing or extra:
                    result.problems.append(
                        f"lineage: {missing} DERIVES_FROM edges missing and {extra} extra of {len(expected)}"
                    )
    finally:
        pool.close()
    return result


def _rows(pool: Any, query: str, result: CheckResult) -> list[tuple[Any, ...]]:
    try:
        return list(pool.run_read(query, row_limit=10_000_000, timeout_ms=600_000).rows)
    except PlangraphError as exc:
        result.problems.append(f"a read of the store failed: {exc}")
        return []


def _readable(pool: Any, query: str, column: str, result: CheckResult) -> None:
    try:
        pool.run_read(query, row_limit=100_000_000, timeout_ms=600_000)
    except PlangraphError as exc:
        result.problems.append(f"{column}: the engine cannot read this column back ({exc})")


def _read_batches(journal: Journal, documents: dict[str, dict[str, Any]], result: CheckResult) -> dict[str, Any]:
    """Each journaled document's batch, by file; one that cannot be read is a problem, and left out."""
    batches: dict[str, Any] = {}
    for file, entry in sorted(documents.items()):
        try:
            batches[file] = journal.batch(entry["digest"])
        except StoreError as exc:
            result.problems.append(f"{file}: {exc}")
    return batches


def _against_journal(
    documents: dict[str, dict[str, Any]],
    batches: dict[str, Any],
    plans: dict[str, tuple[str, int]],
    owners: dict[str, int],
    result: CheckResult,
) -> None:
    named = set()
    for file, entry in sorted(documents.items()):
        plan = entry["plan"]
        named.add(plan)
        if plan not in plans:
            result.problems.append(f"{file}: its plan {plan} is in the journal, not in the store")
            continue
        held_by, tasks = plans[plan]
        if held_by != file:
            result.problems.append(f"{file}: its plan {plan} is held by {held_by} in the store")
        batch = batches.get(file)
        if batch is None:
            continue  # unreadable: said by _read_batches
        expected = Counter(n.label for n in batch.nodes)
        if tasks != expected["Task"]:
            result.problems.append(f"{file}: {tasks} tasks in the store, {expected['Task']} in the journal")
        if owners.get(plan, 0) != _owner_edges(batch):
            result.problems.append(
                f"{file}: {owners.get(plan, 0)} lead and support edges in the store, {_owner_edges(batch)} in the "
                "journal"
            )
    for plan, (file, _) in sorted(plans.items()):
        if plan not in named:
            result.problems.append(f"{file}: its plan {plan} is in the store, not in the journal")


def build(batches: list[Any], work: Path) -> None:
    """A new store at `work` holding `batches`, linked (removed again if it cannot be finished)."""
    from plangraph.cascade.linking import relink
    from plangraph.store.embedded import EmbeddedStore

    _remove_store(work)
    try:
        store = EmbeddedStore(work)
        try:
            errors = [r for r in store.write_documents(batches) if isinstance(r, PlangraphError)]
            if errors:
                raise StoreError(f"the journal's documents could not all be written: {errors[0]}")
            relink(store, None)
        finally:
            store.close()
    except BaseException:
        _remove_store(work)
        raise


def exact_differences(path: Path, batches: list[Any], limit: int = 5) -> tuple[int, list[str]]:
    """How many lines of the store's graph differ from a fresh build of `batches` (its journal), and the first
    few."""
    from plangraph.store.embedded import EmbeddedStore
    from plangraph.store.export import canonical_lines

    work = path.with_name(f"{path.name}.check-{os.getpid()}")
    build(batches, work)
    try:
        fresh_store = EmbeddedStore(work, read_only=True)
        try:
            fresh = canonical_lines(fresh_store)
        finally:
            fresh_store.close()
    finally:
        _remove_store(work)
    held_store = EmbeddedStore(path, read_only=True)
    try:
        held = canonical_lines(held_store)
    finally:
        held_store.close()
    missing, extra = sorted(set(fresh) - set(held)), sorted(set(held) - set(fresh))
    sample = [f"- {line[:200]}" for line in missing[:limit]] + [f"+ {line[:200]}" for line in extra[:limit]]
    return len(missing) + len(extra), sample


def _totals(batches: list[Any], held: dict[str, dict[str, int]], result: CheckResult) -> None:
    """Nodes per label and relationships per type in the store against the journal's batches (each node and edge
    once, however many documents name it; lineage is the linker's, not a document's)."""
    nodes: set[tuple[str, str]] = set()
    edges: set[tuple[str, str, str, str, str]] = set()
    for batch in batches:
        nodes.update((n.label, n.key) for n in batch.nodes)
        edges.update((e.type, e.start_label, e.start_key, e.end_label, e.end_key) for e in batch.edges)
    expected = {"nodes": Counter(label for label, _ in nodes), "relationships": Counter(e[0] for e in edges)}
    for kind in ("nodes", "relationships"):
        for name, count in sorted(held.get(kind, {}).items()):
            if name == "DERIVES_FROM":
                continue
            if count != expected[kind][name]:
                result.problems.append(f"{name}: {count} in the store, {expected[kind][name]} in the journal")


def repair(path: str | Path) -> tuple[Path, int]:
    """Rebuild the store at `path` from its journal; returns where the old store was kept and how many
    documents the new one holds. The old store is not read (it may be what is broken)."""
    from plangraph.cascade.linking import relink
    from plangraph.store.embedded import EmbeddedStore

    path = Path(path)
    journal = Journal(path)
    if not journal.exists():
        raise StoreError(
            f"no journal beside {path} ({journal.folder.name}): nothing to rebuild from; load the documents again"
        )
    kept = path.with_name(f"{path.name}.before-repair-{time.strftime('%Y%m%d-%H%M%S')}")
    kept.mkdir()
    store = EmbeddedStore(path, rebuild=True)  # the one writer from here: nothing changes the old store now
    try:
        for candidate in [path, *(path.with_name(path.name + suffix) for suffix in COMPANIONS)]:
            if candidate.is_file():
                shutil.copy2(candidate, kept / candidate.name)
        relink(store, None)
        documents = len(store.documents())
    except BaseException:
        store.abandon()
        raise
    finally:
        store.close()  # the new version in the old one's place (plangraph.store.versions)
    return kept, documents


def _remove_store(path: Path) -> None:
    for candidate in [path, *(path.with_name(path.name + suffix) for suffix in BUILT)]:
        if candidate.is_dir():
            shutil.rmtree(candidate, ignore_errors=True)
        else:
            candidate.unlink(missing_ok=True)


__all__ = ["CheckResult", "check", "journal_folder", "repair"]
