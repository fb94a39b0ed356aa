// name: cascade-tree-tasks-naming
// title: plangraph.cascade.tree.TASKS_NAMING (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $ids
// uses: $plans
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:IMPLEMENTS]->(l:LegalBasis) WHERE l.id IN $ids AND p.id IN $plans
RETURN DISTINCT t.id AS id, p.id AS plan_id
