// name: store-repair-derivations
// title: plangraph.store.repair.DERIVATIONS (internal)
// description: Every DERIVES_FROM edge as the ids of its two tasks (plangraph check). Kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.repair
MATCH (a:Task)-[:DERIVES_FROM]->(b:Task) RETURN a.id AS lower, b.id AS higher
