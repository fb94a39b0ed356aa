// name: views-agency-brief
// title: plangraph.views.agencies.AGENCY_BRIEF (internal)
// description: A read of plangraph.views.agencies, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.agencies
// uses: $id
MATCH (a:Agency) WHERE a.id = $id RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction
