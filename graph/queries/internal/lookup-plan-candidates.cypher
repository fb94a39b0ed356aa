// name: lookup-plan-candidates
// title: plangraph.queries.lookup.PLAN_CANDIDATES (internal)
// description: The plans a typed plan name may stand for (id, number, source file), for plangraph.queries.lookup.
// internal: plangraph.queries.lookup
MATCH (p:Plan) RETURN p.id AS id, p.code AS code, p.source_file AS source_file
