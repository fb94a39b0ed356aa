// name: cascade-analytics-edges-has-task
// title: plangraph.cascade.analytics.EDGES['HAS_TASK'] (internal)
// description: A read of plangraph.cascade.analytics, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.analytics
MATCH (a:Plan)-[:HAS_TASK]->(b:Task) RETURN a.id AS a, b.id AS b
