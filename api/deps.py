"""Shared resources of the API, injected as Annotated dependencies (tests override them).

The store is opened read-only in the lifespan and held by a `StoreHolder`, which the
routers use as their store (`run_read`). An upload (POST /documents) on the embedded
store must write: under the holder's lock it closes the read-only store, loads through
a read-write one and reopens read-only, so no query runs on a half-swapped store. The
lock is taken per query, never across a request (a lock held by a generator dependency
is released on another thread, and deadlocked concurrent requests). On Neo4j, reads go to
READ-mode sessions and the upload opens its own write-capable driver; no swap is needed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from api.settings import Settings
from graph.store import open_store
from graph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult
from graph.views import SearchIndex

T = TypeVar("T")


class StoreHolder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedded = settings.backend == "embedded"
        self.lock = threading.Lock()  # held per query (never across a request) and during an upload's swap
        self.write_lock = threading.Lock()  # one upload at a time
        self.store: Any = open_store(settings.backend, settings.store, read_only=True)
        self.backend = self.store.backend
        self._index: SearchIndex | None = None

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> QueryResult:
        """One read on the current store; on the embedded store, never while an upload swaps it."""
        if not self.embedded:
            result: QueryResult = self.store.run_read(query, params, row_limit, timeout_ms)
            return result
        with self.lock:
            result = self.store.run_read(query, params, row_limit, timeout_ms)
            return result

    def search_index(self) -> SearchIndex:
        index = self._index
        if index is None:
            index = self._index = SearchIndex.build(self)
        return index

    def write(self, action: Callable[[Any], T]) -> T:
        """Run `action(store)` on a read-write store, then serve reads again."""
        with self.write_lock:
            with self.lock:
                if self.embedded:
                    self.store.close()
                try:
                    writer = open_store(self.settings.backend, Path(self.settings.store), read_only=False)
                    try:
                        return action(writer)
                    finally:
                        writer.close()
                finally:
                    if self.embedded:
                        self.store = open_store(self.settings.backend, self.settings.store, read_only=True)
                    self._index = None

    def close(self) -> None:
        self.store.close()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_holder(request: Request) -> StoreHolder:
    holder: StoreHolder = request.app.state.holder
    return holder


def get_store(request: Request) -> StoreHolder:
    """The store as the routers see it: `run_read` on whatever store the holder has now."""
    return get_holder(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Any, Depends(get_store)]
HolderDep = Annotated[StoreHolder, Depends(get_holder)]
