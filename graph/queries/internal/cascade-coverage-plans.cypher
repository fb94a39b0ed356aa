// name: cascade-coverage-plans
// title: plangraph.cascade.coverage.PLANS (internal)
// description: A read of plangraph.cascade.coverage, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.coverage
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:IMPLEMENTS]->(m:LegalBasis)
RETURN p.id AS id, p.code AS code, p.title AS title, p.level AS level, p.province AS province,
       p.jurisdiction AS jurisdiction, p.source_file AS source_file, collect(DISTINCT m.id) AS mandates
