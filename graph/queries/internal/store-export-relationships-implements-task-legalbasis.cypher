// name: store-export-relationships-implements-task-legalbasis
// title: plangraph.store.export.RELATIONSHIPS['IMPLEMENTS:Task:LegalBasis'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Task)-[r:IMPLEMENTS]->(b:LegalBasis) RETURN a.id AS start_id, b.id AS end_id, r.source_file AS source_file, r.source_line AS source_line ORDER BY start_id, end_id
