// name: views-plans
// title: plangraph.views.plans.PLANS (internal)
// description: A read of plangraph.views.plans, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.plans
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task)
WITH p, count(t) AS tasks
RETURN p.id AS id, p.code AS code, p.kind AS kind, p.title AS title, p.issued_on AS issued_on,
       p.issuer AS issuer, p.level AS level, p.province AS province, p.jurisdiction AS jurisdiction,
       p.is_draft AS is_draft, p.period_start AS period_start, p.period_end AS period_end,
       p.source_file AS source_file, tasks
ORDER BY p.level, p.jurisdiction, p.id
