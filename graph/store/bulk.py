"""Runs of new documents written through the embedded engine's bulk `COPY` (DESIGN.md §5).

Writing relationships with `UNWIND $rows … MATCH (a), (b) WHERE a.id = row.from_id …` makes the
embedded engine join the batch with the whole node tables, so each batch costs time in proportion
to the store's size and a national load is quadratic (benchmarks/RESULTS.md). `COPY` looks each
endpoint up in the primary-key index instead. This module prepares a run of documents for it:

- the rows of every document in the run are merged exactly as the `MERGE` statements of
  :mod:`plangraph.store.statements` would merge them one document after another (a document's own
  nodes take the last row written; on a shared node the first non-null value of each property
  is kept — what the store holds before what a run brings, a null never erases, and alias lists
  are united in first-seen order (so reloading any document leaves every shared node as it was);
  relationships are unique per type and endpoints, the last properties written win);
- each label and relationship table becomes an Arrow table typed from the graph contract.

The store decides which rows are new (copied) and which update what it holds (merged by
statement), and how a run is undone when it cannot complete (plangraph.store.embedded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

from plangraph.model import GraphBatch
from plangraph.schema import (
    BOOL,
    DATE,
    FLOAT,
    INT,
    NODE_PROPERTIES,
    REL_BY_NAME,
    SCORE,
    SHARED_LABELS,
    STRINGS,
    merge_shared,
)
from plangraph.store.base import WriteSummary

ARROW_TYPES = {
    DATE: pa.date32(),
    INT: pa.int64(),
    FLOAT: pa.float64(),
    SCORE: pa.decimal128(9, 4),
    BOOL: pa.bool_(),
    STRINGS: pa.list_(pa.string()),
}

EdgeKey = tuple[str, str, str]  # (type, start label, end label)


@dataclass
class Run:
    """The merged rows of a run of documents, ready to be written."""

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # label → id → row
    edges: dict[EdgeKey, dict[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)
    summaries: list[WriteSummary] = field(default_factory=list)

    @property
    def source_files(self) -> list[str]:
        return [summary.source_file for summary in self.summaries]


def edge_row(rel_type: str, props: dict[str, Any]) -> dict[str, Any]:
    return {name: props.get(name) for name in REL_BY_NAME[rel_type].properties}


def merge_run(batches: Iterable[GraphBatch]) -> Run:
    """Merge the rows of several documents, in order, as sequential MERGE statements would."""
    run = Run()
    for batch in batches:
        counts: dict[str, int] = {}
        for record in batch.nodes:
            table = run.nodes.setdefault(record.label, {})
            key = record.props["id"]
            if record.label in SHARED_LABELS:
                table[key] = merge_shared(table.get(key, {}), record.props, record.label)
            else:
                table[key] = record.props  # read with .get: a missing property is null
            counts[record.label] = counts.get(record.label, 0) + 1
        rel_counts: dict[str, int] = {}
        for edge in batch.edges:
            key3 = (edge.type, edge.start_label, edge.end_label)
            run.edges.setdefault(key3, {})[(edge.start_key, edge.end_key)] = edge.props
            name = f"{edge.type}({edge.start_label}→{edge.end_label})"
            rel_counts[name] = rel_counts.get(name, 0) + 1
        run.summaries.append(WriteSummary(source_file=batch.source_file, nodes=counts, relationships=rel_counts))
    return run


def arrow_type(kind: str) -> pa.DataType:
    return ARROW_TYPES.get(kind, pa.string())


def arrow_array(values: list[Any], kind: str) -> pa.Array:
    """A column of row values (dates travel as ISO strings, as the statements receive them)."""
    if kind == DATE:
        values = [date.fromisoformat(v) if isinstance(v, str) else v for v in values]
    if kind == SCORE:  # a float at 4 decimals, as the decimal it is stored as
        values = [None if v is None else Decimal(f"{v:.4f}") for v in values]
    return pa.array(values, arrow_type(kind))


def node_table(label: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Rows of one label as an Arrow table in the column order of the node table."""
    rows = list(rows)
    columns = NODE_PROPERTIES[label]
    return pa.table({name: arrow_array([r.get(name) for r in rows], kind) for name, kind in columns.items()})


def edge_table(rel_type: str, pairs: Iterable[tuple[tuple[str, str], dict[str, Any]]]) -> pa.Table:
    """Relationships of one type as an Arrow table: from, to, then the properties in table order."""
    pairs = list(pairs)
    data: dict[str, pa.Array] = {
        "from": pa.array([start for (start, _), _ in pairs], pa.string()),
        "to": pa.array([end for (_, end), _ in pairs], pa.string()),
    }
    for name, kind in REL_BY_NAME[rel_type].properties.items():
        data[name] = arrow_array([props.get(name) for _, props in pairs], kind)
    return pa.table(data)
