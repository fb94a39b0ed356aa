// name: cascade-linking-tasks-query
// title: plangraph.cascade.linking.TASKS_QUERY (internal)
// description: A read of plangraph.cascade.linking, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.linking
// uses: $every, $provinces
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)
WHERE $every OR p.level = 'national' OR p.province IN $provinces
RETURN t.id AS id, p.id AS plan_id, p.level AS level, p.province AS province, t.title AS title,
       t.products AS products, t.section_title AS section_title, t.due_end AS due_end
