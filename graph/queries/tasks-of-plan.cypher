// name: tasks-of-plan
// title: Tasks of a plan
// description: The tasks of one plan in document order, with lead and supporting agencies; the plan is found by its number ("110/KH-UBND"), its id, or its file name.
// param: plan plan = "110/KH-UBND" -- plan number, plan id or source file name
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)
WHERE p.code = $plan OR p.id = $plan OR p.source_file = $plan
OPTIONAL MATCH (t)-[:LED_BY]->(lead:Agency)
WITH p, t, collect(DISTINCT lead.name) AS leads
OPTIONAL MATCH (t)-[:SUPPORTED_BY]->(support:Agency)
RETURN t.ref AS ref, t.title AS task, leads, coalesce(collect(DISTINCT support.name), []) AS supports,
       t.due_text AS due, t.status AS status, t.source_line AS line
ORDER BY line, ref
