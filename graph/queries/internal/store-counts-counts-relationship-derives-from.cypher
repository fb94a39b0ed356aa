// name: store-counts-counts-relationship-derives-from
// title: plangraph.store.counts.COUNTS['relationship-DERIVES_FROM'] (internal)
// description: A read of plangraph.store.counts, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.counts
MATCH ()-[r:DERIVES_FROM]->() RETURN count(r) AS n
