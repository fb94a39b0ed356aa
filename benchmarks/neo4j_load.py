"""Load a corpus into a live Neo4j 5 server and link it, timing each step (issue 8; needs NEO4J_URI).

    docker compose up -d neo4j
    python3 benchmarks/corpus.py --scale 0.1 --out /tmp/corpus-10pct
    NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=plangraph-dev \\
        python3 benchmarks/neo4j_load.py /tmp/corpus-10pct --batch-size 2000 --batch-size 5000 --batch-size 20000

Each batch size loads the corpus into the (emptied) database through the same pipeline as
`plangraph load --backend neo4j` (one write transaction per document, UNWIND batches of
`--batch-size` rows), then relinks lineage and times the who-owns-what and NQ 57 cascade reads.
It empties the database it is pointed at: use a scratch one, e.g. the one `tools/neo4j/start.sh` starts
(`NEO4J_HEAP=4g NEO4J_PAGECACHE_MB=3072` for the national corpus). Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national import timed_reads  # noqa: E402
from plangraph.cascade.linking import relink  # noqa: E402
from plangraph.cascade.tree import cascade  # noqa: E402
from plangraph.ingest.pipeline import load_paths  # noqa: E402
from plangraph.store.neo4j import Neo4jSettings, Neo4jStore  # noqa: E402
from plangraph.views import agency_tasks  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--batch-size", type=int, action="append", help="Rows per UNWIND (repeatable).")
    args = parser.parse_args()
    if not os.environ.get("NEO4J_URI"):
        raise SystemExit("set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to a scratch Neo4j 5 database")
    results = []
    for size in args.batch_size or [5000]:
        store = Neo4jStore(Neo4jSettings.from_environment(), batch_size=size)
        while store.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted").rows[0][0]:
            pass  # empty the scratch database in bounded transactions
        started = time.perf_counter()
        report = load_paths([args.corpus], store, link=False)
        load_s = time.perf_counter() - started
        tasks = report.as_dict()["totals"]["tasks"]
        print(json.dumps({"batch_size": size, "tasks": tasks, "load_s": round(load_s, 1)}), flush=True)
        started = time.perf_counter()
        links = relink(store)  # every province, as a load with national plans does
        link_s = time.perf_counter() - started
        agency = store.run("MATCH (a:Agency {name: 'Sở Nội vụ'}) RETURN a.id ORDER BY a.id LIMIT 1").rows[0][0]
        timings = timed_reads(
            {
                "who_owns_what": lambda store=store, agency=agency: agency_tasks(store, agency),
                "cascade_nq57": lambda store=store: cascade(store, "NQ 57", tasks=False),
            }
        )
        results.append(
            {"batch_size": size, "tasks": tasks, "load_s": round(load_s, 1), "tasks_per_s": round(tasks / load_s, 1),
             "link_s": round(link_s, 1), "derivations": len(links), **timings}
        )  # fmt: skip
        store.close()
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
