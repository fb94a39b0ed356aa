// name: cascade-tree-lead-counts-tasks
// title: plangraph.cascade.tree.LEAD_COUNTS['tasks'] (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $tasks
MATCH (t:Task)-[:LED_BY]->(a:Agency) WHERE t.id IN $tasks
RETURN a.name AS name, count(DISTINCT t) AS tasks
