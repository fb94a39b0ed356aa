"""No leaks in logs (issue 7): log records at INFO level and above carry no file-system path, stack trace or key."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plangraph.api.app import create_app
from plangraph.ingest.pipeline import load_paths
from plangraph.settings import Settings
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLES

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"


def test_logs_carry_no_paths_traces_or_keys(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    store_path = tmp_path / "graph.lbdb"
    store = EmbeddedStore(store_path)
    load_paths([SAMPLES, BAD], store)
    store.close()
    settings = Settings(backend="embedded", store=store_path, api_key="s3cret-key", upload_dir=tmp_path / "uploads")
    with TestClient(create_app(settings)) as client:
        client.post("/documents", files={"file": ("../../etc/x.txt", b"\x00\x01")}, headers={"X-API-Key": "s3cret-key"})
        client.post("/documents", files={"file": ("x.txt", b"abc")}, headers={"X-API-Key": "wrong"})
        client.post("/cypher", json={"query": "CREATE (n:Task {id: 'x'})"})
        client.get("/tasks/does-not-exist")
    records = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert records, "the run logged nothing at INFO: the check would be vacuous"
    for record in records:
        text = record.getMessage()
        assert str(tmp_path) not in text and str(SAMPLES) not in text and str(BAD) not in text, text
        assert "s3cret-key" not in text, text
        if record.levelno < logging.ERROR:
            assert record.exc_info is None and "Traceback" not in text, text
