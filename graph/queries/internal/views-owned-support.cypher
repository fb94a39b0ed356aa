// name: views-owned-support
// title: plangraph.views.agencies.OWNED['support'] (internal)
// description: A read of plangraph.views.agencies, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.agencies
// uses: $agency
MATCH (owner:Agency)<-[:SUPPORTED_BY]-(t:Task) WHERE owner.id = $agency
MATCH (p:Plan)-[:HAS_TASK]->(t)
RETURN t.id AS id, t.ref AS ref, t.title AS title, t.products AS products, t.section_title AS section,
       t.due_text AS due, t.due_start AS due_start, t.due_end AS due_end, t.recurrence AS recurrence, t.status AS status,
       p.id AS plan_id, p.code AS plan_code, p.level AS level, p.jurisdiction AS jurisdiction,
       t.source_file AS source_file, t.source_line AS source_line
