// name: plans-implementing
// title: Plans implementing a mandate
// description: Plans that carry out a mandate — the plan itself names it, or some of its tasks do, or it carries out an instrument that implements the mandate — with how many of their tasks implement it. The mandate is given as a user types it ("NQ 57", "57-NQ/TW", "Đề án 06").
// param: mandate mandate = "NQ 57" -- the mandate, e.g. "NQ 57", "Nghị quyết 66", "Đề án 06"
MATCH (m:LegalBasis) WHERE m.id = $mandate
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task)-[:IMPLEMENTS]->(m)
WITH m, p, count(DISTINCT t) AS tasks_implementing
OPTIONAL MATCH (p)-[direct:IMPLEMENTS]->(m)
OPTIONAL MATCH (p)-[:IMPLEMENTS]->(:LegalBasis)-[via:IMPLEMENTS]->(m)
WITH p, tasks_implementing, count(direct) > 0 AS names_it, count(via) > 0 AS through_instrument
WHERE tasks_implementing > 0 OR names_it OR through_instrument
RETURN coalesce(p.code, p.id) AS plan, p.id AS plan_id, p.level AS level, p.jurisdiction AS jurisdiction,
       names_it, through_instrument, tasks_implementing
ORDER BY level, plan_id
