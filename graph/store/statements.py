"""Every write statement plangraph sends, in one module (DESIGN.md §7.7).

Statements are parameterised `UNWIND $rows … MERGE` on natural keys, so a
re-run is idempotent. The text is generated from the graph contract
(:mod:`graph.schema`) and differs between engines only where their Cypher
does: typed casts of parameters (the embedded engine infers a STRING type for
an all-null column of a batch and needs `CAST`; Neo4j has `toInteger` …).
"""

from __future__ import annotations

from typing import Literal

from graph.schema import (
    BOOL,
    DATE,
    DOCUMENT_LABELS,
    FLOAT,
    INT,
    NODE_PROPERTIES,
    REL_TYPES,
    SHARED_LABELS,
    STRINGS,
    RelType,
)

Dialect = Literal["embedded", "neo4j"]


def _value(expr: str, kind: str, dialect: Dialect) -> str:
    if kind == DATE:
        return f"date({expr})"
    if dialect == "embedded":
        if kind in (INT, FLOAT, BOOL, STRINGS):
            return f"CAST({expr} AS {kind})"
        return expr
    if kind == INT:
        return f"toInteger({expr})"
    if kind == FLOAT:
        return f"toFloat({expr})"
    if kind == BOOL:
        return f"toBoolean({expr})"
    return expr


def _union(prop: str, dialect: Dialect) -> str:
    """The node's list property united with the row's, without duplicates."""
    if dialect == "embedded":
        return f"list_distinct(list_concat(coalesce(n.{prop}, CAST([] AS STRING[])), CAST(row.{prop} AS STRING[])))"
    return f"reduce(acc = coalesce(n.{prop}, []), x IN row.{prop} | CASE WHEN x IN acc THEN acc ELSE acc + x END)"


def merge_nodes(label: str, dialect: Dialect) -> str:
    """Upsert nodes of one label from `$rows` (each row holds every property).

    Nodes of one document take the row as it is. Shared nodes (agencies, legal
    bases) keep what other documents said: a null never erases a value and
    alias lists are united.
    """
    shared = label in SHARED_LABELS
    parts = []
    for name, kind in NODE_PROPERTIES[label].items():
        if name == "id":
            continue
        value = _value("row." + name, kind, dialect)
        if shared and kind == STRINGS:
            value = _union(name, dialect)
        elif shared:
            value = f"coalesce({value}, n.{name})"
        parts.append(f"n.{name} = {value}")
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET {', '.join(parts)}"


def merge_edges(rel: RelType, start: str, end: str, dialect: Dialect) -> str:
    """Upsert relationships of one type between two labels from `$rows` (from_id, to_id, props…)."""
    text = (
        f"UNWIND $rows AS row MATCH (a:{start}), (b:{end}) WHERE a.id = row.from_id AND b.id = row.to_id "
        f"MERGE (a)-[r:{rel.name}]->(b)"
    )
    if rel.properties:
        sets = ", ".join(f"r.{name} = {_value('row.' + name, kind, dialect)}" for name, kind in rel.properties.items())
        text += f" SET {sets}"
    return text


def delete_document(label: str) -> str:
    """Remove the nodes one document contributed (and their relationships)."""
    if label not in DOCUMENT_LABELS:
        raise ValueError(f"{label} nodes are shared between documents and are never deleted with one")
    return f"MATCH (n:{label}) WHERE n.source_file = $source_file DETACH DELETE n"


def document_loaded() -> str:
    """How many plans a source file contributed (0: the file was never loaded)."""
    return "MATCH (p:Plan) WHERE p.source_file = $source_file RETURN count(p) AS plans"


def delete_orphans(label: str) -> str:
    """Remove shared nodes (agencies, legal bases) that no relationship reaches any more."""
    return f"MATCH (n:{label}) WHERE NOT EXISTS {{ MATCH (n)--() }} DELETE n"


def delete_derivations() -> str:
    """Remove the DERIVES_FROM edges of the given lower tasks before they are linked again."""
    return "UNWIND $ids AS id MATCH (t:Task)-[r:DERIVES_FROM]->(:Task) WHERE t.id = id DELETE r"


def all_write_statements(dialect: Dialect) -> list[str]:
    """Every write statement of a dialect (for the Neo4j linter and the tests)."""
    out = [merge_nodes(label, dialect) for label in NODE_PROPERTIES]
    out += [merge_edges(rel, a, b, dialect) for rel in REL_TYPES for a, b in rel.pairs]
    out.append(document_loaded())
    out += [delete_document(label) for label in DOCUMENT_LABELS]
    out += [delete_orphans(label) for label in ("Agency", "LegalBasis")]
    out.append(delete_derivations())
    return out
