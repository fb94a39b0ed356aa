// name: store-export-nodes-plan
// title: plangraph.store.export.NODES['Plan'] (internal)
// description: A read of plangraph.store.export, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.store.export
MATCH (n:Plan) RETURN n.id AS id, n.code AS code, n.kind AS kind, n.title AS title, n.issued_on AS issued_on, n.issued_month AS issued_month, n.issuer AS issuer, n.level AS level, n.province AS province, n.jurisdiction AS jurisdiction, n.is_draft AS is_draft, n.province_code AS province_code, n.commune_code AS commune_code, n.carried_plan AS carried_plan, n.period_start AS period_start, n.period_end AS period_end, n.format AS format, n.source_file AS source_file, n.source_sha256 AS source_sha256, n.source_line AS source_line ORDER BY n.id
