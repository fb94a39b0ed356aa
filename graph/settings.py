"""Settings, from the environment, in one place: read by the stores, the CLI and the API (pydantic-settings).

- `PLANGRAPH_*` (:class:`Settings`): the backend and the embedded store's path for every command, and the
  API's limits, keys and folders;
- `NEO4J_*` (:class:`Neo4jEnvironment`): the Neo4j connection (`--backend neo4j`).

A command-line option, where one exists (`--store`, `--backend`), wins over the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STORE_PATH = Path(".plangraph") / "graph.lbdb"
Backend = Literal["embedded", "neo4j"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANGRAPH_", extra="ignore")

    backend: Backend = "embedded"  # PLANGRAPH_BACKEND: embedded | neo4j (NEO4J_* variables)
    store: Path = DEFAULT_STORE_PATH  # PLANGRAPH_STORE: the embedded store (relative to the working directory)
    cors_origins: list[str] = []  # PLANGRAPH_CORS_ORIGINS='["https://dashboard.example"]'
    query_row_limit: int = 1_000  # PLANGRAPH_QUERY_ROW_LIMIT
    query_timeout_ms: int = 10_000  # PLANGRAPH_QUERY_TIMEOUT_MS
    api_key: str | None = None  # PLANGRAPH_API_KEY: required (X-API-Key header) by POST /documents; unset = disabled
    upload_dir: Path | None = None  # PLANGRAPH_UPLOAD_DIR: where uploads are kept (default: beside the store)
    max_upload_bytes: int = 20_000_000  # PLANGRAPH_MAX_UPLOAD_BYTES
    sources_dir: Path | None = None  # PLANGRAPH_SOURCES_DIR: loaded documents' text (default: beside the store)
    max_request_bytes: int = 2_000_000  # PLANGRAPH_MAX_REQUEST_BYTES: any other request's body
    # Query workers on the embedded store (plangraph.store.workers): the API's own reads, and user Cypher
    # (POST /cypher) in a pool of its own at a lower CPU priority, so a slow user query never holds them.
    query_workers: int = 2  # PLANGRAPH_QUERY_WORKERS
    # A CLI load past this many seconds stops before its next step (plangraph load --time-limit); 0: no limit.
    load_time_limit_s: float = 0.0  # PLANGRAPH_LOAD_TIME_LIMIT_S
    # Three user-Cypher workers and one query at a time per client: two clients looping the slowest allowed
    # query still leave a worker to everyone else (a client's next query waits for its last: 429 meanwhile).
    cypher_workers: int = 3  # PLANGRAPH_CYPHER_WORKERS
    cypher_per_client: int = 1  # PLANGRAPH_CYPHER_PER_CLIENT: a client's concurrent POST /cypher
    # The HTTP server's own bounds (plangraph serve): a request's headers must arrive within header_timeout_s
    # of the connection (or of the last response on a kept-alive one), each part of a body within
    # body_timeout_s of the last; at most max_connections are open (0: the file limit less a reserve), the
    # oldest idle one closed to admit a new one.
    header_timeout_s: float = 10.0  # PLANGRAPH_HEADER_TIMEOUT_S
    body_timeout_s: float = 30.0  # PLANGRAPH_BODY_TIMEOUT_S
    max_connections: int = 0  # PLANGRAPH_MAX_CONNECTIONS
    query_memory_mb: int = 1024  # PLANGRAPH_QUERY_MEMORY_MB: memory a query may add to its worker
    query_result_bytes: int = 20_000_000  # PLANGRAPH_QUERY_RESULT_BYTES: a result's size as JSON
    query_max_chars: int = 20_000  # PLANGRAPH_QUERY_MAX_CHARS: the longest user query text
    # Scanned PDFs read by OCR while loading (plangraph.loaders.ocr): off, a scan is refused as needing OCR.
    ocr: bool = True  # PLANGRAPH_OCR (0: `plangraph load --no-ocr` for every load)
    ocr_dir: Path | None = None  # PLANGRAPH_OCR_DIR: what OCR read, by file digest (default: `ocr/` beside the store)
    ocr_dpi: int = 200  # PLANGRAPH_OCR_DPI: the resolution pages are rendered at for Tesseract
    ocr_max_pages: int = 100  # PLANGRAPH_OCR_MAX_PAGES: pages OCR reads of one document (more: refused)

    def uploads(self) -> Path:
        return self.upload_dir or Path(self.store).parent / "uploads"

    def sources(self) -> Path:
        """Where loads keep each document's numbered text (plangraph.ingest.sources)."""
        return self.sources_dir or Path(self.store).parent / "sources"

    def ocr_cache(self) -> Path:
        """Where loads keep what OCR read of each scanned document (plangraph.loaders.ocr)."""
        return self.ocr_dir or Path(self.store).parent / "ocr"


class Neo4jEnvironment(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str | None = None  # NEO4J_URI: bolt://, neo4j://, or neo4j+s:// for Aura
    user: str = "neo4j"  # NEO4J_USER
    password: str | None = None  # NEO4J_PASSWORD
    database: str | None = None  # NEO4J_DATABASE (the server's default when unset)
