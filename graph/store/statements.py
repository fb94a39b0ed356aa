"""Every write statement plangraph sends, in one module (DESIGN.md §7.7).

Statements are parameterised `UNWIND $rows … MERGE` on natural keys, so a
re-run is idempotent. The text is generated from the graph contract
(:mod:`plangraph.schema`) and differs between engines only where their Cypher
does: typed casts of parameters (the embedded engine infers a STRING type for
an all-null column of a batch and needs `CAST`; Neo4j has `toInteger` …).
"""

from __future__ import annotations

from typing import Any, Literal

from plangraph.schema import (
    BOOL,
    DATE,
    DOCUMENT_LABELS,
    FLOAT,
    INT,
    NODE_PROPERTIES,
    REL_TYPES,
    SCORE,
    SHARED_LABELS,
    STRINGS,
    RelType,
)

Dialect = Literal["embedded", "neo4j"]


def _value(expr: str, kind: str, dialect: Dialect) -> str:
    if kind == DATE:
        return f"date({expr})"
    if dialect == "embedded":
        if kind in (INT, FLOAT, BOOL, STRINGS, SCORE):
            return f"CAST({expr} AS {kind})"
        return expr
    if kind == INT:
        return f"toInteger({expr})"
    if kind in (FLOAT, SCORE):
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
    bases) keep what other documents said: the first non-null value stays and
    alias lists are united (Neo4j; the embedded store builds each version's shared
    rows from the documents it holds: plangraph.store.bulk.join).
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
            value = f"coalesce(n.{name}, {value})"  # the first non-null value stays (plangraph.schema.merge_shared)
        parts.append(f"n.{name} = {value}")
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET {', '.join(parts)}"


def merge_edges(rel: RelType, start: str, end: str, dialect: Dialect, create: bool = False) -> str:
    """Upsert relationships of one type between two labels from `$rows` (from_id, to_id, props…).

    `create`: the start nodes were just written by this transaction (a document's own nodes, whose old
    edges went with them), so each row is a new edge: CREATE, not MERGE. (LadybugDB 0.15.3 sometimes
    creates one edge per start node for `UNWIND … MERGE (a)-[r]->(b)`: a reloaded plan kept 1 of its 7
    HAS_TASK edges, found by tests/test_reload.py.)"""
    text = (
        f"UNWIND $rows AS row MATCH (a:{start}), (b:{end}) WHERE a.id = row.from_id AND b.id = row.to_id "
        f"{'CREATE' if create else 'MERGE'} (a)-[r:{rel.name}]->(b)"
    )
    if rel.properties:
        sets = ", ".join(f"r.{name} = {_value('row.' + name, kind, dialect)}" for name, kind in rel.properties.items())
        text += f" SET {sets}"
    return text


def edge_rows(rel: RelType, start: str, end: str) -> str:
    """Every relationship of one type between two labels, with its properties (the check across a checkpoint)."""
    props = "".join(f", r.{p}" for p in rel.properties)
    return f"MATCH (a:{start})-[r:{rel.name}]->(b:{end}) RETURN a.id, b.id{props}"


def delete_document(label: str) -> str:
    """Remove the nodes one document contributed (and their relationships)."""
    if label not in DOCUMENT_LABELS:
        raise ValueError(f"{label} nodes are shared between documents and are never deleted with one")
    return f"MATCH (n:{label}) WHERE n.source_file = $source_file DETACH DELETE n"


def plan_taken(plan_id: str, source_file: str, holder: str) -> str:
    """Why a document whose plan another file holds is refused, and what to do."""
    return (
        f"the plan of {source_file} ({plan_id}: number, issuer's jurisdiction and year) is already loaded from "
        f"{holder}. The same plan in two files? Load one of them. Two different plans? Check the number, issuer "
        "and date in the header of both."
    )


def delete_orphans(label: str) -> str:
    """Remove shared nodes (agencies, legal bases) that no relationship reaches any more."""
    return f"MATCH (n:{label}) WHERE NOT EXISTS {{ MATCH (n)--() }} DELETE n"


def delete_derivations(scoped: bool, leveled: bool = False) -> str:
    """Remove the DERIVES_FROM edges of every lower-level (not national) task before linking again;
    `scoped`: only those of plans in the provinces `$provinces`; `leveled`: and of the levels `$levels`."""
    where = _derivations_of(scoped, leveled)
    return f"MATCH (p:Plan)-[:HAS_TASK]->(:Task)-[r:DERIVES_FROM]->(:Task) WHERE {where} DELETE r"


def derivations_in(scoped: bool, leveled: bool = False) -> str:
    """The (lower, higher) task ids of the DERIVES_FROM edges delete_derivations would remove (the embedded store
    makes its lineage table again without them)."""
    return (
        f"MATCH (p:Plan)-[:HAS_TASK]->(a:Task)-[r:DERIVES_FROM]->(b:Task) WHERE {_derivations_of(scoped, leveled)} "
        "RETURN a.id, b.id"
    )


def delete_derivations_batch(scoped: bool, leveled: bool = False) -> str:
    """As delete_derivations, at most `$limit` edges, returning how many went (Neo4j deletes a national lineage
    in several transactions: one would pass the server's transaction memory limit)."""
    return (
        f"MATCH (p:Plan)-[:HAS_TASK]->(:Task)-[r:DERIVES_FROM]->(:Task) WHERE {_derivations_of(scoped, leveled)} "
        "WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted"
    )


def _derivations_of(scoped: bool, leveled: bool) -> str:
    where = "coalesce(p.level, '') <> 'national'"
    if scoped:
        where += " AND p.province IN $provinces"
    if leveled:
        where += " AND p.level IN $levels"
    return where


def derivation_scopes(
    provinces: list[str] | None, levels: dict[str, list[str]] | None
) -> list[tuple[bool, dict[str, Any]]]:
    """The deletes a relink of `provinces` (None: all) at `levels` (per province; a province not named: all its
    lower levels) runs, as (leveled, params) for delete_derivations(scoped, leveled): one per set of levels."""
    if provinces is None:
        return [(False, {})]
    groups: dict[tuple[str, ...], list[str]] = {}
    for province in provinces:
        groups.setdefault(tuple((levels or {}).get(province) or ()), []).append(province)
    return [
        (bool(group), {"provinces": members, **({"levels": list(group)} if group else {})})
        for group, members in sorted(groups.items())
    ]


def plan_owner() -> str:
    """The source file holding the plan `$id` (a plan has one file; another file's plan with this id is refused)."""
    return "MATCH (p:Plan) WHERE p.id = $id RETURN p.source_file AS source_file"


def any_document() -> str:
    """One loaded plan's id, if any (a load into an empty store writes its documents as one run)."""
    return "MATCH (p:Plan) RETURN p.id LIMIT 1"


def all_write_statements(dialect: Dialect) -> list[str]:
    """Every write statement of a dialect (for the Neo4j linter and the tests)."""
    out = [merge_nodes(label, dialect) for label in NODE_PROPERTIES]
    out += [merge_edges(rel, a, b, dialect) for rel in REL_TYPES for a, b in rel.pairs]
    out += [
        merge_edges(rel, a, b, dialect, create=True) for rel in REL_TYPES for a, b in rel.pairs if a in DOCUMENT_LABELS
    ]
    out += [delete_document(label) for label in DOCUMENT_LABELS]
    out += [delete_orphans(label) for label in ("Agency", "LegalBasis")]
    out += [delete_derivations(scoped) for scoped in (False, True)]
    out += [delete_derivations_batch(scoped) for scoped in (False, True)]
    out.append(plan_owner())
    out.append(any_document())
    return out
