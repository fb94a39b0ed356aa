// name: views-task-detail
// title: plangraph.views.tasks.TASK_DETAIL (internal)
// description: A read of plangraph.views.tasks, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.tasks
// uses: $id
MATCH (p:Plan)-[:HAS_TASK]->(t:Task) WHERE t.id = $id
RETURN t.id AS id, t.ref AS ref, t.title AS title, t.products AS products, t.section_title AS section,
       t.due_text AS due, t.due_start AS due_start, t.due_end AS due_end, t.status AS status,
       p.id AS plan_id, p.code AS plan_code, p.level AS level, p.jurisdiction AS jurisdiction,
       t.source_file AS source_file, t.source_line AS source_line, t.section AS section_ref, t.group_name AS group_name, t.recurrence AS recurrence,
       t.condition AS condition, t.accountable AS accountable, t.note AS note, t.source_page AS source_page,
       t.ocr_confidence AS ocr_confidence, t.source_text AS source_text, p.title AS plan_title
