// name: cascade-analytics-edges-led-by
// title: plangraph.cascade.analytics.EDGES['LED_BY'] (internal)
// description: A read of plangraph.cascade.analytics, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.analytics
MATCH (a:Task)-[:LED_BY]->(b:Agency) RETURN a.id AS a, b.id AS b
