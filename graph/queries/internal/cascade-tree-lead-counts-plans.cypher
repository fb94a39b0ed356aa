// name: cascade-tree-lead-counts-plans
// title: plangraph.cascade.tree.LEAD_COUNTS['plans'] (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $plans
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:LED_BY]->(a:Agency) WHERE p.id IN $plans
RETURN a.name AS name, count(DISTINCT t) AS tasks
