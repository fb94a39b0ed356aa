// name: cascade-tree-task-rows
// title: plangraph.cascade.tree.TASK_ROWS (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $plans
MATCH (p:Plan)-[:HAS_TASK]->(t:Task) WHERE p.id IN $plans
RETURN p.id AS plan_id, t.id AS id, t.ref AS ref, t.title AS title, t.due_text AS due, t.due_end AS due_end,
       t.status AS status, t.source_line AS line
