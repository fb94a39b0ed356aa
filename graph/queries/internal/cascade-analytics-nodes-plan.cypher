// name: cascade-analytics-nodes-plan
// title: plangraph.cascade.analytics.NODES['Plan'] (internal)
// description: A read of plangraph.cascade.analytics, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.analytics
MATCH (p:Plan) RETURN p.id AS id, p.code AS code, p.level AS level, p.province AS province
