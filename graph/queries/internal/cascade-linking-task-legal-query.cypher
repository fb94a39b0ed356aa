// name: cascade-linking-task-legal-query
// title: plangraph.cascade.linking.TASK_LEGAL_QUERY (internal)
// description: A read of plangraph.cascade.linking, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.linking
// uses: $every, $provinces
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[:IMPLEMENTS|CITES]->(l:LegalBasis)
WHERE $every OR p.level = 'national' OR p.province IN $provinces
RETURN t.id AS id, l.id AS legal
