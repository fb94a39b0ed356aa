// name: views-agency-links
// title: plangraph.views.agencies.AGENCY_LINKS (internal)
// description: A read of plangraph.views.agencies, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.agencies
// uses: $id
MATCH (a:Agency)-[:PART_OF]->(o:Agency) WHERE a.id = $id RETURN 'part_of' AS how, o.id AS id, o.name AS name
UNION ALL
MATCH (a:Agency)<-[:PART_OF]-(o:Agency) WHERE a.id = $id RETURN 'units' AS how, o.id AS id, o.name AS name
UNION ALL
MATCH (a:Agency)-[:MEMBER_OF]->(o:Agency) WHERE a.id = $id RETURN 'member_of' AS how, o.id AS id, o.name AS name
UNION ALL
MATCH (a:Agency)<-[:MEMBER_OF]-(o:Agency) WHERE a.id = $id RETURN 'members' AS how, o.id AS id, o.name AS name
