// name: store-export-relationships-derives-from-task-task
// title: plangraph.store.export.RELATIONSHIPS['DERIVES_FROM:Task:Task'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Task)-[r:DERIVES_FROM]->(b:Task) RETURN a.id AS start_id, b.id AS end_id, r.score AS score, r.method AS method, r.text_score AS text_score, r.shared_terms AS shared_terms, r.shared_legal AS shared_legal, r.deadline_after_parent AS deadline_after_parent ORDER BY start_id, end_id
