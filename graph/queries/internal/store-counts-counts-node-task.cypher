// name: store-counts-counts-node-task
// title: plangraph.store.counts.COUNTS['node-Task'] (internal)
// description: A read of plangraph.store.counts, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.counts
MATCH (n:Task) RETURN count(n) AS n
