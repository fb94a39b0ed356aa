// name: store-repair-plan-counts
// title: plangraph.store.repair.PLAN_COUNTS (internal)
// description: Each plan with its file and its number of tasks (plangraph check). Kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.repair
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task)
WITH p, count(t) AS tasks
RETURN p.id AS plan, p.source_file AS file, tasks
