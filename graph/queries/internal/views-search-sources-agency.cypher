// name: views-search-sources-agency
// title: plangraph.views.search.SEARCH_SOURCES['agency'] (internal)
// description: A read of plangraph.views.search, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.search
MATCH (a:Agency) RETURN a.id AS id, a.name AS label, a.name AS text, a.short_name AS extra, a.jurisdiction AS context
