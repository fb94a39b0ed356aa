// name: cascade-coverage-edges
// title: plangraph.cascade.coverage.EDGES (internal)
// description: A read of plangraph.cascade.coverage, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.coverage
MATCH (lower:Task)-[d:DERIVES_FROM]->(higher:Task)
RETURN lower.id AS lower, higher.id AS higher, d.score AS score, d.deadline_after_parent AS late
