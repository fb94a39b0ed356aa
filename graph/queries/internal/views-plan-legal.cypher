// name: views-plan-legal
// title: plangraph.views.plans.PLAN_LEGAL (internal)
// description: A read of plangraph.views.plans, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.plans
// uses: $id
MATCH (p:Plan)-[:IMPLEMENTS]->(l:LegalBasis) WHERE p.id = $id RETURN l.id AS id, l.title AS title, 'implements' AS how
UNION ALL
MATCH (p:Plan)-[:CITES]->(l:LegalBasis) WHERE p.id = $id RETURN l.id AS id, l.title AS title, 'cites' AS how
