// name: cascade-tree-ready-plans
// title: plangraph.cascade.tree.READY_PLANS (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $every, $provinces
MATCH (p:Plan) WHERE $every OR p.province IN $provinces
RETURN p.id AS id, p.source_file AS source_file, p.source_sha256 AS sha256
