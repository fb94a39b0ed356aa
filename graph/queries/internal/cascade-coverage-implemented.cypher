// name: cascade-coverage-implemented
// title: plangraph.cascade.coverage.IMPLEMENTED (internal)
// description: A read of plangraph.cascade.coverage, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.coverage
MATCH (:Plan)-[:IMPLEMENTS]->(m:LegalBasis) RETURN DISTINCT m.id AS id
UNION
MATCH (:Task)-[:IMPLEMENTS]->(m:LegalBasis) RETURN DISTINCT m.id AS id
