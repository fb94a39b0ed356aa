// name: views-co-owners-leads
// title: plangraph.views.agencies.CO_OWNERS['leads'] (internal)
// description: A read of plangraph.views.agencies, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.agencies
// uses: $agency
// Two MATCH clauses: Neo4j never uses one relationship twice inside a pattern, so in one pattern the agency
// could not be among its own task's co-owners (the embedded engine would list it).
MATCH (owner:Agency)<-[:LED_BY|SUPPORTED_BY]-(t:Task) WHERE owner.id = $agency
MATCH (t)-[:LED_BY]->(other:Agency)
RETURN DISTINCT t.id AS id, other.name AS name
ORDER BY id, name
