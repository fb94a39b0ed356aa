"""Write notebooks/explore.ipynb from the cells below and execute it in place (outputs are committed).

    python3 tools/make_notebook.py        # rebuild and execute; then commit notebooks/explore.ipynb

tests/test_notebook.py executes the committed notebook again on a fresh store, so it cannot rot.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "notebooks" / "explore.ipynb"

CELLS: list[tuple[str, str]] = [
    (
        "markdown",
        """# Exploring plangraph: who owns what, and how NQ 57 cascades

This notebook loads the five sample plans (`data/samples/`) into a fresh embedded store and asks the
questions plangraph exists for. It uses the same library the CLI and the HTTP API use (`plangraph.views`,
`plangraph.cascade`, `plangraph.cascade.analytics`, the named queries), so every answer here matches `plangraph …` and
`GET /…`. Re-run it with *Run all*; CI executes it on every change.""",
    ),
    (
        "code",
        """import tempfile
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from plangraph.cascade.analytics import forest_rows, lineage_forest, pull_graph, workload
from plangraph.cascade.tree import cascade
from plangraph.ingest.pipeline import load_paths
from plangraph.queries import run_named
from plangraph.store.embedded import EmbeddedStore
from plangraph.views import agency_tasks

ROOT = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
store = EmbeddedStore(Path(tempfile.mkdtemp()) / "graph.lbdb")
report = load_paths([ROOT / "data" / "samples"], store)
print(report.as_dict()["totals"])""",
    ),
    ("markdown", "## Who owns what: the tasks Sở Nội vụ (Lạng Sơn) leads and supports"),
    (
        "code",
        """owned = agency_tasks(store, "tinh-lang-son/so-noi-vu")
rows = [
    {"role": g["role"], "plan": g["plan_code"], "ref": t["ref"], "task": t["title"][:70], "due": t["due"]}
    for g in owned["groups"]
    for t in g["tasks"]
]
owned_df = pd.DataFrame(rows)
print(owned_df.groupby(["role", "plan"]).size())
owned_df.head(10)""",
    ),
    ("markdown", "## The NQ 57 cascade, drawn as a tree (mandate → plans by level → tasks; 5 tasks shown per plan)"),
    (
        "code",
        """nq57 = cascade(store, "NQ 57")
tree = nx.DiGraph()
root = nq57.mandate["id"]
tree.add_node(root, layer=0)
for plan in nq57.plans:
    label = f"{plan.level}\\n{plan.code or plan.id.split('_')[0]}\\n{plan.jurisdiction}"
    tree.add_node(label, layer=1)
    tree.add_edge(root, label)
    for task in plan.tasks[:5]:
        name = f"{plan.code or 'draft'} {task['ref']}\\n{(task['leads'] or ['?'])[0][:28]}"
        tree.add_node(name, layer=2)
        tree.add_edge(label, name)
# A tidy tree layout: leaves left to right in plan order, each parent centred over its children.
pos, next_x = {}, 0.0
for label in tree.successors(root):
    leaves = list(tree.successors(label))
    for leaf in leaves:
        pos[leaf], next_x = (next_x, 0.0), next_x + 1.0
    pos[label] = (sum(pos[leaf][0] for leaf in leaves) / max(1, len(leaves)), 1.0)
    next_x += 0.5
pos[root] = (sum(pos[p][0] for p in tree.successors(root)) / len(nq57.plans), 2.0)
fig, ax = plt.subplots(figsize=(18, 6))
nx.draw_networkx(tree, pos, ax=ax, node_size=300, font_size=7, node_color="#9ecae1", arrows=False)
ax.set_axis_off()
print(nq57.counts()["tasks_per_level"])""",
    ),
    ("markdown", "## Agency workload (lead and support counts; overdue as of 22 Nov 2026)"),
    (
        "code",
        """graph = pull_graph(store)
load_df = pd.DataFrame(workload(graph, date(2026, 11, 22))).head(12)
load_df.index = load_df["agency"] + " (" + load_df["jurisdiction"].str.replace("tỉnh ", "") + ")"
ax = load_df[["lead", "support", "overdue_lead"]].iloc[::-1].plot.barh(figsize=(10, 6))
ax.set_xlabel("tasks")
load_df""",
    ),
    (
        "markdown",
        "## An agency's neighbourhood (the explorer's agency view): Sở Nội vụ (Lạng Sơn), the body it is part of, "
        "the groups it belongs to, and the plans it leads or supports tasks in",
    ),
    (
        "code",
        """from plangraph.views import get_agency

agency = get_agency(store, "tinh-lang-son/so-noi-vu")
around = nx.DiGraph()
around.add_node(agency["name"], kind="agency")
for parent in agency.get("part_of", []):
    around.add_edge(agency["name"], parent["name"], label="part of")
for group in agency.get("member_of", []):
    around.add_edge(agency["name"], group["name"], label="member of")
for g in owned["groups"]:  # one edge per plan: "lead 8 · support 2"
    plan_label = f"{g['plan_code']}\\n{g['jurisdiction']}"
    edge = (agency["name"], plan_label)
    roles = around.edges[edge]["label"] + " · " if around.has_edge(*edge) else ""
    around.add_edge(*edge, label=roles + f"{g['role']} {len(g['tasks'])}")
pos = nx.shell_layout(around, [[agency["name"]], [n for n in around if n != agency["name"]]])
fig, ax = plt.subplots(figsize=(9, 6))
colors = ["#b28600" if around.nodes[n].get("kind") == "agency" else "#dbe9ff" for n in around]
nx.draw_networkx(around, pos, ax=ax, node_color=colors, node_size=2600, font_size=8, arrows=True)
nx.draw_networkx_edge_labels(around, pos, nx.get_edge_attributes(around, "label"), ax=ax, font_size=8)
ax.set_axis_off()
print({e: around.edges[e]["label"] for e in around.edges})""",
    ),
    ("markdown", "## A named query into a DataFrame (`plangraph query tasks-led-by …`)"),
    (
        "code",
        """result = run_named(store, "tasks-led-by", {"agency": "Công an xã", "jurisdiction": "Lợi Bác"})
police = pd.DataFrame(result.records())
print(len(police), "tasks led by Công an xã (Lợi Bác)")
police[["plan", "ref", "task", "due", "status"]].head(8)""",
    ),
    ("markdown", "## The lineage forest: province tasks and the commune tasks that derive from them"),
    (
        "code",
        """forest = lineage_forest(graph)
pd.DataFrame(forest_rows(graph)).head(8)""",
    ),
    (
        "code",
        """# Province tasks on the left, the commune tasks deriving from them on the right, one band per tree.
labels = {n: f"{d['plan_code']} {d['ref']}" for n, d in forest.nodes(data=True)}
pos, left, right = {}, 0.0, 0.0
for component in sorted(nx.weakly_connected_components(forest), key=len, reverse=True):
    top = max(left, right)
    left = right = top
    for node in sorted(component, key=lambda n: labels[n]):
        if forest.nodes[node]["level"] == "commune":
            pos[node], right = (1.0, -right), right + 1
        else:
            pos[node], left = (0.0, -left), left + 1
    left = right = max(left, right) + 0.6
fig, ax = plt.subplots(figsize=(9, 12))
nx.draw_networkx_nodes(forest, pos, ax=ax, node_size=60, node_color="#fdae6b")
nx.draw_networkx_edges(forest, pos, ax=ax, alpha=0.5, arrows=False)
for node, (x, y) in pos.items():
    ax.text(x + (-0.03 if x == 0 else 0.03), y, labels[node], fontsize=7, va="center", ha="right" if x == 0 else "left")
ax.set_xlim(-0.6, 1.6)
ax.set_title("DERIVES_FROM: province (left) → commune (right)")
ax.set_axis_off()
store.close()""",
    ),
]


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, source in CELLS:
        nb.cells.append(
            nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        )
    return nb


def execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


if __name__ == "__main__":
    notebook = execute(build(), TARGET.parent)
    nbformat.write(notebook, TARGET)
    sys.stdout.write(f"wrote {TARGET}\n")
