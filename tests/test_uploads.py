"""POST /documents as an attacker and as two unlucky offices would use it (issue 14)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from plangraph.api.app import create_app
from plangraph.api.limits import RequestLimits
from plangraph.api.routers.documents import safe_name
from plangraph.ingest.pipeline import load_paths
from plangraph.settings import Settings
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import ENGINES, SAMPLE_FILES, SAMPLES, empty_neo4j, neo4j_or_skip

KEY = "upload-key"


@pytest.fixture(params=ENGINES)
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The API on each engine holding one sample; uploads go to a fresh folder."""
    if request.param == "embedded":
        store: Any = EmbeddedStore(tmp_path / "graph.lbdb")
    else:
        neo4j_or_skip()
        from plangraph.store.neo4j import Neo4jSettings, Neo4jStore

        store = Neo4jStore(Neo4jSettings.from_environment())
        empty_neo4j(store)
    load_paths([SAMPLES / SAMPLE_FILES["000"]], store)
    store.close()
    settings = Settings(
        backend=request.param,
        store=tmp_path / "graph.lbdb",
        api_key=KEY,
        max_upload_bytes=2_000_000,
        upload_dir=tmp_path / "uploads",
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def upload(client: TestClient, name: str, data: bytes, key: str = KEY) -> tuple[int, dict]:
    response = client.post("/documents", headers={"X-API-Key": key}, files={"file": (name, data)})
    return response.status_code, response.json()


def originals(client: TestClient) -> list[str]:
    folder = Path(client.app.state.settings.uploads())  # type: ignore[attr-defined]
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_two_offices_same_file_name_are_two_documents(client: TestClient) -> None:
    first, a = upload(client, "ke-hoach.txt", (SAMPLES / SAMPLE_FILES["003"]).read_bytes())
    second, b = upload(client, "ke-hoach.txt", (SAMPLES / SAMPLE_FILES["004"]).read_bytes())
    assert (first, second) == (201, 201) and a["action"] == b["action"] == "created"
    assert a["source_file"] != b["source_file"] and a["plan"] != b["plan"]
    assert client.get("/plans").json()["total"] == 3  # the first plan did not disappear


def test_a_corrected_upload_replaces_its_plan_and_says_so(client: TestClient) -> None:
    text = (SAMPLES / SAMPLE_FILES["003"]).read_text("utf-8")
    _, first = upload(client, "loi-bac.txt", text.encode())
    code, second = upload(client, "loi-bac-sua.txt", (text + "\n").encode())
    assert code == 201 and second["action"] == "replaced" and second["replaced_file"] == first["source_file"]
    assert client.get("/plans").json()["total"] == 2
    assert len(originals(client)) == 2  # both originals kept, by content, neither overwritten


def test_a_refused_upload_keeps_nothing_and_overwrites_nothing(client: TestClient) -> None:
    _, good = upload(client, "ke-hoach.txt", (SAMPLES / SAMPLE_FILES["003"]).read_bytes())
    kept = originals(client)
    code, body = upload(client, "ke-hoach.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 4096)  # an .so by another name
    assert code == 422 and body["report"]["loaded"] is False
    assert originals(client) == kept == [good["sha256"]]


def test_a_plan_loaded_by_the_cli_is_a_conflict_not_a_merge(client: TestClient) -> None:
    code, body = upload(client, "x.txt", (SAMPLES / SAMPLE_FILES["000"]).read_bytes())
    assert code == 409 and "already loaded from 000_" in body["detail"]
    assert originals(client) == []


@pytest.mark.parametrize(("key", "status"), [(b"wrong", 401), (None, 401)])
def test_the_key_is_checked_before_the_body_is_read(key: bytes | None, status: int) -> None:
    async def receive() -> dict:  # a 300 MB body that must never be read
        raise AssertionError("the body was read")

    async def app(scope: dict, receive_: object, send_: object) -> None:
        raise AssertionError("the route was reached")

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"content-length", b"300000000")] + ([(b"x-api-key", key)] if key else [])
    scope = {"type": "http", "method": "POST", "path": "/documents", "headers": headers}
    asyncio.run(RequestLimits(app, Settings(api_key=KEY))(scope, receive, send))
    assert sent[0]["status"] == status


def test_an_oversized_upload_is_cut_off_while_streaming(client: TestClient) -> None:
    code, _ = upload(client, "big.txt", b"x" * 3_000_000)
    assert code == 413
    assert originals(client) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a" * 300 + ".docx", "a" * 115 + ".docx"),  # a 300-character name answered 500
        ("../../etc/passwd", "passwd"),
        ("C:\\plans\\ke hoach.docx", "ke_hoach.docx"),
        ("", "upload.txt"),
        ("kế-hoạch.txt", "kế-hoạch.txt"),
    ],
)
def test_safe_name(raw: str, expected: str) -> None:
    assert safe_name(raw) == expected


def test_a_long_file_name_is_accepted(client: TestClient) -> None:
    code, body = upload(client, "k" * 300 + ".txt", (SAMPLES / SAMPLE_FILES["003"]).read_bytes())
    assert code == 201 and len(body["file"]) <= 120


def test_concurrent_uploads_of_one_plan_are_one_after_another(client: TestClient) -> None:
    """Eight uploads of one plan under eight names at once (issue 30): who holds the plan was decided outside the
    write lock, and three were answered "created" — one plan, three files. Decided inside it, the first creates
    and each next replaces the one before; the store ends with one plan, held by one file."""
    import threading

    data = (SAMPLES / SAMPLE_FILES["003"]).read_bytes()
    answers: list[tuple[int, dict]] = []
    threads = [
        threading.Thread(target=lambda i=i: answers.append(upload(client, f"ban-{i}.txt", data)), daemon=True)
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert sorted(status for status, _ in answers) == [201] * 8
    assert sorted(body["action"] for _, body in answers) == ["created"] + ["replaced"] * 7
    query = {"query": "MATCH (p:Plan {code: '136/KH-UBND'}) RETURN p.source_file AS file"}
    held = client.post("/cypher", json=query).json()["rows"]
    assert len(held) == 1
