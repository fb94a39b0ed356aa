"""Shared resources of the API, injected as Annotated dependencies (tests override them).

The store is opened read-only in the lifespan and held by a `StoreHolder`. An upload
(POST /documents) on the embedded store must write: it takes the holder's lock, closes
the read-only store, loads through a read-write one and reopens read-only, so requests
never see a half-swapped store. On Neo4j, reads go to READ-mode sessions and the upload
opens its own write-capable driver; no swap is needed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from api.settings import Settings
from graph.store import open_store
from graph.views import SearchIndex

T = TypeVar("T")


class StoreHolder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        self.store: Any = open_store(settings.backend, settings.store, read_only=True)
        self._index: SearchIndex | None = None

    def search_index(self) -> SearchIndex:
        with self.lock:
            if self._index is None:
                self._index = SearchIndex.build(self.store)
            return self._index

    def write(self, action: Callable[[Any], T]) -> T:
        """Run `action(store)` on a read-write store, then serve reads again."""
        with self.lock:
            embedded = self.settings.backend == "embedded"
            if embedded:
                self.store.close()
            try:
                writer = open_store(self.settings.backend, Path(self.settings.store), read_only=False)
                try:
                    return action(writer)
                finally:
                    writer.close()
            finally:
                if embedded:
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


def get_store(request: Request) -> Iterator[Any]:
    holder = get_holder(request)
    with holder.lock:  # the embedded engine serialises queries anyway; this also keeps uploads apart
        yield holder.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Any, Depends(get_store)]
HolderDep = Annotated[StoreHolder, Depends(get_holder)]
