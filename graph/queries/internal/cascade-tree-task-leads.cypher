// name: cascade-tree-task-leads
// title: plangraph.cascade.tree.TASK_LEADS (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $plans
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:LED_BY]->(a:Agency) WHERE p.id IN $plans
RETURN t.id AS id, a.name AS name
