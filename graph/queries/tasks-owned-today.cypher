// name: tasks-owned-today
// title: Tasks an agency owns today, through the 2025 reorganisation
// description: Every task led by a body whose name contains the given text (any case), or by a body the 2025 reorganisation merged into it — a department merged on 1 March 2025, or the same body of a province merged on 1 July 2025 (up to both changes: Sở Kế hoạch và Đầu tư of tỉnh Yên Bái is Sở Tài chính of tỉnh Lào Cai today) — with the body as printed, where, and the date and legal basis of the last change.
// param: agency agency = "Sở Tài chính" -- part of today's body's name
// param: jurisdiction place = "" -- part of the body's jurisdiction, e.g. "Lạng Sơn"; empty for all
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:LED_BY]->(printed:Agency)
OPTIONAL MATCH (printed)-[s:SUCCEEDED_BY]->(next:Agency)
OPTIONAL MATCH (next)-[s2:SUCCEEDED_BY]->(last:Agency)
WITH p, t, printed, coalesce(last.name, next.name, printed.name) AS owner,
     coalesce(last.jurisdiction, next.jurisdiction, printed.jurisdiction) AS jurisdiction,
     coalesce(s2.since, s.since) AS succeeded_on, coalesce(s2.basis, s.basis) AS basis
WHERE toLower(owner) CONTAINS toLower($agency)
  AND ($jurisdiction = '' OR toLower(jurisdiction) CONTAINS toLower($jurisdiction))
RETURN owner AS agency, jurisdiction, coalesce(p.code, p.id) AS plan, p.issued_on AS issued_on, t.ref AS ref, t.title AS task,
       printed.name AS as_printed, printed.jurisdiction AS printed_in, succeeded_on, basis, t.due_text AS due,
       t.status AS status
ORDER BY plan, t.source_line, t.id, printed.id
