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


# -- Neo4j's bookkeeping (issue 30) ---------------------------------------------------------------------------
#
# Neo4j is written in place, document by document, so it keeps two things the embedded store keeps in its journal:
# what each document gave the shared nodes and edges (one :PlangraphShare node per document and shared key: `key`,
# `source_file`, `props` as JSON), so that a reload recomputes them as a fresh build makes them (the documents held,
# in the order of their files' names); and what a relink owes (one :PlangraphState {id: "link"}). Neither label
# is in the graph contract: no named query, export or count reads them.

SHARE = "PlangraphShare"
STATE = "PlangraphState"


def share_keys() -> str:
    """The shared keys the documents `$source_files` contributed."""
    return f"MATCH (c:{SHARE}) WHERE c.source_file IN $source_files RETURN c.key AS key"


def delete_shares() -> str:
    return f"MATCH (c:{SHARE}) WHERE c.source_file IN $source_files DELETE c"


def create_shares() -> str:
    return f"UNWIND $rows AS row CREATE (c:{SHARE} {{key: row.key, source_file: row.source_file, props: row.props}})"


def shares_of() -> str:
    """Every contribution to the shared keys `$keys`."""
    return f"MATCH (c:{SHARE}) WHERE c.key IN $keys RETURN c.key AS key, c.source_file AS source_file, c.props AS props"


def later_shares() -> str:
    """Which of `$keys` a document whose file's name comes after `$source_file` contributed to."""
    return f"MATCH (c:{SHARE}) WHERE c.key IN $keys AND c.source_file > $source_file RETURN DISTINCT c.key AS key"


def ensure_nodes(label: str) -> str:
    """Shared nodes by id, their values left to set_nodes or merge_nodes."""
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}})"


def set_nodes(label: str, dialect: Dialect) -> str:
    """Shared nodes' values as recomputed from every contribution (every property, nulls included)."""
    props = [(name, kind) for name, kind in NODE_PROPERTIES[label].items() if name != "id"]
    sets = ", ".join(f"n.{name} = {_value('row.' + name, kind, dialect)}" for name, kind in props)
    return f"UNWIND $rows AS row MATCH (n:{label}) WHERE n.id = row.id SET {sets}"


def delete_nodes(label: str) -> str:
    """Shared nodes no document held gives any more."""
    return f"UNWIND $ids AS id MATCH (n:{label}) WHERE n.id = id DETACH DELETE n"


def delete_edges(rel: RelType, start: str, end: str) -> str:
    """Shared edges no document held gives any more."""
    return (
        f"UNWIND $rows AS row MATCH (a:{start})-[r:{rel.name}]->(b:{end}) "
        "WHERE a.id = row.from_id AND b.id = row.to_id DELETE r"
    )


def take_writer() -> str:
    """The first statement of every document write on Neo4j: the write lock on one node, held to the commit, so
    writers from several processes (two `plangraph load`s, a load beside a server) take turns; each then folds
    the shared keys from every contribution committed before it."""
    return f"MERGE (s:{STATE} {{id: 'writer'}}) SET s.writes = coalesce(s.writes, 0) + 1"


def shares_kept() -> str:
    """The mark that every document's contribution is kept (set by the first write into an empty database)."""
    return f"MATCH (s:{STATE}) WHERE s.id = 'shares' RETURN s.id AS id"


def keep_shares() -> str:
    return f"MERGE (s:{STATE} {{id: 'shares'}})"


def link_state() -> str:
    return f"MATCH (s:{STATE}) WHERE s.id = 'link' RETURN s.entry AS entry"


def lock_link_state() -> str:
    """The link state's node, made if missing, under this transaction's write lock (its entry left as it is)."""
    return f"MERGE (s:{STATE} {{id: 'link'}}) SET s.entry = coalesce(s.entry, '')"


def set_link_state() -> str:
    return f"MERGE (s:{STATE} {{id: 'link'}}) SET s.entry = $entry"


def clear_link_state() -> str:
    return f"MATCH (s:{STATE}) WHERE s.id = 'link' DELETE s"


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


def bookkeeping_statements() -> list[str]:
    """Every statement of Neo4j's bookkeeping (for the Neo4j linter and the tests)."""
    out = [share_keys(), delete_shares(), create_shares(), shares_of(), later_shares()]
    out += [ensure_nodes(label) for label in SHARED_LABELS] + [set_nodes(label, "neo4j") for label in SHARED_LABELS]
    out += [delete_nodes(label) for label in SHARED_LABELS]
    out += [delete_edges(rel, a, b) for rel in REL_TYPES for a, b in rel.pairs if a in SHARED_LABELS]
    out += [take_writer(), shares_kept(), keep_shares(), link_state(), lock_link_state(), set_link_state()]
    out.append(clear_link_state())
    return out
