"""The HTTP server's own bounds, below the application: connections, request headers, file descriptors.

uvicorn answers a request once its headers are in, but puts no deadline on the headers themselves and no
cap on open connections: 1,100 clients that each open a connection and send half a header held every file
descriptor of a server with the usual limit of 1,024, and `/health` went unanswered while they were held
(slow-loris). :class:`BoundedH11Protocol` adds the two bounds uvicorn lacks:

- **a header deadline**: a connection whose request headers are not complete `header_timeout_s` after it
  opened (or after its last response, when kept alive) is closed;
- **a connection cap** below the file limit: when a new connection would pass it, the oldest connection
  that is only waiting for headers, or idle between requests, is closed to make room, so a new client is
  always admitted and a flood of idle sockets cannot lock everyone out.

:func:`run` raises the process's soft file limit to its hard limit, works out the cap from it, and starts
uvicorn with this protocol. Request bodies have their own deadline in plangraph.api.limits.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections import OrderedDict
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from plangraph.settings import Settings

log = logging.getLogger("plangraph.api")
# File descriptors kept for everything but client connections: the store, the query workers' pipes, logs.
RESERVED_FILES = 96
# Connections the kernel may queue, and the event loop accept in one go, before the cap can act on them; the
# connections the cap closed keep their descriptors until the loop's next turn. The cap leaves room for twice
# that many, so an accept never meets a full file table (asyncio then stops accepting for a second, and every
# client waits: measured, before this reserve).
BACKLOG = 64


class BoundedH11Protocol(H11Protocol):
    """h11 with a deadline on request headers and a cap on open connections (class attributes set by `run`)."""

    header_timeout_s: float = 10.0
    max_connections: int = 1_000
    # Connections waiting for a request's headers (or idle between requests), oldest first: the ones closed to
    # admit a new connection at the cap. Shared by the server's connections (one event loop, one thread).
    waiting: OrderedDict[int, BoundedH11Protocol] = OrderedDict()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._await_headers()
        cls = type(self)
        while len(self.connections) > cls.max_connections and cls.waiting:
            _, oldest = cls.waiting.popitem(last=False)
            if oldest is self:
                cls.waiting[id(self)] = self
                break
            oldest._close_idle()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None and not self.cycle.response_complete:
            self._stop_waiting()  # a request's headers are in: the application has it

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_headers()  # kept alive: the next request's headers have the same deadline

    def _await_headers(self) -> None:
        self._stop_waiting()
        self._header_timer = self.loop.call_later(type(self).header_timeout_s, self._close_idle)
        type(self).waiting[id(self)] = self

    def _stop_waiting(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None
        type(self).waiting.pop(id(self), None)

    def _close_idle(self) -> None:
        self._stop_waiting()
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being answered: never cut it
        if not self.transport.is_closing():
            self.transport.close()


def file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; return the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


def connection_cap(settings: Settings, files: int) -> int:
    """The most connections kept open: the file limit less the reserve and the accept backlog (or less)."""
    ceiling = max(16, files - RESERVED_FILES - 2 * BACKLOG)
    return min(settings.max_connections, ceiling) if settings.max_connections > 0 else ceiling


def run(app: Any, host: str, port: int, settings: Settings, **options: Any) -> None:
    """Serve `app` with uvicorn and the bounds above."""
    import uvicorn

    files = file_limit()

    class Protocol(BoundedH11Protocol):
        header_timeout_s = settings.header_timeout_s
        max_connections = connection_cap(settings, files)
        waiting: OrderedDict[int, BoundedH11Protocol] = OrderedDict()

    log.info("open files: %d; connections: at most %d", files, Protocol.max_connections)
    uvicorn.run(app, host=host, port=port, http=Protocol, timeout_keep_alive=5, backlog=BACKLOG, **options)
