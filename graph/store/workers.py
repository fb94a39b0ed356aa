"""Read queries in worker processes: each with its own read-only handle, limits, sandbox and no secrets.

The API's reads and user Cypher on the embedded store never run in the server process. A
:class:`ReadPool` keeps a few workers (an isolated interpreter, ``python -I -S``, started by
:func:`worker_command`), each of which, in this order (:func:`serve`):

- imports all it will use, then applies Landlock (read the store and the libraries, write only a
  private temporary folder, no TCP) and a seccomp filter (no exec, sockets, ptrace, namespaces or
  executable mappings) while it is the only thread (plangraph.store.sandbox);
- opens the store read-only with one engine thread (whose threads inherit both), drops to `nobody`
  when started as root, and caps its address space at what it mapped plus a memory budget;
- starts from an environment scrubbed of everything but PATH and locale, so no API key or password
  is there to read;
- for user Cypher (`run_user`), parses the text with the guard and runs the guard's serialisation,
  after the engine's own prepare and plan have been checked against the read allow-lists
  (:func:`plan_refusal`, when the pool has `check_plans`);
- runs one query at a time with the engine's timeout, and stops collecting rows past the row and
  byte limits.

The parent enforces what a worker cannot promise: a query that outlives its time limit (plus a
grace period) or kills its worker is answered with :class:`QueryLimitExceeded` and the worker is
replaced. Several workers serve at once, so one slow query holds one worker, not the API.
Messages are JSON lines with tagged dates (never pickle: a worker's answer is data, not code)."""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from plangraph.errors import (
    PlangraphError,
    QueryError,
    QueryLimitExceeded,
    QueryRefused,
    QueryTooLarge,
    ReadOnlyViolation,
    StoreError,
)
from plangraph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult
from plangraph.store.codec import decode, encode
from plangraph.store.guard import Limits
from plangraph.store.ordering import settle

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerLimits:
    memory_mb: int = 1024  # address space a worker may add after opening the store
    buffer_pool_mb: int = 256  # the engine's page cache per worker
    result_bytes: int = 20_000_000  # a result's size as JSON
    grace_ms: int = 2_000  # past the query's time limit before the worker is killed
    start_timeout_s: float = 60.0
    queue_timeout_s: float = 30.0  # waiting for a free worker


# -- engine errors -----------------------------------------------------------------------------

# Engine messages that mean the query text is at fault, not the store.
USER_ERRORS = ("Parser exception", "Binder exception", "Catalog exception", "Runtime exception")


def engine_error(exc: BaseException) -> PlangraphError:
    """The project's error for an exception the embedded engine raised."""
    if isinstance(exc, MemoryError) or "bad_alloc" in str(exc) or "Buffer manager exception" in str(exc):
        return QueryLimitExceeded("the query needed more memory than a query may use; add LIMIT or match less")
    if isinstance(exc, ValueError | TypeError | OverflowError):  # the binding refused a parameter value
        return QueryError(f"a query parameter cannot be passed to the engine: {exc}")
    message = str(exc)
    if message.startswith("Unable to cast Python instance"):
        return QueryError(f"a query parameter cannot be passed to the engine: {message}")
    if "Permission denied" in message:  # the sandbox refused a file the engine was told to open
        return ReadOnlyViolation("the query tried to reach a file outside the graph; queries read the graph only")
    if "read-only" in message.lower() or "read only" in message.lower():
        return ReadOnlyViolation("the query tries to change the graph; this entry point is read-only")
    if "interrupted" in message.lower() or "timeout" in message.lower():
        return QueryLimitExceeded(f"the query was stopped at its time limit: {message}")
    if message.startswith(USER_ERRORS):
        return QueryError(f"the query is not valid Cypher for this graph: {message}")
    return StoreError(f"the embedded engine failed: {message}")


ERROR_KINDS: dict[str, type[PlangraphError]] = {
    "refused": QueryRefused,
    "too_large": QueryTooLarge,
    "limit": QueryLimitExceeded,
    "readonly": ReadOnlyViolation,
    "query": QueryError,
    "store": StoreError,
}


def _kind(error: PlangraphError) -> str:
    for name, cls in ERROR_KINDS.items():
        if isinstance(error, cls):
            return name
    return "store"


# -- the worker process ------------------------------------------------------------------------


def _collect(result: Any, row_limit: int, byte_limit: int) -> dict[str, Any]:
    if isinstance(result, list):
        result = result[-1]
    columns = list(result.get_column_names())
    rows: list[Any] = []
    size, truncated = 0, False
    while result.has_next():
        if len(rows) >= row_limit:
            truncated = True
            break
        row = encode(list(result.get_next()))
        size += len(json.dumps(row, ensure_ascii=False))
        if size > byte_limit:
            raise QueryLimitExceeded(
                f"the result is larger than {byte_limit:,} bytes; return fewer or shorter values, or add LIMIT"
            )
        rows.append(row)
    return {"ok": True, "columns": columns, "rows": rows, "truncated": truncated}


# The physical operators a user's read may plan to (the engine's EXPLAIN), and the table functions it may
# call; anything else (COPY_TO, EXPORT_DATABASE, ATTACH_DATABASE, INSTALL_EXTENSION, STANDALONE_CALL for a
# setting, READ_CSV … for LOAD FROM, every write) is refused before the statement runs. An allow-list: an
# operator a new engine version adds is refused until it is named here.
READ_OPERATORS = frozenset(
    """
    RESULT_COLLECTOR PROJECTION FILTER FLATTEN SCAN_NODE_TABLE SCAN_REL_TABLE PRIMARY_KEY_SCAN_NODE_TABLE
    INDEX_LOOKUP HASH_JOIN_BUILD HASH_JOIN_PROBE INTERSECT_BUILD INTERSECT CROSS_PRODUCT SEMI_MASKER
    AGGREGATE AGGREGATE_FINALIZE AGGREGATE_SCAN ORDER_BY ORDER_BY_MERGE ORDER_BY_SCAN TOP_K TOP_K_SCAN
    LIMIT SKIP MULTIPLICITY_REDUCER UNWIND UNION_ALL_SCAN RECURSIVE_EXTEND PATH_PROPERTY_PROBE DUMMY_SINK
    TABLE_FUNCTION_CALL EMPTY_RESULT OFFSET COUNT_REL_TABLE
    """.split()
)
READ_TABLE_FUNCTIONS = frozenset({"READ_FTABLE", "SHOW_TABLES", "TABLE_INFO", "SHOW_CONNECTION"})
OPERATOR_RE = re.compile(r"([A-Z][A-Z0-9_]*)\[\d+\]")
FUNCTION_RE = re.compile(r"Function: ([A-Za-z0-9_]+)")


def plan_refusal(connection: Any, query: str) -> str | None:
    """Why the engine's own reading of `query` is not a single read (None when it is): the engine
    prepares it (one statement, or it refuses), then plans it, and every operator and table function in
    the plan must be on the read allow-lists. A second judge beside the guard's parse: what the engine
    would run is checked in the engine's terms, whatever the text looked like to the guard."""
    prepared = connection.prepare(query)
    if not prepared.is_success():
        message = prepared.get_error_message()
        if "multiple statements" in message:
            return "several statements in one query"
        return None  # not valid: let execute() report the engine's own error
    plan = connection.execute("EXPLAIN " + query)
    text = "".join(str(row[0]) for row in plan.get_all())
    operators = set(OPERATOR_RE.findall(text))
    if not operators:
        return "the engine's plan for the query could not be read"
    refused = sorted(operators - READ_OPERATORS)
    if refused:
        return f"the engine would run {', '.join(refused)}, which is not a read of the graph"
    functions = {name.upper() for name in FUNCTION_RE.findall(text)}
    refused = sorted(functions - READ_TABLE_FUNCTIONS)
    if refused:
        return f"the engine would call {', '.join(refused)}, which reads outside the graph"
    return None


def _warm_imports() -> None:
    """Everything the loop uses, imported before the sandbox closes (no library may be mapped after)."""
    import _json  # noqa: F401
    import base64 as _base64  # noqa: F401
    import decimal as _decimal  # noqa: F401
    import encodings.idna  # noqa: F401
    import uuid as _uuid  # noqa: F401

    json.dumps([date.today(), datetime.now(), Decimal("1.5")], default=str)
    json.loads('{"a": [1, 2.5, "\\u00e9"]}')
    _base64.b64encode(b"x")


def serve(config: dict[str, Any]) -> int:
    """The worker's loop: one JSON request per line on stdin, one JSON answer per line on stdout.

    The order is the sandbox: everything imported; Landlock and seccomp applied while this is the only
    thread; then the engine is opened (its threads inherit both); then, when started as root, the uid
    dropped to `nobody` for every thread; then the memory cap. Nothing the engine runs afterwards, on
    any thread, can write outside the private folder, read outside the store and the libraries, start
    a program, open a socket or load a library."""
    import tempfile

    import real_ladybug as lb

    from plangraph.store.guard import Limits, check_user_query
    from plangraph.store.sandbox import deny_syscalls, drop_privileges, limit_memory, restrict_files

    store = str(config["store"])
    if config.get("nice"):
        os.nice(int(config["nice"]))
    _warm_imports()
    private = tempfile.mkdtemp(prefix="plangraph-worker-")
    os.environ["TMPDIR"] = private
    sandboxed = bool(config.get("sandbox", True))
    abi, filtered = 0, False
    if sandboxed:
        if os.geteuid() == 0:
            os.chown(private, NOBODY_ID, NOBODY_ID)
        store_path = Path(store)
        readable = [p for p in (store_path, store_path.with_name(store_path.name + ".wal")) if p.exists()]
        abi = restrict_files(readable, write=[private])
        filtered = deny_syscalls()
    database = lb.Database(
        store, read_only=True, buffer_pool_size=int(config["buffer_pool_mb"]) << 20, max_num_threads=1
    )
    uid = drop_privileges() if sandboxed else os.geteuid()
    connection = lb.Connection(database)
    warm: Any = connection.execute("RETURN 1")  # loads what a query needs before the memory cap
    warm.get_all()
    limit_memory(int(config["memory_mb"]) << 20)
    check_plans = bool(config.get("check_plans", False))
    out = sys.stdout
    out.write(json.dumps({"ready": True, "landlock": abi, "seccomp": filtered, "uid": uid}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            request = json.loads(line)
            query, params = request["query"], decode(request.get("params") or {})
            if request.get("guard") is not None:  # user text: parsed here, in the sandbox, not in the API
                query = check_user_query(query, params, Limits(**request["guard"]))
            connection.set_query_timeout(int(request["timeout_ms"]))
            refusal = plan_refusal(connection, query) if check_plans else None
            if refusal is not None:
                raise ReadOnlyViolation(f"{refusal}; user queries read the graph only")
            result = connection.execute(query, params)
            answer = _collect(result, int(request["row_limit"]), int(request["byte_limit"]))
            if request.get("guard") is not None:
                answer["query"] = query  # what ran: the parent orders rows by it
        except PlangraphError as exc:
            answer = {"ok": False, "kind": _kind(exc), "message": str(exc)}
        except Exception as exc:  # the engine's own exceptions, classified
            error = engine_error(exc)
            answer = {"ok": False, "kind": _kind(error), "message": str(error)}
        text = json.dumps(answer, ensure_ascii=False)
        out.write(text + "\n")
        out.flush()
    return 0


NOBODY_ID = 65534
# How a worker's interpreter starts: isolated (-I: no environment variables, no user site) and without the
# site module (-S: no .pth file in any site-packages runs, so a file dropped there runs nowhere). The path
# and the package's own folders come from the parent, as data.
BOOT = (
    "import importlib.util, json, sys\n"
    "config = json.loads(sys.argv[1])\n"
    "sys.path[:] = config['path']\n"
    "spec = importlib.util.spec_from_file_location('plangraph', config['init'], "
    "submodule_search_locations=config['locations'])\n"
    "module = importlib.util.module_from_spec(spec)\n"
    "sys.modules['plangraph'] = module\n"
    "spec.loader.exec_module(module)\n"
    "import signal\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "from plangraph.store.workers import serve\n"
    "sys.exit(serve(config))\n"
)


def worker_command(config: dict[str, Any]) -> list[str]:
    """The command line of a query worker for `config` (the store, its limits, its layers)."""
    import plangraph

    boot = {
        **config,
        "path": [p for p in sys.path if p and os.path.isabs(p)],
        "init": plangraph.__file__,
        "locations": list(plangraph.__path__),
    }
    return [sys.executable, "-I", "-S", "-c", BOOT, json.dumps(boot)]


# -- the pool (parent side) ----------------------------------------------------------------------


class _Worker:
    def __init__(self, store: Path, limits: WorkerLimits, nice: int, check_plans: bool, sandbox: bool) -> None:
        from plangraph.store.sandbox import scrubbed_environment

        config = {
            "store": str(store),
            "memory_mb": limits.memory_mb,
            "buffer_pool_mb": limits.buffer_pool_mb,
            "nice": nice,
            "check_plans": check_plans,
            "sandbox": sandbox,
        }
        self.process = subprocess.Popen(
            worker_command(config),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=scrubbed_environment(),
            cwd="/",
            close_fds=True,
        )
        self.landlock = 0
        self.seccomp = False
        self.uid = -1
        self._buffer = b""

    def wait_ready(self, timeout_s: float) -> None:
        line = self.read_line(timeout_s)
        if line is None:
            raise StoreError("a query worker did not start: the store could not be opened read-only")
        ready = json.loads(line)
        self.landlock = int(ready.get("landlock", 0))
        self.seccomp = bool(ready.get("seccomp", False))
        self.uid = int(ready.get("uid", -1))

    def read_line(self, timeout_s: float) -> bytes | None:
        """One line from the worker, or None when it died or the time ran out."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
        self.process.stdin.flush()

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.warning("a query worker (pid %d) did not exit after SIGKILL", self.process.pid)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    def stop(self) -> None:
        if self.process.stdin is not None and self.alive():
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()


class ReadPool:
    """`size` query workers on one embedded store; a :class:`~plangraph.store.base.Reader`."""

    backend = "embedded"

    def __init__(
        self,
        store: str | Path,
        size: int = 2,
        limits: WorkerLimits | None = None,
        nice: int = 0,
        check_plans: bool = False,
        sandbox: bool = True,
    ) -> None:
        """`check_plans`: the pool runs user Cypher, so each statement is also judged by the engine's own plan
        (:func:`plan_refusal`). `sandbox=False` exists for the tests that prove each layer alone."""
        self.store = Path(store).resolve()
        self.check_plans = check_plans
        self.sandbox = sandbox
        self.size = max(1, size)
        self.limits = limits or WorkerLimits()
        self.nice = nice
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._suspended = threading.Event()
        self._resumed = threading.Condition()
        self.landlock = 0
        self.seccomp = False
        self.uid = -1
        self.replaced = 0  # workers killed for a limit and replaced
        self._start()

    def _start(self) -> None:
        if not self.store.exists():
            raise StoreError(f"no graph store at {self.store}. Load documents first: plangraph load data/samples")
        from plangraph.store.embedded import EmbeddedStore

        # Finish what an interrupted writer left (a bulk-load journal, an unreplayed log) once, here:
        # the workers only ever open the store read-only.
        EmbeddedStore(self.store, read_only=True).close()
        started = [
            _Worker(self.store, self.limits, self.nice, self.check_plans, self.sandbox) for _ in range(self.size)
        ]
        try:
            for worker in started:
                worker.wait_ready(self.limits.start_timeout_s)
        except PlangraphError:
            for worker in started:
                worker.kill()
            raise
        self.landlock = min(w.landlock for w in started)
        self.seccomp = all(w.seccomp for w in started)
        self.uid = max(w.uid for w in started)
        with self._lock:
            self._workers = started
        for worker in started:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self.replaced += 1
        fresh = _Worker(self.store, self.limits, self.nice, self.check_plans, self.sandbox)
        try:
            fresh.wait_ready(self.limits.start_timeout_s)
        except PlangraphError:
            fresh.kill()
            with self._lock:
                self._workers = [w for w in self._workers if w is not worker]
            log.error("a query worker could not be restarted; %d left", len(self._workers))
            return
        with self._lock:
            self._workers = [fresh if w is worker else w for w in self._workers]
        self._idle.put(fresh)

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> QueryResult:
        """A read of the library's own text."""
        return self._run(query, params, row_limit, timeout_ms, None)

    def run_user(
        self,
        query: str,
        params: dict[str, Any] | None,
        row_limit: int,
        timeout_ms: int,
        limits: Limits,
    ) -> QueryResult:
        """A user's Cypher: the worker parses it with the guard (plangraph.store.guard) inside its sandbox and
        runs the guard's serialisation, so the API process never parses untrusted text (forty parses at once
        held its interpreter lock and kept /health waiting)."""
        guard = {field: getattr(limits, field) for field in limits.__dataclass_fields__}
        return self._run(query, params, row_limit, timeout_ms, guard)

    def _run(
        self, query: str, params: dict[str, Any] | None, row_limit: int, timeout_ms: int, guard: dict[str, int] | None
    ) -> QueryResult:
        with self._resumed:
            while self._suspended.is_set():
                self._resumed.wait(self.limits.queue_timeout_s)
        try:
            worker = self._idle.get(timeout=self.limits.queue_timeout_s)
        except queue.Empty:
            raise StoreError("every query worker is busy; try again shortly") from None
        message = {
            "query": query,
            "params": encode(params or {}),
            "row_limit": row_limit,
            "byte_limit": self.limits.result_bytes,
            "timeout_ms": timeout_ms,
            "guard": guard,
        }
        try:
            worker.send(message)
        except (BrokenPipeError, OSError):
            self._replace(worker)
            raise StoreError("a query worker stopped; try again") from None
        line = worker.read_line((timeout_ms + self.limits.grace_ms) / 1000)
        if line is None:
            timed_out = worker.alive()
            self._replace(worker)
            if timed_out:
                raise QueryLimitExceeded(f"the query was stopped at its time limit ({timeout_ms} ms)")
            raise QueryLimitExceeded(
                f"the query was stopped: it needed more memory than a query may use ({self.limits.memory_mb} MB) "
                "or crashed the engine; add LIMIT or match less"
            )
        self._idle.put(worker)
        answer = json.loads(line)
        if not answer.get("ok"):
            raise ERROR_KINDS.get(answer.get("kind", "store"), StoreError)(answer.get("message", "the query failed"))
        rows = tuple(tuple(decode(row)) for row in answer["rows"])
        columns = tuple(answer["columns"])
        sent = answer.get("query", query)
        return QueryResult(columns=columns, rows=settle(sent, columns, rows), truncated=bool(answer["truncated"]))

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Stop every worker (releasing the store for a writer), run the block, start them again.
        Queries that arrive meanwhile wait for the restart."""
        self._suspended.set()
        taken = []
        try:
            for _ in range(len(self._workers)):
                taken.append(self._idle.get(timeout=self.limits.queue_timeout_s + 60))
        except queue.Empty:
            pass
        for worker in taken:
            worker.stop()
        with self._lock:
            self._workers = []
        try:
            yield
        finally:
            try:
                self._start()
            finally:
                with self._resumed:
                    self._suspended.clear()
                    self._resumed.notify_all()

    def health(self) -> dict[str, Any]:
        with self._lock:
            alive = sum(1 for w in self._workers if w.alive())
        return {
            "workers": self.size,
            "alive": alive,
            "landlock": self.landlock,
            "seccomp": self.seccomp,
            "uid": self.uid,
            "replaced": self.replaced,
        }

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
