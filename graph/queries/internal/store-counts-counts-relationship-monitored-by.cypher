// name: store-counts-counts-relationship-monitored-by
// title: plangraph.store.counts.COUNTS['relationship-MONITORED_BY'] (internal)
// description: A read of plangraph.store.counts, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.counts
MATCH ()-[r:MONITORED_BY]->() RETURN count(r) AS n
