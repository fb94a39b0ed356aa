// name: lookup-mandate-ids
// title: plangraph.queries.lookup.MANDATE_IDS (internal)
// description: A read of plangraph.queries.lookup, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.queries.lookup
// uses: $id
// uses: $prefix
MATCH (m:LegalBasis) WHERE m.id = $id OR m.id STARTS WITH $prefix RETURN m.id AS id
