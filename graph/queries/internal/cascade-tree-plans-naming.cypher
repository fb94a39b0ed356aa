// name: cascade-tree-plans-naming
// title: plangraph.cascade.tree.PLANS_NAMING (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $ids
MATCH (p:Plan)-[:IMPLEMENTS]->(l:LegalBasis) WHERE l.id IN $ids
RETURN DISTINCT p.id AS id
