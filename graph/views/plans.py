"""Plan views: the plans with their task counts, one plan with what it implements and cites, and a plan's
text as plangraph numbered it (the source view: plangraph.ingest.sources)."""

from __future__ import annotations

from typing import Any

from plangraph.cascade.tree import ROWS
from plangraph.errors import NotFound, UsageError
from plangraph.ingest.sources import SourceArchive
from plangraph.queries import internal_query
from plangraph.queries.lookup import pick_plan
from plangraph.store.base import GraphStore, jsonable
from plangraph.views.pages import Page, _page

PLANS = internal_query("views-plans")
PLAN_LEGAL = internal_query("views-plan-legal")
PLAN_SOURCE = internal_query("views-plan-source")


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


def plan_text(
    store: GraphStore, typed: str, archive: SourceArchive, around: int | None = None, context: int = 20
) -> dict[str, Any]:
    """The numbered text of the document a plan was loaded from (the `plangraph text` view): every line, or the
    lines within `context` of line `around`. NotFound when no such plan is loaded or its text is not kept."""
    if around is not None and around < 1:
        raise UsageError(f"around must be a line number (1 or more), not {around}")
    if context < 0:
        raise UsageError(f"context must be 0 or more lines, not {context}")
    plan = pick_plan(store.run_read(PLANS, row_limit=ROWS).records(), typed)
    rows = store.run_read(PLAN_SOURCE, {"id": plan["id"]}).records()
    source = rows[0] if rows else {}
    text = archive.get(str(source.get("sha256") or ""))
    if text is None:
        raise NotFound(
            f"the text of {plan['source_file']} is not kept beside this store (it was loaded before plangraph kept "
            "documents' text, or with another PLANGRAPH_SOURCES_DIR): load the file again to keep it"
        )
    lines = text.split("\n")
    first, last = 1, len(lines)
    if around is not None:
        if around > len(lines):
            raise UsageError(f"{plan['source_file']} has {len(lines)} lines; there is no line {around}")
        first, last = max(1, around - context), min(len(lines), around + context)
    return jsonable(
        {
            "plan": plan["id"],
            "code": plan["code"],
            "source_file": plan["source_file"],
            "format": source.get("format"),
            "sha256": source.get("sha256"),
            "total_lines": len(lines),
            "first": first,
            "last": last,
            "lines": [{"line": n, "text": lines[n - 1]} for n in range(first, last + 1)],
        }
    )
