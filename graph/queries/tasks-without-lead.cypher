// name: tasks-without-lead
// title: Tasks without a lead agency
// description: Tasks no agency leads (no "Cơ quan chủ trì" was printed or it could not be read), with their source line so the gap can be checked in the document.
// param: plan plan = "" -- plan number, id or file name; empty for every plan
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)
WHERE ($plan = '' OR p.code = $plan OR p.id = $plan OR p.source_file = $plan)
  AND NOT EXISTS { MATCH (t)-[:LED_BY]->(:Agency) }
RETURN coalesce(p.code, p.id) AS plan, t.ref AS ref, t.title AS task, t.source_file AS source_file, t.source_line AS source_line
ORDER BY source_file, source_line, t.id
