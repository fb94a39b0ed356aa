"""Bulk-load an embedded store into Neo4j 5.26 through `plangraph export` and `neo4j-admin database import full`
(tools/neo4j/import.sh), timing each step, then time who owns what and the NQ 57 cascade on the imported graph.

    plangraph load /tmp/corpus-100 --store /tmp/nat/graph.lbdb --quiet        # the national store, linked
    python3 benchmarks/neo4j_import.py /tmp/nat/graph.lbdb --work /tmp/nat-import --heap 4g --pagecache-mb 3072

Steps: export (the CSVs, from the embedded store), import (a fresh Neo4j data folder under --work), start (a server
on it, until Bolt answers), schema (the constraints and indexes the store creates on its first writable open, which
the import does not write), then the counts compared with the embedded store's and the reads (p50 / p95 over 20
runs after a warm-up, as benchmarks/neo4j_load.py). Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national import timed_reads  # noqa: E402
from plangraph.cascade.tree import cascade  # noqa: E402
from plangraph.store.counts import stats  # noqa: E402
from plangraph.store.embedded import EmbeddedStore  # noqa: E402
from plangraph.store.export import export_neo4j_admin  # noqa: E402
from plangraph.store.neo4j import Neo4jSettings, Neo4jStore  # noqa: E402
from plangraph.views import agency_tasks  # noqa: E402

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "neo4j"


def timed(results: dict[str, float], name: str, action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = action()
    results[f"{name}_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps({name: results[f"{name}_s"]}), flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="an embedded store (graph.lbdb)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/plangraph-neo4j-import"))
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache-mb", default="3072")
    args = parser.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_DATA=str(args.work / "data"), NEO4J_HEAP=args.heap, NEO4J_PAGECACHE_MB=args.pagecache_mb)
    results: dict[str, float] = {}
    embedded = EmbeddedStore(args.store, read_only=True)
    expected = stats(embedded)
    timed(results, "export", lambda: export_neo4j_admin(embedded, args.work / "export"))
    embedded.close()
    imported = timed(
        results,
        "import",
        lambda: subprocess.run(
            ["bash", str(TOOLS / "import.sh"), str(args.work / "export")], env=env, capture_output=True, text=True
        ),
    )
    if imported.returncode != 0:
        raise SystemExit(imported.stdout[-3000:] + imported.stderr[-3000:])
    print("\n".join(line for line in imported.stdout.splitlines()[-8:]), flush=True)
    env["NEO4J_PORT"] = "0"
    started = timed(
        results,
        "start",
        lambda: subprocess.run(["bash", str(TOOLS / "start.sh")], env=env, capture_output=True, text=True, check=True),
    )
    exported = dict(part.split("=", 1) for part in started.stdout.split()[1:])
    try:
        settings = Neo4jSettings(exported["NEO4J_URI"], "neo4j", exported["NEO4J_PASSWORD"], None)
        store = timed(results, "schema", lambda: Neo4jStore(settings))  # a writable open creates the schema
        timed(results, "indexes_online", lambda: store.run("CALL db.awaitIndexes(3600)"))
        found = stats(store)
        if found != expected:
            raise SystemExit(f"the imported graph differs: {json.dumps(found)} != {json.dumps(expected)}")
        agency = store.run("MATCH (a:Agency {name: 'Sở Nội vụ'}) RETURN a.id ORDER BY a.id LIMIT 1").rows[0][0]
        timings = timed_reads(
            {
                "who_owns_what": lambda: agency_tasks(store, agency),
                "cascade_nq57": lambda: cascade(store, "NQ 57", tasks=False),
            }
        )
        store.close()
    finally:
        subprocess.run(["bash", str(TOOLS / "stop.sh")], env=env, capture_output=True, check=False)
    nodes, edges = sum(expected["nodes"].values()), sum(expected["relationships"].values())
    print(json.dumps({**results, "nodes": nodes, "relationships": edges, **timings}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
