"""Paging shared by every list view: `Page` with the total before paging."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plangraph.store.base import jsonable

MAX_PAGE = 500


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": jsonable(self.items)}


def _page(items: list[dict[str, Any]], limit: int, offset: int) -> Page:
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    return Page(items[offset : offset + limit], len(items), limit, offset)
