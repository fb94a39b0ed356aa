// name: tasks-supported-by
// title: Tasks an agency supports (who owns what, supporting role)
// description: Every task in which an agency whose name contains the given text (any case) is a supporting agency (cơ quan phối hợp), with the lead agencies, deadline and status.
// param: agency agency = "Sở Tư pháp" -- part of the supporting agency's name
// param: jurisdiction place = "" -- part of the agency's jurisdiction, e.g. "Lạng Sơn"; empty for all
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:SUPPORTED_BY]->(a:Agency)
WHERE toLower(a.name) CONTAINS toLower($agency)
  AND ($jurisdiction = '' OR toLower(a.jurisdiction) CONTAINS toLower($jurisdiction))
OPTIONAL MATCH (t)-[:LED_BY]->(lead:Agency)
RETURN a.name AS agency, a.jurisdiction AS jurisdiction, coalesce(p.code, p.id) AS plan, t.ref AS ref, t.title AS task,
       collect(DISTINCT lead.name) AS leads, t.due_text AS due, t.status AS status
ORDER BY plan, ref, agency, jurisdiction
