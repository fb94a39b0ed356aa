"""The upload histories of issue 30, through a real `plangraph serve` with its key, as an office would use it:
ten plans uploaded one after another (the tenth once grew the API process to 8 GB), and eight uploads of one plan
under eight names at once (once an HTTP 500, three "201 Created" for one plan, then a crashed server). Each ends
with the graph a fresh build of the store's journal gives."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.hostile_api import server  # noqa: E402
from tests.conftest import samples_store_at  # noqa: E402

KEY = "office-key"
WEB = Path(__file__).resolve().parent / "data" / "web"


def upload(url: str, name: str, content: bytes) -> httpx.Response:
    return httpx.post(f"{url}/documents", files={"file": (name, content)}, headers={"X-API-Key": KEY}, timeout=300)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def exact(store: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "plangraph.cli", "check", "--exact", "--store", str(store)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def test_ten_plans_uploaded_one_after_another(tmp_path: Path) -> None:
    store = samples_store_at(tmp_path / "graph.lbdb")
    plans = sorted(WEB.glob("*.txt"))[:10]
    with server(store, env={"PLANGRAPH_API_KEY": KEY}) as (url, pid):
        answers = [upload(url, path.name, path.read_bytes()) for path in plans]
        assert [a.status_code for a in answers] == [201] * 10, [a.text[:200] for a in answers]
        assert all(a.json()["action"] == "created" for a in answers)
        stats = httpx.get(f"{url}/stats", timeout=60).json()
        assert stats["nodes"]["Plan"] == 5 + 10
        assert peak_rss_mb(pid) < 1500  # the API process (the parsing and query workers are processes of their own)
        health = httpx.get(f"{url}/health", timeout=60).json()
        assert health["status"] == "ok" and health["lineage"] == "complete"
    checked = exact(store)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_eight_uploads_of_one_plan_at_once_leave_one_plan(tmp_path: Path) -> None:
    store = samples_store_at(tmp_path / "graph.lbdb")
    text = (WEB / sorted(p.name for p in WEB.glob("*.txt"))[0]).read_text("utf-8")
    # Eight offices' copies of one plan: the same header (one plan), each with its own last line.
    copies = [(f"ke-hoach-ban-{k}.txt", (text + f"\nBản sao số {k}.\n").encode("utf-8")) for k in range(8)]
    with server(store, env={"PLANGRAPH_API_KEY": KEY}) as (url, _):
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda item: upload(url, *item), copies))
        assert [a.status_code for a in answers] == [201] * 8, [a.text[:200] for a in answers]
        actions = sorted(a.json()["action"] for a in answers)
        assert actions == ["created"] + ["replaced"] * 7
        rows = httpx.post(
            f"{url}/cypher",
            json={"query": "MATCH (p:Plan) WHERE p.source_file STARTS WITH 'uploads/' RETURN p.source_file AS f"},
            timeout=60,
        ).json()["rows"]
        assert len(rows) == 1  # one plan, held by one file
        assert httpx.get(f"{url}/stats", timeout=60).json()["nodes"]["Plan"] == 5 + 1  # the samples beside it
        assert httpx.get(f"{url}/health", timeout=60).json()["status"] == "ok"
    checked = exact(store)
    assert checked.returncode == 0, checked.stdout + checked.stderr
