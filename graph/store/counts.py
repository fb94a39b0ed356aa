"""How many nodes of each label and relationships of each type a store holds (`plangraph stats`, GET /stats).

The reads are generated from the graph contract (plangraph.schema), one per label and one per relationship type,
so a label or a type the contract gains is counted without another file to keep (issue 33: the hand-kept copies
had drifted, and SUCCEEDED_BY went uncounted). The Neo4j linter checks them as it checks the library's
(tests/test_neo4j_compat.py)."""

from __future__ import annotations

from typing import Any

from plangraph.schema import NODE_PROPERTIES, REL_TYPES

COUNTS = {
    **{f"node-{label}": f"MATCH (n:{label}) RETURN count(n) AS n" for label in NODE_PROPERTIES},
    **{f"relationship-{rel.name}": f"MATCH ()-[r:{rel.name}]->() RETURN count(r) AS n" for rel in REL_TYPES},
}


def stats(store: Any) -> dict[str, dict[str, int]]:
    """Counts of nodes per label and relationships per type, every one of the contract."""
    result: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
    for key, query in COUNTS.items():
        kind, name = key.split("-", 1)
        value = store.run_read(query).rows[0][0]
        result["nodes" if kind == "node" else "relationships"][name] = int(value)
    return result
