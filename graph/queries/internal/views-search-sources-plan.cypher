// name: views-search-sources-plan
// title: plangraph.views.search.SEARCH_SOURCES['plan'] (internal)
// description: A read of plangraph.views.search, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.search
MATCH (p:Plan) RETURN p.id AS id, coalesce(p.code, p.id) AS label, p.title AS text, p.issuer AS extra, p.jurisdiction AS context
