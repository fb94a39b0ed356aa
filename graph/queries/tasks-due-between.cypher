// name: tasks-due-between
// title: Tasks due in a window
// description: Tasks whose deadline ends within the window (inclusive), in deadline order, with status and lead agencies.
// param: from_date date = "2026-01-01" -- first day of the window (ISO)
// param: to_date date = "2026-03-31" -- last day of the window (ISO)
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)
WHERE t.due_end IS NOT NULL AND t.due_end >= $from_date AND t.due_end <= $to_date
OPTIONAL MATCH (t)-[:LED_BY]->(a:Agency)
RETURN coalesce(p.code, p.id) AS plan, p.jurisdiction AS jurisdiction, t.ref AS ref, t.title AS task, t.due_text AS due,
       t.due_end AS due_end, t.status AS status, collect(DISTINCT a.name) AS leads
ORDER BY due_end, plan, jurisdiction, ref
