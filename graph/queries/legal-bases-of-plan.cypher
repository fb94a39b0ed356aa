// name: legal-bases-of-plan
// title: Legal bases of a plan
// description: The legal documents a plan and its tasks implement or cite, with how many of its tasks name each; the plan is found by its number, id or file name.
// param: plan plan = "110/KH-UBND" -- plan number, plan id or source file name
// order: named_by, relation, legal_basis
MATCH (p:Plan)-[:IMPLEMENTS]->(l:LegalBasis)
WHERE p.code = $plan OR p.id = $plan OR p.source_file = $plan
RETURN l.id AS legal_basis, l.kind AS kind, 'IMPLEMENTS' AS relation, 'plan' AS named_by, 1 AS tasks
UNION ALL
MATCH (p:Plan)-[:CITES]->(l:LegalBasis)
WHERE p.code = $plan OR p.id = $plan OR p.source_file = $plan
RETURN l.id AS legal_basis, l.kind AS kind, 'CITES' AS relation, 'plan' AS named_by, 1 AS tasks
UNION ALL
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:IMPLEMENTS]->(l:LegalBasis)
WHERE p.code = $plan OR p.id = $plan OR p.source_file = $plan
RETURN l.id AS legal_basis, l.kind AS kind, 'IMPLEMENTS' AS relation, 'task' AS named_by, count(DISTINCT t) AS tasks
UNION ALL
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:CITES]->(l:LegalBasis)
WHERE p.code = $plan OR p.id = $plan OR p.source_file = $plan
RETURN l.id AS legal_basis, l.kind AS kind, 'CITES' AS relation, 'task' AS named_by, count(DISTINCT t) AS tasks
