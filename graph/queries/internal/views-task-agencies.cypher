// name: views-task-agencies
// title: plangraph.views.tasks.TASK_AGENCIES (internal)
// description: A read of plangraph.views.tasks, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.tasks
// uses: $id
MATCH (t:Task)-[r:LED_BY]->(a:Agency) WHERE t.id = $id
RETURN 'lead' AS role, a.id AS id, a.name AS name, r.mention AS mention, r.accountable AS accountable
UNION ALL
MATCH (t:Task)-[r:SUPPORTED_BY]->(a:Agency) WHERE t.id = $id
RETURN 'support' AS role, a.id AS id, a.name AS name, r.mention AS mention, '' AS accountable
