"""API settings, from the environment (prefix PLANGRAPH_)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from plangraph.store import default_store_path


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANGRAPH_", extra="ignore")

    backend: str = "embedded"  # PLANGRAPH_BACKEND: embedded | neo4j (NEO4J_* variables)
    store: Path = default_store_path()  # PLANGRAPH_STORE: the embedded store
    cors_origins: list[str] = []  # PLANGRAPH_CORS_ORIGINS='["https://dashboard.example"]'
    query_row_limit: int = 1_000
    query_timeout_ms: int = 10_000
    api_key: str | None = None  # PLANGRAPH_API_KEY: required (X-API-Key header) by POST /documents; unset = disabled
    upload_dir: Path | None = None  # PLANGRAPH_UPLOAD_DIR: where uploads are kept (default: beside the store)
    max_upload_bytes: int = 20_000_000
    max_request_bytes: int = 2_000_000  # PLANGRAPH_MAX_REQUEST_BYTES: any other request's body
    # Query workers on the embedded store (plangraph.store.workers): the API's own reads, and user Cypher
    # (POST /cypher) in a pool of its own at a lower CPU priority, so a slow user query never holds them.
    query_workers: int = 2  # PLANGRAPH_QUERY_WORKERS
    cypher_workers: int = 2  # PLANGRAPH_CYPHER_WORKERS
    query_memory_mb: int = 1024  # PLANGRAPH_QUERY_MEMORY_MB: memory a query may add to its worker
    query_result_bytes: int = 20_000_000  # PLANGRAPH_QUERY_RESULT_BYTES: a result's size as JSON
    query_max_chars: int = 20_000  # PLANGRAPH_QUERY_MAX_CHARS: the longest user query text

    def uploads(self) -> Path:
        return self.upload_dir or Path(self.store).parent / "uploads"
