// name: cascade-coverage-instrument-of
// title: plangraph.cascade.coverage.INSTRUMENT_OF (internal)
// description: A read of plangraph.cascade.coverage, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.coverage
MATCH (i:LegalBasis)-[:IMPLEMENTS]->(:LegalBasis) RETURN DISTINCT i.id AS id
