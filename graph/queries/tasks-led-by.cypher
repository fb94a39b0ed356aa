// name: tasks-led-by
// title: Tasks an agency leads (who owns what)
// description: Every task whose lead agency's name contains the given text (any case), with its plan, deadline and status, ordered by plan and reference.
// param: agency agency = "Sở Nội vụ" -- part of the lead agency's name
// param: jurisdiction place = "" -- part of the agency's jurisdiction, e.g. "Lạng Sơn"; empty for all
// param: origin string = "" -- how the plan states the task: table, inline or duty (only its duties); empty for all
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[l:LED_BY]->(a:Agency)
WHERE toLower(a.name) CONTAINS toLower($agency)
  AND ($jurisdiction = '' OR toLower(a.jurisdiction) CONTAINS toLower($jurisdiction))
  AND ($origin = '' OR t.origin = $origin)
RETURN a.name AS agency, a.jurisdiction AS jurisdiction, coalesce(p.code, p.id) AS plan, p.level AS level,
       t.ref AS ref, t.title AS task, t.due_text AS due, t.due_end AS due_end, t.status AS status,
       l.accountable AS accountable, t.origin AS origin, t.requested AS requested
ORDER BY plan, t.source_line, t.id, a.id
