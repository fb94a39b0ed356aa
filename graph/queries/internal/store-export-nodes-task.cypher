// name: store-export-nodes-task
// title: plangraph.store.export.NODES['Task'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (n:Task) RETURN n.id AS id, n.plan_id AS plan_id, n.ref AS ref, n.section AS section, n.section_title AS section_title, n.group_name AS group_name, n.title AS title, n.products AS products, n.due_text AS due_text, n.due_start AS due_start, n.due_end AS due_end, n.recurrence AS recurrence, n.condition AS condition, n.status AS status, n.accountable AS accountable, n.note AS note, n.source_file AS source_file, n.source_line AS source_line, n.source_page AS source_page, n.ocr_confidence AS ocr_confidence, n.source_text AS source_text, n.origin AS origin, n.requested AS requested ORDER BY n.id
