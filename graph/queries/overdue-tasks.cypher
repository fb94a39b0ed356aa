// name: overdue-tasks
// title: Overdue tasks as of a date
// description: Open tasks whose deadline window ended before the given date, oldest first, with their plan and lead agencies. Tasks done (a footnote "Nhiệm vụ đã hoàn thành") are not overdue; tasks whose deadline is only a condition ("Sau khi … ban hành") have no end date and are not listed; recurring and open-ended duties ("Hằng năm", "Thường xuyên", "… và các năm tiếp theo": a recurrence) are carried on, never overdue.
// param: as_of date = "2026-04-30" -- the date to judge by (ISO)
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)
WHERE t.status = 'open' AND t.due_end IS NOT NULL AND t.due_end < $as_of AND t.recurrence IS NULL
OPTIONAL MATCH (t)-[:LED_BY]->(a:Agency)
RETURN coalesce(p.code, p.id) AS plan, p.jurisdiction AS jurisdiction, t.ref AS ref, t.title AS task, t.due_text AS due,
       t.due_end AS due_end, collect(DISTINCT a.name) AS leads
ORDER BY due_end, plan, jurisdiction, ref
