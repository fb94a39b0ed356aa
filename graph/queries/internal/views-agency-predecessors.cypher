// name: views-agency-predecessors
// title: plangraph.views.agencies.PREDECESSORS (internal)
// description: A read of plangraph.views.agencies, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.agencies
// uses: $id
MATCH (old:Agency)-[s:SUCCEEDED_BY]->(now:Agency) WHERE now.id = $id
RETURN old.id AS id, old.name AS name, old.jurisdiction AS jurisdiction, s.since AS since, s.basis AS basis
