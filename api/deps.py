"""Shared resources of the API, injected as Annotated dependencies (tests override them).

On the embedded store the API never runs a query in its own process: `StoreHolder` keeps two pools
of query workers (plangraph.store.workers) — one for the API's own reads (views, named queries,
search), one for user Cypher (POST /cypher) at a lower CPU priority — each worker with its own
read-only handle, memory and time limits, no secrets and (where the kernel allows) no file access
beyond the store. An upload (POST /documents) parses its file in an isolated process first, then
writes: the writer builds the store's next version while the workers read the current one, and the
workers start again on the new one once it is in place (plangraph.store.versions). On Neo4j, reads go
to READ-mode sessions and the server bounds them; an upload opens its own write-capable driver.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from plangraph.api.fairness import ClientSlots
from plangraph.settings import Settings
from plangraph.store import open_store
from plangraph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult, Reader
from plangraph.store.guard import Limits
from plangraph.store.sandbox import NOBODY
from plangraph.store.workers import ReadPool, WorkerLimits
from plangraph.views import SearchIndex

T = TypeVar("T")


class StoreHolder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedded = settings.backend == "embedded"
        self.write_lock = threading.Lock()  # one upload at a time
        self.limits = Limits(max_chars=settings.query_max_chars)
        self.cypher_slots = ClientSlots(settings.cypher_per_client, total=4 * settings.cypher_workers)
        self.pools: list[ReadPool] = []
        if self.embedded:
            worker_limits = WorkerLimits(memory_mb=settings.query_memory_mb, result_bytes=settings.query_result_bytes)
            self.reads: Reader = ReadPool(settings.store, settings.query_workers, worker_limits)
            self.cypher: Reader = ReadPool(
                settings.store, settings.cypher_workers, worker_limits, nice=10, check_plans=True
            )
            self.pools = [self.reads, self.cypher]  # type: ignore[list-item]
            self.store: Any = None
        else:
            self.store = open_store(settings.backend, settings.store, read_only=True)
            self.store.result_bytes = settings.query_result_bytes
            self.reads = self.cypher = self.store
        self.backend = settings.backend
        self._index: SearchIndex | None = None

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> QueryResult:
        """One of the API's own reads (library text)."""
        return self.reads.run_read(query, params, row_limit, timeout_ms)

    def search_index(self) -> SearchIndex:
        index = self._index
        if index is None:
            index = self._index = SearchIndex.build(self)
        return index

    @contextmanager
    def _readers_stopped(self) -> Iterator[None]:
        with ExitStack() as stack:
            for pool in self.pools:
                stack.enter_context(pool.suspended())
            yield

    def write(self, action: Callable[[Any], T]) -> T:
        """Run `action(store)` on a read-write store. On the embedded store the writer builds the store's next
        version while the query workers go on reading the current one; once it is in place (the writer's close),
        the workers start again on it."""
        with self.write_lock:
            writer = open_store(self.settings.backend, Path(self.settings.store), read_only=False)
            try:
                return action(writer)
            finally:
                try:
                    writer.close()
                finally:
                    with self._readers_stopped():
                        self._index = None

    def health(self) -> dict[str, Any]:
        """The workers' state, without running a query (a busy pool must not slow /health)."""
        if not self.embedded:
            self.store.run_read("RETURN 1 AS ok")
            return {}
        pools = [pool.health() for pool in self.pools]
        return {
            "workers": sum(p["alive"] for p in pools),
            "workers_expected": sum(p["workers"] for p in pools),
            "workers_replaced": sum(p["replaced"] for p in pools),
            "sandbox": sandbox_summary(pools),
        }

    def close(self) -> None:
        for pool in self.pools:
            pool.close()
        if self.store is not None:
            self.store.close()


def sandbox_summary(pools: list[dict[str, Any]]) -> str:
    """The query workers' sandbox layers in force, in one line (`/health`)."""
    layers = []
    if all(p["landlock"] for p in pools):
        layers.append(f"landlock ABI {min(p['landlock'] for p in pools)}")
    if all(p.get("seccomp") for p in pools):
        layers.append("seccomp")
    if all(p.get("uid") == NOBODY for p in pools):
        layers.append("uid nobody")
    layers.append("rlimits")
    return ", ".join(layers)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_holder(request: Request) -> StoreHolder:
    holder: StoreHolder = request.app.state.holder
    return holder


def get_store(request: Request) -> StoreHolder:
    """The store as the routers see it: `run_read` through the holder's query workers."""
    return get_holder(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Any, Depends(get_store)]
HolderDep = Annotated[StoreHolder, Depends(get_holder)]
