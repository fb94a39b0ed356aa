// name: cascade-tree-mandate
// title: plangraph.cascade.tree.MANDATE (internal)
// description: A read of plangraph.cascade.tree, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.tree
// uses: $id
MATCH (m:LegalBasis) WHERE m.id = $id
RETURN m.id AS id, m.kind AS kind, m.issuer AS issuer, m.title AS title, m.issued_on AS issued_on
