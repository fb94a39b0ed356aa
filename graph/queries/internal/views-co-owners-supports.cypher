// name: views-co-owners-supports
// title: plangraph.views.agencies.CO_OWNERS['supports'] (internal)
// description: A read of plangraph.views.agencies, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.agencies
// uses: $agency
MATCH (owner:Agency)<-[:LED_BY|SUPPORTED_BY]-(t:Task)-[:SUPPORTED_BY]->(other:Agency) WHERE owner.id = $agency
RETURN DISTINCT t.id AS id, other.name AS name
