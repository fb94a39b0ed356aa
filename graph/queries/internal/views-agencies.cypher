// name: views-agencies
// title: plangraph.views.agencies.AGENCIES (internal)
// description: A read of plangraph.views.agencies, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.views.agencies
MATCH (a:Agency)
OPTIONAL MATCH (a)-[:SUCCEEDED_BY]->(now:Agency)
WITH a, collect(DISTINCT CASE WHEN now IS NULL THEN NULL WHEN now.jurisdiction = a.jurisdiction THEN now.name
                              ELSE now.name + ' (' + now.jurisdiction + ')' END) AS heirs
OPTIONAL MATCH (a)<-[:LED_BY]-(t:Task)
WITH a, heirs, count(DISTINCT t) AS lead
OPTIONAL MATCH (a)<-[:SUPPORTED_BY]-(s:Task)
RETURN a.id AS id, a.name AS name, a.short_name AS short_name, a.kind AS kind, a.level AS level,
       a.province AS province, a.jurisdiction AS jurisdiction, a.province_code AS province_code,
       a.commune_code AS commune_code, a.is_group AS is_group, a.aliases AS aliases, heirs AS succeeded_by,
       lead, count(DISTINCT s) AS support
ORDER BY lead DESC, support DESC, id
