// name: store-repair-owner-edges
// title: plangraph.store.repair.OWNER_EDGES (internal)
// description: Each plan's number of lead and support edges from its tasks (plangraph check). Kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.repair
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[r:LED_BY|SUPPORTED_BY]->(:Agency)
RETURN p.id AS plan, count(r) AS edges
