// name: store-export-nodes-agency
// title: plangraph.store.export.NODES['Agency'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (n:Agency) RETURN n.id AS id, n.name AS name, n.short_name AS short_name, n.kind AS kind, n.level AS level, n.province AS province, n.jurisdiction AS jurisdiction, n.province_code AS province_code, n.commune_code AS commune_code, n.is_group AS is_group, n.aliases AS aliases ORDER BY n.id
