// name: store-export-relationships-has-task-plan-task
// title: plangraph.store.export.RELATIONSHIPS['HAS_TASK:Plan:Task'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Plan)-[r:HAS_TASK]->(b:Task) RETURN a.id AS start_id, b.id AS end_id ORDER BY start_id, end_id
