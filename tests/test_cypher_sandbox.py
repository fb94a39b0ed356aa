"""User Cypher that does no harm even when the guard is fooled (issue 29).

Three judges stand between a user's text and the engine, and each is tested here on its own:

1. the guard parses the text and the engine is sent the guard's own serialisation of it, never the text
   (comments blanked, strings respelled), so the engine cannot read a statement the guard did not see;
2. the query worker asks the engine itself: one prepared statement, and a plan whose operators and table
   functions are all reads;
3. the worker's sandbox (Landlock and seccomp applied before the engine starts a thread, `nobody` when
   started as root, a private temporary folder, no secrets): with 1 and 2 switched off, the attacks
   still write no file outside the private folder and read no file outside the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import real_ladybug as lb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraph.errors import PlangraphError, QueryError, QueryRefused, QueryTooLarge
from plangraph.store.guard import DEFAULT_LIMITS as LIMITS
from plangraph.store.guard import (
    EOF,
    STEPS_PER_TOKEN,
    Limits,
    _Parser,
    check_user_query,
    run_user_query,
    tokenize,
)
from plangraph.store.sandbox import landlock_abi, seccomp_program
from plangraph.store.workers import ReadPool
from tests.conftest import samples_store_at

SECRET = "the-server-key-a-worker-must-not-read"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples_store_at(tmp_path_factory.mktemp("sandbox") / "store" / "graph.lbdb")


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the store: a secret file in it, and the place the attacks try to write."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.csv").write_text(f"key\n{SECRET}\n")
    os.chmod(folder, 0o777)  # writable by anyone: only the sandbox stands in the way
    return folder


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# -- the attacks, as raw engine text (what the guard would have let through had it been fooled) ------------


def attacks(outside: Path, store: Path) -> list[str]:
    out = outside
    return [
        f"COPY (MATCH (p:Plan) RETURN p.id) TO '{out}/stolen.csv'",
        f"COPY (RETURN 'import os') TO '{out}/evil.pth\x00.csv'",  # the NUL of the probe
        f"COPY (RETURN 1) TO '{out}/x.parquet'",
        f"EXPORT DATABASE '{out}/dump'",
        f"LOAD FROM '{out}/secret.csv' RETURN *",
        "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN * LIMIT 3",
        f"LOAD FROM '/proc/{os.getpid()}/environ' (file_format='csv', header=false) RETURN *",
        "LOAD FROM '/proc/self/environ' (file_format='csv', header=false) RETURN *",
        "INSTALL json",
        f"LOAD EXTENSION '{out}/planted.so'",
        f"ATTACH '{out}/other.lbdb' AS other (dbtype lbug)",
        f"MATCH (p:Plan) RETURN p.id AS id; COPY (RETURN 1) TO '{out}/second.csv'",
    ]


@pytest.fixture(scope="module")
def sandbox_only(store_path: Path) -> Iterator[ReadPool]:
    """A worker with the engine-side judge off; the guard is not in the path either (raw text is sent)."""
    pool = ReadPool(store_path, size=1, check_plans=False, sandbox=True)
    yield pool
    pool.close()


def test_the_kernel_layers_are_active(sandbox_only: ReadPool) -> None:
    assert landlock_abi() > 0, "this kernel has no Landlock: the sandbox test cannot prove the file layer"
    assert sandbox_only.landlock > 0
    assert sandbox_only.seccomp
    if os.geteuid() == 0:
        assert sandbox_only.uid == 65534  # root's worker runs on as nobody


def test_sandbox_alone_stops_every_attack(sandbox_only: ReadPool, outside: Path, store_path: Path) -> None:
    (outside / "planted.so").write_bytes(b"\x7fELF not a library")
    before_outside, before_store = files_in(outside), files_in(store_path.parent)
    for attack in attacks(outside, store_path):
        try:
            result = sandbox_only.run_read(attack, timeout_ms=5_000)
        except PlangraphError:
            continue
        text = repr(result.rows)
        assert SECRET not in text, attack
        assert "root:" not in text, attack
        assert "PLANGRAPH" not in text, attack
    assert files_in(outside) == before_outside
    assert files_in(store_path.parent) == before_store
    # The worker still answers reads, whatever it was sent before.
    assert sandbox_only.run_read("MATCH (p:Plan) RETURN count(p) AS n").rows == ((5,),)


def test_the_worker_has_no_secret_to_read(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGRAPH_API_KEY", SECRET)
    pool = ReadPool(store_path, size=1, check_plans=False, sandbox=True)
    try:
        process = pool._workers[0].process
        with open(f"/proc/{process.pid}/environ", "rb") as handle:
            assert SECRET.encode() not in handle.read()
        for path in ("/proc/self/environ", f"/proc/{os.getpid()}/environ", f"/proc/{os.getpid()}/cmdline"):
            with pytest.raises(PlangraphError):
                pool.run_read(f"LOAD FROM '{path}' (file_format='csv', header=false) RETURN *")
    finally:
        pool.close()


def test_the_engine_plan_alone_refuses_every_attack(store_path: Path, outside: Path) -> None:
    """The second judge on its own: no sandbox, no guard; the engine's plan decides."""
    pool = ReadPool(store_path, size=1, check_plans=True, sandbox=False)
    try:
        before = files_in(outside)
        for attack in attacks(outside, store_path):
            with pytest.raises(PlangraphError):
                pool.run_read(attack, timeout_ms=5_000)
        # An engine fact: binding EXPORT DATABASE (in prepare or EXPLAIN) creates its folder, empty. The plan
        # judge refuses the statement, but only the sandbox (above) or the guard keeps that folder from being
        # made: this judge alone is not enough against a binder's side effects, which is why it is not alone.
        made = files_in(outside) - before
        assert made <= {"dump"}
        assert not any((outside / "dump").iterdir()) if made else True
        reads = [
            "MATCH (p:Plan)-[:HAS_TASK]->(t:Task) RETURN p.id, count(t) ORDER BY p.id LIMIT 2",
            "CALL show_tables() RETURN name LIMIT 1",
            "UNWIND [1, 2] AS x RETURN x",
            "MATCH p = (a:Agency)-[*1..2]-(b) RETURN count(p) AS n",
            "RETURN EXISTS { MATCH (a:Agency) } AS found",
        ]
        for read in reads:
            pool.run_read(read)
    finally:
        pool.close()


def test_a_setting_or_attached_store_is_refused_by_the_plan(store_path: Path) -> None:
    pool = ReadPool(store_path, size=1, check_plans=True, sandbox=True)
    try:
        for attack in ("CALL threads=1", f"ATTACH '{store_path}' AS g (dbtype lbug)", "CALL timeout=1"):
            with pytest.raises(PlangraphError):
                pool.run_read(attack)
    finally:
        pool.close()


# -- one parser: what runs is what the guard judged -----------------------------------------------------------

SMUGGLED = [
    # The probe: the guard closed the comment at the first */, the engine did not.
    "MATCH (p:Plan) RETURN p.id AS id /* **/ , \"*/ ; COPY (RETURN 1) TO '{out}/a.csv' //\" AS y",
    "MATCH (p:Plan) RETURN p.id AS id /* **/ , \"*/ COPY (RETURN 1) TO '{out}/a2.csv' //\" AS y",
    "MATCH (p:Plan) RETURN p.id AS id /***/ , '*/ COPY (RETURN 1) TO \"{out}/b.csv\" //' AS y",
    "RETURN 1 AS a /* ***/ , '*/ ; COPY (RETURN 1) TO \"{out}/c.csv\" //' AS b",
    "RETURN 1 AS a /* \\*/ ; COPY (RETURN 1) TO '{out}/d.csv' /* */",
    "RETURN 1 AS a // \r COPY (RETURN 1) TO '{out}/e.csv'",
    "RETURN 1 AS a // \u2028 COPY (RETURN 1) TO '{out}/f.csv'",
    "RETURN 1 AS a \uff1b COPY (RETURN 1) TO '{out}/g.csv'",  # a fullwidth semicolon
    "RETURN 1 AS a \u037e COPY (RETURN 1) TO '{out}/h.csv'",  # a Greek question mark (looks like ;)
    "RETURN '\\u0027 ; COPY (RETURN 1) TO \\u0027{out}/i.csv' AS a",
    "RETURN 'x\\' ; COPY (RETURN 1) TO \\'{out}/j.csv' AS a",
    'RETURN "x\\" ; COPY (RETURN 1) TO \\"{out}/k.csv" AS a',
    "RETURN `a``; COPY (RETURN 1) TO '{out}/l.csv'; //` AS a",
    "RETURN 'x\\u0000.csv' AS a",
    "RETURN '\\ud800' AS a",
    "RETURN 1 AS a; COPY (RETURN 1) TO '{out}/m.csv'",
    "RETURN 1 AS a /* ; */ ; COPY (RETURN 1) TO '{out}/n.csv'",
    "CALL `threads`=1",
    "RETURN 1 AS a UNION COPY (RETURN 1) TO '{out}/o.csv'",
]


@pytest.fixture(scope="module")
def user_pool(store_path: Path) -> Iterator[ReadPool]:
    pool = ReadPool(store_path, size=1, check_plans=True)
    yield pool
    pool.close()


@pytest.mark.parametrize("spelling", SMUGGLED)
def test_a_smuggled_statement_never_runs(spelling: str, user_pool: ReadPool, outside: Path) -> None:
    query = spelling.replace("{out}", str(outside))
    before = files_in(outside)
    try:
        result = run_user_query(user_pool, query)
    except QueryError:
        pass
    else:  # it ran as the read the guard saw: its columns, nothing else
        assert len(result.columns) <= 2
    assert files_in(outside) == before


def test_the_engine_is_sent_the_guard_serialisation() -> None:
    text = check_user_query("MATCH (p:Plan) // a comment\n/* another */ RETURN p.id AS id // the end")
    assert text == "MATCH (p:Plan)             \n              RETURN p.id AS id           "
    assert check_user_query("RETURN 'a\\u00e9\\n' AS x;") == "RETURN 'aé\\u000a' AS x "
    assert check_user_query('RETURN "it\'s" AS x') == 'RETURN "it\'s" AS x'
    assert check_user_query("RETURN `a b`.c AS `x`") == "RETURN `a b`.c AS `x`"


@pytest.mark.parametrize("comment", ["/* **/", "/***/", "/* a ****/", "/** x **/"])
def test_comments_the_engines_close_differently_are_refused(comment: str) -> None:
    with pytest.raises(QueryRefused, match="run of stars"):
        check_user_query(f"RETURN 1 AS a {comment} , 2 AS b")


@pytest.mark.parametrize("comment", ["/**/", "/* a */", "/* a * b */", "/** doc */", "/* x *y */", "/* a ***/"])
def test_ordinary_comments_still_pass(comment: str) -> None:
    assert check_user_query(f"RETURN 1 AS a {comment} , 2 AS b").replace(" ", "") == "RETURN1ASa,2ASb"


# -- the guard and the engine agree on every spelling of comments and strings (a fuzz test) ------------------

PIECES = ["*", "/", " ", "'", '"', "\\", "n", "u", "0", "4", "1", "e", ";", "\n", "`", "**/", "*/", "/*", "//"]


@pytest.fixture(scope="module")
def engine() -> Iterator[lb.Connection]:
    database = lb.Database(":memory:")
    yield lb.Connection(database)
    database.close()


def engine_reading(connection: lb.Connection, query: str) -> tuple[list[str], list[object]] | None:
    try:
        result = connection.execute(query)
    except RuntimeError:
        return None
    if isinstance(result, list):
        return None
    rows = result.get_all()
    return list(result.get_column_names()), rows[0] if rows else []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    comment=st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    body=st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    quote=st.sampled_from(["'", '"']),
    block=st.booleans(),
)
def test_guard_and_engine_tokenise_alike(
    comment: str, body: str, quote: str, block: bool, engine: lb.Connection
) -> None:
    query = (
        f"RETURN 1 AS a /*{comment}*/ , {quote}{body}{quote} AS b"
        if block
        else f"RETURN 1 AS a //{comment}\n , {quote}{body}{quote} AS b"
    )
    try:
        sent = check_user_query(query)
    except QueryError:
        return  # refused: nothing runs
    # `sent` is the guard's tokens spelled back; the engine must read the user's own text the same way (a
    # comment or string the engine closes elsewhere gives other columns, other values, or an error).
    assert engine_reading(engine, query) == engine_reading(engine, sent), (query, sent)


# -- a linear parse ---------------------------------------------------------------------------------------------


UNBOUNDED = Limits(max_maps=10**9, max_lists=10**9)


def steps(query: str) -> tuple[int, int]:
    tokens = tokenize(query)
    parser = _Parser(query, tokens, UNBOUNDED)
    try:
        parser.statement()
    except QueryError:
        pass
    return parser.steps, len(tokens)


@pytest.mark.parametrize("depth", [4, 8, 12, 15])
def test_nested_maps_parse_in_linear_steps(depth: int) -> None:
    """`({k: ({k: …})})` was parsed twice per level (140 CPU-seconds for 18 KB); each token now costs a
    bounded number of steps, whatever the nesting (shown with the count of literal maps unbounded)."""
    item = "({k: " * depth + "1" + "})" * depth
    query = "RETURN " + ", ".join([item] * (19_000 // (len(item) + 2))) + " AS x"
    assert len(query) <= LIMITS.max_chars
    taken, count = steps(query)
    assert taken <= 12 * count  # far under the budget, which is STEPS_PER_TOKEN per token
    check_user_query(query, limits=UNBOUNDED)
    # With the default limits, such a query is refused at its 257th map, before the engine builds any.
    with pytest.raises(QueryTooLarge, match="literal maps"):
        check_user_query(query)


def test_a_few_maps_and_lists_are_fine() -> None:
    check_user_query("MATCH (p:Plan {level: 'province'}) RETURN {code: p.code, n: [1, 2, [3]]} AS m")
    with pytest.raises(QueryTooLarge, match="literal lists"):
        check_user_query("RETURN " + "[" * 5 + ", ".join(["[1]"] * 1_100) + "]" * 5 + " AS x")


def test_the_step_budget_stops_a_parse() -> None:
    query = "RETURN " + " + ".join(["1"] * 200) + " AS x"
    tokens = tokenize(query)
    parser = _Parser(query, tokens, LIMITS)
    parser.budget = len(tokens) // 2
    with pytest.raises(QueryTooLarge, match="too intricate"):
        parser.statement()
    assert STEPS_PER_TOKEN * len(tokens) > 12 * len(tokens)
    assert tokens[-1].kind == EOF


def test_seccomp_program_denies_exec_and_sockets() -> None:
    program = seccomp_program("x86_64")
    numbers = {k for code, _, _, k in program if code == 0x15}
    assert {59, 322, 41, 42, 101, 310, 319} <= numbers  # execve, execveat, socket, connect, ptrace, vm_readv, memfd
    assert program[-1] == (0x06, 0, 0, 0x7FFF0000)
