// name: store-export-relationships-issued-by-plan-agency
// title: plangraph.store.export.RELATIONSHIPS['ISSUED_BY:Plan:Agency'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Plan)-[r:ISSUED_BY]->(b:Agency) RETURN a.id AS start_id, b.id AS end_id ORDER BY start_id, end_id
