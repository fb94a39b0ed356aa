"""The engine's side of a write, in a process of its own (issue 30, items 4 and 5).

A writer (plangraph.store.embedded.EmbeddedStore) decides what the store's next version holds; the bulk COPY that
builds it, and the lineage table made again by a relink, run here, in a process forked for that work alone:

- the writer waits for it without holding the engine, so Ctrl-C (or a load's time limit, or a request that
  ends) stops it at once: the process is killed and the half-built version removed, the store left as it was;
- its memory and time are bounded outside the writer (and outside the API's request threads):
  PLANGRAPH_WRITE_MEMORY_MB of resident memory (default 16384) and PLANGRAPH_WRITE_TIME_LIMIT_S seconds (default
  3600); past either it is killed and the write fails with the reason;
- an engine that crashes (a segmentation fault) costs the write, not the process that asked for it.

Forked, not spawned (nothing is imported again): the writer has closed its connections to the engine before it
forks, and the child opens its own.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from plangraph.errors import StoreError


@dataclass(frozen=True)
class WriteLimits:
    memory_mb: int = 16_384
    time_s: float = 3_600.0

    @classmethod
    def from_environment(cls) -> WriteLimits:
        try:
            return cls(
                memory_mb=int(os.environ.get("PLANGRAPH_WRITE_MEMORY_MB", cls.memory_mb)),
                time_s=float(os.environ.get("PLANGRAPH_WRITE_TIME_LIMIT_S", cls.time_s)),
            )
        except ValueError as exc:
            raise StoreError(f"PLANGRAPH_WRITE_MEMORY_MB / PLANGRAPH_WRITE_TIME_LIMIT_S: not a number ({exc})") from exc


# -- the work (in the child) -------------------------------------------------------------------------------------


def build(spec: dict[str, Any]) -> None:
    """Build a version at spec["target"]: the documents (journal digests, in order) copied into empty tables, then
    the lineage (an Arrow file) less the edges of tasks the version does not hold or that were forgotten."""
    import real_ladybug as lb

    from plangraph.schema import DOCUMENT_LABELS, SHARED_LABELS
    from plangraph.store import bulk
    from plangraph.store.embedded import pair_option, schema_statements
    from plangraph.store.journal import Journal

    journal = Journal(spec["store"])
    db = lb.Database(spec["target"])
    conn = lb.Connection(db)
    try:

        def copy(table: str, rows: pa.Table, options: str = "") -> None:
            if rows.num_rows:
                conn.execute(f"COPY {table} FROM $rows{options}", {"rows": rows})

        for statement in schema_statements():
            conn.execute(statement)
        run = bulk.join([journal.prepared(digest) for digest in spec["digests"]])
        for label in DOCUMENT_LABELS:
            copy(label, run.own_node_table(label))
        for label in SHARED_LABELS:
            copy(label, bulk.node_table(label, run.nodes.get(label, {}).values()))
        for name, start, end in run.own_edges:
            copy(name, run.own_edge_table((name, start, end)), pair_option(name, start, end))
        for (name, start, end), pairs in run.edges.items():
            copy(name, bulk.edge_table(name, pairs.items()), pair_option(name, start, end))
        lineage = _read_table(spec.get("lineage"))
        if lineage is not None and lineage.num_rows:
            tasks = run.own_node_table("Task").column("id").combine_chunks()
            keep = pc.and_(pc.is_in(lineage["from"], value_set=tasks), pc.is_in(lineage["to"], value_set=tasks))
            forgotten = spec.get("forgotten") or []
            if forgotten:
                gone = pa.array(forgotten, pa.string())
                keep = pc.and_(keep, pc.invert(pc.or_(pc.is_in(lineage["from"], gone), pc.is_in(lineage["to"], gone))))
            copy("DERIVES_FROM", lineage.filter(keep))
    finally:
        conn.close()
        db.close()


def relineage(spec: dict[str, Any]) -> None:
    """Make the lineage table of the version at spec["target"] again: empty, then the rows of spec["lineage"]."""
    import real_ladybug as lb

    from plangraph.store.embedded import schema_statements

    db = lb.Database(spec["target"])
    conn = lb.Connection(db)
    try:
        conn.execute("DROP TABLE DERIVES_FROM")
        conn.execute(next(t for t in schema_statements() if "REL TABLE IF NOT EXISTS DERIVES_FROM(" in t))
        lineage = _read_table(spec.get("lineage"))
        if lineage is not None and lineage.num_rows:
            conn.execute("COPY DERIVES_FROM FROM $rows", {"rows": lineage})
    finally:
        conn.close()
        db.close()


WORK = {"build": build, "lineage": relineage}


def _read_table(path: str | None) -> pa.Table | None:
    if not path:
        return None
    with pa.memory_map(path) as source:
        return pa.ipc.open_file(source).read_all()


def write_table(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _child(kind: str, spec: dict[str, Any], conn: Connection, parent: int, lock: int | None) -> None:
    from plangraph.store.sandbox import die_with_parent

    if lock is not None:  # the writer's lock is the writer's: a killed writer's lock must go with it, not wait for us
        os.close(lock)
    die_with_parent(parent)
    try:
        WORK[kind](spec)
        conn.send(("ok", ""))
    except BaseException as exc:  # the reason goes to the writer; nothing else may leave this process
        conn.send(("error", f"{type(exc).__name__}: {exc}" if not isinstance(exc, RuntimeError) else str(exc)))
    finally:
        conn.close()
        os._exit(0)


# -- the writer's side -------------------------------------------------------------------------------------------


def run(kind: str, spec: dict[str, Any], limits: WriteLimits | None = None, lock: int | None = None) -> None:
    """Do `kind` ("build", "lineage") in a forked process under `limits`; a StoreError says why it failed. An
    interrupt (Ctrl-C) kills the process at once and goes on up. `lock`: the writer lock's descriptor, which the
    process closes (its inherited copy would hold the lock past a killed writer)."""
    limits = limits or WriteLimits.from_environment()
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(kind, spec, writer, os.getpid(), lock), daemon=True)
    process.start()
    writer.close()
    started = time.monotonic()
    try:
        while True:
            if reader.poll(0.1):
                try:
                    outcome, message = reader.recv()
                except EOFError:
                    outcome, message = "error", "the writer process ended without an answer"
                break
            if not process.is_alive():
                outcome, message = "error", f"the writer process ended (exit code {process.exitcode})"
                break
            if _resident_mb(process.pid or 0) > limits.memory_mb:
                raise StoreError(
                    f"the write needed more than {limits.memory_mb} MB of memory (PLANGRAPH_WRITE_MEMORY_MB) and was "
                    "stopped; the store is as it was"
                )
            if time.monotonic() - started > limits.time_s:
                raise StoreError(
                    f"the write took longer than {limits.time_s:g} s (PLANGRAPH_WRITE_TIME_LIMIT_S) and was stopped; "
                    "the store is as it was"
                )
    finally:
        if process.is_alive():
            process.kill()
        process.join(30)
        reader.close()
    if outcome != "ok":
        raise StoreError(f"the embedded engine failed: {message}")


def _resident_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


__all__ = ["WriteLimits", "build", "relineage", "run", "write_table"]
