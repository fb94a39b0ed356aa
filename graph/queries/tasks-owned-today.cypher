// name: tasks-owned-today
// title: Tasks an agency owns today, through the 2025 reorganisation
// description: Every task led by a body whose name contains the given text (any case), or by a body the 2025 reorganisation merged into it (a plan of 2024 by "Sở Kế hoạch và Đầu tư" is Sở Tài chính's today), with the body as printed and the date and legal basis of the change.
// param: agency string = "Sở Tài chính" -- part of today's body's name
// param: jurisdiction string = "" -- part of the body's jurisdiction, e.g. "Lạng Sơn"; empty for all
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:LED_BY]->(printed:Agency)
OPTIONAL MATCH (printed)-[s:SUCCEEDED_BY]->(successor:Agency)
WITH p, t, printed, s, coalesce(successor.name, printed.name) AS owner,
     coalesce(successor.jurisdiction, printed.jurisdiction) AS jurisdiction
WHERE toLower(owner) CONTAINS toLower($agency)
  AND ($jurisdiction = '' OR toLower(jurisdiction) CONTAINS toLower($jurisdiction))
RETURN owner AS agency, jurisdiction, p.code AS plan, p.issued_on AS issued_on, t.ref AS ref, t.title AS task,
       printed.name AS as_printed, s.since AS succeeded_on, s.basis AS basis, t.due_text AS due, t.status AS status
ORDER BY plan, t.source_line
