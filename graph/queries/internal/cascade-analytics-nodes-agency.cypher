// name: cascade-analytics-nodes-agency
// title: plangraph.cascade.analytics.NODES['Agency'] (internal)
// description: A read of plangraph.cascade.analytics, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.analytics
MATCH (a:Agency) RETURN a.id AS id, a.name AS name, a.level AS level, a.jurisdiction AS jurisdiction
