// name: views-search-sources-legal
// title: plangraph.views.search.SEARCH_SOURCES['legal'] (internal)
// description: A read of plangraph.views.search, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.search
MATCH (l:LegalBasis) RETURN l.id AS id, l.id AS label, l.title AS text, l.kind AS extra, l.issuer AS context
