#!/usr/bin/env bash
# Start a throwaway Neo4j 5.26 LTS (community, in-process, from Maven Central; no Docker) and print its URI.
#
#   eval "$(bash tools/neo4j/start.sh)"     # exports NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_PID
#   bash tools/neo4j/stop.sh                # a clean shutdown
#
# Settings (environment): NEO4J_DATA (default .neo4j/data beside the repository, a folder of its own),
# NEO4J_PORT (default 7687; "0" for a free one), NEO4J_PASSWORD (default: a random one, printed in the export),
# NEO4J_HEAP (default 1g), NEO4J_PAGECACHE_MB (default 512). Builds tools/neo4j with Maven on first use.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${NEO4J_DATA:-$ROOT/.neo4j/data}"
PORT="${NEO4J_PORT:-7687}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE_MB:-512}"
PASSWORD="${NEO4J_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)}"
if [ "$PORT" = "0" ]; then
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
if [ ! -d "$HERE/target/lib" ] || [ ! -d "$HERE/target/classes" ]; then
  echo "building tools/neo4j (Neo4j 5.26 from Maven Central) …" >&2
  (cd "$HERE" && mvn -q -B package -DskipTests) >&2
fi
mkdir -p "$DATA"
LOG="$DATA/../neo4j-$PORT.log"
PIDFILE="$DATA/../neo4j.pid"
nohup java "-Xmx$HEAP" -cp "$HERE/target/classes:$HERE/target/lib/*" plangraph.Neo4jServer \
  "$DATA" "$PORT" "$PASSWORD" "$PAGECACHE" >"$LOG" 2>&1 &
PID=$!
echo "$PID" >"$PIDFILE"
for _ in $(seq 1 180); do
  if grep -q "^ready bolt://" "$LOG" 2>/dev/null; then
    echo "export NEO4J_URI=bolt://127.0.0.1:$PORT NEO4J_USER=neo4j NEO4J_PASSWORD=$PASSWORD NEO4J_PID=$PID"
    echo "Neo4j 5.26 ready at bolt://127.0.0.1:$PORT (process $PID, data $DATA, log $LOG)" >&2
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "error: Neo4j stopped while starting; its log ($LOG) ends:" >&2
    tail -n 20 "$LOG" >&2
    exit 1
  fi
  sleep 1
done
echo "error: Neo4j did not answer within 180 s; see $LOG" >&2
kill "$PID" 2>/dev/null || true
exit 1
