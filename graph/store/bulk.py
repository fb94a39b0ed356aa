"""The tables of the embedded store's versions, written through the engine's bulk `COPY` (DESIGN.md §5).

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

Each version of the store is every document it holds, joined here in the order of their files' names and copied
into empty tables (plangraph.store.embedded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

from plangraph.model import EdgeRecord, GraphBatch, NodeRecord
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
class Prepared:
    """One document's own rows — its plans, tasks and indicators, and the relationships that start from them —
    as typed Arrow tables, and its write summary: what a bulk run copies of it, made once (while the load
    parses the other documents). Its shared nodes and the relationships between them stay records: a run
    merges those with what the store and the other documents hold."""

    nodes: dict[str, pa.Table]  # document label → rows, one per id (the document's last row of it)
    edges: dict[EdgeKey, pa.Table]  # (type, start, end) → from, to, properties; one per endpoints (the last)
    summary: WriteSummary
    shared_nodes: tuple[NodeRecord, ...] = ()  # agencies and legal bases, merged by the run
    shared_edges: tuple[EdgeRecord, ...] = ()  # relationships between them (PART_OF, MEMBER_OF, SUCCEEDED_BY)


@dataclass
class Run:
    """The merged rows of a run of documents, ready to be written."""

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # shared label → id → row
    edges: dict[EdgeKey, dict[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)  # between shared
    own_nodes: dict[str, list[pa.Table]] = field(default_factory=dict)  # document label → one table per document
    own_edges: dict[EdgeKey, list[pa.Table]] = field(default_factory=dict)  # from a document's own nodes
    summaries: list[WriteSummary] = field(default_factory=list)

    @property
    def source_files(self) -> list[str]:
        return [summary.source_file for summary in self.summaries]

    def own_node_table(self, label: str) -> pa.Table:
        return _concat(self.own_nodes.get(label, []), node_table(label, []))

    def own_edge_table(self, key: EdgeKey) -> pa.Table:
        return _concat(self.own_edges.get(key, []), edge_table(key[0], []))


def _concat(tables: list[pa.Table], empty: pa.Table) -> pa.Table:
    return pa.concat_tables(tables) if tables else empty  # one chunk per document: the engine copies it as fast


def edge_row(rel_type: str, props: dict[str, Any]) -> dict[str, Any]:
    return {name: props.get(name) for name in REL_BY_NAME[rel_type].properties}


def prepare(batch: GraphBatch) -> Prepared:
    """A document's own rows as the tables a run copies (see Prepared), and its write summary."""
    own: dict[str, dict[str, dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    shared_nodes: list[NodeRecord] = []
    for record in batch.nodes:
        counts[record.label] = counts.get(record.label, 0) + 1
        if record.label in SHARED_LABELS:
            shared_nodes.append(record)
        else:
            own.setdefault(record.label, {})[record.props["id"]] = record.props  # the last row of an id
    own_edges: dict[EdgeKey, dict[tuple[str, str], dict[str, Any]]] = {}
    rel_counts: dict[str, int] = {}
    shared_edges: list[EdgeRecord] = []
    for edge in batch.edges:
        name = f"{edge.type}({edge.start_label}→{edge.end_label})"
        rel_counts[name] = rel_counts.get(name, 0) + 1
        if edge.start_label in SHARED_LABELS:
            shared_edges.append(edge)
        else:
            key3 = (edge.type, edge.start_label, edge.end_label)
            own_edges.setdefault(key3, {})[(edge.start_key, edge.end_key)] = edge.props
    return Prepared(
        nodes={label: node_table(label, rows.values()) for label, rows in own.items()},
        edges={key3: edge_table(key3[0], pairs.items()) for key3, pairs in own_edges.items()},
        summary=WriteSummary(source_file=batch.source_file, nodes=counts, relationships=rel_counts),
        shared_nodes=tuple(shared_nodes),
        shared_edges=tuple(shared_edges),
    )


def join(prepared: Iterable[Prepared]) -> Run:
    """The run of several prepared documents, merged in order (a store's version: every document it holds, in
    the order of their files' names, so that a version depends on what it holds, never on the history)."""
    run = Run()
    for one in prepared:
        _merge_into(run, one)
    return run


def _merge_into(run: Run, prepared: Prepared) -> None:
    for label, table in prepared.nodes.items():
        run.own_nodes.setdefault(label, []).append(table)
    for key3, table in prepared.edges.items():
        run.own_edges.setdefault(key3, []).append(table)
    for record in prepared.shared_nodes:
        rows = run.nodes.setdefault(record.label, {})
        key = record.props["id"]
        rows[key] = merge_shared(rows.get(key, {}), record.props, record.label)
    for edge in prepared.shared_edges:
        key3 = (edge.type, edge.start_label, edge.end_label)
        run.edges.setdefault(key3, {})[(edge.start_key, edge.end_key)] = edge.props
    run.summaries.append(prepared.summary)


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


# -- a document's prepared tables, kept beside its batch (plangraph.store.journal) ------------------------------
#
# A file of one document's Prepared: 8 bytes (the header's length, little-endian), the header (JSON: the summary,
# the shared records, and for each table its kind, key and byte range), then each table as an Arrow IPC stream.
# Data only (never pickle): a damaged file is a StoreError and the batch is prepared again.


def dump_prepared(prepared: Prepared) -> bytes:
    import json

    from plangraph.store.codec import encode

    streams: list[bytes] = []
    tables: list[dict[str, Any]] = []
    offset = 0
    for kind, key, table in [
        *(("node", [label], t) for label, t in prepared.nodes.items()),
        *(("edge", list(key3), t) for key3, t in prepared.edges.items()),
    ]:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue().to_pybytes()
        tables.append({"kind": kind, "key": key, "start": offset, "length": len(data)})
        streams.append(data)
        offset += len(data)
    header = {
        "summary": [prepared.summary.source_file, prepared.summary.nodes, prepared.summary.relationships],
        "shared_nodes": [[n.label, n.key, encode(n.props)] for n in prepared.shared_nodes],
        "shared_edges": [
            [e.type, e.start_label, e.start_key, e.end_label, e.end_key, encode(e.props)] for e in prepared.shared_edges
        ],
        "tables": tables,
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return len(head).to_bytes(8, "little") + head + b"".join(streams)


def load_prepared(data: bytes) -> Prepared:
    import json

    from plangraph.store.codec import decode

    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    body = pa.py_buffer(data)
    base = 8 + size
    nodes: dict[str, pa.Table] = {}
    edges: dict[EdgeKey, pa.Table] = {}
    for entry in header["tables"]:
        start = base + int(entry["start"])
        table = pa.ipc.open_stream(body.slice(start, int(entry["length"]))).read_all()
        expected = (
            list(NODE_PROPERTIES[entry["key"][0]])
            if entry["kind"] == "node"
            else ["from", "to", *REL_BY_NAME[entry["key"][0]].properties]
        )
        if table.column_names != expected:  # kept by a plangraph of another schema: prepared again
            raise ValueError(f"table {entry['key'][0]} has columns {table.column_names}, not {expected}")
        if entry["kind"] == "node":
            nodes[entry["key"][0]] = table
        else:
            edges[(entry["key"][0], entry["key"][1], entry["key"][2])] = table
    source_file, node_counts, rel_counts = header["summary"]
    return Prepared(
        nodes=nodes,
        edges=edges,
        summary=WriteSummary(source_file=source_file, nodes=node_counts, relationships=rel_counts),
        shared_nodes=tuple(NodeRecord(label, key, decode(props)) for label, key, props in header["shared_nodes"]),
        shared_edges=tuple(
            EdgeRecord(t, sl, sk, el, ek, decode(props)) for t, sl, sk, el, ek, props in header["shared_edges"]
        ),
    )
