"""The embedded store's versions: one writer, built beside the store, put in its place in one rename (issue 30).

The store `graph.lbdb` is one file. A writer never opens it for writing: it builds the next version in
`graph.lbdb.next` from the journal (plangraph.store.journal) by the engine's bulk COPY into empty tables, and
commits it in this order:

1. the next version is closed (the engine leaves no log beside a file it closed) and flushed to disk;
2. the journal's next manifest (`manifest.next.json`: the documents the version holds) is written and flushed;
3. `graph.lbdb.next` is renamed over `graph.lbdb` — the commit point — and the folder flushed;
4. the next manifest is renamed over the manifest.

A crash before 3 leaves the previous store; after it, the new one. :func:`settle` (run by the next writer, and by
a reader that finds no writer) finishes what a crash left: a next manifest beside a next version is a commit that
never happened (both go); a next manifest alone is a commit that happened (the manifest is promoted). A reader that
has the store open keeps reading the version it opened (the rename leaves its file in place until it closes it);
the next open reads the new one.

One writer at a time, across processes: the writer holds an exclusive lock on `graph.lbdb.lock` (`flock`) from its
open to its close; a second writer is refused with a message, never queued behind a lock it cannot see.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

from plangraph.errors import StoreError
from plangraph.store.journal import Journal

log = logging.getLogger(__name__)


def next_path(store: Path) -> Path:
    return store.with_name(f"{store.name}.next")


def lock_path(store: Path) -> Path:
    return store.with_name(f"{store.name}.lock")


class WriterLock:
    """The one-writer lock of a store (an exclusive `flock` on `<store>.lock`, released by close or by the
    process's end, however it ends)."""

    def __init__(self, store: Path, wait: bool = False) -> None:
        self.path = lock_path(store)
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            os.close(self._fd)
            self._fd = None
            raise StoreError(
                f"another plangraph process is writing to the store at {store}; wait for it to finish"
            ) from exc

    @property
    def fd(self) -> int | None:
        """The lock file's descriptor (a process forked by the writer closes its copy: plangraph.store.builder)."""
        return self._fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def try_lock(store: Path) -> WriterLock | None:
    """The writer lock if no writer holds it (None when one does, or when the lock file cannot be made)."""
    try:
        return WriterLock(store)
    except (StoreError, OSError):
        return None


def remove_version(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".shadow")):
        if candidate.is_dir():
            import shutil

            shutil.rmtree(candidate, ignore_errors=True)
        else:
            candidate.unlink(missing_ok=True)


def settle(store: Path) -> None:
    """Finish or undo a commit a crash interrupted (see the module's docstring). Call it holding the writer lock."""
    journal = Journal(store)
    pending = journal.next_manifest_path
    built = next_path(store)
    if pending.exists():
        if built.exists():
            log.warning("an interrupted write had not replaced %s; the store is as it was before it", store.name)
            pending.unlink()
            remove_version(built)
        else:
            journal.promote()
    elif built.exists() or built.with_name(built.name + ".wal").exists():
        remove_version(built)


def settle_if_free(store: Path) -> None:
    """settle, when no writer is at work (a reader's open: it never waits for a writer)."""
    lock = try_lock(store)
    if lock is None:
        return
    try:
        settle(store)
    finally:
        lock.release()


def commit(store: Path, documents: dict[str, dict[str, object]]) -> None:
    """Put the closed next version in the store's place, with the manifest of the `documents` it holds."""
    built = next_path(store)
    _fsync(built)
    journal = Journal(store)
    journal.prepare(documents)
    os.replace(built, store)
    _fsync(store.parent)
    journal.promote()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["WriterLock", "commit", "lock_path", "next_path", "remove_version", "settle", "settle_if_free"]
