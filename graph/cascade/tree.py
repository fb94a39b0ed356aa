"""How a mandate cascades: mandate → implementing instruments → plans by level → tasks.

A plan belongs to the cascade of mandate M when it names M (or an instrument
that implements M) in its title or basis lines — then all its tasks do — or when
some of its tasks name M; a loaded plan whose number is such an instrument is
the same entity. Coverage and gaps read the lineage edges (DERIVES_FROM).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from plangraph.cascade.lineage import LEVEL_RANK
from plangraph.queries import internal_query
from plangraph.queries.lookup import stored_mandate_ids
from plangraph.store import ready
from plangraph.store.base import GraphStore, jsonable

LEVELS = ("national", "province", "department", "district", "commune")
ROWS = 1_000_000

INSTRUMENTS = internal_query("cascade-tree-instruments")
MANDATE = internal_query("cascade-tree-mandate")
PLANS_NAMING = internal_query("cascade-tree-plans-naming")
PLANS_BY_ID = internal_query("cascade-tree-plans-by-id")
# Plans some of whose tasks name the mandate; then those tasks, in the plans that do not name it whole.
PLANS_OF_TASKS_NAMING = internal_query("cascade-tree-plans-of-tasks-naming")
TASKS_NAMING = internal_query("cascade-tree-tasks-naming")
PLAN_INFO = internal_query("cascade-tree-plan-info")
TASK_COUNTS = internal_query("cascade-tree-task-counts")
# Tasks carrying the mandate per lead agency: every task of the whole plans, the named tasks of the others.
# (Two queries: with `p.id IN $plans OR t.id IN $tasks` the engine joins every task before filtering.)
LEAD_COUNTS = {
    "plans": internal_query("cascade-tree-lead-counts-plans"),
    "tasks": internal_query("cascade-tree-lead-counts-tasks"),
}
# The tasks of the plans listed, then their leads and supporters: three plain reads (one with two OPTIONAL MATCHes
# and their collects took 2.2 times as long for a province's 9,200 tasks).
TASK_ROWS = internal_query("cascade-tree-task-rows")
TASK_LEADS = internal_query("cascade-tree-task-leads")
TASK_SUPPORTS = internal_query("cascade-tree-task-supports")
# What the link counts once per plan and the store keeps ready (plangraph.store.ready): every plan of the
# provinces linked, its tasks and its tasks per lead agency.
READY_PLANS = internal_query("cascade-tree-ready-plans")
READY_LEAD_COUNTS = internal_query("cascade-tree-ready-lead-counts")
READY_CHUNK = 5_000  # plans per counting query


@dataclass
class PlanNode:
    id: str
    code: str | None
    title: str
    level: str
    jurisdiction: str
    province: str | None
    source_file: str
    whole_plan: bool  # the plan itself names the mandate: all its tasks carry it
    task_count: int = 0  # tasks carrying the mandate
    tasks: list[dict[str, Any]] = field(default_factory=list)  # listed when the cascade was asked with tasks


@dataclass
class Cascade:
    mandate: dict[str, Any]
    instruments: list[dict[str, Any]]
    plans: list[PlanNode]
    lead_counts: dict[str, int] = field(default_factory=dict)  # tasks carrying the mandate per lead agency
    named_tasks: set[str] = field(default_factory=set)  # tasks of the other plans that name the mandate
    with_tasks: bool = True

    def levels(self) -> dict[str, list[PlanNode]]:
        out: dict[str, list[PlanNode]] = {}
        for plan in sorted(self.plans, key=lambda p: (LEVEL_RANK.get(p.level, 9), p.jurisdiction, p.id)):
            out.setdefault(plan.level, []).append(plan)
        return out

    def counts(self) -> dict[str, Any]:
        levels = self.levels()
        return {
            "plans_per_level": {level: len(plans) for level, plans in levels.items()},
            "tasks_per_level": {level: sum(p.task_count for p in plans) for level, plans in levels.items()},
            "tasks_per_lead_agency": dict(sorted(self.lead_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def as_dict(self) -> dict[str, Any]:
        return jsonable(
            {
                "mandate": self.mandate,
                "instruments": self.instruments,
                "levels": {
                    level: [
                        {
                            "plan_id": p.id,
                            "code": p.code,
                            "title": p.title,
                            "jurisdiction": p.jurisdiction,
                            "source_file": p.source_file,
                            "whole_plan": p.whole_plan,
                            "task_count": p.task_count,
                            **({"tasks": p.tasks} if self.with_tasks else {}),
                        }
                        for p in plans
                    ]
                    for level, plans in self.levels().items()
                },
                "counts": self.counts(),
                "tasks_listed": self.with_tasks,
            }
        )


def cascade(store: GraphStore, typed: str, *, tasks: bool = True, province: str | None = None) -> Cascade:
    """The cascade of a typed mandate. `tasks`: list every task carrying it with its owners (else
    plans and counts only: what a national store answers quickly); `province`: only the plans of
    that province and the national ones."""
    seeds = stored_mandate_ids(store, typed)
    mid = seeds[0]
    found = store.run_read(MANDATE, {"id": mid}).records()
    mandate = found[0] if found else {"id": mid, "kind": None, "issuer": None, "title": None, "issued_on": None}
    instruments: list[dict[str, Any]] = []
    ids, frontier = set(seeds), list(seeds)
    for _ in range(3):  # instruments of instruments, a few steps down
        rows = store.run_read(INSTRUMENTS, {"ids": frontier}, row_limit=ROWS).records()
        frontier = [r["id"] for r in rows if r["id"] not in ids]
        instruments += [r for r in rows if r["id"] in frontier]
        ids |= set(frontier)
        if not frontier:
            break
    id_list = sorted(ids)
    whole = {r["id"] for r in store.run_read(PLANS_NAMING, {"ids": id_list}, row_limit=ROWS).records()}
    whole |= {r["id"] for r in store.run_read(PLANS_BY_ID, {"ids": id_list}, row_limit=ROWS).records()}
    partial = {r["id"] for r in store.run_read(PLANS_OF_TASKS_NAMING, {"ids": id_list}, row_limit=ROWS).records()}
    partial -= whole
    params = {"ids": id_list, "plans": sorted(partial)}
    naming_tasks = store.run_read(TASKS_NAMING, params, row_limit=ROWS).records() if partial else []
    plan_ids = sorted(whole | partial)
    info = [
        r
        for r in store.run_read(PLAN_INFO, {"ids": plan_ids}, row_limit=ROWS).records()
        if province is None or r["province"] == province or r["level"] == "national"
    ]
    sources = {r["id"]: (r["source_file"], r["sha256"]) for r in info}
    plans = {
        r["id"]: PlanNode(
            id=r["id"],
            code=r["code"],
            title=r["title"] or "",
            level=r["level"] or "",
            jurisdiction=r["jurisdiction"] or "",
            province=r["province"],
            source_file=r["source_file"],
            whole_plan=r["id"] in whole,
        )
        for r in info
    }
    whole_ids = sorted(p for p in plans if p in whole)
    named = {r["id"] for r in naming_tasks if r["plan_id"] in plans}
    for r in naming_tasks:
        if r["id"] in named:
            plans[r["plan_id"]].task_count += 1
    # Whole plans: their counts as the link kept them, when they are of the plan as it is loaded; else counted.
    kept = ready.load(store)
    lead_counts: Counter[str] = Counter()
    counted: list[str] = []
    for plan_id in whole_ids:
        entry = kept.get(plan_id)
        if entry is not None and (entry.get("source_file"), entry.get("sha256")) == sources[plan_id]:
            plans[plan_id].task_count = int(entry["tasks"])
            lead_counts.update({name: int(n) for name, n in entry["leads"].items()})
        else:
            counted.append(plan_id)
    if counted:
        for r in store.run_read(TASK_COUNTS, {"plans": counted}, row_limit=ROWS).records():
            plans[r["plan_id"]].task_count = int(r["tasks"])
    for key, values in (("plans", counted), ("tasks", sorted(named))):
        if values:
            for r in store.run_read(LEAD_COUNTS[key], {key: values}, row_limit=ROWS).records():
                lead_counts[r["name"]] += int(r["tasks"])
    result = Cascade(
        mandate=mandate,
        instruments=instruments,
        plans=list(plans.values()),
        lead_counts=dict(lead_counts),
        named_tasks=named,
        with_tasks=tasks,
    )
    if tasks:
        params = {"plans": sorted(plans)}
        listed = store.run_read(TASK_ROWS, params, row_limit=ROWS).records()
        owners = {}
        for role, query in (("leads", TASK_LEADS), ("supports", TASK_SUPPORTS)):
            names: dict[str, set[str]] = defaultdict(set)
            for task_id, name in store.run_read(query, params, row_limit=ROWS).rows:
                if name is not None:
                    names[task_id].add(name)
            owners[role] = names
        # In source order (a plan's tasks on one line: by id, so both engines list them alike).
        for task in sorted(listed, key=lambda t: (t["line"], t["id"])):
            plan = plans[task["plan_id"]]
            if plan.whole_plan or task["id"] in named:
                row = {k: v for k, v in task.items() if k != "plan_id"}
                row["leads"] = sorted(owners["leads"].get(task["id"], ()))
                row["supports"] = sorted(owners["supports"].get(task["id"], ()))
                plan.tasks.append(row)
    return result


def refresh_counts(store: GraphStore, provinces: list[str] | None) -> int:
    """Count, for every plan of `provinces` (None: every plan), its tasks and its tasks per lead agency, and
    keep them beside an embedded store for the cascade (plangraph.store.ready); the link calls it. Returns
    how many plans were counted (0 on Neo4j, which keeps nothing beside it)."""
    path = ready.store_file(store)
    if path is None:
        return 0
    params = {"every": provinces is None, "provinces": provinces or []}
    rows = store.run_read(READY_PLANS, params, row_limit=ROWS).records()
    counts: dict[str, Any] = {
        r["id"]: {"source_file": r["source_file"], "sha256": r["sha256"], "tasks": 0, "leads": {}} for r in rows
    }
    ids = sorted(counts)
    for start in range(0, len(ids), READY_CHUNK):
        chunk = {"plans": ids[start : start + READY_CHUNK]}
        for r in store.run_read(TASK_COUNTS, chunk, row_limit=ROWS).records():
            counts[r["plan_id"]]["tasks"] = int(r["tasks"])
        for r in store.run_read(READY_LEAD_COUNTS, chunk, row_limit=ROWS).records():
            counts[r["plan_id"]]["leads"][r["name"]] = int(r["tasks"])
    kept = {} if provinces is None else {p: e for p, e in ready.load_file(path).items() if p not in counts}
    ready.save(path, {**kept, **counts})
    return len(counts)


def render_tree(result: Cascade, max_tasks: int = 12) -> str:
    """The cascade as a tree for the terminal."""
    m = result.mandate
    head = f"{m['id']}"
    if m.get("kind") or m.get("issuer"):
        head += f" — {m.get('kind') or ''} ({m.get('issuer') or '?'})".replace(" ()", "")
    lines = [head]
    if m.get("title"):
        lines.append(f"   {m['title']}")
    for inst in result.instruments:
        lines.append(f"├─ implemented by {inst['id']} — {inst.get('kind') or ''}".rstrip(" —"))
    levels = result.levels()
    if not levels:
        lines.append("└─ no loaded plan or task carries it")
    for li, (level, plans) in enumerate(levels.items()):
        last_level = li == len(levels) - 1
        tasks = sum(p.task_count for p in plans)
        lines.append(f"{'└─' if last_level else '├─'} {level}: {len(plans)} plan(s), {tasks} task(s)")
        bar = "   " if last_level else "│  "
        for pi, plan in enumerate(plans):
            last_plan = pi == len(plans) - 1
            label = plan.code or plan.id
            how = "the plan names it" if plan.whole_plan else "some tasks name it"
            count = f" · {plan.task_count} task(s)" if not result.with_tasks else ""
            lines.append(f"{bar}{'└─' if last_plan else '├─'} {label} · {plan.jurisdiction} · {how}{count}")
            lines.append(f"{bar}{'   ' if last_plan else '│  '}   {plan.title[:90]}")
            inner = bar + ("   " if last_plan else "│  ")
            shown = plan.tasks[:max_tasks]
            for ti, task in enumerate(shown):
                last_task = ti == len(shown) - 1 and len(plan.tasks) <= max_tasks
                due = task["due"] or "—"
                leads = ", ".join(task["leads"]) or "no lead"
                lines.append(
                    f"{inner}{'└─' if last_task else '├─'} {task['ref']} {task['title'][:70]}"
                    f" · chủ trì: {leads} · {due} · {task['status']}"
                )
            if len(plan.tasks) > max_tasks:
                lines.append(f"{inner}└─ … {len(plan.tasks) - max_tasks} more (--format json for all)")
    counts = result.counts()
    lines.append("")
    lines.append("Tasks per level: " + ", ".join(f"{k} {v}" for k, v in counts["tasks_per_level"].items()))
    top = list(counts["tasks_per_lead_agency"].items())[:8]
    lines.append("Most tasks led by: " + ", ".join(f"{name} {n}" for name, n in top))
    return "\n".join(lines)
