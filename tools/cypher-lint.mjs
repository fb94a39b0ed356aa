// Lint Cypher with Neo4j's own linter (@neo4j-cypher/language-support, lintCypherQuery).
//
// Input (stdin): JSON array of {"id": "...", "query": "...", "parameters": {...}}.
// Output (stdout): JSON array of {"id", "diagnostics": [{"severity", "message", "offset"}]}.
// The schema given to the linter holds the graph contract's labels, relationship
// types and property keys, and Neo4j 5's function and procedure registry, so an
// unknown function (an embedded-engine-only one such as label()) is an error.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ls from '@neo4j-cypher/language-support';

const require = createRequire(import.meta.url);
const packageMain = require.resolve('@neo4j-cypher/language-support');
// The package ships the Neo4j 5 / 25 registries of built-in functions and procedures
// (with APOC) that its own tests lint against; use them as the database schema.
const registryPath = packageMain.replace(/dist\/cjs\/index\.cjs$/, 'dist/esm/project/language-support/src/tests/testData.js');
const { testData } = await import(registryPath);

const input = JSON.parse(readFileSync(0, 'utf8'));
const contract = JSON.parse(process.argv[2] || '{}');
const output = input.map(({ id, query, parameters }) => {
  const schema = {
    functions: testData.mockSchema.functions,
    procedures: testData.mockSchema.procedures,
    labels: contract.labels || [],
    relationshipTypes: contract.relationshipTypes || [],
    propertyKeys: contract.propertyKeys || [],
    parameters: parameters || {},
  };
  const { diagnostics } = ls.lintCypherQuery(query, schema);
  return {
    id,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message, offset: d.offsets.start })),
  };
});
process.stdout.write(JSON.stringify(output));
