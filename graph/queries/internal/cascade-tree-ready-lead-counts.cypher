// name: cascade-tree-ready-lead-counts
// title: plangraph.cascade.tree.READY_LEAD_COUNTS (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $plans
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:LED_BY]->(a:Agency) WHERE p.id IN $plans
RETURN p.id AS plan_id, a.name AS name, count(DISTINCT t) AS tasks
