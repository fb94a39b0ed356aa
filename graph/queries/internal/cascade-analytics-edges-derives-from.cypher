// name: cascade-analytics-edges-derives-from
// title: plangraph.cascade.analytics.EDGES['DERIVES_FROM'] (internal)
// description: A read of plangraph.cascade.analytics, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.analytics
MATCH (a:Task)-[r:DERIVES_FROM]->(b:Task) RETURN a.id AS a, b.id AS b, r.score AS score
