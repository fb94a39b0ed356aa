"""Request limits enforced before a route sees the request (pure ASGI middleware).

- `POST /documents`: the API key is checked from the headers before a byte of the body is read
  (a 300 MB body without a key is answered 401 at once, not spooled first); the body may hold
  `PLANGRAPH_MAX_UPLOAD_BYTES` plus the multipart envelope.
- every other request: the body may hold `PLANGRAPH_MAX_REQUEST_BYTES` (a Cypher text and its
  parameters, far below the upload size).

A declared `Content-Length` over the limit is refused at once; a body that streams past it (no
length, or a lying one) is cut off at the limit and answered 413. Each part of a body must arrive within
`PLANGRAPH_BODY_TIMEOUT_S` of the last (a client that trickles a body is answered 408, not waited for).

Every response carries the security headers of :data:`SECURITY_HEADERS` (no sniffing, no framing, no
referrer), and HTML pages a Content-Security-Policy: the explorer's scripts and styles come from this
server only; the API documentation pages (Swagger UI, ReDoc) start their bundle with one inline script.
"""

from __future__ import annotations

import asyncio
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
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": secure_headers("", headers)})
    await send({"type": "http.response.body", "body": body})


class _Slow(HTTPException):
    """Raised from `receive` when a part of the body does not arrive in time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"the request body did not arrive within {seconds:g} s of its last part")


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
CSP_EXPLORER = (
    b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CSP_DOCS = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    b"base-uri 'none'; frame-ancestors 'none'"
)


def secure_headers(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` with the security headers added (an HTML page also gets its Content-Security-Policy)."""
    names = {name.lower() for name, _ in headers}
    added = [(name, value) for name, value in SECURITY_HEADERS if name not in names]
    content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
        docs = path in ("/docs", "/redoc") or path.startswith("/docs/")
        added.append((b"content-security-policy", CSP_DOCS if docs else CSP_EXPLORER))
    return [*headers, *added]


def same_key(given: str | None, expected: str) -> bool:
    """Whether `given` is the key `expected`, compared in constant time as bytes (any text a client sends,
    ASCII or not, is compared; none raises)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8", "surrogateescape"))


def upload_refusal(settings: Settings, key: str | None) -> tuple[int, str, str] | None:
    """Why an upload is refused before its body is read (status, title, detail), or None."""
    if not settings.api_key:
        return 403, "Forbidden", "uploads are disabled: set PLANGRAPH_API_KEY on the server to enable them"
    if not same_key(key, settings.api_key):
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
        path = str(scope.get("path", ""))
        patience = self.settings.body_timeout_s

        async def limited_receive() -> Any:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), patience)
            except TimeoutError:
                raise _Slow(patience) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": secure_headers(path, list(message.get("headers", [])))}
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _problem(send, 413, "Content Too Large", f"the request body is larger than {limit:,} bytes")
        except _Slow as slow:
            if not started:
                await _problem(send, 408, "Request Timeout", str(slow.detail))
