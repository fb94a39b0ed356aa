// name: cascade-analytics-nodes-task
// title: plangraph.cascade.analytics.NODES['Task'] (internal)
// description: A read of plangraph.cascade.analytics, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.analytics
MATCH (t:Task) RETURN t.id AS id, t.ref AS ref, t.title AS title, t.due_end AS due_end, t.due_text AS due, t.status AS status, t.recurrence AS recurrence
