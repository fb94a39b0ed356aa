// name: store-repair-orphan-tasks
// title: plangraph.store.repair.ORPHAN_TASKS (internal)
// description: How many tasks no plan holds (plangraph check). Kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.repair
MATCH (t:Task) WHERE NOT EXISTS { MATCH (:Plan)-[:HAS_TASK]->(t) } RETURN count(t) AS n
