// name: cascade-linking-file-scopes
// title: plangraph.cascade.linking.FILE_SCOPES_QUERY (internal)
// description: A read of plangraph.cascade.linking, kept in the query library so the linter and both engines check it; not listed by plangraph query --list or GET /queries.
// internal: plangraph.cascade.linking
// uses: $source_files
UNWIND $source_files AS file
MATCH (p:Plan)
WHERE p.source_file = file
RETURN DISTINCT p.province AS province, p.level AS level
