// name: mandate-cascade-by-level
// title: Cascade of a mandate by level
// description: For a mandate, the tasks that carry it out at each level (national, province, department, commune): tasks that implement it directly or belong to a plan that names it, counted per plan with their lead agencies.
// param: mandate mandate = "NQ 57" -- the mandate, e.g. "NQ 57", "57-NQ/TW", "Đề án 06"
MATCH (m:LegalBasis) WHERE m.id = $mandate
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)
OPTIONAL MATCH (t)-[task_link:IMPLEMENTS]->(m)
OPTIONAL MATCH (p)-[plan_link:IMPLEMENTS]->(m)
WITH p, t, task_link, plan_link
WHERE task_link IS NOT NULL OR plan_link IS NOT NULL
OPTIONAL MATCH (t)-[:LED_BY]->(a:Agency)
WITH p, count(DISTINCT t) AS tasks, collect(DISTINCT a.name) AS lead_agencies,
     CASE p.level WHEN 'national' THEN 0 WHEN 'province' THEN 1 WHEN 'department' THEN 2 WHEN 'district' THEN 3 WHEN 'commune' THEN 4 ELSE 5 END AS rank
RETURN p.level AS level, p.jurisdiction AS jurisdiction, coalesce(p.code, p.id) AS plan, p.id AS plan_id, tasks, lead_agencies,
       rank AS level_rank
ORDER BY level_rank, plan_id
