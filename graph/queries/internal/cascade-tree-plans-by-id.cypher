// name: cascade-tree-plans-by-id
// title: plangraph.cascade.tree.PLANS_BY_ID (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $ids
MATCH (p:Plan) WHERE p.id IN $ids RETURN p.id AS id
