// name: cascade-tree-instruments
// title: plangraph.cascade.tree.INSTRUMENTS (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $ids
MATCH (i:LegalBasis)-[:IMPLEMENTS]->(m:LegalBasis) WHERE m.id IN $ids
RETURN DISTINCT i.id AS id, i.kind AS kind, i.issuer AS issuer, i.title AS title, m.id AS implements
ORDER BY id, implements
