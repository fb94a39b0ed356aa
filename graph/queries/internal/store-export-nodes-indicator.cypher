// name: store-export-nodes-indicator
// title: plangraph.store.export.NODES['Indicator'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (n:Indicator) RETURN n.id AS id, n.plan_id AS plan_id, n.ref AS ref, n.name AS name, n.unit AS unit, n.comparator AS comparator, n.target AS target, n.target_text AS target_text, n.period AS period, n.source_file AS source_file, n.source_line AS source_line ORDER BY n.id
