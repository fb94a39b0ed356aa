"""The API's documentation pages and the explorer, offline (issue 18, item 3; issue 20): `/docs` (Swagger UI)
and `/redoc` (ReDoc) load their scripts and styles from copies installed with plangraph (the `fastapi-offline`
package's static files), and `/explorer/` its graph library from `plangraph.vendor`, never from a CDN, so they
render on a machine without internet."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"


def assets_folder() -> Path:
    spec = find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fastapi-offline is not installed: pip install fastapi-offline")
    return Path(list(spec.submodule_search_locations)[0]) / "static"


EXPLORER = Path(__file__).resolve().parent / "explorer"


def vendor_folder() -> Path:
    """The third-party files plangraph ships unchanged (the `plangraph.vendor` package: top-level `vendor/`)."""
    spec = find_spec("plangraph.vendor")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("plangraph.vendor is missing: reinstall plangraph")
    # The folder its files really are in: a strict editable install links each file, and StaticFiles refuses
    # a link that leads out of the folder it serves.
    return Path(spec.origin).resolve().parent


def mount_docs(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=assets_folder()), name="docs-assets")
    # The explorer (issue 20): static pages that read this API, and Cytoscape.js from plangraph.vendor (mounted
    # first: the explorer's own mount would take /explorer/vendor/ otherwise).
    app.mount("/explorer/vendor", StaticFiles(directory=vendor_folder()), name="explorer-vendor")
    app.mount("/explorer", StaticFiles(directory=EXPLORER, html=True), name="explorer")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="plangraph API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="plangraph API",
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.png",
            with_google_fonts=False,
        )
