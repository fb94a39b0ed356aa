"""Agency views: agencies by name, one agency with its bodies, and who owns what (its tasks by role, level and plan)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from plangraph.cascade.tree import ROWS
from plangraph.errors import NotFound, QueryError
from plangraph.ingest.text import fold
from plangraph.model import is_overdue
from plangraph.queries import internal_query
from plangraph.store.base import GraphStore, jsonable
from plangraph.views.pages import Page, _page
from plangraph.views.tasks import task_order

AGENCIES = internal_query("views-agencies")
AGENCY = internal_query("views-agency")
AGENCY_LINKS = internal_query("views-agency-links")


def list_agencies(
    store: GraphStore, q: str | None = None, limit: int = 50, offset: int = 0, jurisdiction: str | None = None
) -> Page:
    """Agencies whose name, short name or any alias contains q (case- and diacritics-insensitive), in a
    jurisdiction named by part of its name ("Lợi Bác", "lang son") or by its official code ("20", "06601")."""
    rows = store.run_read(AGENCIES, row_limit=ROWS).records()
    # Ordered here: the embedded engine can return rows out of order after an aggregation (LadybugDB 0.15.3).
    rows.sort(key=lambda r: (-(r["lead"] or 0), -(r["support"] or 0), str(r["id"])))
    for r in rows:  # the bodies that carry its work today, with their place when it is not its own
        r["succeeded_by"] = "; ".join(sorted(r["succeeded_by"] or [])) or None
    if jurisdiction:
        place = fold(jurisdiction).strip()
        rows = [
            r
            for r in rows
            if place in (r["province_code"], r["commune_code"]) or place in fold(str(r["jurisdiction"] or ""))
        ]
    if q:
        needle = fold(q)
        rows = [
            r
            for r in rows
            if any(needle in fold(str(n or "")) for n in [r["name"], r["short_name"], r["id"], *(r["aliases"] or [])])
        ]
    return _page(rows, limit, offset)


def get_agency(store: GraphStore, agency_id: str) -> dict[str, Any]:
    found = store.run_read(AGENCY, {"id": agency_id}, row_limit=1).records()
    if not found:
        raise NotFound(f"no agency {agency_id!r}; find ids with GET /agencies?q=…")
    agency = found[0]
    links = store.run_read(AGENCY_LINKS, {"id": agency_id}, row_limit=ROWS).records()
    for link in sorted(links, key=lambda r: (str(r["how"]), str(r["id"]))):  # by id, on both engines
        agency.setdefault(link["how"], []).append({"id": link["id"], "name": link["name"]})
    return jsonable(agency)


AGENCY_BRIEF = internal_query("views-agency-brief")
# Who owns what: one query per role and one per kind of co-owner, each starting from the agency's key (a key
# lookup, not a test on every task of the graph). (On the
# embedded engine, a query per part measured faster than one UNION ALL of them, or than collecting each task's
# owners in the task query.)
OWNED = {
    "lead": internal_query("views-owned-lead"),
    "support": internal_query("views-owned-support"),
}
CO_OWNERS = {
    "leads": internal_query("views-co-owners-leads"),
    "supports": internal_query("views-co-owners-supports"),
}


PREDECESSORS = internal_query("views-agency-predecessors")


def predecessors(store: GraphStore, agency_id: str) -> list[dict[str, Any]]:
    """The bodies the 2025 reorganisation merged into an agency, up to two changes back (a department merged into
    another of a province since merged: Sở Kế hoạch và Đầu tư of Yên Bái → Sở Tài chính of Lào Cai)."""
    out: list[dict[str, Any]] = []
    frontier, seen = [agency_id], {agency_id}
    for _ in range(2):
        found = [row for a in frontier for row in store.run_read(PREDECESSORS, {"id": a}, row_limit=ROWS).records()]
        found = [row for row in found if row["id"] not in seen]
        seen.update(row["id"] for row in found)
        out += found
        frontier = [row["id"] for row in found]
    return out


def agency_tasks(store: GraphStore, agency_id: str, role: str | None = None) -> dict[str, Any]:
    """Who owns what: the tasks an agency leads and/or supports, grouped by role, level and plan — with those of
    the bodies the 2025 reorganisation merged into it, each saying the body it was given to as printed."""
    if role not in (None, "lead", "support"):
        raise QueryError(f"role must be lead or support, not {role!r}")
    found = store.run_read(AGENCY_BRIEF, {"id": agency_id}, row_limit=1).records()
    if not found:
        raise NotFound(f"no agency {agency_id!r}; find ids with GET /agencies?q=…")
    earlier = predecessors(store, agency_id)
    bodies = [(agency_id, None), *((row["id"], row) for row in earlier)]
    owners: dict[str, dict[str, list[str]]] = {}
    for body, _ in bodies:
        for key, query in CO_OWNERS.items():
            for row in store.run_read(query, {"agency": body}, row_limit=ROWS).records():
                names = owners.setdefault(row["id"], {"leads": [], "supports": []})[key]
                if row["name"] not in names:
                    names.append(row["name"])
    for lists in owners.values():  # in name order, as every list of names the store answers
        for names in lists.values():
            names.sort()
    out: dict[str, Any] = {"agency": found[0], "groups": []}
    if earlier:
        out["succeeds"] = earlier
    for r in ["lead", "support"] if role is None else [role]:
        rows = []
        listed: set[str] = set()
        for body, succession in bodies:
            for row in store.run_read(OWNED[r], {"agency": body}, row_limit=ROWS).records():
                if row["id"] in listed:  # led by the body and by one merged into it: once
                    continue
                listed.add(row["id"])
                if succession is not None:  # given to a body since merged into this one: say so
                    row["given_to"] = {"name": succession["name"], "jurisdiction": succession["jurisdiction"]}
                    row["succeeded_on"], row["basis"] = succession["since"], succession["basis"]
                rows.append(row)
        rows.sort(key=task_order)
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in rows:
            row.update(owners.get(row["id"], {"leads": [], "supports": []}))
            groups.setdefault((row["level"], row["plan_id"]), []).append(row)
        for (level, plan_id), items in groups.items():
            out["groups"].append(
                {
                    "role": r,
                    "level": level,
                    "plan_id": plan_id,
                    "plan_code": items[0]["plan_code"],
                    "jurisdiction": items[0]["jurisdiction"],
                    "tasks": items,
                }
            )
    out["total"] = sum(len(g["tasks"]) for g in out["groups"])
    return jsonable(out)


def agency_summary(store: GraphStore, agency_id: str, as_of: date) -> dict[str, Any]:
    owned = agency_tasks(store, agency_id)
    counts: Counter[str] = Counter()
    for group in owned["groups"]:
        for task in group["tasks"]:
            role = group["role"]
            counts[role] += 1
            if task["status"] != "done":
                counts[f"open_{role}"] += 1
                if is_overdue(task["status"], task["due_end"], task.get("recurrence"), as_of):
                    counts[f"overdue_{role}"] += 1
    keys = ("lead", "support", "open_lead", "open_support", "overdue_lead", "overdue_support")
    return {"agency": owned["agency"], "as_of": as_of.isoformat(), **{k: counts[k] for k in keys}}
