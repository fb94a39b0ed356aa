"""The FastAPI application: store and settings opened in a lifespan, routers by resource."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from plangraph.api.deps import StoreHolder
from plangraph.api.docs import mount_docs
from plangraph.api.limits import RequestLimits
from plangraph.api.openapi import build_openapi
from plangraph.api.problems import problem
from plangraph.api.routers import (
    admin,
    agencies,
    cypher,
    documents,
    health,
    mandates,
    plans,
    queries,
    search,
    tasks,
)
from plangraph.errors import (
    NotFound,
    PlangraphError,
    QueryError,
    QueryLimitExceeded,
    QueryTooLarge,
    ReadOnlyViolation,
    StoreError,
    UsageError,
)
from plangraph.settings import Settings
from plangraph.store.serving import claim, release

log = logging.getLogger("plangraph.api")


# Status codes of the query errors, most specific first (an exception maps by its class, not its message).
QUERY_STATUS: tuple[tuple[type[QueryError], int], ...] = (
    (NotFound, 404),
    (ReadOnlyViolation, 403),  # QueryRefused too: outside the read subset
    (QueryTooLarge, 413),
    (QueryLimitExceeded, 422),
    (UsageError, 422),
)


def create_app(settings: Settings | None = None, url: str | None = None) -> FastAPI:
    """The app; `url` (given by `plangraph serve`) is where this server answers on this machine: on the
    embedded store it then owns the store, and the command line's writers go through it (store.serving)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        claimed = None
        if url is not None and settings.backend == "embedded":
            claimed = claim(Path(settings.store), url)
            app.state.server_token = claimed.token
        # The API reads through a read-only store (the engine refuses writes); uploads swap in a writer.
        try:
            app.state.holder = StoreHolder(settings)
        except BaseException:
            if claimed is not None:
                release(Path(settings.store), claimed)
            raise
        try:
            yield
        finally:
            app.state.holder.close()
            if claimed is not None:
                release(Path(settings.store), claimed)

    app = FastAPI(
        title="plangraph",
        summary="Who owns what in Vietnamese government plans, and how mandates cascade.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below from the package's own copies of Swagger UI and ReDoc (no CDN)
        redoc_url=None,
    )
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    mount_docs(app)
    app.add_middleware(RequestLimits, settings=settings)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"])
    for module in (health, plans, tasks, agencies, mandates, search, queries, cypher, documents, admin):
        app.include_router(module.router)

    @app.exception_handler(QueryError)
    async def bad_query(_: Request, exc: QueryError) -> JSONResponse:
        status = next((code for cls, code in QUERY_STATUS if isinstance(exc, cls)), 400)
        return problem(status, HTTPStatus(status).phrase, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return problem(422, "Unprocessable Content", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, HTTPStatus(exc.status_code).phrase, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return problem(500, "Internal Server Error", "an unexpected error; see the server log")

    @app.exception_handler(PlangraphError)
    async def store_error(_: Request, exc: PlangraphError) -> JSONResponse:
        log.error("store error: %s", exc)
        detail = (
            str(exc)
            if isinstance(exc, StoreError) and "busy" in str(exc)
            else "the graph store failed; see the server log"
        )
        return problem(503, "Service Unavailable", detail)

    return app
