// name: cascade-linking-plan-mandates-query
// title: plangraph.cascade.linking.PLAN_MANDATES_QUERY (internal)
// description: A read of plangraph.cascade.linking, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.linking
// uses: $every, $provinces
MATCH (p:Plan)-[:IMPLEMENTS]->(m:LegalBasis)
WHERE $every OR p.level = 'national' OR p.province IN $provinces
RETURN p.id AS id, m.id AS legal
