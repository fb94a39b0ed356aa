// name: views-task-lineage
// title: plangraph.views.tasks.TASK_LINEAGE (internal)
// description: A read of plangraph.views.tasks, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.tasks
// uses: $id
MATCH (t:Task)-[d:DERIVES_FROM]->(o:Task)<-[:HAS_TASK]-(op:Plan) WHERE t.id = $id
RETURN 'parent' AS direction, o.id AS id, o.ref AS ref, o.title AS title, op.code AS plan_code, op.level AS level,
       d.score AS score, d.shared_terms AS shared_terms, d.deadline_after_parent AS deadline_after_parent
UNION ALL
MATCH (t:Task)<-[d:DERIVES_FROM]-(o:Task)<-[:HAS_TASK]-(op:Plan) WHERE t.id = $id
RETURN 'child' AS direction, o.id AS id, o.ref AS ref, o.title AS title, op.code AS plan_code, op.level AS level,
       d.score AS score, d.shared_terms AS shared_terms, d.deadline_after_parent AS deadline_after_parent
