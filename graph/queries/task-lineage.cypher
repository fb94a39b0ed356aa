// name: task-lineage
// title: Lineage of a plan's tasks
// description: For each task of a plan, the higher-level tasks it derives from (DERIVES_FROM), with the score, the evidence and whether its deadline falls after its parent's. Run `plangraph explain-link` for one pair.
// param: plan plan = "136/KH-UBND" -- plan number, plan id or source file name
MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[d:DERIVES_FROM]->(h:Task)<-[:HAS_TASK]-(hp:Plan)
WHERE p.code = $plan OR p.id = $plan OR p.source_file = $plan
RETURN t.ref AS ref, t.title AS task, hp.code AS parent_plan, hp.level AS parent_level, h.ref AS parent_ref,
       h.title AS parent_task, d.score AS score, d.shared_terms AS shared_terms,
       d.deadline_after_parent AS deadline_after_parent, t.source_line AS line
ORDER BY line, score DESC, parent_plan, parent_ref
