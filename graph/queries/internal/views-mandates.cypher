// name: views-mandates
// title: plangraph.views.mandates.MANDATES (internal)
// description: A read of plangraph.views.mandates, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.mandates
MATCH (l:LegalBasis)
OPTIONAL MATCH (t:Task)-[:IMPLEMENTS]->(l)
WITH l, count(DISTINCT t) AS tasks
OPTIONAL MATCH (p:Plan)-[:IMPLEMENTS]->(l)
WITH l, tasks, count(DISTINCT p) AS plans
OPTIONAL MATCH (x)-[:CITES]->(l)
RETURN l.id AS id, l.kind AS kind, l.number AS number, l.issuer AS issuer, l.issued_on AS issued_on,
       l.title AS title, plans AS plans_implementing, tasks AS tasks_implementing, count(DISTINCT x) AS cited_by
ORDER BY plans_implementing DESC, tasks_implementing DESC, id
