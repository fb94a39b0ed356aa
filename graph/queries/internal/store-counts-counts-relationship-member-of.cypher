// name: store-counts-counts-relationship-member-of
// title: plangraph.store.counts.COUNTS['relationship-MEMBER_OF'] (internal)
// description: A read of plangraph.store.counts, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.counts
MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS n
