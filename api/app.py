"""The FastAPI application: store and settings opened in a lifespan, routers by resource."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api.routers import health, queries
from api.settings import Settings
from graph.errors import PlangraphError, QueryError, ReadOnlyViolation
from graph.store import open_store


def problem(status: int, title: str, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        # The API only reads: the store is opened read-only, so the engine refuses writes.
        app.state.store = open_store(settings.backend, settings.store, read_only=True)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="plangraph",
        summary="Who owns what in Vietnamese government plans, and how mandates cascade.",
        version="0.1.0",
        lifespan=lifespan,
    )
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"])
    app.include_router(health.router)
    app.include_router(queries.router)

    @app.exception_handler(ReadOnlyViolation)
    async def read_only(_: Request, exc: ReadOnlyViolation) -> JSONResponse:
        return problem(403, "Forbidden", str(exc))

    @app.exception_handler(QueryError)
    async def bad_query(_: Request, exc: QueryError) -> JSONResponse:
        status = 404 if str(exc).startswith("no named query") else 400
        return problem(status, "Not Found" if status == 404 else "Bad Request", str(exc))

    @app.exception_handler(PlangraphError)
    async def store_error(_: Request, exc: PlangraphError) -> JSONResponse:
        return problem(503, "Service Unavailable", "the graph store failed; see the server log")

    return app
