#!/usr/bin/env bash
# Stop the Neo4j that tools/neo4j/start.sh started (a clean shutdown: SIGTERM, then wait).
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${NEO4J_DATA:-$ROOT/.neo4j/data}"
PID="${NEO4J_PID:-$(cat "$DATA/../neo4j.pid" 2>/dev/null || true)}"
[ -n "$PID" ] || { echo "no Neo4j started by tools/neo4j/start.sh" >&2; exit 0; }
kill "$PID" 2>/dev/null || exit 0
for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || { rm -f "$DATA/../neo4j.pid"; exit 0; }; sleep 1; done
echo "Neo4j (process $PID) did not stop within 60 s; killing it" >&2
kill -9 "$PID" 2>/dev/null || true
