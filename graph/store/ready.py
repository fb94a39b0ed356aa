"""What an embedded store keeps ready beside it for the cascade: each plan's task counts (issue 21, item 4).

The NQ 57 cascade of the whole country counts, for 3,356 plans, their tasks and their tasks per lead agency;
counting them at every request is most of its time. The link (plangraph.cascade.linking.relink) counts them
once per plan and keeps them in `<store>.counts.json`; a write of a document forgets its plan's counts before
it writes (so an entry is always newer than its plan's last write), and the cascade counts live whatever it
does not find here. The file is replaced whole (a reader sees the old one or the new one), and read again only
when it changed.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SUFFIX = ".counts.json"
VERSION = 1

_cache: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}
_lock = threading.Lock()


def store_file(store: Any) -> Path | None:
    """The embedded store's file behind a store or a reader (EmbeddedStore.path, ReadPool.store); None for
    Neo4j, which keeps nothing beside it."""
    if getattr(store, "backend", None) != "embedded":
        return None
    path = getattr(store, "path", None) or getattr(store, "store", None)
    return Path(path) if isinstance(path, (str, Path)) else None


def counts_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + SUFFIX)


def load(store: Any) -> dict[str, Any]:
    """Plan id → {"source_file", "sha256", "tasks", "leads": {agency name: tasks}}; {} when nothing is kept."""
    path = store_file(store)
    return {} if path is None else load_file(path)


def load_file(store_path: Path) -> dict[str, Any]:
    ready = counts_path(store_path)
    try:
        stat = ready.stat()
    except OSError:
        return {}
    key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(ready)
        if cached is not None and cached[0] == key:
            return cached[1]
    try:
        data = json.loads(ready.read_text("utf-8"))
        plans = data["plans"] if data.get("version") == VERSION else {}
        if not isinstance(plans, dict):
            raise TypeError("no table of plans")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s cannot be read (%s); the cascade counts live", ready, exc)
        return {}
    with _lock:
        _cache[ready] = (key, plans)
    return plans


def save(store_path: Path, plans: dict[str, Any]) -> None:
    """Replace the kept counts (written beside, then renamed: a reader sees the old file or the new one)."""
    ready = counts_path(store_path)
    temporary = ready.with_name(ready.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"version": VERSION, "plans": plans}, handle, ensure_ascii=False, sort_keys=True)
    os.replace(temporary, ready)


def forget(store_path: Path, plan_ids: Iterable[str]) -> None:
    """Drop the counts of plans about to be written (called by the embedded store before each write)."""
    plans = load_file(store_path)
    gone = {plan for plan in plan_ids if plan in plans}
    if gone:
        save(store_path, {plan: entry for plan, entry in plans.items() if plan not in gone})
