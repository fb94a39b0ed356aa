"""`plangraph serve` under the probes of issue 29, as a real server on a loopback port with a file limit of
1,024: held half-headers, a client hogging the user-Cypher workers, a trickled body, a smuggled statement
through POST /cypher, a non-ASCII key. Liveness and ordering are asserted, not speed (the speeds are
measured by benchmarks/hostile_api.py and recorded in benchmarks/RESULTS.md)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from benchmarks.hostile_api import SIMPLE, client, probe_slow_loris, server
from plangraph.api.app import create_app
from plangraph.api.fairness import ClientSlots
from plangraph.api.limits import same_key, secure_headers
from plangraph.settings import Settings
from plangraph.store.serving import TOKEN_HEADER
from tests.conftest import copy_store, samples_store_at

# A query that runs to the time limit on the samples (a three-way product of tasks, compared pairwise).
SLOW = (
    "MATCH (a:Task), (b:Task), (c:Task) WHERE a.title < b.title AND b.title < c.title "
    "AND levenshtein(a.title, c.title) > 0 RETURN count(*) AS n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples_store_at(tmp_path_factory.mktemp("bounds") / "graph.lbdb")


@pytest.fixture(scope="module")
def served(store: Path) -> Iterator[str]:
    with server(store, env={"PLANGRAPH_QUERY_TIMEOUT_MS": "3000", "PLANGRAPH_BODY_TIMEOUT_S": "2"}) as (url, _):
        yield url


def test_held_half_headers_do_not_lock_anyone_out(served: str) -> None:
    """1,100 connections holding half a request header, against a file limit of 1,024: the oldest idle ones
    are closed to admit new clients, and /health answers every time (it timed out while they were held)."""
    result = probe_slow_loris(served, connections=1_100)
    assert result["connections_opened"] == 1_100
    assert result["health_answered"] == 10, result


def test_half_a_header_is_closed_at_its_deadline(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "graph.lbdb"  # a store of its own: the module's server owns the other one
    copy_store(store, copy)
    with server(copy, env={"PLANGRAPH_HEADER_TIMEOUT_S": "1"}) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            assert sock.recv(100) == b""  # closed by the server (a timeout here raises instead)


def test_a_trickled_body_is_answered_408(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(
            b"POST /cypher HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]


def test_two_clients_hogging_cypher_leave_a_worker_to_a_third(served: str) -> None:
    """Two clients loop a query that runs to the time limit; a third client's simple reads are all answered
    while both slow queries are still running (before, both workers were busy and it waited for one)."""
    finished: list[float] = []
    stop = threading.Event()

    def hog(address: str) -> None:
        with client(address, timeout=60) as session:
            while not stop.is_set():
                assert session.post(served + "/cypher", json={"query": SLOW}).status_code == 422
                finished.append(time.monotonic())

    hogs = [threading.Thread(target=hog, args=(a,), daemon=True) for a in ("127.0.0.2", "127.0.0.3")]
    for thread in hogs:
        thread.start()
    time.sleep(0.5)  # both slow queries hold a worker now (each for the 3 s limit)
    started = time.monotonic()
    with client("127.0.0.4") as session:
        answers = [session.post(served + "/cypher", json={"query": SIMPLE}) for _ in range(5)]
    done = time.monotonic()
    stop.set()
    for thread in hogs:
        thread.join(60)
    assert [a.status_code for a in answers] == [200] * 5
    assert [a.json()["rows"] for a in answers] == [[{"n": 5}]] * 5
    # Answered while the hogs' first queries were still running: nobody waited for a slow one to end.
    assert not any(started < t < done for t in finished), (started, done, finished)


def test_one_client_gets_one_cypher_query_at_a_time(served: str) -> None:
    statuses: list[int] = []

    def slow() -> None:
        with client("127.0.0.5", timeout=60) as session:
            statuses.append(session.post(served + "/cypher", json={"query": SLOW}).status_code)

    thread = threading.Thread(target=slow, daemon=True)
    thread.start()
    time.sleep(0.5)
    with client("127.0.0.5") as session:
        second = session.post(served + "/cypher", json={"query": SIMPLE})
    thread.join(60)
    assert second.status_code == 429 and second.headers["retry-after"] == "1"
    assert statuses == [422]


def test_a_smuggled_statement_through_post_cypher_writes_nothing(served: str, tmp_path: Path) -> None:
    tmp_path.chmod(0o777)
    target = tmp_path / "stolen.csv"
    probes = [
        f"MATCH (p:Plan) RETURN p.id AS id /* **/ , \"*/ ; COPY (RETURN 1) TO '{target}' //\" AS y",
        f"RETURN 1 AS a; COPY (RETURN 1) TO '{target}'",
        f"COPY (MATCH (t:Task) RETURN t.title) TO '{target}'",
        f"RETURN 'x' AS a UNION ALL LOAD FROM '{target}' RETURN *",
    ]
    for probe in probes:
        answer = httpx.post(served + "/cypher", json={"query": probe}, timeout=30)
        assert answer.status_code in (400, 403), (probe, answer.text)
    assert not target.exists()


def test_every_answer_carries_security_headers(served: str) -> None:
    explorer = httpx.get(served + "/explorer/", timeout=30)
    assert explorer.status_code == 200
    assert "script-src 'self';" in explorer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in explorer.headers["content-security-policy"]
    for page in ("/health", "/explorer/", "/docs", "/plans/nope"):
        headers = httpx.get(served + page, timeout=30).headers
        assert headers["x-content-type-options"] == "nosniff", page
        assert headers["x-frame-options"] == "DENY", page


def test_a_non_ascii_key_is_refused_not_a_500(served: str, store: Path) -> None:
    """The command line's channel compared its token with hmac.compare_digest on str: a non-ASCII token was
    a TypeError, answered 500. Keys are compared as bytes now."""
    for token in ("khóa", "ключ", "\u00ff" * 40):
        answer = httpx.post(
            served + "/admin/load", json={"paths": ["x"]}, headers={TOKEN_HEADER: token.encode()}, timeout=30
        )
        assert answer.status_code == 403, answer.text
    settings = Settings(backend="embedded", store=store, api_key="khóa-bí-mật")
    with TestClient(create_app(settings)) as test_client:
        upload = test_client.post("/documents", files={"file": ("a.txt", b"x")}, headers={"X-API-Key": "khóa".encode()})
        assert upload.status_code == 401
    assert same_key("khóa-bí-mật", "khóa-bí-mật") and not same_key("ключ", "khóa-bí-mật") and not same_key(None, "k")


def test_secure_headers_keep_what_a_route_set() -> None:
    headers = secure_headers("/explorer/", [(b"content-type", b"text/html"), (b"x-frame-options", b"SAMEORIGIN")])
    assert (b"x-frame-options", b"SAMEORIGIN") in headers and (b"x-frame-options", b"DENY") not in headers
    assert any(name == b"content-security-policy" for name, _ in headers)


def test_client_slots_bound_each_client_and_the_total() -> None:
    slots = ClientSlots(per_client=1, total=2)
    with slots.slot("a"), slots.slot("b"):
        with pytest.raises(Exception, match="503|already running or waiting"):
            with slots.slot("c"):
                pass
        with pytest.raises(Exception, match="429|already has 1"):
            with slots.slot("a"):
                pass
    assert slots.busy() == 0
