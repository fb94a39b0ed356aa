"""The API under the probes of issue 29, against a real `plangraph serve` on this machine (loopback only).

    python benchmarks/hostile_api.py [--store PATH] [--json FILE]

Starts `plangraph serve` on a free port of 127.0.0.1 with a file limit of 1,024 (as a default service has),
on the store given (default: the samples, loaded into a temporary folder), then measures:

- **nested maps**: one 20 KB request of nested maps (`({k: ({k: …})})`), its CPU time in the server; then
  40 concurrent copies while `/health` is asked 50 times: `/health` p50/p99;
- **slow-loris**: 1,100 connections that each send half a request header and hold it; then `/health`, ten
  times: how long each took, and whether it answered;
- **starvation**: two clients (127.0.0.2 and 127.0.0.3) each looping the slowest allowed query (it runs to
  the time limit) while a third (127.0.0.4) asks `MATCH (p:Plan) RETURN count(p)` 30 times: its p50/p99.

Every loop is bounded in count and time, and only 127.0.0.0/8 is ever addressed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SLOWEST = (
    "MATCH (a:Task), (b:Task), (c:Task) WHERE a.title < b.title AND b.title < c.title "
    "AND levenshtein(a.title, c.title) > 0 RETURN count(*) AS n"
)
SIMPLE = "MATCH (p:Plan) RETURN count(p) AS n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nested_maps(size: int = 20_000, depth: int = 12) -> str:
    item = "({k: " * depth + "1" + "})" * depth
    return "RETURN " + ", ".join([item] * ((size - 20) // (len(item) + 2))) + " AS x"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@contextmanager
def server(
    store: Path, files: int = 1024, env: dict[str, str] | None = None, backend: str = "embedded"
) -> Iterator[tuple[str, int]]:
    """`plangraph serve` on a free loopback port with `files` open files at most; yields (url, pid). `backend`
    "neo4j": the server of the Neo4j the environment names (NEO4J_URI …), `store` unused."""
    port = free_port()
    environment = {**os.environ, **(env or {})}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    command = [sys.executable, "-m", "plangraph.cli", "serve", "--port", str(port)]
    command += ["--store", str(store)] if backend == "embedded" else ["--backend", backend]
    log = tempfile.TemporaryFile()  # a file, not a pipe: a server that logs a lot must never block on it
    process = subprocess.Popen(command, preexec_fn=limit, env=environment, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"plangraph serve stopped: {log.read().decode()[-2000:]}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError("plangraph serve did not answer /health within 120 s")
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its threads (not its children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(address: str, timeout: float = 60) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=timeout)


def probe_nested_maps(url: str, pid: int, depth: int = 12) -> dict[str, Any]:
    query = nested_maps(depth=depth)
    before = cpu_seconds(pid)
    try:
        status = httpx.post(url + "/cypher", json={"query": query}, timeout=60).status_code
    except httpx.HTTPError:
        status = 0  # no answer within 60 s
    one_cpu = cpu_seconds(pid) - before
    statuses: list[int] = []

    def send(index: int) -> None:
        with client(f"127.0.0.{10 + index}") as session:
            try:
                statuses.append(session.post(url + "/cypher", json={"query": query}).status_code)
            except httpx.HTTPError:
                statuses.append(0)

    threads = [threading.Thread(target=send, args=(i,), daemon=True) for i in range(40)]
    health: list[float] = []
    for thread in threads:
        thread.start()
    with client("127.0.0.1") as session:
        for _ in range(50):
            started = time.perf_counter()
            try:
                session.get(url + "/health", timeout=30)
            except httpx.HTTPError:
                pass  # counted as the time it took (30 s or more)
            health.append(time.perf_counter() - started)
    for thread in threads:
        thread.join(120)
    return {
        "query_bytes": len(query),
        "depth": depth,
        "status": status,
        "server_cpu_s": round(one_cpu, 3),
        "concurrent_statuses": sorted(set(statuses)),
        "health_p50_ms": round(statistics.median(health) * 1000, 1),
        "health_p99_ms": round(percentile(health, 0.99) * 1000, 1),
    }


def probe_slow_loris(url: str, connections: int = 1_100) -> dict[str, Any]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < connections + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 500), hard))
    port = int(url.rsplit(":", 1)[1])
    held: list[socket.socket] = []
    try:
        for _ in range(connections):
            sock = socket.socket()
            sock.settimeout(5)
            try:
                sock.connect(("127.0.0.1", port))
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            except OSError:
                sock.close()
                continue
            held.append(sock)
        times: list[float] = []
        answered = 0
        for _ in range(10):
            started = time.perf_counter()
            try:
                answered += httpx.get(url + "/health", timeout=10).status_code == 200
            except httpx.HTTPError:
                pass
            times.append(time.perf_counter() - started)
        return {
            "connections_opened": len(held),
            "health_answered": answered,
            "health_max_s": round(max(times), 3),
            "health_p50_s": round(statistics.median(times), 3),
        }
    finally:
        for sock in held:
            sock.close()


def probe_starvation(url: str, seconds: float = 20) -> dict[str, Any]:
    stop = time.monotonic() + seconds
    slow_answers: list[int] = []

    def loop(address: str) -> None:
        with client(address, timeout=120) as session:
            while time.monotonic() < stop:
                slow_answers.append(session.post(url + "/cypher", json={"query": SLOWEST}).status_code)

    threads = [threading.Thread(target=loop, args=(a,), daemon=True) for a in ("127.0.0.2", "127.0.0.3")]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    times: list[float] = []
    statuses: list[int] = []
    with client("127.0.0.4") as session:
        while time.monotonic() < stop - 1 and len(times) < 30:
            started = time.perf_counter()
            try:
                statuses.append(session.post(url + "/cypher", json={"query": SIMPLE}).status_code)
            except httpx.HTTPError:
                statuses.append(0)
            times.append(time.perf_counter() - started)
            time.sleep(0.2)
    for thread in threads:
        thread.join(180)
    return {
        "slow_statuses": sorted(set(slow_answers)),
        "slow_answered": len(slow_answers),
        "reads": len(times),
        "read_statuses": sorted(set(statuses)),
        "read_p50_ms": round(statistics.median(times) * 1000, 1),
        "read_p99_ms": round(percentile(times, 0.99) * 1000, 1),
    }


def samples_store(folder: Path) -> Path:
    store = folder / "graph.lbdb"
    subprocess.run(
        [sys.executable, "-m", "plangraph.cli", "load", str(ROOT / "data" / "samples"), "--store", str(store)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="an embedded store (default: the samples, loaded here)")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--timeout-ms", type=int, default=10_000, help="the server's query time limit")
    parser.add_argument("--depth", type=int, default=12, help="how deep the nested maps go")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="plangraph-hostile-"))
    try:
        store = args.store or samples_store(folder)
        env = {"PLANGRAPH_QUERY_TIMEOUT_MS": str(args.timeout_ms)}
        results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg()}}
        # Each probe on a server of its own, so one a server does not survive cannot spoil the next.
        with server(store, env=env) as (url, pid):
            results["nested_maps"] = probe_nested_maps(url, pid, args.depth)
        with server(store, env=env) as (url, _):
            results["slow_loris"] = probe_slow_loris(url)
        with server(store, env=env) as (url, _):
            results["starvation"] = probe_starvation(url)
        print(json.dumps(results, indent=2))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
