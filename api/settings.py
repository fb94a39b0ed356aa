"""API settings, from the environment (prefix PLANGRAPH_)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.store import default_store_path


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

    def uploads(self) -> Path:
        return self.upload_dir or Path(self.store).parent / "uploads"
