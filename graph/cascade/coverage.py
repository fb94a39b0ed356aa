"""Coverage, gaps and overlaps: where a mandate arrives, and where it does not.

All three read the lineage edges (DERIVES_FROM) the linker wrote and the cascade
of plangraph.cascade.tree; none of them re-scores text.

- gaps(plan): the higher-level tasks a plan could carry (same province at a higher
  level, or national) that none of its tasks derives from;
- coverage(mandate): for each level of the cascade, the share of its tasks that
  have a derived task at each lower level;
- overlaps(): tasks that fall under two or more mandates' cascades.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from plangraph.cascade.lineage import LEVEL_RANK
from plangraph.cascade.tree import ROWS, cascade
from plangraph.queries import internal_query
from plangraph.queries.lookup import pick_plan
from plangraph.store.base import GraphStore, jsonable

PLANS = internal_query("cascade-coverage-plans")
TASKS = internal_query("cascade-coverage-tasks")
EDGES = internal_query("cascade-coverage-edges")
# What plans and tasks implement, and which legal documents implement another (those fold into it).
IMPLEMENTED = internal_query("cascade-coverage-implemented")
INSTRUMENT_OF = internal_query("cascade-coverage-instrument-of")


@dataclass
class Lineage:
    """Plans, tasks and DERIVES_FROM edges pulled from the store once."""

    plans: dict[str, dict[str, Any]]
    tasks: dict[str, dict[str, Any]]
    parents: dict[str, list[str]] = field(default_factory=dict)  # lower → higher
    children: dict[str, list[str]] = field(default_factory=dict)  # higher → lower
    edges: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def pull(cls, store: GraphStore) -> Lineage:
        plans = {r["id"]: r for r in store.run_read(PLANS, row_limit=ROWS).records()}
        tasks = {r["id"]: r for r in store.run_read(TASKS, row_limit=ROWS).records()}
        edges = store.run_read(EDGES, row_limit=ROWS).records()
        parents: dict[str, list[str]] = defaultdict(list)
        children: dict[str, list[str]] = defaultdict(list)
        for e in edges:
            parents[e["lower"]].append(e["higher"])
            children[e["higher"]].append(e["lower"])
        return cls(plans, tasks, dict(parents), dict(children), edges)

    def level(self, task_id: str) -> str:
        return str(self.plans[self.tasks[task_id]["plan_id"]]["level"] or "")

    def descendants(self, task_id: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.children.get(task_id, []))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.children.get(current, []))
        return seen


def _task_row(lineage: Lineage, task_id: str) -> dict[str, Any]:
    task = lineage.tasks[task_id]
    plan = lineage.plans[task["plan_id"]]
    return {
        "plan": plan["code"] or plan["id"],
        "level": plan["level"],
        "ref": task["ref"],
        "title": task["title"],
        "leads": task["leads"],
        "due": task["due"],
        "status": task["status"],
        "line": task["line"],
        "task_id": task_id,
    }


def gaps(store: GraphStore, typed_plan: str, mandate: str | None = None, all_tasks: bool = False) -> dict[str, Any]:
    """The higher-level tasks PLAN could carry, split into carried (with the deriving tasks) and not carried.

    Candidates are the tasks of plans at a higher level in the plan's province, and national
    plans. They are narrowed to the cascade of `mandate` when given, else to the cascades of
    the mandates the plan itself names (when any candidate falls under them), unless `all_tasks`.
    """
    lineage = Lineage.pull(store)
    plan = pick_plan(list(lineage.plans.values()), typed_plan)
    rank = LEVEL_RANK.get(plan["level"], 0)
    candidate_plans = [
        p
        for p in lineage.plans.values()
        if LEVEL_RANK.get(p["level"], 9) < rank and (p["level"] == "national" or p["province"] == plan["province"])
    ]
    candidates = [t for t, row in lineage.tasks.items() if row["plan_id"] in {p["id"] for p in candidate_plans}]
    scope = "every higher-level task of its jurisdictions"
    mandates = [mandate] if mandate else ([] if all_tasks else list(plan["mandates"]))
    if mandates:
        in_cascade: set[str] = set()
        for m in mandates:
            for node in cascade(store, m).plans:
                in_cascade |= {t["id"] for t in node.tasks}
        narrowed = [t for t in candidates if t in in_cascade]
        if narrowed or mandate:
            candidates, scope = narrowed, "higher-level tasks in the cascade of " + ", ".join(mandates)
        else:
            scope += f" (none is in the cascade of {', '.join(mandates)}, which the plan names)"
    own = {t for t, row in lineage.tasks.items() if row["plan_id"] == plan["id"]}
    carried, missing = [], []
    for task_id in sorted(candidates, key=lambda t: (lineage.tasks[t]["plan_id"], lineage.tasks[t]["line"] or 0)):
        by = sorted(set(lineage.children.get(task_id, [])) & own, key=lambda t: lineage.tasks[t]["line"] or 0)
        row = _task_row(lineage, task_id)
        if by:
            carried.append({**row, "carried_by": [lineage.tasks[t]["ref"] for t in by], "carried_by_ids": by})
        else:
            missing.append(row)
    return jsonable(
        {
            "plan": {k: plan[k] for k in ("id", "code", "title", "level", "jurisdiction", "source_file")},
            "scope": scope,
            "higher_plans": sorted(p["code"] or p["id"] for p in candidate_plans),
            "candidates": len(candidates),
            "carried": carried,
            "not_carried": missing,
        }
    )


def coverage(store: GraphStore, typed_mandate: str) -> dict[str, Any]:
    """Per level of a mandate's cascade, how many of its tasks reach each lower level (via DERIVES_FROM)."""
    result = cascade(store, typed_mandate)
    lineage = Lineage.pull(store)
    levels = result.levels()
    loaded_levels = sorted({str(p["level"]) for p in lineage.plans.values()}, key=lambda lv: LEVEL_RANK.get(lv, 9))
    rows = []
    for level, plans in levels.items():
        task_ids = [t["id"] for p in plans for t in p.tasks]
        provinces = {p.province for p in plans}
        reached_levels = {t: {lineage.level(d) for d in lineage.descendants(t)} for t in task_ids}
        for lower in [lv for lv in loaded_levels if LEVEL_RANK.get(lv, 9) > LEVEL_RANK.get(level, 9)]:
            # Plans at the lower level that could carry these tasks (jurisdiction containment).
            able = [
                p
                for p in lineage.plans.values()
                if p["level"] == lower and (level == "national" or p["province"] in provinces)
            ]
            reached = [t for t in task_ids if lower in reached_levels[t]]
            rows.append(
                {
                    "level": level,
                    "reaches": lower,
                    "lower_plans": len(able),
                    "tasks": len(task_ids),
                    "reached": len(reached),
                    "share": round(len(reached) / len(task_ids), 3) if task_ids else 0.0,
                }
            )
    per_task = []
    for plans in levels.values():
        for plan in plans:
            for task in plan.tasks:
                down = lineage.descendants(task["id"])
                if LEVEL_RANK.get(plan.level, 9) < LEVEL_RANK["commune"]:
                    per_task.append(
                        {
                            **_task_row(lineage, task["id"]),
                            "derived": len(down),
                            "reaches": sorted({lineage.level(d) for d in down}, key=lambda lv: LEVEL_RANK.get(lv, 9)),
                        }
                    )
    return jsonable({"mandate": result.mandate["id"], "levels": list(levels), "coverage": rows, "tasks": per_task})


def overlaps(store: GraphStore) -> dict[str, Any]:
    """Tasks under two or more mandates' cascades: candidates to merge, coordinate or report once."""
    implemented = {r["id"] for r in store.run_read(IMPLEMENTED, row_limit=ROWS).records()}
    instruments = {r["id"] for r in store.run_read(INSTRUMENT_OF, row_limit=ROWS).records()}
    mandates = sorted(implemented - instruments)
    under: dict[str, set[str]] = defaultdict(set)
    for m in mandates:
        for plan in cascade(store, m).plans:
            for task in plan.tasks:
                under[task["id"]].add(m)
    lineage = Lineage.pull(store)
    rows = [
        {**_task_row(lineage, task_id), "mandates": sorted(ms)}
        for task_id, ms in under.items()
        if len(ms) > 1 and task_id in lineage.tasks
    ]
    rows.sort(key=lambda r: (r["plan"], r["line"] or 0))
    return jsonable({"mandates": mandates, "overlaps": rows})
