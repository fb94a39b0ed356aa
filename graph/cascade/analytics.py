"""Graph analytics with networkx over the graph pulled from a store.

- workload: per agency, tasks led and supported, open, overdue as of a date;
- forest: the lineage forest (DERIVES_FROM), one row per tree, rooted at the highest task;
- clusters: overlap clusters — tasks under two or more mandates, joined with the tasks
  they derive from or that derive from them, grouped into connected components.

`pull_graph` builds one networkx MultiDiGraph; everything else reads that graph, so
the notebook can draw the same object.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from plangraph.cascade.lineage import LEVEL_RANK
from plangraph.model import is_overdue
from plangraph.queries import internal_query
from plangraph.store.base import GraphStore, jsonable

ROWS = 10_000_000
NODES = {
    "Plan": internal_query("cascade-analytics-nodes-plan"),
    "Task": internal_query("cascade-analytics-nodes-task"),
    "Agency": internal_query("cascade-analytics-nodes-agency"),
}
EDGES = {
    "HAS_TASK": internal_query("cascade-analytics-edges-has-task"),
    "LED_BY": internal_query("cascade-analytics-edges-led-by"),
    "SUPPORTED_BY": internal_query("cascade-analytics-edges-supported-by"),
    "DERIVES_FROM": internal_query("cascade-analytics-edges-derives-from"),
}
DONE = {"done"}


def pull_graph(store: GraphStore) -> nx.MultiDiGraph:
    """Plans, tasks, agencies and their edges as one networkx graph (node key = "Label:id")."""
    graph = nx.MultiDiGraph()
    for label, text in NODES.items():
        for row in store.run_read(text, row_limit=ROWS).records():
            graph.add_node(f"{label}:{row['id']}", label=label, **row)
    sources = {"HAS_TASK": "Plan", "LED_BY": "Task", "SUPPORTED_BY": "Task", "DERIVES_FROM": "Task"}
    targets = {"HAS_TASK": "Task", "LED_BY": "Agency", "SUPPORTED_BY": "Agency", "DERIVES_FROM": "Task"}
    for rel, text in EDGES.items():
        for row in store.run_read(text, row_limit=ROWS).records():
            extra = {"score": row["score"]} if "score" in row else {}
            graph.add_edge(f"{sources[rel]}:{row['a']}", f"{targets[rel]}:{row['b']}", key=rel, type=rel, **extra)
    for plan in [n for n, d in graph.nodes(data=True) if d["label"] == "Plan"]:
        for _, task, key in graph.out_edges(plan, keys=True):
            if key == "HAS_TASK":
                graph.nodes[task]["plan"] = plan
    return graph


def _plan_of(graph: nx.MultiDiGraph, task: str) -> dict[str, Any]:
    return dict(graph.nodes[graph.nodes[task]["plan"]])


def workload(graph: nx.MultiDiGraph, as_of: date) -> list[dict[str, Any]]:
    """Per agency: tasks led, supported, open (not done), overdue (due before `as_of` and not done)."""
    rows = []
    for node, data in graph.nodes(data=True):
        if data["label"] != "Agency":
            continue
        led = [t for t, _, k in graph.in_edges(node, keys=True) if k == "LED_BY"]
        supported = [t for t, _, k in graph.in_edges(node, keys=True) if k == "SUPPORTED_BY"]
        if not led and not supported:
            continue

        def is_open(task: str) -> bool:
            return graph.nodes[task].get("status") not in DONE

        def overdue(task: str) -> bool:  # plangraph.model.is_overdue
            node = graph.nodes[task]
            due = node.get("due_end")
            return is_open(task) and isinstance(due, date) and is_overdue(None, due, node.get("recurrence"), as_of)

        rows.append(
            {
                "agency": data["name"],
                "jurisdiction": data["jurisdiction"],
                "lead": len(led),
                "support": len(supported),
                "open_lead": sum(map(is_open, led)),
                "overdue_lead": sum(map(overdue, led)),
                "overdue_support": sum(map(overdue, supported)),
                "plans": len({graph.nodes[t].get("plan") for t in led + supported}),
            }
        )
    rows.sort(key=lambda r: (-r["lead"], -r["support"], r["agency"]))
    return rows


def lineage_forest(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """DERIVES_FROM as a DiGraph pointing downwards (higher → lower), with task attributes."""
    forest = nx.DiGraph()
    for lower, higher, key, data in graph.edges(keys=True, data=True):
        if key == "DERIVES_FROM":
            for task in (lower, higher):
                plan = _plan_of(graph, task)
                forest.add_node(task, **graph.nodes[task], level=plan["level"], plan_code=plan["code"] or plan["id"])
            forest.add_edge(higher, lower, score=data.get("score"))
    return forest


def forest_rows(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """One row per lineage tree: its root (highest) tasks, size, depth and levels spanned."""
    forest = lineage_forest(graph)
    rows = []
    for component in nx.weakly_connected_components(forest):
        sub = forest.subgraph(component)
        roots = sorted(n for n in sub if sub.in_degree(n) == 0)
        levels = sorted({sub.nodes[n]["level"] for n in sub}, key=lambda lv: LEVEL_RANK.get(lv, 9))
        rows.append(
            {
                "roots": [f"{sub.nodes[r]['plan_code']} {sub.nodes[r]['ref']}" for r in roots],
                "root_title": sub.nodes[roots[0]]["title"] if roots else "",
                "tasks": sub.number_of_nodes(),
                "links": sub.number_of_edges(),
                "depth": nx.dag_longest_path_length(sub) if nx.is_directed_acyclic_graph(sub) else None,
                "levels": levels,
            }
        )
    rows.sort(key=lambda r: (-r["tasks"], r["roots"]))
    return rows


def overlap_clusters(graph: nx.MultiDiGraph, overlapping: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Connected groups of overlap tasks (task id → mandates): same plan and mandates, or linked by lineage."""
    cluster = nx.Graph()
    for task_id, mandates in overlapping.items():
        node = f"Task:{task_id}"
        if node not in graph:
            continue
        cluster.add_node(node, mandates=set(mandates))
        for lower, higher, key in list(graph.in_edges(node, keys=True)) + list(graph.out_edges(node, keys=True)):
            if key == "DERIVES_FROM":
                cluster.add_edge(lower, higher)
    # Overlap tasks of one plan under the same mandates are one coordination point.
    by_key: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for node, data in list(cluster.nodes(data=True)):
        if data.get("mandates"):
            by_key.setdefault((graph.nodes[node]["plan"], tuple(sorted(data["mandates"]))), []).append(node)
    for members in by_key.values():
        nx.add_path(cluster, members)
    plans = {n: _plan_of(graph, n) for n in cluster}
    rows = []
    for component in nx.connected_components(cluster):
        mandates = sorted({m for n in component for m in cluster.nodes[n].get("mandates", set())})
        members = sorted(component, key=lambda n: (plans[n]["code"] or plans[n]["id"], graph.nodes[n]["ref"] or ""))
        rows.append(
            {
                "mandates": mandates,
                "tasks": len(members),
                "plans": sorted({plans[n]["code"] or plans[n]["id"] for n in members}),
                "members": [f"{plans[n]['code'] or plans[n]['id']} {graph.nodes[n]['ref']}" for n in members],
                "example": graph.nodes[members[0]]["title"],
            }
        )
    rows.sort(key=lambda r: (-r["tasks"], r["members"]))
    return jsonable(rows)
