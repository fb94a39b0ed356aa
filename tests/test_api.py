"""The HTTP API on the embedded store loaded with the samples (through FastAPI's TestClient)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.pipeline import load_paths
from graph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("api") / "graph.lbdb"
    store = EmbeddedStore(path)
    load_paths([SAMPLES], store)
    store.close()
    with TestClient(create_app(Settings(backend="embedded", store=path))) as test_client:
        yield test_client


def test_api_health_and_stats(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "backend": "embedded"}
    assert client.get("/stats").json()["nodes"]["Task"] == 334


def test_api_lists_named_queries(client: TestClient) -> None:
    names = {q["name"] for q in client.get("/queries").json()}
    assert {"tasks-led-by", "mandate-cascade-by-level", "overdue-tasks"} <= names


def test_api_runs_named_query_with_query_string(client: TestClient) -> None:
    body = client.get("/queries/tasks-led-by", params={"agency": "Sở Nội vụ", "jurisdiction": "Lạng Sơn"}).json()
    assert body["total"] == 18 and not body["truncated"]  # 8 in 110/KH-UBND + 10 in 29/KH-UBND
    assert body["rows"][0]["agency"] == "Sở Nội vụ"


def test_api_cascade_accepts_mandate_as_typed(client: TestClient) -> None:
    body = client.get("/queries/mandate-cascade-by-level", params={"mandate": "NQ 57"}).json()
    assert [r["level"] for r in body["rows"]] == ["province", "department", "commune"]


def test_api_errors_are_problem_details(client: TestClient) -> None:
    missing = client.get("/queries/no-such-query")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["title"] == "Not Found"
    bad = client.get("/queries/agency-workload", params={"limit": "many"})
    assert bad.status_code == 400 and "must be a int" in bad.json()["detail"]
    unknown = client.get("/queries/agency-workload", params={"nope": "1"})
    assert unknown.status_code == 400
