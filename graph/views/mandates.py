"""Mandate views: the legal bases with the plans and tasks implementing them."""

from __future__ import annotations

from plangraph.cascade.tree import ROWS
from plangraph.queries import internal_query
from plangraph.store.base import GraphStore
from plangraph.views.pages import Page, _page

MANDATES = internal_query("views-mandates")


def list_mandates(store: GraphStore, implemented_only: bool = False, limit: int = 50, offset: int = 0) -> Page:
    rows = store.run_read(MANDATES, row_limit=ROWS).records()
    if implemented_only:
        rows = [r for r in rows if r["plans_implementing"] or r["tasks_implementing"]]
    return _page(rows, limit, offset)
