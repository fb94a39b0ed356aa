// name: views-task-legal
// title: plangraph.views.tasks.TASK_LEGAL (internal)
// description: A read of plangraph.views.tasks, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.tasks
// uses: $id
MATCH (t:Task)-[:IMPLEMENTS]->(l:LegalBasis) WHERE t.id = $id RETURN 'implements' AS how, l.id AS id, l.title AS title
UNION ALL
MATCH (t:Task)-[:CITES]->(l:LegalBasis) WHERE t.id = $id RETURN 'cites' AS how, l.id AS id, l.title AS title
