// name: store-counts-counts-relationship-has-indicator
// title: plangraph.store.counts.COUNTS['relationship-HAS_INDICATOR'] (internal)
// description: A read of plangraph.store.counts, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.counts
MATCH ()-[r:HAS_INDICATOR]->() RETURN count(r) AS n
