// name: store-export-relationships-succeeded-by-agency-agency
// title: plangraph.store.export.RELATIONSHIPS['SUCCEEDED_BY:Agency:Agency'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Agency)-[r:SUCCEEDED_BY]->(b:Agency) RETURN a.id AS start_id, b.id AS end_id, r.since AS since, r.basis AS basis, r.shared_with AS shared_with ORDER BY start_id, end_id
