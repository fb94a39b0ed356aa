// name: store-export-relationships-supported-by-indicator-agency
// title: plangraph.store.export.RELATIONSHIPS['SUPPORTED_BY:Indicator:Agency'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Indicator)-[r:SUPPORTED_BY]->(b:Agency) RETURN a.id AS start_id, b.id AS end_id, r.mention AS mention ORDER BY start_id, end_id
