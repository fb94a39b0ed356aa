// name: views-plan-source
// title: plangraph.views.plans.PLAN_SOURCE (internal)
// description: A read of plangraph.views.plans, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.plans
// uses: $id
MATCH (p:Plan) WHERE p.id = $id
RETURN p.source_sha256 AS sha256, p.source_file AS source_file, p.format AS format
