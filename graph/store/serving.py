"""One writer, many readers on the embedded store (issue 18, item 2): while `plangraph serve` runs a store, the
server owns it, and writers on the command line (`plangraph load`, `demo`, `link`) hand their work to it.

The embedded engine admits one writer and no reader beside it, and the API's query workers hold the store
open. So the server, when it starts on an embedded store, writes a *server file* beside it
(`graph.lbdb.server.json`: its process id, its local address and a random token; readable by the owner
only), and removes it when it stops. A writer that finds a live server file sends its paths to the server
(`POST /admin/load`, `POST /admin/link`, with the token, from this machine only); the server parses them in
its isolated parse workers while the API keeps answering, and writes each run of documents in the brief
pause of its query workers that an upload already uses — so queries wait a moment, never fail, and never
see half a document. A server file whose process is gone is stale and removed; a second server on a store
another one serves is refused with the address of the first.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from plangraph.errors import StoreError

SUFFIX = ".server.json"
TOKEN_HEADER = "X-Plangraph-Token"


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    url: str  # "http://127.0.0.1:8000"
    token: str


def server_file(store: Path) -> Path:
    store = Path(store).resolve()
    return store.parent / (store.name + SUFFIX)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user: alive
        return True
    return True


def _read(path: Path) -> ServerInfo | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        return ServerInfo(int(data["pid"]), str(data["url"]), str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def running_server(store: Path) -> ServerInfo | None:
    """The live server that owns `store`, if any (a stale server file is removed)."""
    path = server_file(store)
    if not path.exists():
        return None
    info = _read(path)
    if info is None or not _alive(info.pid):
        path.unlink(missing_ok=True)
        return None
    return info


def claim(store: Path, url: str) -> ServerInfo:
    """Write the server file for this process; refused when another live server owns the store."""
    other = running_server(store)
    if other is not None and other.pid != os.getpid():
        raise StoreError(
            f"plangraph serve (process {other.pid}) already serves {store} at {other.url}; use it, or stop it first"
        )
    info = ServerInfo(os.getpid(), url, secrets.token_urlsafe(32))
    path = server_file(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(info), handle)
    os.replace(staging, path)
    return info


def release(store: Path, info: ServerInfo) -> None:
    """Remove the server file if it is still this server's."""
    path = server_file(store)
    current = _read(path)
    if current is not None and current.token == info.token:
        path.unlink(missing_ok=True)


def call(info: ServerInfo, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST `payload` to the server's admin endpoint `path` and return its JSON answer (no time limit: a load
    of many documents takes as long as it takes)."""
    request = urllib.request.Request(
        info.url + path,
        data=json.dumps(payload).encode("utf-8"),
        headers={"content-type": "application/json", TOKEN_HEADER: info.token},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (a local http URL the server wrote)
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("detail", exc.reason)
        except ValueError:
            detail = exc.reason
        raise StoreError(f"the server at {info.url} refused the request ({exc.code}): {detail}") from None
    except OSError as exc:
        raise StoreError(
            f"plangraph serve (process {info.pid}) owns the store but does not answer at {info.url} ({exc}); "
            "wait for it to start, or stop it"
        ) from None
