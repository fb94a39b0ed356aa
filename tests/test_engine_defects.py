"""The embedded engine's defects, each as a minimal reproduction (issue 30, item 3).

Every test states what a correct engine does. A defect the pinned engine (`real_ladybug` 0.15.3) has is marked
`xfail(strict=True)`: the test fails today, as expected; an engine that fixes the defect makes it pass, and a
strict xfail that passes turns the run red — remove the mark in the same change that moves the pin (and look at
the workaround the mark's reason names: it may go too). A plain test is a behaviour the product relies on that
the pinned engine gets right; an upgrade that breaks it turns the run red too.

To judge another engine in one run (a throwaway venv; the project's pins stay), point the module at it:

    PLANGRAPH_ENGINE_MODULE=ladybug pytest tests/test_engine_defects.py    # LadybugDB 0.22
    PLANGRAPH_ENGINE_MODULE=kuzu pytest tests/test_engine_defects.py       # Kùzu 0.11.3

then read the result as: XPASS(strict) — fixed there; FAILED on a plain test — broken there; xfail — still
there. What each engine did is in benchmarks/RESULTS.md ("Engines under the soak").

The defects (letters as in issue 30's list):

(a) A COPY into a relationship table inside a transaction that rolls back leaves the table empty: every edge it
    held before the transaction is gone, and stays gone after a reopen. (The store never rolls a COPY back: each
    version is built in a file of its own, removed whole when its build fails: plangraph.store.builder.)
(b) The checkpoint misplaces a relationship table's string values: after edges of some nodes are deleted and
    created again, a column holding nulls and repeated values ("lead", "co") comes back from the checkpoint with
    the values of edges never touched swapped. (The store never deletes edges in place: each version is copied
    into empty tables, plangraph.store.versions.)
(c) Deleting and creating the same nodes again, load after load, ends with a `MERGE` that never returns (the
    engine spins in NodeTable::validatePkNotExists, 100% CPU, deaf to Ctrl-C): issue 30's README history
    (`plangraph demo` twice, a load, five reloads of one plan, loads of all; the third hangs), reduced from its
    1,715 engine calls to six processes over one node table and one relationship table. Run in a subprocess
    killed after 12 s: a hang is a failure, not a stuck suite.
(d) `COPY … TO` writes its file from an engine thread, not from the thread that called `execute`: a sandbox that
    restricts the calling thread does not restrict the write (the query worker therefore restricts itself
    before it opens the engine: plangraph.store.workers.serve, plangraph.store.sandbox).
(e) The engine's block comments read their body in pairs: `/***/` does not close at its `*/`, so
    `RETURN 1 AS a /***/, 2 AS b /* */` returns one column where Cypher (Neo4j) returns two. (The guard
    refuses a comment the two readings close at different places: plangraph.store.guard._block_comment_end.)
(f) Others met on the way:
    - list columns misplaced: rows copied into a node group whose list column was updated in place and
      checkpointed read other rows' lists (the store never updates a list in place: plangraph.store.versions);
    - `CONTAINS ''` is false (Cypher: true), so an empty filter matched nothing (the named queries test for '');
    - `collect()` of nothing is null (Cypher: []) (plangraph.store.ordering);
    - the soak's crash (`benchmarks/soak.py --seed 2`, step 13): the engine calls of its history, traced and reduced
      by delta debugging to 14 statements (COPYs, two DETACH DELETEs, a CHECKPOINT) in 7 processes, then a MERGE
      that ends in a segmentation fault (a fixture; run in a subprocess: a crash is a failure, not a dead suite);
    - a plain test: `UNWIND … MERGE (a)-[r]->(b)` from one start node to several end nodes creates every edge
      (the product merges lineage and agency edges that way; LadybugDB 0.22 creates one of seven when the
      MERGE sets no property).

Each reproduction runs in about a second on 2 cores; (c) waits 12 s for the hang on the pinned engine.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib
import importlib.util  # noqa: F401  (Kùzu 0.11.3 calls importlib.util when it binds parameters, without importing it)
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

ENGINE_MODULE = os.environ.get("PLANGRAPH_ENGINE_MODULE", "real_ladybug")
lb: Any = importlib.import_module(ENGINE_MODULE)
ROOT = Path(__file__).resolve().parent.parent
ENGINE = f"{ENGINE_MODULE} {getattr(lb, '__version__', '?')}"


def _open(path: Path, threads: int = 0) -> tuple[Any, Any]:
    database = lb.Database(str(path), max_num_threads=threads) if threads else lb.Database(str(path))
    return database, lb.Connection(database)


def _close(database: Any, connection: Any) -> None:
    connection.close()
    database.close()


def _in_subprocess(function: str, path: Path, timeout: float) -> subprocess.CompletedProcess[str] | None:
    """Run `function(path)` of this module in a new interpreter (same engine module), killed after `timeout`
    seconds (None then: it hung)."""
    code = f"import sys; from pathlib import Path; from tests.test_engine_defects import {function}; {function}(Path(sys.argv[1]))"
    try:
        return subprocess.run(
            [sys.executable, "-c", code, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None


# -- (a) a rolled-back COPY empties a relationship table ------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3: a rolled-back COPY empties the relationship table (the store never rolls a COPY "
    "back: a version is built in a file of its own, plangraph.store.builder)",
)
def test_a_rolled_back_copy_leaves_a_relationship_table_as_it_was(tmp_path: Path) -> None:
    database, conn = _open(tmp_path / "g.db")
    conn.execute("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM N TO N, m STRING)")
    conn.execute("COPY N FROM $rows", {"rows": pa.table({"id": [f"n{i}" for i in range(6)]})})
    conn.execute("COPY R FROM $rows", {"rows": pa.table({"from": ["n0", "n1"], "to": ["n1", "n2"], "m": ["a", "b"]})})
    conn.execute("BEGIN TRANSACTION")
    conn.execute("COPY R FROM $rows", {"rows": pa.table({"from": ["n3"], "to": ["n4"], "m": ["c"]})})
    conn.execute("ROLLBACK")
    edges = "MATCH (a:N)-[r:R]->(b:N) RETURN a.id, b.id, r.m ORDER BY a.id"
    assert conn.execute(edges).get_all() == [["n0", "n1", "a"], ["n1", "n2", "b"]]
    _close(database, conn)
    database, conn = _open(tmp_path / "g.db")
    assert conn.execute(edges).get_all() == [["n0", "n1", "a"], ["n1", "n2", "b"]]
    _close(database, conn)


def test_a_failed_copy_outside_a_transaction_leaves_a_relationship_table_as_it_was(tmp_path: Path) -> None:
    """What the workaround of (a) relies on: a COPY committed alone that fails (an endpoint missing) changes
    nothing, and a node COPY rolled back loses no edge."""
    database, conn = _open(tmp_path / "g.db")
    conn.execute("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM N TO N, m STRING)")
    conn.execute("COPY N FROM $rows", {"rows": pa.table({"id": [f"n{i}" for i in range(6)]})})
    conn.execute("COPY R FROM $rows", {"rows": pa.table({"from": ["n0", "n1"], "to": ["n1", "n2"], "m": ["a", "b"]})})
    with pytest.raises(RuntimeError, match="primary key"):
        conn.execute("COPY R FROM $rows", {"rows": pa.table({"from": ["n3"], "to": ["nowhere"], "m": ["c"]})})
    conn.execute("BEGIN TRANSACTION")
    conn.execute("COPY N FROM $rows", {"rows": pa.table({"id": ["x"]})})
    conn.execute("ROLLBACK")
    assert conn.execute("MATCH (n:N) RETURN count(n)").get_all() == [[6]]
    assert conn.execute("MATCH ()-[r:R]->() RETURN count(r)").get_all() == [[2]]
    _close(database, conn)


# -- (b) the checkpoint misplaces relationship strings -----------------------------------------------------------

ROLES = [None, "lead", "co"]  # a column with nulls and few distinct values, as LED_BY.accountable


def _edges_of(task: int, generation: int, agencies: int) -> dict[tuple[str, str], tuple[Any, str]]:
    return {
        (f"t{task}", f"a{(task * 7 + k * 13 + generation) % agencies}"): (
            ROLES[(task + k + generation) % len(ROLES)],
            f"mention {task} {k} {generation} " + "z" * ((task + generation) % 20),
        )
        for k in range(1 + task % 3)
    }


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3: the checkpoint swaps string values of untouched edges after deletes and inserts "
    "(the store never deletes edges in place: plangraph.store.versions)",
)
def test_b_a_checkpoint_keeps_every_relationship_string_in_place(tmp_path: Path) -> None:
    """3,500 tasks with 1-3 edges each to 60 agencies (a role and a mention on each); the edges of every tenth
    task are deleted with their tasks and created again with other values; the store reads right until the
    checkpoint, and after it the roles of edges never touched are swapped (1,843 of 7,000 on 0.15.3)."""
    tasks, agencies, documents = 3_500, 60, 10
    database, conn = _open(tmp_path / "g.db", threads=1)  # one thread: the same edges every run
    conn.execute("CREATE NODE TABLE T(id STRING, doc INT64, PRIMARY KEY(id))")
    conn.execute("CREATE NODE TABLE A(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE L(FROM T TO A, role STRING, mention STRING)")
    conn.execute("COPY A FROM $rows", {"rows": pa.table({"id": [f"a{i}" for i in range(agencies)]})})
    conn.execute(
        "COPY T FROM $rows",
        {"rows": pa.table({"id": [f"t{i}" for i in range(tasks)], "doc": [i % documents for i in range(tasks)]})},
    )
    expected: dict[tuple[str, str], tuple[Any, str]] = {}
    for task in range(tasks):
        expected.update(_edges_of(task, 0, agencies))
    table = pa.table(
        {
            "from": [a for a, _ in expected],
            "to": [b for _, b in expected],
            "role": pa.array([v[0] for v in expected.values()], pa.string()),
            "mention": [v[1] for v in expected.values()],
        }
    )
    conn.execute("COPY L FROM $rows", {"rows": table})
    conn.execute("CHECKPOINT")

    def stored() -> dict[tuple[str, str], tuple[Any, str]]:
        rows = conn.execute("MATCH (a:T)-[r:L]->(b:A) RETURN a.id, b.id, r.role, r.mention").get_all()
        return {(a, b): (role, mention) for a, b, role, mention in rows}

    assert stored() == expected
    reloaded = {}
    for task in range(0, tasks, documents):
        reloaded.update(_edges_of(task, 1, agencies))
    conn.execute("BEGIN TRANSACTION")
    conn.execute("MATCH (n:T) WHERE n.doc = 0 DETACH DELETE n")
    conn.execute("UNWIND $ids AS id CREATE (n:T {id: id, doc: 0})", {"ids": [f"t{i}" for i in range(0, tasks, 10)]})
    conn.execute(
        "UNWIND $rows AS row MATCH (a:T), (b:A) WHERE a.id = row.f AND b.id = row.t "
        "CREATE (a)-[r:L]->(b) SET r.role = row.role, r.mention = row.mention",
        {"rows": [{"f": a, "t": b, "role": v[0], "mention": v[1]} for (a, b), v in reloaded.items()]},
    )
    conn.execute("COMMIT")
    expected = {k: v for k, v in expected.items() if int(k[0][1:]) % documents} | reloaded
    if stored() != expected:  # right before the checkpoint: another defect than this one
        pytest.fail("the edges read wrong before the checkpoint")
    conn.execute("CHECKPOINT")
    after = stored()
    misplaced = [(key, expected[key], after.get(key)) for key in expected if after.get(key) != expected[key]]
    _close(database, conn)
    assert misplaced == [], f"{len(misplaced)} of {len(expected)} edges changed by the checkpoint: {misplaced[:3]}"


# -- (c) deleting and creating the same nodes again ends in a hang ----------------------------------------------------

DOCUMENT_TASKS = (48, 49, 72, 97, 68)  # the samples' five plans, as the README's history reloads them


def _text(seed: str, size: int) -> str:
    return "".join(hashlib.sha256(f"{seed}-{i}".encode()).hexdigest() for i in range(size // 64 + 1))[:size]


def reload_history(folder: Path) -> None:
    """The README history of issue 30 reduced (from the engine calls of `plangraph demo` twice, a load, five
    reloads of one plan and three loads of all, 1,715 statements): tasks with long ids and texts in five
    documents, 25 lineage edges (with a string) from document 3 to documents 0 and 1; each line below is one
    process (the engine checkpoints at close). The last MERGE never returns on 0.15.3."""
    tasks = [
        {
            "id": f"t{k:04d}-" + _text(f"id{k}", 34),
            "doc": doc,
            "title": _text(f"t{k}", 120),
            "products": _text(f"p{k}", 200),
            "source_text": _text(f"s{k}", 400),
        }
        for k, doc in enumerate(doc for doc, count in enumerate(DOCUMENT_TASKS) for _ in range(count))
    ]
    of = {doc: [t for t in tasks if t["doc"] == doc] for doc in range(len(DOCUMENT_TASKS))}
    lineage = [
        {
            "from_id": of[3][i]["id"],
            "to_id": of[1 if i % 2 == 0 else 0][i]["id"],
            "method": "tfidf(syllable 1-2 + char 3-5) + legal + theme",
        }
        for i in range(25)
    ]
    link = (
        "UNWIND $rows AS row MATCH (a:Task), (b:Task) WHERE a.id = row.from_id AND b.id = row.to_id "
        "MERGE (a)-[r:DERIVES_FROM]->(b) SET r.method = row.method",
        {"rows": lineage},
    )
    write = (
        "UNWIND $rows AS row MERGE (n:Task {id: row.id}) "
        "SET n.doc = row.doc, n.title = row.title, n.products = row.products, n.source_text = row.source_text",
        {"rows": of[3]},
    )

    def delete(doc: int) -> tuple[str, dict[str, Any]]:
        return "MATCH (n:Task) WHERE n.doc = $doc DETACH DELETE n", {"doc": doc}

    def process(
        *transactions: list[tuple[str, dict[str, Any]]], create: bool = False, checkpoint: bool = False
    ) -> None:
        database, conn = _open(folder / "g.db")
        if create:
            conn.execute(
                "CREATE NODE TABLE Task(id STRING, doc INT64, title STRING, products STRING, source_text STRING, PRIMARY KEY(id))"
            )
            conn.execute("CREATE REL TABLE DERIVES_FROM(FROM Task TO Task, method STRING)")
            conn.execute("COPY Task FROM $rows", {"rows": pa.Table.from_pylist(tasks)})
        for statements in transactions:
            conn.execute("BEGIN TRANSACTION")
            for query, params in statements:
                conn.execute(query, params)
            conn.execute("COMMIT")
        if checkpoint:
            conn.execute("CHECKPOINT")
        _close(database, conn)

    process([link], create=True)  # a first load and link
    process([link])  # a relink
    process([delete(3), write])  # document 3 reloaded
    process([write], [link], checkpoint=True)  # and again, then linked
    process([delete(0)])  # document 0 removed
    process([delete(1)], [write])  # document 1 removed, document 3 written again: the MERGE spins
    database, conn = _open(folder / "g.db")
    print(conn.execute("MATCH (n:Task) RETURN count(n), sum(size(n.source_text)) = count(n) * 400").get_all())  # noqa: T201
    _close(database, conn)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3: after deletes and re-creations of the same nodes a MERGE spins for ever in "
    "NodeTable::validatePkNotExists (issue 30's README history; no workaround in the store yet)",
)
def test_c_deleting_and_creating_the_same_nodes_again_never_hangs(tmp_path: Path) -> None:
    result = _in_subprocess("reload_history", tmp_path, timeout=12)  # 1-2 s when it does not hang
    assert result is not None, f"the reload history on {ENGINE} hung (killed after 12 s)"
    if result.returncode != 0:
        pytest.fail(f"the reproduction failed: {result.stderr[-1000:]}")
    assert result.stdout.strip() == str([[sum(DOCUMENT_TASKS) - 48 - 49, True]])  # every text read back whole


# -- (f) the soak's crash: a COPY that cannot find a key it has just written, then a segmentation fault ----------------

CRASH_HISTORY = Path(__file__).resolve().parent / "fixtures" / "engine" / "soak-seed2-crash.json.gz"


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        if "__arrow__" in value:
            return pa.ipc.open_stream(base64.b64decode(value["__arrow__"])).read_all()
        return {key: _decoded(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def soak_crash_history(folder: Path) -> None:
    """The engine calls of `benchmarks/soak.py --seed 2` up to its crash at step 13 (51 processes), reduced by delta
    debugging to 14 statements and their transactions in 7 processes (the fixture: one list of [query, parameters]
    per process, Arrow tables as IPC streams): first loads by COPY, a reload's DETACH DELETEs, a CHECKPOINT, more
    COPYs, then the MERGE of legal bases the store's one-by-one write runs, which crashes. (In the soak, a COPY of
    relationships just before it failed with "Unable to find primary key value" for a key the COPY before had
    written.)"""
    with gzip.open(CRASH_HISTORY, "rt", encoding="utf-8") as handle:
        history = json.load(handle)
    for statements in history["processes"]:
        database, conn = _open(folder / "g.db")
        for query, params in statements:
            try:
                conn.execute(query, _decoded(params))
            except RuntimeError:
                pass  # the store carried on after an engine error: so does the replay
        _close(database, conn)
    print("done")  # noqa: T201


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3: the soak's seed-2 history crashes the engine (SIGSEGV) after a COPY that cannot "
    "find a key it has just written; the store is left unreadable until plangraph repair",
)
def test_f_the_soak_crash_history_runs_to_its_end(tmp_path: Path) -> None:
    result = _in_subprocess("soak_crash_history", tmp_path, timeout=60)
    assert result is not None, f"the soak's crash history on {ENGINE} hung (killed after 60 s)"
    assert (result.returncode, result.stdout.strip()) == (0, "done"), result.stderr[-500:]


# -- (d) COPY … TO runs on an engine thread ------------------------------------------------------------------

# The numbers of open(2) and openat(2), as /proc/<pid>/task/<tid>/syscall shows a thread blocked in one.
OPEN_SYSCALLS = {"x86_64": {"2", "257"}, "aarch64": {"56"}}.get(platform.machine(), set())


def copy_to_thread(folder: Path) -> None:
    """Print the thread that called `COPY … TO` and the thread that opened its file (subprocess side of (d)).
    The file is a FIFO: the engine's open blocks until it is read, and /proc shows which thread waits in it."""
    database, conn = _open(folder / "g.db", threads=1)
    conn.execute("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE (:N {id: 'a'})")
    fifo = folder / "out.csv"
    os.mkfifo(fifo)
    caller: dict[str, Any] = {}

    def copy() -> None:
        caller["tid"] = threading.get_native_id()
        try:
            conn.execute(f"COPY (MATCH (n:N) RETURN n.id) TO '{fifo}'")
        except RuntimeError as exc:  # writing to a FIFO cannot seek: the open is what is watched
            caller["error"] = str(exc)

    thread = threading.Thread(target=copy, daemon=True)
    thread.start()
    opener = None
    deadline = time.monotonic() + 5
    while opener is None and time.monotonic() < deadline:
        time.sleep(0.01)
        for tid in os.listdir("/proc/self/task"):
            try:
                call = Path(f"/proc/self/task/{tid}/syscall").read_text().split()
            except OSError:
                continue
            if call and call[0] in OPEN_SYSCALLS:
                opener = int(tid)
    with open(fifo) as reader:  # let the open return
        reader.read()
    thread.join(10)
    print(caller.get("tid"), opener)  # noqa: T201
    os._exit(0)  # the engine's threads are not joined: this process only reports


@pytest.mark.skipif(not OPEN_SYSCALLS, reason="the open(2) numbers of this machine's architecture are not listed")
@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3: COPY … TO writes from an engine thread (the query worker sandboxes itself "
    "before it opens the engine: plangraph.store.workers.serve)",
)
def test_d_copy_to_writes_from_the_thread_that_called_execute(tmp_path: Path) -> None:
    result = _in_subprocess("copy_to_thread", tmp_path, timeout=30)
    if result is None:
        pytest.fail("the reproduction did not finish in 30 s")
    if result.returncode != 0:
        pytest.fail(f"the reproduction failed: {result.stderr[-1000:]}")
    caller, opener = result.stdout.split()
    if opener == "None":
        pytest.fail("no thread was seen opening the COPY's file")
    assert opener == caller


# -- (e) the comment grammar ------------------------------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3 reads a block comment's body in pairs: /***/ does not close at its */ (the guard "
    "refuses such comments: plangraph.store.guard._block_comment_end)",
)
def test_e_a_block_comment_closes_at_its_first_star_slash(tmp_path: Path) -> None:
    database, conn = _open(tmp_path / "g.db")
    result = conn.execute("RETURN 1 AS a /***/, 2 AS b /* */")
    columns, rows = result.get_column_names(), result.get_all()
    _close(database, conn)
    assert (columns, rows) == (["a", "b"], [[1, 2]])


def test_e_a_plain_block_comment_is_read_as_cypher_reads_it(tmp_path: Path) -> None:
    """The readings agree on a comment without a star before its `*/` (what the guard lets through)."""
    database, conn = _open(tmp_path / "g.db")
    result = conn.execute("RETURN 1 AS a /* a comment, 3 AS c */, 2 AS b /* x*/")
    assert (result.get_column_names(), result.get_all()) == (["a", "b"], [[1, 2]])
    _close(database, conn)


# -- (f) others ---------------------------------------------------------------------------------------------------


def lists_updated_then_copied(conn: Any) -> dict[str, list[str]]:
    """251 nodes with lists, some lists updated in place and checkpointed, then 12 more nodes copied in: the
    history that makes the pinned engine misplace lists. Returns every node's lists as written."""
    conn.execute("CREATE NODE TABLE A(id STRING, aliases STRING[], PRIMARY KEY(id))")
    expected = {f"a{i}": [f"x{i}"] * (i % 3 + 1) for i in range(251)}
    conn.execute("COPY A FROM $rows", {"rows": pa.table({"id": list(expected), "aliases": list(expected.values())})})
    conn.execute("BEGIN TRANSACTION")
    for i in range(0, 251, 7):
        expected[f"a{i}"] = [f"y{i}", "z"]
        conn.execute("MATCH (a:A) WHERE a.id = $id SET a.aliases = $v", {"id": f"a{i}", "v": expected[f"a{i}"]})
    conn.execute("COMMIT")
    conn.execute("CHECKPOINT")
    new = {f"b{i}": [f"w{i}"] for i in range(12)}
    conn.execute("COPY A FROM $rows", {"rows": pa.table({"id": list(new), "aliases": list(new.values())})})
    expected.update(new)
    return expected


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3 misplaces list values when rows join a node group whose lists were updated and "
    "checkpointed (the store never updates lists in place; tests/test_store_embedded.py holds the found case)",
)
def test_f_rows_copied_after_a_list_update_leave_every_list_in_place(tmp_path: Path) -> None:
    database, conn = _open(tmp_path / "g.db")
    expected = lists_updated_then_copied(conn)
    stored = dict(conn.execute("MATCH (a:A) RETURN a.id, a.aliases").get_all())
    _close(database, conn)
    assert [key for key, value in stored.items() if value != expected[key]] == []


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3: 'abc' CONTAINS '' is false (the named queries treat '' as no filter themselves)",
)
def test_f_every_string_contains_the_empty_string(tmp_path: Path) -> None:
    database, conn = _open(tmp_path / "g.db")
    answer = conn.execute("RETURN 'abc' CONTAINS '' AS c").get_all()
    _close(database, conn)
    assert answer == [[True]]


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="real_ladybug 0.15.3: collect() of nothing is null (plangraph.store.ordering returns [] itself)",
)
def test_f_collect_of_nothing_is_an_empty_list(tmp_path: Path) -> None:
    database, conn = _open(tmp_path / "g.db")
    conn.execute("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM N TO N)")
    conn.execute("CREATE (:N {id: 'a'})")
    answer = conn.execute("MATCH (a:N) OPTIONAL MATCH (a)-[:R]->(b:N) RETURN a.id, collect(b.id)").get_all()
    _close(database, conn)
    assert answer == [["a", []]]


@pytest.mark.parametrize("sets", ["", " SET r.score = row.s"], ids=["bare", "with-set"])
def test_f_merge_creates_every_edge_from_one_start_node(tmp_path: Path, sets: str) -> None:
    """The product merges edges this way (an agency's PART_OF and MEMBER_OF bare, a small relink's lineage with
    SET: plangraph.store.statements.merge_edges). Holds on 0.15.3; LadybugDB 0.22 creates one edge of seven
    for the bare MERGE."""
    database, conn = _open(tmp_path / "g.db")
    conn.execute("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM N TO N, score DOUBLE)")
    conn.execute("UNWIND $ids AS id CREATE (:N {id: id})", {"ids": ["a"] + [f"b{i}" for i in range(7)]})
    conn.execute(
        f"UNWIND $rows AS row MATCH (a:N), (b:N) WHERE a.id = row.f AND b.id = row.t MERGE (a)-[r:R]->(b){sets}",
        {"rows": [{"f": "a", "t": f"b{i}", "s": i / 10} for i in range(7)]},
    )
    answer = conn.execute("MATCH (:N {id: 'a'})-[r:R]->(b:N) RETURN b.id ORDER BY b.id").get_all()
    _close(database, conn)
    assert answer == [[f"b{i}"] for i in range(7)]
