// name: views-search-sources-task
// title: plangraph.views.search.SEARCH_SOURCES['task'] (internal)
// description: A read of plangraph.views.search, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.search
MATCH (p:Plan)-[:HAS_TASK]->(t:Task) RETURN t.id AS id, t.ref AS label, t.title AS text, t.products AS extra, coalesce(p.code, p.id) AS context
