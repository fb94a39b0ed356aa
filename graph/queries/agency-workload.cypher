// name: agency-workload
// title: Agencies by workload
// description: Agencies ranked by the number of tasks they lead, with the number they support. Group mentions ("Các Sở, Ban, ngành") are listed as themselves.
// param: limit int = 20 -- how many agencies to list
MATCH (a:Agency)
OPTIONAL MATCH (a)<-[:LED_BY]-(led:Task)
WITH a, count(DISTINCT led) AS lead_tasks
OPTIONAL MATCH (a)<-[:SUPPORTED_BY]-(supported:Task)
WITH a, lead_tasks, count(DISTINCT supported) AS support_tasks
WHERE lead_tasks + support_tasks > 0
OPTIONAL MATCH (a)-[:PART_OF]->(parent:Agency)
RETURN a.name AS agency, parent.name AS part_of, a.jurisdiction AS jurisdiction, a.is_group AS is_group,
       lead_tasks, support_tasks
ORDER BY lead_tasks DESC, support_tasks DESC, agency, jurisdiction, a.id
LIMIT $limit
