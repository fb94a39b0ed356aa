// name: store-export-nodes-legalbasis
// title: plangraph.store.export.NODES['LegalBasis'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (n:LegalBasis) RETURN n.id AS id, n.kind AS kind, n.number AS number, n.issued_on AS issued_on, n.issuer AS issuer, n.title AS title, n.aliases AS aliases ORDER BY n.id
