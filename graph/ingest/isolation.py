"""Each document parsed in isolation: nothing a file contains can stop the run or lose another file.

Documents are parsed in forked worker processes (never in the loading process), one document at a
time per worker, each under limits of its own (:class:`ParseLimits`):

- memory: the worker's address space is capped, before each document, at what it has mapped plus
  the document's budget, so a zip bomb or a table of a billion grid columns fails with a
  MemoryError (a finding on that file) instead of growing the machine's memory;
- CPU time: RLIMIT_CPU is set before each document to what the worker used plus the budget;
- wall-clock time: the parent kills a worker whose document takes longer, and starts another. A scan read by
  OCR (plangraph.loaders.ocr) reports each page it reads, and each page gives its document `ocr_page_s` more
  (OCR itself runs in child processes with limits of their own, and reads at most PLANGRAPH_OCR_MAX_PAGES pages);
  the loader shows that progress on a terminal.

A worker that dies (killed by a limit, or crashed by a library) costs its document only: the
document is reported failed with the reason and the load goes on with a fresh worker. Results come
back in the order of the files, so a load is the same however many workers parse it.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from plangraph.ingest.report import DocumentReport
from plangraph.model import SourceText

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParseLimits:
    memory_mb: int = 768  # address space one document may add to its worker
    cpu_s: int = 180  # CPU seconds one document may take
    wall_s: float = 300.0  # wall-clock seconds before its worker is killed
    ocr_page_s: float = 90.0  # more wall-clock seconds for each page a document has read by OCR


DEFAULT_PARSE_LIMITS = ParseLimits()


def _serve(conn: Connection, read: Callable[[Path], SourceText], limits: ParseLimits, parent: int) -> None:
    """A worker's loop: receive (path, name), parse under the limits, send the Parsed back. It dies with the
    process that forked it (a loader killed with -9 left its parse worker waiting on its pipe for ever)."""
    from plangraph.ingest.pipeline import Parsed, parse_file
    from plangraph.loaders import ocr
    from plangraph.store.sandbox import die_with_parent, limit_cpu, limit_memory

    die_with_parent(parent)

    def progress(done: int, total: int) -> None:  # a page of a scan read: the loader gives the document more time
        try:
            conn.send(("progress", done, total))
        except (OSError, ValueError):
            pass

    ocr.progress = progress

    # What the worker inherited from its parent is never collected here: the collector does not walk (and
    # so does not copy) the parent's pages, nor objects other threads of the parent left mid-way.
    gc.freeze()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, name = job
        limit_cpu(limits.cpu_s)
        limit_memory(limits.memory_mb << 20)
        exhausted = False
        try:
            parsed: Any = parse_file(path, name, read)
            exhausted = parsed.batch is None and "MemoryError" in (parsed.report.error or "")
        except MemoryError:
            exhausted = True
            parsed = None
        except Exception as exc:  # a reading stage that raised what it should have reported
            log.error("unexpected failure reading %s: %s", name, exc, exc_info=log.isEnabledFor(logging.DEBUG))
            parsed = Parsed(
                path,
                DocumentReport(
                    file=name, status="failed", error=f"{name}: cannot be read ({type(exc).__name__}: {exc})"
                ),
            )
        if exhausted:
            parsed = Parsed(
                path,
                DocumentReport(
                    file=name,
                    status="failed",
                    error=f"{name}: reading it needed more than {limits.memory_mb} MB (a damaged or hostile file, "
                    "e.g. a compressed part that inflates without end); not loaded",
                ),
            )
        try:
            conn.send(parsed)
        except (OSError, ValueError) as exc:
            log.error("could not return the result for %s: %s", name, exc)
            return
        if exhausted:
            return  # a worker that ran out of memory is not reused


class _Worker:
    def __init__(self, read: Callable[[Path], SourceText], limits: ParseLimits) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        # Forked, not spawned: a spawned worker would import the caller's __main__ again, which breaks
        # every script without an `if __name__ == "__main__"` guard. Workers never touch the store.
        self.process = context.Process(target=_serve, args=(child, read, limits, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.job: tuple[int, Path, str] | None = None
        self.deadline = 0.0

    def give(self, index: int, path: Path, name: str, wall_s: float) -> None:
        self.job = (index, path, name)
        self.deadline = time.monotonic() + wall_s
        self.conn.send((path, name))

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(5)
        self.kill()


def parse_isolated(
    files: list[tuple[Path, str]],
    read: Callable[[Path], SourceText],
    workers: int,
    limits: ParseLimits = DEFAULT_PARSE_LIMITS,
) -> Iterator[Any]:
    """Parse `files` ((path, name) pairs) in `workers` isolated processes; yield a Parsed per file, in order."""
    from plangraph.ingest.pipeline import Parsed

    if not files:
        return
    pool = [_Worker(read, limits) for _ in range(max(1, min(workers, len(files))))]
    results: dict[int, Any] = {}
    queue = iter(enumerate(files))
    following = 0  # the index of the next result to yield
    exhausted = False

    def failed(index: int, reason: str) -> Any:
        path, name = files[index]
        return Parsed(path, DocumentReport(file=name, status="failed", error=f"{name}: {reason}; not loaded"))

    try:
        while True:
            for i, worker in enumerate(pool):
                if worker.job is None and not exhausted:
                    item = next(queue, None)
                    if item is None:
                        exhausted = True
                        break
                    index, (path, name) = item
                    try:
                        worker.give(index, path, name, limits.wall_s)
                    except (OSError, ValueError):
                        worker.kill()
                        pool[i] = worker = _Worker(read, limits)
                        worker.give(index, path, name, limits.wall_s)
            while following in results:
                yield results.pop(following)
                following += 1
            busy = [w for w in pool if w.job is not None]
            if not busy:
                break
            now = time.monotonic()
            timeout = max(0.0, min(w.deadline - now for w in busy))
            ready = wait([w.conn for w in busy], timeout=timeout)
            for i, worker in enumerate(pool):
                if worker.job is None:
                    continue
                index = worker.job[0]
                if worker.conn in ready:
                    try:
                        message = worker.conn.recv()
                        if isinstance(message, tuple) and message[:1] == ("progress",):
                            _, done, total = message
                            if done < total:  # another page begins: it has its own time
                                worker.deadline = max(worker.deadline, time.monotonic() + limits.ocr_page_s)
                            _show_progress(worker.job[2], done, total)
                            continue
                        results[index] = message
                        worker.job = None
                        if not worker.process.is_alive() or worker.process.exitcode is not None:
                            raise EOFError
                        continue
                    except (EOFError, OSError):
                        if index not in results:
                            code = worker.process.exitcode
                            results[index] = failed(
                                index,
                                f"its reader stopped (exit {code}): the file needs more memory or CPU time than "
                                f"a document may use ({limits.memory_mb} MB, {limits.cpu_s} s) or crashes a library",
                            )
                elif time.monotonic() >= worker.deadline:
                    results[index] = failed(index, f"reading it took longer than {limits.wall_s:.0f} s")
                else:
                    continue
                worker.kill()
                pool[i] = _Worker(read, limits)
    finally:
        for worker in pool:
            worker.stop()


def _show_progress(name: str, done: int, total: int) -> None:
    """A scan's pages as OCR reads them, on the terminal (a long scan takes minutes)."""
    log.info("%s: OCR %d of %d pages", name, done, total)
    if total >= 2 and sys.stderr.isatty():
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{name}: OCR page {min(done + 1, total)} of {total}{end}")
        sys.stderr.flush()
