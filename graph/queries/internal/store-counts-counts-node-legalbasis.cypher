// name: store-counts-counts-node-legalbasis
// title: plangraph.store.counts.COUNTS['node-LegalBasis'] (internal)
// description: A read of plangraph.store.counts, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.counts
MATCH (n:LegalBasis) RETURN count(n) AS n
