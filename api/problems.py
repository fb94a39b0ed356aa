"""RFC 9457 problem responses (`application/problem+json`), the one shape of every API error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse


def problem(
    status: int,
    title: str,
    detail: str,
    report: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem response; `report` carries an upload's load report beside the detail; `headers` (e.g.
    Retry-After) are sent with it."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if report is not None:
        body["report"] = report
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)
