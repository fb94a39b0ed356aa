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
