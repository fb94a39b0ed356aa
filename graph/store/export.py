"""Export the graph from a store: neo4j-admin bulk-import CSVs, GraphML, JSON.

- `neo4j-admin`: one CSV per label and per relationship type and label pair,
  headers in the format of `neo4j-admin database import` (typed properties, one
  ID space per label, `:START_ID(<label>)`/`:END_ID(<label>)`/`:TYPE`), plus the
  exact import command. Arrays are delimited by U+001F so no value can break them.
- `graphml`: for Gephi and yEd.
- `json`: `{"nodes": [...], "relationships": [...]}`.

The export reads the store with portable Cypher, so it works from either engine.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraph.queries import internal_query
from plangraph.schema import BOOL, DATE, FLOAT, INT, NODE_PROPERTIES, REL_TYPES, SCORE, STRINGS, RelType
from plangraph.store.base import GraphStore, jsonable

ARRAY_DELIMITER = "\u001f"
ADMIN_TYPES = {
    "STRING": "string",
    INT: "long",
    FLOAT: "double",
    SCORE: "double",
    BOOL: "boolean",
    DATE: "date",
    STRINGS: "string[]",
}
GRAPHML_TYPES = {
    "STRING": "string",
    INT: "long",
    FLOAT: "double",
    SCORE: "double",
    BOOL: "boolean",
    DATE: "string",
    STRINGS: "string",
}
EXPORT_ROW_LIMIT = 50_000_000


@dataclass(frozen=True)
class Relationships:
    rel: RelType
    start: str
    end: str
    rows: list[tuple[Any, ...]]  # (start id, end id, *properties)


# Every node of a label, every property of the contract (tests/test_export.py checks these against the schema).
NODES = {
    "Plan": internal_query("store-export-nodes-plan"),
    "Task": internal_query("store-export-nodes-task"),
    "Agency": internal_query("store-export-nodes-agency"),
    "LegalBasis": internal_query("store-export-nodes-legalbasis"),
    "Indicator": internal_query("store-export-nodes-indicator"),
}
# Every relationship of a type between two labels, with its properties.
RELATIONSHIPS = {
    "HAS_TASK:Plan:Task": internal_query("store-export-relationships-has-task-plan-task"),
    "ISSUED_BY:Plan:Agency": internal_query("store-export-relationships-issued-by-plan-agency"),
    "LED_BY:Task:Agency": internal_query("store-export-relationships-led-by-task-agency"),
    "LED_BY:Indicator:Agency": internal_query("store-export-relationships-led-by-indicator-agency"),
    "SUPPORTED_BY:Task:Agency": internal_query("store-export-relationships-supported-by-task-agency"),
    "SUPPORTED_BY:Indicator:Agency": internal_query("store-export-relationships-supported-by-indicator-agency"),
    "MONITORED_BY:Task:Agency": internal_query("store-export-relationships-monitored-by-task-agency"),
    "IMPLEMENTS:Plan:LegalBasis": internal_query("store-export-relationships-implements-plan-legalbasis"),
    "IMPLEMENTS:Task:LegalBasis": internal_query("store-export-relationships-implements-task-legalbasis"),
    "IMPLEMENTS:LegalBasis:LegalBasis": internal_query("store-export-relationships-implements-legalbasis-legalbasis"),
    "CITES:Plan:LegalBasis": internal_query("store-export-relationships-cites-plan-legalbasis"),
    "SUCCEEDED_BY:Agency:Agency": internal_query("store-export-relationships-succeeded-by-agency-agency"),
    "CITES:Task:LegalBasis": internal_query("store-export-relationships-cites-task-legalbasis"),
    "DERIVES_FROM:Task:Task": internal_query("store-export-relationships-derives-from-task-task"),
    "HAS_INDICATOR:Plan:Indicator": internal_query("store-export-relationships-has-indicator-plan-indicator"),
    "HAS_INDICATOR:Task:Indicator": internal_query("store-export-relationships-has-indicator-task-indicator"),
    "PART_OF:Agency:Agency": internal_query("store-export-relationships-part-of-agency-agency"),
    "MEMBER_OF:Agency:Agency": internal_query("store-export-relationships-member-of-agency-agency"),
}


def _nodes(store: GraphStore, label: str) -> list[tuple[Any, ...]]:
    return list(store.run_read(NODES[label], row_limit=EXPORT_ROW_LIMIT).rows)


def _relationships(store: GraphStore) -> Iterator[Relationships]:
    for rel in REL_TYPES:
        for start, end in rel.pairs:
            rows = list(store.run_read(RELATIONSHIPS[f"{rel.name}:{start}:{end}"], row_limit=EXPORT_ROW_LIMIT).rows)
            if rows:
                yield Relationships(rel, start, end, rows)


def _csv_value(value: Any, kind: str) -> str | None:
    value = jsonable(value)
    if value is None:
        return None
    if kind == STRINGS:
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if kind == BOOL:
        return "true" if value else "false"
    return str(value)


def _csv_line(fields: list[str | None]) -> str:
    """One CSV record in which every value is quoted and a missing one is an empty field: `neo4j-admin` reads an
    empty field as no property and `""` as the empty string (Python's csv module writes both as nothing)."""
    return ",".join("" if f is None else '"' + f.replace('"', '""') + '"' for f in fields) + "\n"


def export_neo4j_admin(store: GraphStore, folder: Path, database: str = "neo4j") -> str:
    """Write the CSVs into `folder`; return the `neo4j-admin database import full` command."""
    folder.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    for label, props in NODE_PROPERTIES.items():
        name = f"nodes_{label}.csv"
        header = [f"id:ID({label})"] + [f"{p}:{ADMIN_TYPES[k]}" for p, k in props.items() if p != "id"] + [":LABEL"]
        kinds = [k for p, k in props.items() if p != "id"]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            handle.write(_csv_line(list(header)))
            for row in _nodes(store, label):
                handle.write(
                    _csv_line([row[0], *(_csv_value(v, k) for v, k in zip(row[1:], kinds, strict=True)), label])
                )
        args.append(f"--nodes={label}={name}")
    for group in _relationships(store):
        name = f"relationships_{group.rel.name}_{group.start}_{group.end}.csv"
        header = [f":START_ID({group.start})", f":END_ID({group.end})"]
        header += [f"{p}:{ADMIN_TYPES[k]}" for p, k in group.rel.properties.items()] + [":TYPE"]
        kinds = list(group.rel.properties.values())
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            handle.write(_csv_line(list(header)))
            for row in group.rows:
                values = [_csv_value(v, k) for v, k in zip(row[2:], kinds, strict=True)]
                handle.write(_csv_line([row[0], row[1], *values, group.rel.name]))
        args.append(f"--relationships={group.rel.name}={name}")
    command = (
        "neo4j-admin database import full "
        + " ".join(args)
        + " --array-delimiter=U+001F --multiline-fields=true --overwrite-destination=true "
        + database
    )
    (folder / "IMPORT_COMMAND.txt").write_text(
        f"# Run from {folder} on a stopped Neo4j 5 server (or copy the files into its import folder):\n{command}\n",
        "utf-8",
    )
    return command


def export_json(store: GraphStore, path: Path) -> None:
    nodes = []
    for label, props in NODE_PROPERTIES.items():
        for row in _nodes(store, label):
            nodes.append({"label": label, "id": row[0], "properties": jsonable(dict(zip(props, row, strict=True)))})
    relationships = []
    for group in _relationships(store):
        for row in group.rows:
            properties = jsonable(dict(zip(group.rel.properties, row[2:], strict=True)))
            relationships.append(
                {
                    "type": group.rel.name,
                    "start": {"label": group.start, "id": row[0]},
                    "end": {"label": group.end, "id": row[1]},
                    "properties": properties,
                }
            )
    path.write_text(json.dumps({"nodes": nodes, "relationships": relationships}, ensure_ascii=False, indent=1), "utf-8")


def canonical_lines(store: GraphStore) -> list[str]:
    """Every node and relationship of the store as one sorted JSON line each (floats as the store returns them):
    two stores hold the same graph exactly when their lines are equal (plangraph check, the graph snapshot)."""
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "graph.json"
        export_json(store, path)
        graph = json.loads(path.read_text("utf-8"))
    lines = [
        json.dumps(["node", n["label"], _as_sets(n["properties"])], ensure_ascii=False, sort_keys=True)
        for n in graph["nodes"]
    ]
    lines += [
        json.dumps(["rel", r["type"], r["start"], r["end"], r["properties"]], ensure_ascii=False, sort_keys=True)
        for r in graph["relationships"]
    ]
    return sorted(lines)


# Properties that are sets: a shared node's aliases gather the spellings of every document that names it, in the
# order the documents were loaded, so two histories of the same documents list them in two orders.
SET_PROPERTIES = frozenset({"aliases"})


def _as_sets(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if k in SET_PROPERTIES and isinstance(v, list) else v for k, v in properties.items()}


def export_graphml(store: GraphStore, path: Path) -> None:
    """GraphML with one key per property; node ids are "<label>:<id>" (ids are unique per label)."""
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    keys: dict[tuple[str, str], str] = {}

    def key(domain: str, name: str, kind: str) -> str:
        if (domain, name) not in keys:
            keys[(domain, name)] = f"{domain[0]}_{name}"
            ET.SubElement(
                root, "key", id=keys[(domain, name)], attrib={"for": domain, "attr.name": name, "attr.type": kind}
            )
        return keys[(domain, name)]

    key("node", "label", "string")
    for props in NODE_PROPERTIES.values():
        for p, k in props.items():
            key("node", p, GRAPHML_TYPES[k])
    key("edge", "type", "string")
    for rel in REL_TYPES:
        for p, k in rel.properties.items():
            key("edge", p, GRAPHML_TYPES[k])
    graph = ET.SubElement(root, "graph", id="plangraph", edgedefault="directed")
    for label, props in NODE_PROPERTIES.items():
        for row in _nodes(store, label):
            node = ET.SubElement(graph, "node", id=f"{label}:{row[0]}")
            ET.SubElement(node, "data", key=keys[("node", "label")]).text = label
            for p, value in zip(props, row, strict=True):
                if value is not None:
                    ET.SubElement(node, "data", key=keys[("node", p)]).text = _graphml_text(value)
    for n, group in enumerate(_relationships(store)):
        for i, row in enumerate(group.rows):
            edge = ET.SubElement(
                graph, "edge", id=f"e{n}_{i}", source=f"{group.start}:{row[0]}", target=f"{group.end}:{row[1]}"
            )
            ET.SubElement(edge, "data", key=keys[("edge", "type")]).text = group.rel.name
            for p, value in zip(group.rel.properties, row[2:], strict=True):
                if value is not None:
                    ET.SubElement(edge, "data", key=keys[("edge", p)]).text = _graphml_text(value)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _graphml_text(value: Any) -> str:
    value = jsonable(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
