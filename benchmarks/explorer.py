"""How long the explorer takes to open the NQ 57 cascade on a store (issue 20): `plangraph serve` on the store,
Debian's chromium driven by Playwright, the time from navigating to `/explorer/#/mandate/57-NQ%2FTW` until the
cascade is drawn (the graph's node count is set) and its tables are in the page, and until its coverage table,
which the page fetches after the cascade, is in too.

    python3 benchmarks/corpus.py --scale 0.1 --out /tmp/corpus-10pct
    plangraph load /tmp/corpus-10pct --store /tmp/explorer-10pct/graph.lbdb --quiet
    python3 benchmarks/explorer.py /tmp/explorer-10pct/graph.lbdb --runs 10
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national import percentiles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--mandate", default="57-NQ/TW")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed (apt-get install chromium)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANGRAPH_")}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    server = subprocess.Popen(
        ["plangraph", "serve", "--port", str(port), "--store", str(args.store)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/health", timeout=5).close()
                break
            except OSError:
                time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        target = f"{url}/explorer/#/mandate/{args.mandate.replace('/', '%2F')}"
        samples: list[float] = []
        covered: list[float] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            for run in range(args.runs + 1):
                page.goto(url + "/explorer/")
                started = time.perf_counter()
                page.goto(target)
                page.wait_for_selector("#graph[data-nodes]", timeout=120_000)
                page.wait_for_selector("section[data-level] table")
                if run:  # the first run warms the server's caches up
                    samples.append(time.perf_counter() - started)
                # Coverage comes after the cascade (it is slower); each run starts once it is in.
                page.wait_for_selector('#coverage[aria-busy="false"]', timeout=300_000)
                covered.append(time.perf_counter() - started)
            nodes = int(page.get_attribute("#graph", "data-nodes") or 0)
            rows = page.locator("section[data-level] tbody tr").count()
            browser.close()
        result = {
            "store": str(args.store),
            "open_cascade": percentiles(samples),
            "with_coverage": percentiles(covered[1:]),
            "nodes": nodes,
            "plan_rows": rows,
        }
        print(json.dumps(result))
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
