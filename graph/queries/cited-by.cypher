// name: cited-by
// title: Documents that cite a given document
// description: The plans and tasks that implement or cite a legal document, given as a user types it ("Nghị quyết số 66-NQ/TW", "Đề án 06", "64/2025/QH15"), with the file and line that name it.
// param: document mandate = "64/2025/QH15" -- the legal document
// order: plan_id, task_ref, relation, source_file, source_line
MATCH (p:Plan)-[r:IMPLEMENTS]->(l:LegalBasis) WHERE l.id = $document
RETURN p.id AS plan_id, coalesce(p.code, p.id) AS plan, '' AS task_ref, 'IMPLEMENTS' AS relation, r.source_file AS source_file, r.source_line AS source_line
UNION ALL
MATCH (p:Plan)-[r:CITES]->(l:LegalBasis) WHERE l.id = $document
RETURN p.id AS plan_id, coalesce(p.code, p.id) AS plan, '' AS task_ref, 'CITES' AS relation, r.source_file AS source_file, r.source_line AS source_line
UNION ALL
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[r:IMPLEMENTS]->(l:LegalBasis) WHERE l.id = $document
RETURN p.id AS plan_id, coalesce(p.code, p.id) AS plan, t.ref AS task_ref, 'IMPLEMENTS' AS relation, r.source_file AS source_file, r.source_line AS source_line
UNION ALL
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[r:CITES]->(l:LegalBasis) WHERE l.id = $document
RETURN p.id AS plan_id, coalesce(p.code, p.id) AS plan, t.ref AS task_ref, 'CITES' AS relation, r.source_file AS source_file, r.source_line AS source_line
