// name: cascade-coverage-tasks
// title: plangraph.cascade.coverage.TASKS (internal)
// description: A read of plangraph.cascade.coverage, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.coverage
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)
OPTIONAL MATCH (t)-[:LED_BY]->(lead:Agency)
RETURN p.id AS plan_id, t.id AS id, t.ref AS ref, t.title AS title, t.due_text AS due, t.status AS status,
       t.source_line AS line, collect(DISTINCT lead.name) AS leads
