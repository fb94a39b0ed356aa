// name: cascade-tree-mandate-ids
// title: plangraph.cascade.tree.MANDATE_IDS (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $id
// uses: $prefix
MATCH (m:LegalBasis) WHERE m.id = $id OR m.id STARTS WITH $prefix RETURN m.id AS id
