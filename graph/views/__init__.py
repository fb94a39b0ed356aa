"""Read views over the graph shared by the HTTP API, the CLI and notebooks.

Every function takes a GraphStore (embedded or Neo4j) and returns plain JSON-ready
dicts; the Cypher is portable (linted by Neo4j's linter, executed on the embedded
engine in tests). Lists return a `Page` with the total before paging.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from plangraph.cascade.tree import ROWS, cascade
from plangraph.errors import NotFound, QueryError
from plangraph.ingest.text import fold
from plangraph.queries import internal_query
from plangraph.store.base import GraphStore, Reader, jsonable

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


# -- plans ---------------------------------------------------------------------

PLAN_FIELDS = """p.id AS id, p.code AS code, p.kind AS kind, p.title AS title, p.issued_on AS issued_on,
       p.issuer AS issuer, p.level AS level, p.province AS province, p.jurisdiction AS jurisdiction,
       p.is_draft AS is_draft, p.period_start AS period_start, p.period_end AS period_end,
       p.source_file AS source_file"""
PLANS = internal_query("views-plans")
PLAN_LEGAL = internal_query("views-plan-legal")


def list_plans(
    store: GraphStore, level: str | None = None, province: str | None = None, limit: int = 50, offset: int = 0
) -> Page:
    rows = store.run_read(PLANS, row_limit=ROWS).records()
    rows = [r for r in rows if (not level or r["level"] == level) and (not province or r["province"] == province)]
    return _page(rows, limit, offset)


def pick_plan(rows: list[dict[str, Any]], typed: str) -> dict[str, Any]:
    """The plan row a user means: by id, by number (code) or by source file name.

    A number shared by plans of two places is ambiguous: the error lists their ids.
    """
    name = typed.rsplit("/", 1)[-1]
    exact = [r for r in rows if r["id"] == typed]
    found = exact or [r for r in rows if typed == r["code"] or str(r["source_file"]).rsplit("/", 1)[-1] == name]
    if len(found) == 1:
        return found[0]
    if not found:
        known = ", ".join(sorted(f"{r['id']} ({str(r['source_file']).rsplit('/', 1)[-1]})" for r in rows))
        raise NotFound(f"no loaded plan is {typed!r}; give a plan id, number or source file name: {known}")
    ids = ", ".join(sorted(r["id"] for r in found))
    raise QueryError(f"{typed!r} names {len(found)} plans ({ids}); give the plan id instead")


def find_plan_id(store: GraphStore, typed: str) -> str:
    return str(pick_plan(store.run_read(PLANS, row_limit=ROWS).records(), typed)["id"])


def get_plan(store: GraphStore, typed: str) -> dict[str, Any]:
    plan = pick_plan(store.run_read(PLANS, row_limit=ROWS).records(), typed)
    legal = store.run_read(PLAN_LEGAL, {"id": plan["id"]}, row_limit=ROWS).records()
    plan["implements"] = [{"id": r["id"], "title": r["title"]} for r in legal if r["how"] == "implements"]
    plan["cites"] = [{"id": r["id"], "title": r["title"]} for r in legal if r["how"] == "cites"]
    return jsonable(plan)


# -- tasks ---------------------------------------------------------------------

TASK_FIELDS = """t.id AS id, t.ref AS ref, t.title AS title, t.products AS products, t.section_title AS section,
       t.due_text AS due, t.due_start AS due_start, t.due_end AS due_end, t.status AS status,
       p.id AS plan_id, p.code AS plan_code, p.level AS level, p.jurisdiction AS jurisdiction,
       t.source_file AS source_file, t.source_line AS source_line"""


@dataclass
class TaskFilter:
    agency: str | None = None  # agency id, or part of its name (diacritics matter: use /agencies?q= to find ids)
    role: str | None = None  # lead | support (default: either)
    level: str | None = None
    province: str | None = None
    jurisdiction: str | None = None
    mandate: str | None = None
    status: str | None = None
    due_before: date | None = None
    due_after: date | None = None
    overdue_on: date | None = None
    plan: str | None = None

    def where(self, store: GraphStore) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.role not in (None, "lead", "support"):
            raise QueryError(f"role must be lead or support, not {self.role!r}")
        if self.agency:
            rel = {"lead": "LED_BY", "support": "SUPPORTED_BY", None: "LED_BY|SUPPORTED_BY"}[self.role]
            clauses.append(
                f"EXISTS {{ MATCH (t)-[:{rel}]->(a:Agency) "
                "WHERE a.id = $agency OR toLower(a.name) CONTAINS toLower($agency) }"
            )
            params["agency"] = self.agency
        for name, prop in (("level", "p.level"), ("province", "p.province"), ("status", "t.status")):
            value = getattr(self, name)
            if value:
                clauses.append(f"{prop} = ${name}")
                params[name] = value
        if self.jurisdiction:
            clauses.append("toLower(p.jurisdiction) CONTAINS toLower($jurisdiction)")
            params["jurisdiction"] = self.jurisdiction
        if self.plan:
            clauses.append("p.id = $plan")
            params["plan"] = find_plan_id(store, self.plan)
        if self.mandate:
            found = cascade(store, self.mandate, tasks=False)
            clauses.append("(p.id IN $mandate_plans OR t.id IN $mandate_tasks)")
            params["mandate_plans"] = [p.id for p in found.plans if p.whole_plan]
            params["mandate_tasks"] = sorted(found.named_tasks)
        if self.due_before:
            clauses.append("t.due_end IS NOT NULL AND t.due_end < $due_before")
            params["due_before"] = self.due_before
        if self.due_after:
            clauses.append("t.due_end IS NOT NULL AND t.due_end > $due_after")
            params["due_after"] = self.due_after
        if self.overdue_on:
            clauses.append("t.due_end IS NOT NULL AND t.due_end < $overdue_on AND t.status <> 'done'")
            params["overdue_on"] = self.overdue_on
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def tasks_query(where: str, paged: bool, match: str = "MATCH (p:Plan)-[:HAS_TASK]->(t:Task)") -> tuple[str, str]:
    """The page query and the count query for a WHERE clause over (p:Plan)-[:HAS_TASK]->(t:Task).

    `match` may start from something more selective than every task (an agency by its key)."""
    page = f"""
{match}{where}
{"WITH p, t ORDER BY p.level, p.id, t.source_line SKIP $skip LIMIT $limit" if paged else ""}
OPTIONAL MATCH (t)-[:LED_BY]->(lead:Agency)
WITH p, t, collect(DISTINCT lead.name) AS leads
OPTIONAL MATCH (t)-[:SUPPORTED_BY]->(support:Agency)
RETURN {TASK_FIELDS}, leads, collect(DISTINCT support.name) AS supports
ORDER BY level, plan_id, source_line
"""
    count = f"{match}{where} RETURN count(t) AS n"
    return page, count


def list_tasks(store: GraphStore, flt: TaskFilter, limit: int = 50, offset: int = 0) -> Page:
    where, params = flt.where(store)
    limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
    page, count = tasks_query(where, paged=True)
    total = store.run_read(count, params).rows[0][0]
    rows = store.run_read(page, {**params, "skip": offset, "limit": limit}, row_limit=limit).records()
    return Page(sorted(rows, key=task_order), int(total), limit, offset)


def task_order(row: dict[str, Any]) -> tuple[str, str, int]:
    # The embedded engine (LadybugDB 0.15.3) sometimes returns rows of an ORDER BY that follows an aggregation
    # out of order (seen in tests/test_api.py); the page itself is chosen by the ORDER BY … SKIP … LIMIT before it.
    return (str(row["level"] or ""), str(row["plan_id"]), int(row["source_line"] or 0))


TASK_DETAIL = internal_query("views-task-detail")
TASK_AGENCIES = internal_query("views-task-agencies")
TASK_LEGAL = internal_query("views-task-legal")
TASK_LINEAGE = internal_query("views-task-lineage")


def get_task(store: GraphStore, task_id: str) -> dict[str, Any]:
    found = store.run_read(TASK_DETAIL, {"id": task_id}).records()
    if not found:
        raise NotFound(f"no task {task_id!r}; task ids look like '110/KH-UBND@tinh-lang-son@2026#I.1' (GET /tasks)")
    task = found[0]
    agencies = store.run_read(TASK_AGENCIES, {"id": task_id}, row_limit=ROWS).records()
    legal = store.run_read(TASK_LEGAL, {"id": task_id}, row_limit=ROWS).records()
    lineage = store.run_read(TASK_LINEAGE, {"id": task_id}, row_limit=ROWS).records()
    provenance = {k: task.pop(k) for k in ("source_file", "source_line", "source_page", "source_text")}
    owners = {
        role: [
            {k: v for k, v in a.items() if k != "role" and (v or k != "accountable")}
            for a in agencies
            if a["role"] == role
        ]
        for role in ("lead", "support")
    }
    return jsonable(
        {
            **task,
            "owners": owners,
            "implements": [{"id": r["id"], "title": r["title"]} for r in legal if r["how"] == "implements"],
            "cites": [{"id": r["id"], "title": r["title"]} for r in legal if r["how"] == "cites"],
            "lineage": {
                side: [{k: v for k, v in r.items() if k != "direction"} for r in lineage if r["direction"] == side]
                for side in ("parent", "child")
            },
            "provenance": provenance,
        }
    )


# -- agencies ------------------------------------------------------------------

AGENCY_COUNTS = internal_query("views-agency-counts")
AGENCIES = internal_query("views-agencies")
AGENCY = internal_query("views-agency")
AGENCY_LINKS = internal_query("views-agency-links")


def list_agencies(store: GraphStore, q: str | None = None, limit: int = 50, offset: int = 0) -> Page:
    """Agencies whose name, short name or any alias contains q (case- and diacritics-insensitive)."""
    rows = store.run_read(AGENCIES, row_limit=ROWS).records()
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
    for link in store.run_read(AGENCY_LINKS, {"id": agency_id}, row_limit=ROWS).records():
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


def agency_tasks(store: GraphStore, agency_id: str, role: str | None = None) -> dict[str, Any]:
    """Who owns what: the tasks an agency leads and/or supports, grouped by role, level and plan."""
    if role not in (None, "lead", "support"):
        raise QueryError(f"role must be lead or support, not {role!r}")
    found = store.run_read(AGENCY_BRIEF, {"id": agency_id}, row_limit=1).records()
    if not found:
        raise NotFound(f"no agency {agency_id!r}; find ids with GET /agencies?q=…")
    params = {"agency": agency_id}
    owners: dict[str, dict[str, list[str]]] = {}
    for key, query in CO_OWNERS.items():
        for row in store.run_read(query, params, row_limit=ROWS).records():
            names = owners.setdefault(row["id"], {"leads": [], "supports": []})[key]
            if row["name"] not in names:
                names.append(row["name"])
    out: dict[str, Any] = {"agency": found[0], "groups": []}
    for r in ["lead", "support"] if role is None else [role]:
        rows = sorted(store.run_read(OWNED[r], params, row_limit=ROWS).records(), key=task_order)
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
                if task["due_end"] and date.fromisoformat(task["due_end"]) < as_of:
                    counts[f"overdue_{role}"] += 1
    keys = ("lead", "support", "open_lead", "open_support", "overdue_lead", "overdue_support")
    return {"agency": owned["agency"], "as_of": as_of.isoformat(), **{k: counts[k] for k in keys}}


# -- mandates ------------------------------------------------------------------

MANDATES = internal_query("views-mandates")


def list_mandates(store: GraphStore, implemented_only: bool = False, limit: int = 50, offset: int = 0) -> Page:
    rows = store.run_read(MANDATES, row_limit=ROWS).records()
    if implemented_only:
        rows = [r for r in rows if r["plans_implementing"] or r["tasks_implementing"]]
    return _page(rows, limit, offset)


# -- search --------------------------------------------------------------------

SEARCH_SOURCES = {
    "task": internal_query("views-search-sources-task"),
    "plan": internal_query("views-search-sources-plan"),
    "agency": internal_query("views-search-sources-agency"),
    "legal": internal_query("views-search-sources-legal"),
}
TOKEN = re.compile(r"\w+")
KINDS = tuple(SEARCH_SOURCES)


@dataclass
class SearchIndex:
    """Folded (diacritics-free) text of tasks, plans, agencies and legal bases, ranked by IDF-weighted overlap.

    An inverted index: each word's documents as an array, so a search costs in proportion to the
    documents holding its words, not to the whole graph (benchmarks/RESULTS.md)."""

    docs: list[dict[str, Any]]
    postings: dict[str, np.ndarray]  # word → indices of the documents holding it
    idf: dict[str, float]
    kinds: np.ndarray  # kind of each document, as an index into KINDS
    order: np.ndarray  # rank of each document by (kind, id): the tie-break of equal scores

    @classmethod
    def build(cls, store: Reader) -> SearchIndex:
        docs: list[dict[str, Any]] = []
        holding: dict[str, list[int]] = {}
        for kind, text in SEARCH_SOURCES.items():
            for r in store.run_read(text, row_limit=ROWS).records():
                body = " ".join(str(r[k] or "") for k in ("label", "text", "extra"))
                found = TOKEN.findall(fold(body))
                for word in set(found):
                    holding.setdefault(word, []).append(len(docs))
                folded = f" {' '.join(found)} "  # its words, folded, one space apart: phrases are substrings
                docs.append(
                    {
                        "kind": kind,
                        "id": r["id"],
                        "label": r["label"],
                        "text": r["text"],
                        "context": r["context"],
                        "_f": folded,
                    }
                )
        n = max(1, len(docs))
        postings = {word: np.asarray(ids, dtype=np.int64) for word, ids in holding.items()}
        ranked = sorted(range(len(docs)), key=lambda i: (docs[i]["kind"], str(docs[i]["id"])))
        order = np.empty(len(docs), dtype=np.int64)
        order[ranked] = np.arange(len(docs))
        kinds = np.asarray([KINDS.index(d["kind"]) for d in docs], dtype=np.int8)
        return cls(docs, postings, {w: math.log(1 + n / len(ids)) for w, ids in holding.items()}, kinds, order)

    def search(self, q: str, kinds: set[str] | None = None, limit: int = 20, offset: int = 0) -> Page:
        needle = fold(q)
        words = TOKEN.findall(needle)
        if not words:
            raise QueryError("q must contain at least one word")
        limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
        total_weight = sum(self.idf.get(w, 0.0) for w in words) or 1.0
        scores = np.zeros(len(self.docs))
        present = np.zeros(len(self.docs), dtype=np.int64)  # how many of the distinct words each document holds
        for word in words:
            if word in self.postings:
                scores[self.postings[word]] += self.idf[word]
        distinct = set(words)
        for word in distinct:
            if word in self.postings:
                present[self.postings[word]] += 1
        scores /= total_weight
        hit = present > 0
        if kinds:
            hit &= np.isin(self.kinds, [KINDS.index(k) for k in kinds if k in KINDS])
        if len(words) > 1:  # the words together, in order, as whole words: +1
            phrase = f" {' '.join(words)} "
            for i in np.nonzero(hit & (present == len(distinct)))[0]:
                if phrase in self.docs[i]["_f"]:
                    scores[i] += 1.0
        found = np.nonzero(hit)[0]
        rounded = np.round(scores[found], 4)
        ranked = found[np.lexsort((self.order[found], -rounded))][offset : offset + limit]
        items = []
        for i in ranked:
            doc = self.docs[i]
            matched = [w for w in words if w in self.postings and _holds(self.postings[w], i)]
            items.append(
                {**{k: v for k, v in doc.items() if k != "_f"}, "score": round(float(scores[i]), 4), "matched": matched}
            )
        return Page(items, len(found), limit, offset)


def _holds(posting: np.ndarray, doc: int) -> bool:
    """Whether a sorted posting array holds a document index."""
    at = int(np.searchsorted(posting, doc))
    return at < len(posting) and int(posting[at]) == doc
