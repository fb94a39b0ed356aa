// name: cascade-tree-plan-info
// title: plangraph.cascade.tree.PLAN_INFO (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $ids
MATCH (p:Plan) WHERE p.id IN $ids
RETURN p.id AS id, p.code AS code, p.title AS title, p.level AS level, p.jurisdiction AS jurisdiction,
       p.province AS province, p.source_file AS source_file, p.source_sha256 AS sha256
