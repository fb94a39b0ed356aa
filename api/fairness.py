"""One client cannot starve the others of user Cypher (POST /cypher).

User Cypher runs in a small pool of query workers (`PLANGRAPH_CYPHER_WORKERS`, 3 by default), each query
up to the time limit. Without a share per client, two clients looping the slowest allowed query kept both
workers of the old pool of two busy, and everyone else's `MATCH (p:Plan) RETURN count(p)` waited 10 s.
:class:`ClientSlots` gives each client (its address as the server sees it) `PLANGRAPH_CYPHER_PER_CLIENT`
queries at a time (1 by default): a client's next query is answered 429 with `Retry-After` until its last
one is done, so with the pool one larger than the heavy clients, another client always finds a worker.
The check runs before the query is parsed, so a flood from one client costs a counter, not a parse.

Behind a reverse proxy every client has the proxy's address: run the proxy's own per-client limit, or
give each consumer its own plangraph instance (README: "Operating plangraph").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException


class TooManyQueries(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(
            429,
            f"this client already has {limit} Cypher {'query' if limit == 1 else 'queries'} running; "
            "send the next when it has been answered",
            headers={"Retry-After": "1"},
        )


class Busy(HTTPException):
    def __init__(self, waiting: int) -> None:
        super().__init__(
            503,
            f"{waiting} Cypher queries are already running or waiting for a worker; try again shortly",
            headers={"Retry-After": "2"},
        )


class ClientSlots:
    """At most `per_client` concurrent uses per client key and `total` in all (running or waiting);
    thread-safe (routes run in a thread pool). `parsing` lets two requests parse at a time: a parse is
    linear but holds the interpreter lock, and forty at once kept the event loop (and /health) waiting."""

    def __init__(self, per_client: int, total: int) -> None:
        self.per_client = max(1, per_client)
        self.total = max(1, total)
        self.parsing = threading.BoundedSemaphore(2)
        self._lock = threading.Lock()
        self._held: dict[str, int] = {}
        self._count = 0

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        with self._lock:
            held = self._held.get(client, 0)
            if held >= self.per_client:
                raise TooManyQueries(self.per_client)
            if self._count >= self.total:
                raise Busy(self._count)
            self._held[client] = held + 1
            self._count += 1
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1
                left = self._held[client] - 1
                if left:
                    self._held[client] = left
                else:
                    del self._held[client]

    def busy(self) -> int:
        with self._lock:
            return self._count
