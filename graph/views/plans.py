"""Plan views: the plans with their task counts, one plan with what it implements and cites."""

from __future__ import annotations

from typing import Any

from plangraph.cascade.tree import ROWS
from plangraph.queries import internal_query
from plangraph.queries.lookup import pick_plan
from plangraph.store.base import GraphStore, jsonable
from plangraph.views.pages import Page, _page

PLANS = internal_query("views-plans")
PLAN_LEGAL = internal_query("views-plan-legal")


def list_plans(
    store: GraphStore, level: str | None = None, province: str | None = None, limit: int = 50, offset: int = 0
) -> Page:
    rows = store.run_read(PLANS, row_limit=ROWS).records()
    rows = [r for r in rows if (not level or r["level"] == level) and (not province or r["province"] == province)]
    return _page(rows, limit, offset)


def get_plan(store: GraphStore, typed: str) -> dict[str, Any]:
    plan = pick_plan(store.run_read(PLANS, row_limit=ROWS).records(), typed)
    legal = sorted(store.run_read(PLAN_LEGAL, {"id": plan["id"]}, row_limit=ROWS).records(), key=lambda r: str(r["id"]))
    plan["implements"] = [{"id": r["id"], "title": r["title"]} for r in legal if r["how"] == "implements"]
    plan["cites"] = [{"id": r["id"], "title": r["title"]} for r in legal if r["how"] == "cites"]
    return jsonable(plan)
