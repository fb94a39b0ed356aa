"""Bounded HTTP load test on loopback: N concurrent clients for T seconds on who-owns-what, cascade and search.

    python3 benchmarks/load_api.py --clients 32 --seconds 30

Loads data/samples into a fresh embedded store, starts `plangraph serve` on a free loopback port in a
subprocess, drives it with httpx async clients, prints a markdown row for benchmarks/RESULTS.md and exits 1
on any error or non-2xx answer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = {
    "who-owns-what": "/agencies/tinh-lang-son/so-noi-vu/tasks",
    "cascade": "/mandates/NQ%2057/cascade",
    "search": "/search?q=chuyen%20doi%20so&limit=20",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def client(base: str, stop_at: float, latencies: dict[str, list[float]], errors: list[str], k: int) -> None:
    names = list(REQUESTS)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        i = k
        while time.perf_counter() < stop_at:
            name = names[i % len(names)]
            i += 1
            start = time.perf_counter()
            try:
                response = await http.get(REQUESTS[name])
                if response.status_code != 200:
                    errors.append(f"{name}: HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{name}: {type(exc).__name__}")
                continue
            latencies[name].append(time.perf_counter() - start)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000 if len(values) > 1 else 0.0


async def main(clients: int, seconds: float) -> int:
    store = Path(tempfile.mkdtemp()) / "graph.lbdb"
    env = {**os.environ, "PLANGRAPH_STORE": str(store)}
    subprocess.run(
        [sys.executable, "-m", "graph.cli", "load", str(ROOT / "data" / "samples"), "--quiet"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        latencies: dict[str, list[float]] = {name: [] for name in REQUESTS}
        errors: list[str] = []
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(client(base, stop_at, latencies, errors, k) for k in range(clients)))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()  # uvicorn waits for in-flight requests; the measurement is over
            server.wait()
    total = sum(len(v) for v in latencies.values())
    print(
        f"| {time.strftime('%Y-%m-%d')} | {platform.machine()}, {os.cpu_count()} cores "
        f"| {clients} clients, {seconds:.0f} s | {total} requests, {total / seconds:.0f}/s | {len(errors)} errors |"
    )
    for name, values in latencies.items():
        print(f"| {name} | {len(values)} | p50 {pct(values, 50):.1f} ms | p99 {pct(values, 99):.1f} ms |")
    if errors:
        print("errors:", sorted(set(errors))[:10])
    return 1 if errors or not total else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.clients, args.seconds)))
