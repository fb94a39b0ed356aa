// name: store-export-relationships-monitored-by-task-agency
// title: plangraph.store.export.RELATIONSHIPS['MONITORED_BY:Task:Agency'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Task)-[r:MONITORED_BY]->(b:Agency) RETURN a.id AS start_id, b.id AS end_id, r.mention AS mention ORDER BY start_id, end_id
