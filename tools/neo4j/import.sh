#!/usr/bin/env bash
# Bulk-load `plangraph export --format neo4j-admin` CSVs into the throwaway Neo4j's data folder with Neo4j's own
# `neo4j-admin database import full` (from the same Maven Central artifacts as the server; no Docker):
#
#   plangraph export exports/                      # the CSVs and IMPORT_COMMAND.txt
#   NEO4J_DATA=/tmp/n4/data bash tools/neo4j/import.sh exports/
#   eval "$(NEO4J_DATA=/tmp/n4/data bash tools/neo4j/start.sh)"   # serves the imported graph
#
# The server on that folder must be stopped (the import replaces the `neo4j` database: --overwrite-destination).
# The first writable `plangraph` open adds the constraints and indexes (the import writes none). Settings:
# NEO4J_DATA (as start.sh), NEO4J_HEAP (default 1g), NEO4J_IMPORT_THREADS (default: the cores).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${NEO4J_DATA:-$ROOT/.neo4j/data}"
HEAP="${NEO4J_HEAP:-1g}"
EXPORT="${1:?usage: import.sh EXPORT_FOLDER (written by plangraph export)}"
EXPORT="$(cd "$EXPORT" && pwd)"
if [ ! -f "$EXPORT/IMPORT_COMMAND.txt" ]; then
  echo "error: $EXPORT has no IMPORT_COMMAND.txt: write it with plangraph export $EXPORT" >&2
  exit 2
fi
if [ -f "$DATA/../neo4j.pid" ] && kill -0 "$(cat "$DATA/../neo4j.pid")" 2>/dev/null; then
  echo "error: the Neo4j on $DATA is running (process $(cat "$DATA/../neo4j.pid")): stop it first (tools/neo4j/stop.sh)" >&2
  exit 2
fi
if [ ! -d "$HERE/target/lib" ] || [ ! -d "$HERE/target/classes" ]; then
  echo "building tools/neo4j (Neo4j 5.26 from Maven Central) …" >&2
  (cd "$HERE" && mvn -q -B package -DskipTests) >&2
fi
# The command plangraph wrote, without its leading "neo4j-admin" (AdminTool is neo4j-admin's entry point).
read -r -a ARGS <<<"$(grep -v '^#' "$EXPORT/IMPORT_COMMAND.txt" | sed -n 's/^neo4j-admin //p' | head -n 1)"
THREADS=()
if [ -n "${NEO4J_IMPORT_THREADS:-}" ]; then
  THREADS=("--threads=$NEO4J_IMPORT_THREADS")
fi
mkdir -p "$DATA"
# NEO4J_HOME is the folder the server's DatabaseManagementServiceBuilder is given: databases under its data/.
cd "$EXPORT"
NEO4J_HOME="$DATA" JAVA_OPTS="-Xmx$HEAP" java "-Xmx$HEAP" -cp "$HERE/target/classes:$HERE/target/lib/*" \
  org.neo4j.cli.AdminTool "${ARGS[@]:0:3}" "${THREADS[@]}" "${ARGS[@]:3}"
