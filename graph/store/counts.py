"""How many nodes of each label and relationships of each type a store holds (`plangraph stats`, GET /stats)."""

from __future__ import annotations

from typing import Any

from plangraph.queries import internal_query

# One count per label and per relationship type, generated from the graph contract into the query library.
COUNTS = {
    "node-Plan": internal_query("store-counts-counts-node-plan"),
    "node-Task": internal_query("store-counts-counts-node-task"),
    "node-Agency": internal_query("store-counts-counts-node-agency"),
    "node-LegalBasis": internal_query("store-counts-counts-node-legalbasis"),
    "node-Indicator": internal_query("store-counts-counts-node-indicator"),
    "relationship-HAS_TASK": internal_query("store-counts-counts-relationship-has-task"),
    "relationship-ISSUED_BY": internal_query("store-counts-counts-relationship-issued-by"),
    "relationship-LED_BY": internal_query("store-counts-counts-relationship-led-by"),
    "relationship-SUPPORTED_BY": internal_query("store-counts-counts-relationship-supported-by"),
    "relationship-MONITORED_BY": internal_query("store-counts-counts-relationship-monitored-by"),
    "relationship-IMPLEMENTS": internal_query("store-counts-counts-relationship-implements"),
    "relationship-CITES": internal_query("store-counts-counts-relationship-cites"),
    "relationship-DERIVES_FROM": internal_query("store-counts-counts-relationship-derives-from"),
    "relationship-HAS_INDICATOR": internal_query("store-counts-counts-relationship-has-indicator"),
    "relationship-PART_OF": internal_query("store-counts-counts-relationship-part-of"),
    "relationship-MEMBER_OF": internal_query("store-counts-counts-relationship-member-of"),
}


def stats(store: Any) -> dict[str, dict[str, int]]:
    """Counts of nodes per label and relationships per type."""
    result: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
    for key, query in COUNTS.items():
        kind, name = key.split("-", 1)
        value = store.run_read(query).rows[0][0]
        result["nodes" if kind == "node" else "relationships"][name] = int(value)
    return result
