// name: lookup-names
// title: plangraph.queries.names (internal)
// description: The agency names and the jurisdictions the store holds, for matching a named query's agency or place parameter as typed (any case, with or without diacritics).
// internal: plangraph.queries.names
MATCH (a:Agency) RETURN DISTINCT 'agency' AS kind, a.name AS name
UNION
MATCH (a:Agency) RETURN DISTINCT 'place' AS kind, a.jurisdiction AS name
UNION
MATCH (p:Plan) RETURN DISTINCT 'place' AS kind, p.jurisdiction AS name
