"""Nothing let in: user queries read the graph only, on every entry point; a killed writer leaves a usable store."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from plangraph.api.app import create_app
from plangraph.cli import main
from plangraph.errors import QueryError, ReadOnlyViolation
from plangraph.ingest.pipeline import load_paths
from plangraph.settings import Settings
from plangraph.store.counts import stats
from plangraph.store.embedded import EmbeddedStore
from plangraph.store.guard import check_user_query
from tests.conftest import SAMPLE_FILES, SAMPLES

WRITES = [
    "CREATE (:Plan {id: 'x'})",
    "MATCH (t:Task) SET t.title = 'x'",
    "MERGE (p:Plan {id: 'y'})",
    "MATCH (t:Task) DETACH DELETE t",
    "DROP TABLE Task",
    "CREATE NODE TABLE X(id STRING, PRIMARY KEY(id))",
    "ALTER TABLE Task ADD x STRING",
    "COPY Task FROM '/tmp/x.csv'",
    "CALL create_fts_index('Task', 'idx', ['title'])",
]
SERVER_STATEMENTS = [
    "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
    "LOAD FROM '/etc/passwd' (file_format = 'csv') RETURN *",
    "EXPORT DATABASE '/tmp/plangraph-export-attempt'",
    "INSTALL httpfs",
    "LOAD EXTENSION httpfs",
    "ATTACH '/tmp/other.lbdb' AS o (dbtype lbug)",
    "CHECKPOINT",
    "BEGIN TRANSACTION",
    "CALL timeout = 0",
    "MATCH (t:Task) RETURN t LIMIT 1; MATCH (t:Task) DETACH DELETE t",
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guard") / "graph.lbdb"
    store = EmbeddedStore(path)
    load_paths([SAMPLES], store)
    store.close()
    return path


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(backend="embedded", store=store_path))) as test_client:
        yield test_client


@pytest.mark.parametrize("query", WRITES + SERVER_STATEMENTS)
def test_api_cypher_refuses_and_changes_nothing(client: TestClient, query: str) -> None:
    before = client.get("/stats").json()
    response = client.post("/cypher", json={"query": query})
    assert response.status_code in (400, 403), response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text and "/tmp/" not in response.json()["detail"]
    assert client.get("/stats").json() == before
    assert not Path("/tmp/plangraph-export-attempt").exists()


@pytest.mark.parametrize("query", WRITES[:4] + SERVER_STATEMENTS[:2])
def test_cli_cypher_refuses(store_path: Path, query: str) -> None:
    result = CliRunner().invoke(main, ["cypher", query, "--store", str(store_path)])
    assert result.exit_code in (1, 2) and "error:" in result.output


def test_named_queries_cannot_be_used_to_write(client: TestClient) -> None:
    # Parameters are parameters: a value that looks like Cypher is only a value.
    answer = client.get("/queries/tasks-of-plan", params={"plan": "x' DETACH DELETE t //"})
    assert answer.status_code == 404 and "no loaded plan is" in answer.json()["detail"]  # a name, matched as one
    assert client.get("/stats").json()["nodes"]["Task"] == 334


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (t:Task) WHERE t.title CONTAINS 'load from; copy' RETURN count(t) AS n",
        "MATCH (t:Task) RETURN t.ref AS ref // BEGIN; COMMIT",
        "MATCH (t:Task) /* EXPORT */ RETURN count(t) AS n;",
        'MATCH (a:Agency) WHERE a.name = "Sở Nội vụ; INSTALL" RETURN a.id',
    ],
)
def test_keywords_inside_strings_and_comments_are_allowed(query: str) -> None:
    check_user_query(query)


def test_guard_errors_are_typed() -> None:
    with pytest.raises(ReadOnlyViolation, match="LOAD reads or writes server files"):
        check_user_query("load   csv from 'x' as r return r")
    with pytest.raises(QueryError, match="several statements"):
        check_user_query("RETURN 1; RETURN 2")


KILLED_WRITER = """
import os, sys
from plangraph.ingest.pipeline import load_paths
from plangraph.store.embedded import EmbeddedStore
store = EmbeddedStore(sys.argv[1])
load_paths([sys.argv[2]], store)
os._exit(0)  # no close, no checkpoint: as if the process were killed right after the commit
"""


def test_a_writer_killed_after_commit_leaves_a_store_that_opens(tmp_path: Path) -> None:
    path = tmp_path / "graph.lbdb"
    sample = str(SAMPLES / SAMPLE_FILES["003"])
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path), sample], check=True, timeout=300)
    store = EmbeddedStore(path, read_only=True)  # replays the log, then opens read-only
    try:
        counts = stats(store)
        assert counts["nodes"]["Task"] == 97 and counts["relationships"]["HAS_TASK"] == 97
    finally:
        store.close()


def test_a_writer_killed_mid_load_leaves_a_consistent_store(tmp_path: Path) -> None:
    import signal
    import time

    path = tmp_path / "graph.lbdb"
    first = EmbeddedStore(path)
    load_paths([SAMPLES / SAMPLE_FILES["003"]], first)
    first.close()
    script = (
        "import sys\nfrom plangraph.ingest.pipeline import load_paths\nfrom plangraph.store.embedded import EmbeddedStore\n"
        "store = EmbeddedStore(sys.argv[1])\nprint('ready', flush=True)\n"
        "while True:\n    load_paths([sys.argv[2]], store)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(path), str(SAMPLES)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    time.sleep(4)  # somewhere inside a document's transaction or between two
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    store = EmbeddedStore(path, read_only=True)
    try:
        query = "MATCH (p:Plan) OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task) RETURN p.source_file AS file, count(t) AS n"
        tasks = {Path(file).name: n for file, n in store.run_read(query).rows}
        # Every plan present is whole: a document is written in one transaction.
        whole = {"000": 48, "001": 49, "002": 72, "003": 97, "004": 68}
        assert tasks[SAMPLE_FILES["003"]] == 97
        for short, count in whole.items():
            if SAMPLE_FILES[short] in tasks:
                assert tasks[SAMPLE_FILES[short]] == count, (short, tasks)
        orphans = store.run_read("MATCH (t:Task) WHERE NOT EXISTS { MATCH (:Plan)-[:HAS_TASK]->(t) } RETURN count(t)")
        assert orphans.rows[0][0] == 0
    finally:
        store.close()
