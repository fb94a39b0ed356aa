"""One writer, many readers (issue 18, item 2): while `plangraph serve` owns the embedded store, `plangraph
load` and `POST /documents` load new documents through it while 16 clients query, with no error, and the
new tasks are visible afterwards; a second server on the same store is refused; a stale server file is not
an obstacle."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from plangraph.store.embedded import EmbeddedStore
from plangraph.store.serving import claim, running_server, server_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
WEB = ROOT / "tests" / "data" / "web"
EXAMPLE = ROOT / "data" / "examples" / "ke-hoach-112-huyen-son-tinh-2024.txt"
KEY = "test-key-0123456789"

READS = [
    "/plans?limit=20",
    "/tasks?agency=tinh-lang-son/so-noi-vu&role=lead",
    "/agencies?q=so%20noi%20vu",
    "/mandates/NQ%2057/cascade?tasks=false",
    "/queries/agency-workload?limit=5",
    "/search?q=chuyen%20doi%20so&limit=5",
    "/stats",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANGRAPH_")}
    env.update({"PLANGRAPH_STORE": str(folder / "graph.lbdb"), "PLANGRAPH_API_KEY": KEY})
    # The `plangraph` installed beside this interpreter (a virtual environment need not be activated).
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


@pytest.fixture()
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A store with the samples, served by `plangraph serve` (a real process) on a free port."""
    subprocess.run(["plangraph", "load", str(SAMPLES), "--quiet"], env=_env(tmp_path), check=True, capture_output=True)
    port = _port()
    process = subprocess.Popen(
        ["plangraph", "serve", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if _get(url + "/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("plangraph serve did not start: " + (process.stdout.read().decode() if process.stdout else ""))
    yield tmp_path, url, process
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()


def test_load_and_upload_while_16_clients_query(served) -> None:  # type: ignore[no-untyped-def]
    folder, url, _ = served
    assert running_server(folder / "graph.lbdb") is not None
    stop = threading.Event()
    outcomes: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        n = i
        while not stop.is_set():
            path = READS[n % len(READS)]
            n += 1
            try:
                status, body = _get(url + path)
            except OSError as exc:  # a refused or dropped connection is an error too
                status, body = 0, str(exc).encode()
            with lock:
                outcomes[status] += 1
                if status != 200:
                    failures.append(f"{status} {path}: {body[:200]!r}")

    clients = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(1)
        web = sorted(str(p) for p in WEB.glob("*.txt"))[:4]
        load = subprocess.Popen(
            ["plangraph", "load", *web], env=_env(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        with EXAMPLE.open("rb") as handle:
            boundary = "plangraphtestboundary"
            body = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{EXAMPLE.name}"\r\n'
                    "Content-Type: text/plain\r\n\r\n"
                ).encode()
                + handle.read()
                + f"\r\n--{boundary}--\r\n".encode()
            )
        request = urllib.request.Request(
            url + "/documents",
            data=body,
            headers={"content-type": f"multipart/form-data; boundary={boundary}", "X-API-Key": KEY},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            uploaded = json.loads(response.read())
        out, err = load.communicate(timeout=600)
        time.sleep(1)
    finally:
        stop.set()
        for thread in clients:
            thread.join(120)
    assert load.returncode == 0, err.decode() + out.decode()
    assert b"through plangraph serve" in err
    assert uploaded["loaded"] and uploaded["action"] == "created" and uploaded["totals"]["tasks"] == 4
    assert not failures, f"{len(failures)} failed requests of {sum(outcomes.values())}: {failures[:5]}"
    assert outcomes[200] > 100
    # The new documents are visible through the API, whole: 5 samples + 4 web plans + 1 upload.
    status, body = _get(url + "/plans?limit=50")
    plans = json.loads(body)
    assert status == 200 and plans["total"] == 10
    tasks = {p["id"]: p["tasks"] for p in plans["items"]}
    assert tasks["112/KH-UBND@huyen-son-tinh-tinh-quang-ngai@2024"] == 4
    assert sum(tasks.values()) == 334 + 4 + sum(_tasks_of(Path(p)) for p in web)
    # Each kept its numbered text beside the store: those loaded through the server and the upload alike.
    for plan in plans["items"]:
        status, body = _get(url + "/plans/" + urllib.parse.quote(plan["id"], safe="/@") + "/text?around=1&context=0")
        assert status == 200 and json.loads(body)["first"] == 1, (plan["id"], body[:200])


def _tasks_of(path: Path) -> int:
    from plangraph.ingest.pipeline import read_document
    from plangraph.ingest.reading import read_file

    return read_document(read_file(path))[1].count("Task")


def test_a_second_server_on_the_same_store_is_refused(served) -> None:  # type: ignore[no-untyped-def]
    folder, url, process = served
    second = subprocess.run(
        ["plangraph", "serve", "--port", str(_port())], env=_env(folder), capture_output=True, timeout=120
    )
    assert second.returncode == 1
    assert f"already serves this store at {url}; use it, or stop it" in second.stderr.decode()
    # `plangraph link` goes through the server too.
    linked = subprocess.run(["plangraph", "link"], env=_env(folder), capture_output=True, timeout=300)
    assert linked.returncode == 0 and b"DERIVES_FROM links written" in linked.stdout


def test_the_admin_channel_needs_the_token(served) -> None:  # type: ignore[no-untyped-def]
    _, url, _ = served
    request = urllib.request.Request(
        url + "/admin/load",
        data=json.dumps({"paths": ["/etc/passwd"]}).encode(),
        headers={"content-type": "application/json", "X-Plangraph-Token": "guess"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    assert "/admin/load" not in json.loads(_get(url + "/openapi.json")[1])["paths"]


def test_a_stale_server_file_is_removed(tmp_path: Path) -> None:
    store = tmp_path / "graph.lbdb"
    EmbeddedStore(store).close()
    dead = subprocess.Popen(["true"])
    dead.wait()
    server_file(store).write_text(json.dumps({"pid": dead.pid, "url": "http://127.0.0.1:9", "token": "x"}))
    assert running_server(store) is None and not server_file(store).exists()
    info = claim(store, "http://127.0.0.1:8000")
    assert oct(server_file(store).stat().st_mode & 0o777) == "0o600"  # the token is the owner's only
    assert running_server(store) == info
    shutil.rmtree(tmp_path, ignore_errors=True)
