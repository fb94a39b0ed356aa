"""Schema-driven API test: schemathesis generates requests from the OpenAPI document; no server errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from plangraph.api.app import create_app
from plangraph.ingest.pipeline import load_paths
from plangraph.settings import Settings
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLES


def _app(path: Path) -> object:
    store = EmbeddedStore(path)
    load_paths([SAMPLES], store)
    store.close()
    return create_app(Settings(backend="embedded", store=path, api_key="schema-key", upload_dir=path.parent / "up"))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(_app(tmp_path_factory.mktemp("schema") / "graph.lbdb")) as test_client:  # type: ignore[arg-type]
        yield test_client


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(client: TestClient) -> object:
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


@schema.parametrize()
# Derandomised so CI is reproducible; raise max_examples locally to explore further (150 passes).
@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code >= 400:
        content_type = response.headers.get("content-type") or [""]
        assert str(content_type[0] if isinstance(content_type, list) else content_type).startswith(
            "application/problem+json"
        ), (case.method, case.formatted_path, response.status_code, response.text[:300])
