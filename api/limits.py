"""Request limits enforced before a route sees the request (pure ASGI middleware).

- `POST /documents`: the API key is checked from the headers before a byte of the body is read
  (a 300 MB body without a key is answered 401 at once, not spooled first); the body may hold
  `PLANGRAPH_MAX_UPLOAD_BYTES` plus the multipart envelope.
- every other request: the body may hold `PLANGRAPH_MAX_REQUEST_BYTES` (a Cypher text and its
  parameters, far below the upload size).

A declared `Content-Length` over the limit is refused at once; a body that streams past it (no
length, or a lying one) is cut off at the limit and answered 413.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.exceptions import HTTPException

from plangraph.settings import Settings

Scope = dict[str, Any]
MULTIPART_ENVELOPE = 64 * 1024


class _TooLarge(HTTPException):
    """Raised from `receive` when the body streams past its limit (an HTTPException, so the body parsers
    let it through and the app answers it as a problem)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes")


async def _problem(send: Any, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def upload_refusal(settings: Settings, key: str | None) -> tuple[int, str, str] | None:
    """Why an upload is refused before its body is read (status, title, detail), or None."""
    if not settings.api_key:
        return 403, "Forbidden", "uploads are disabled: set PLANGRAPH_API_KEY on the server to enable them"
    if not key or not hmac.compare_digest(key.encode("utf-8", "replace"), settings.api_key.encode("utf-8")):
        return 401, "Unauthorized", "send the server's API key in the X-API-Key header"
    return None


class RequestLimits:
    def __init__(self, app: Any, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        upload = scope.get("method") == "POST" and scope.get("path") == "/documents"
        if upload:
            refusal = upload_refusal(self.settings, headers.get("x-api-key"))
            if refusal is not None:
                await _problem(send, *refusal)
                return
            limit = self.settings.max_upload_bytes + MULTIPART_ENVELOPE
        else:
            limit = self.settings.max_request_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _problem(send, 413, "Content Too Large", f"the request body is larger than {limit:,} bytes")
            return
        received = 0
        started = False

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _problem(send, 413, "Content Too Large", f"the request body is larger than {limit:,} bytes")
