// name: cascade-linking-edge-query
// title: plangraph.cascade.linking.EDGE_QUERY (internal)
// description: A read of plangraph.cascade.linking, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.linking
// uses: $higher
// uses: $lower
MATCH (a:Task)-[d:DERIVES_FROM]->(b:Task) WHERE a.id = $lower AND b.id = $higher RETURN d.score AS score
