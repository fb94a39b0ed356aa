// name: store-export-relationships-has-indicator-task-indicator
// title: plangraph.store.export.RELATIONSHIPS['HAS_INDICATOR:Task:Indicator'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (a:Task)-[r:HAS_INDICATOR]->(b:Indicator) RETURN a.id AS start_id, b.id AS end_id ORDER BY start_id, end_id
