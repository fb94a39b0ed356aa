"""Run the lineage linker over what a store holds, and write the DERIVES_FROM edges back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from plangraph.cascade.lineage import THRESHOLD, TOP_K, Link, TaskText, levels_to_relink, link_tasks
from plangraph.cascade.tree import refresh_counts
from plangraph.queries import internal_query
from plangraph.queries.lookup import resolve_task_id
from plangraph.store.base import GraphStore, Reader

# Every task with its plan's level and province; then the legal documents tasks implement or cite, and those
# plans implement. (One query collecting both per task grouped on every returned column: 85 s nationally.)
TASKS_QUERY = internal_query("cascade-linking-tasks-query")
TASK_LEGAL_QUERY = internal_query("cascade-linking-task-legal-query")
PLAN_MANDATES_QUERY = internal_query("cascade-linking-plan-mandates-query")
ROW_LIMIT = 10_000_000
EDGE_QUERY = internal_query("cascade-linking-edge-query")
FILE_SCOPES_QUERY = internal_query("cascade-linking-file-scopes")


def fetch_tasks(store: Reader, provinces: set[str | None] | None = None) -> list[TaskText]:
    """Every task with what the linker compares; `provinces`: only those of these provinces and the national
    ones (all a link of these provinces' blocks compares: plangraph.cascade.lineage._blocks)."""
    scope = {"every": provinces is None, "provinces": sorted(p for p in provinces or () if p)}
    legal: dict[str, set[str]] = defaultdict(set)
    for query in (TASK_LEGAL_QUERY, PLAN_MANDATES_QUERY):
        for key, ref in store.run_read(query, scope, row_limit=ROW_LIMIT, timeout_ms=600_000).rows:
            legal[key].add(ref)
    result = store.run_read(TASKS_QUERY, scope, row_limit=ROW_LIMIT, timeout_ms=600_000)
    out = []
    for r in result.records():
        due = r["due_end"]
        out.append(
            TaskText(
                id=r["id"],
                plan_id=r["plan_id"],
                level=r["level"] or "",
                province=r["province"],
                title=r["title"] or "",
                products=r["products"] or "",
                section_title=r["section_title"] or "",
                due_end=due if isinstance(due, date) else None,
                legal=frozenset(legal[r["id"]] | legal[r["plan_id"]]),
            )
        )
    return out


def file_scopes(store: GraphStore, files: Iterable[str]) -> set[tuple[str | None, str | None]]:
    """The (province, level) of the plans the store holds from `files`: what a reload of them takes away, and so
    also changes (the relink after it must reach the old plan's blocks too)."""
    names = sorted(set(files))
    if not names:
        return set()
    rows = store.run_read(FILE_SCOPES_QUERY, {"source_files": names}, row_limit=ROW_LIMIT, timeout_ms=600_000).rows
    return {(province, level) for province, level in rows}


def scope_of(
    changes: Iterable[tuple[str | None, str | None]],
) -> tuple[set[str | None], dict[str | None, set[str | None]]]:
    """The `provinces` and `levels` to relink (see :func:`relink`) after writes that changed plans at these
    (province, level) places: a national plan's change is everyone's (province None)."""
    provinces: set[str | None] = set()
    levels: dict[str | None, set[str | None]] = {}
    for province, level in changes:
        where = None if level == "national" else province
        provinces.add(where)
        levels.setdefault(where, set()).add(level)
    return provinces, levels


def _scope(
    provinces: Iterable[str | None] | None, levels: Mapping[str | None, Iterable[str | None]] | None
) -> tuple[set[str | None] | None, dict[str | None, tuple[str, ...]]]:
    """The provinces a relink reads (None: every one) and, per province, the levels it relinks there."""
    scope = None if provinces is None else set(provinces)
    if scope is not None and None in scope:
        scope = None  # a national plan changed: every province may link to it
    relinked: dict[str | None, tuple[str, ...]] = {}
    if scope is not None:
        for province, changed in (levels or {}).items():
            reached = levels_to_relink(changed)
            if province in scope and reached is not None:
                relinked[province] = reached
    return scope, relinked


def expect_link(store: GraphStore, changes: Iterable[tuple[str | None, str | None]]) -> None:
    """Before a write that changes plans at these (province, level) places, record on the store (the embedded
    store's link journal) that their lineage is stale until the relink that follows the write: a writer killed
    in between leaves `/health`, `stats` and every open saying "run plangraph link" instead of "complete".
    The relink's own scope covers it, so it clears the record when it ends."""
    expect = getattr(store, "expect_link", None)
    if expect is None:
        return
    scope, relinked = _scope(*scope_of(changes))
    expect(None if scope is None else sorted(p for p in scope if p), {p: list(v) for p, v in relinked.items() if p})


def relink(
    store: GraphStore,
    provinces: Iterable[str | None] | None = None,
    threshold: float = THRESHOLD,
    top_k: int = TOP_K,
    levels: Mapping[str | None, Iterable[str | None]] | None = None,
) -> list[Link]:
    """Recompute DERIVES_FROM for the lower-level tasks of `provinces` (all when None): only their tasks and
    the national ones are read and scored. `levels`: the levels whose plans changed, per province; a province
    named there is relinked only at the levels the change reaches (lineage.levels_to_relink: reloaded commune
    plans relink the province's commune tasks, not its department tasks)."""
    scope, relinked = _scope(provinces, levels)
    tasks = fetch_tasks(store, scope)
    # Only the blocks of the provinces (and levels) in scope: every link's lower task is one of theirs.
    links = link_tasks(tasks, threshold, top_k, provinces=scope, levels=relinked or None)
    scoped = None if scope is None else sorted(p for p in scope if p)
    at_levels = {p: list(v) for p, v in relinked.items() if p}
    store.replace_derivations(scoped, [link.row() for link in links], levels=at_levels)
    refresh_counts(store, scoped)  # the plans' counts, kept ready for the cascade
    return links


def explain(store: GraphStore, lower_id: str, higher_id: str) -> dict[str, Any]:
    """The evidence of one link (or why there is none)."""
    tasks = {t.id: t for t in fetch_tasks(store)}
    lower_id, higher_id = resolve_task_id(tasks, lower_id), resolve_task_id(tasks, higher_id)
    lower, higher = tasks[lower_id], tasks[higher_id]
    from plangraph.cascade.lineage import may_derive

    if not may_derive(lower, higher):
        return {
            "linked": False,
            "reason": f"a {lower.level} task of {lower.province} cannot derive from a {higher.level} task of "
            f"{higher.province} (jurisdiction and level)",
        }
    block = [t for t in tasks.values() if t.province == lower.province or t.level == "national"]
    for link in link_tasks(block, threshold=0.0, top_k=len(block)):
        if link.lower == lower_id and link.higher == higher_id:
            stored = store.run_read(EDGE_QUERY, {"lower": lower_id, "higher": higher_id}).rows
            return {
                "linked": bool(stored),  # the edge is in the store (score ≥ threshold and among the top k)
                "above_threshold": link.score >= THRESHOLD,
                "threshold": THRESHOLD,
                "top_k": TOP_K,
                **link.row(),
            }
    return {"linked": False, "reason": "the two tasks share no term", "threshold": THRESHOLD}
