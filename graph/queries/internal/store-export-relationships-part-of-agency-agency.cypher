// name: store-export-relationships-part-of-agency-agency
// title: plangraph.store.export.RELATIONSHIPS['PART_OF:Agency:Agency'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Agency)-[r:PART_OF]->(b:Agency) RETURN a.id AS start_id, b.id AS end_id ORDER BY start_id, end_id
