"""National-scale benchmark (issue 8): parse, load, bulk-COPY ceiling, lineage linking and queries per scale.

    python3 benchmarks/national.py --scales samples 0.01 0.1 1 --work /tmp/plangraph-bench

Each step runs in its own process so its peak memory (max RSS, from wait4) is its own.
Results: a JSON file per run (``--json``) and a markdown table on stdout, pasted into
benchmarks/RESULTS.md with the machine, the date and the command. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY_RUNS = 30


def timed_reads(reads: dict[str, Any], runs: int = 20) -> dict[str, dict[str, float]]:
    """p50 / p95 of each read over `runs` runs, after one warm-up run (the engine plans and caches the query)."""
    timings = {}
    for name, run in reads.items():
        run()
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            run()
            samples.append(time.perf_counter() - started)
        timings[name] = percentiles(samples)
    return timings


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
    }


# --- steps (each runs in a child process) ------------------------------------------------


def step_generate(corpus: Path, scale: str) -> dict[str, Any]:
    from benchmarks.corpus import make

    started = time.perf_counter()
    result = make(corpus, scale, seed=57)
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {"seconds": time.perf_counter() - started, "documents": len(result.files), "mb": size / 1e6}


def step_parse(corpus: Path, scale: str = "") -> dict[str, Any]:
    """Parse throughput per format family, after one document parsed untimed (what a process loads once). On a
    `real-N` corpus every per-text memo is cleared before each document: its copies repeat every cell, which
    documents users bring do not (each copy is parsed as new)."""
    from plangraph.ingest.pipeline import clear_caches, iter_files, read_document
    from plangraph.ingest.reading import read_file

    per: dict[str, dict[str, float]] = defaultdict(lambda: {"seconds": 0.0, "bytes": 0, "tasks": 0, "documents": 0})
    files = iter_files([corpus])
    if files:  # the registry, the register and the patterns load once per process: not the first family's time
        read_document(read_file(files[0]))
        clear_caches()
    for path in files:
        if scale.startswith("real-"):
            clear_caches()
        started = time.perf_counter()
        interpretation, _ = read_document(read_file(path))
        elapsed = time.perf_counter() - started
        family = per[interpretation.document.format]
        family["seconds"] += elapsed
        family["bytes"] += path.stat().st_size
        family["tasks"] += len(interpretation.tasks)
        family["documents"] += 1
    return {
        fmt: {
            "documents": int(v["documents"]),
            "tasks": int(v["tasks"]),
            "mb_per_s": round(v["bytes"] / 1e6 / v["seconds"], 2),
            "tasks_per_s": round(v["tasks"] / v["seconds"], 1),
        }
        for fmt, v in sorted(per.items())
    }


def step_load(corpus: Path, store_path: Path, workers: int | None) -> dict[str, Any]:
    """`load_paths` as `plangraph load` runs it (parsing in worker processes, new documents copied
    in bulk), without linking; the time inside the store's writes is measured on its own."""
    import resource

    from plangraph.ingest.pipeline import load_paths
    from plangraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_path)
    write_seconds = 0.0
    original = store.write_documents

    def timed(batches: Any) -> Any:
        nonlocal write_seconds
        started = time.perf_counter()
        try:
            return original(batches)
        finally:
            write_seconds += time.perf_counter() - started

    store.write_documents = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    report = load_paths([corpus], store, link=False, workers=workers)
    total = time.perf_counter() - started
    tasks = report.as_dict()["totals"]["tasks"]
    rows = store.run("MATCH (n) RETURN count(n)").rows[0][0] + store.run("MATCH ()-[r]->() RETURN count(r)").rows[0][0]
    store.close()
    return {
        "documents": len(report.documents),
        "failed": len(report.failed),
        "tasks": tasks,
        "rows": rows,
        "seconds": round(total, 2),
        "write_seconds": round(write_seconds, 2),
        "tasks_per_s": round(tasks / total, 1),
        "write_rows_per_s": round(rows / write_seconds, 1),
        "workers": workers or os.cpu_count(),
        # The largest parsing worker (they run beside this process: add them for the step's total).
        "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def step_copy(store_path: Path, work: Path) -> dict[str, Any]:
    """The engine's own bulk COPY of the same nodes and relationships into an empty store, from CSV and
    from Parquet files written from the loaded store; the faster is the ceiling the load is compared with.

    CSV with parallel=false: task texts hold newlines, which the parallel CSV reader refuses."""
    import real_ladybug as lb

    from plangraph.schema import NODE_PROPERTIES, REL_TYPES, SCORE
    from plangraph.store.embedded import schema_statements

    source = lb.Connection(lb.Database(str(store_path), read_only=True))
    out: dict[str, Any] = {}
    for kind, options in (("csv", "header=true, parallel=false"), ("parquet", "")):
        folder = work / f"copy-{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        files: list[tuple[str, Path, str]] = []
        for label, props in NODE_PROPERTIES.items():
            path = folder / f"{label}.{kind}"
            columns = ", ".join(f"n.{p}" for p in props)
            export = "(header=true)" if kind == "csv" else ""
            source.execute(f"COPY (MATCH (n:{label}) RETURN {columns}) TO '{path}' {export}")
            files.append((label, path, ""))
        for rel in REL_TYPES:
            for a, b in rel.pairs:
                path = folder / f"{rel.name}_{a}_{b}.{kind}"
                # The engine writes no DECIMAL to Parquet: a score travels as a double and is copied back into its
                # DECIMAL(9,4) column (plangraph.schema.SCORE).
                columns = ", ".join(
                    ["x.id", "y.id"]
                    + [
                        f"CAST(r.{p} AS DOUBLE)" if k == SCORE and kind == "parquet" else f"r.{p}"
                        for p, k in rel.properties.items()
                    ]
                )
                export = "(header=true)" if kind == "csv" else ""
                source.execute(f"COPY (MATCH (x:{a})-[r:{rel.name}]->(y:{b}) RETURN {columns}) TO '{path}' {export}")
                files.append((rel.name, path, f"from='{a}', to='{b}'" if len(rel.pairs) > 1 else ""))
        target_path = work / f"copy-{kind}.lbdb"
        for left in work.glob(f"copy-{kind}.lbdb*"):  # an earlier run's copy: the COPY is into an empty store
            left.unlink()
        target = lb.Connection(lb.Database(str(target_path)))
        for statement in schema_statements():
            target.execute(statement)
        started = time.perf_counter()
        for table, path, pair in files:
            both = ", ".join(x for x in (options, pair) if x)
            target.execute(f"COPY {table} FROM '{path}'" + (f" ({both})" if both else ""))
        seconds = time.perf_counter() - started
        rows = (
            target.execute("MATCH (n) RETURN count(n)").get_next()[0]
            + target.execute("MATCH ()-[r]->() RETURN count(r)").get_next()[0]
        )
        out[kind] = {"seconds": round(seconds, 2), "rows": rows, "rows_per_s": round(rows / seconds, 1)}
    best = max(out.values(), key=lambda v: v["rows_per_s"])
    return {**best, **out}


def step_link(store_path: Path) -> dict[str, Any]:
    from plangraph.cascade.linking import relink
    from plangraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_path)
    provinces = store.run("MATCH (p:Plan) WHERE p.level <> 'national' RETURN count(DISTINCT p.province)").rows[0][0]
    started = time.perf_counter()
    links = relink(store)  # every province, as a load with national plans does
    seconds = time.perf_counter() - started
    store.close()
    return {"seconds": round(seconds, 2), "derivations": len(links), "provinces": provinces}


def step_relink(store_path: Path) -> dict[str, Any]:
    """The incremental links a load of a few documents of one province ends with, each with the writer's closing
    check (`close()`): a province plan changed (the province's every level), a department plan (the department
    tasks and those below), commune plans (the commune tasks). The store holds the same lineage after each."""
    from plangraph.cascade.linking import relink
    from plangraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_path, read_only=True)
    # The province with the most commune tasks: the largest block a commune reload relinks.
    province = store.run(
        "MATCH (p:Plan)-[:HAS_TASK]->(t:Task) WHERE p.level = 'commune' "
        "RETURN p.province AS province, count(t) AS tasks ORDER BY tasks DESC, province LIMIT 1"
    ).rows[0][0]
    store.close()
    out: dict[str, Any] = {"province": province}
    cases = (("province_plan", "province"), ("department_plan", "department"), ("commune_plans", "commune"))
    for case, changed in cases:
        store = EmbeddedStore(store_path)
        started = time.perf_counter()
        links = relink(store, {province}, levels={province: {changed}})
        linked = time.perf_counter() - started
        store.close()
        out[case] = {
            "seconds": round(time.perf_counter() - started, 2),
            "relink_s": round(linked, 2),
            "links": len(links),
        }
    return out


def step_reload(corpus: Path, store_path: Path) -> dict[str, Any]:
    """A province plan loaded again, end to end as `plangraph load FILE` runs it on the national store: parsed,
    written (the store's next version built from the journal), relinked where it reaches, committed. Its text
    changed by one line each time (a corrected plan), so the document is really replaced."""
    from plangraph.ingest.pipeline import load_paths
    from plangraph.store.embedded import EmbeddedStore

    original = corpus / "p00" / "province-nq57.md"
    folder = store_path.with_name("reload")
    folder.mkdir(exist_ok=True)
    out: dict[str, Any] = {"file": "p00/province-nq57.md", "runs": []}
    text = original.read_text("utf-8")
    for run in range(2):
        changed = folder / "p00"
        changed.mkdir(exist_ok=True)
        (changed / "province-nq57.md").write_text(text + f"\n<!-- corrected {run} -->\n", "utf-8")
        started = time.perf_counter()
        store = EmbeddedStore(store_path)
        report = load_paths([folder], store)
        store.close()
        out["runs"].append(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "derivations": report.derivations,
                "failed": len(report.failed),
            }  # fmt: skip
        )
    out["seconds"] = min(r["seconds"] for r in out["runs"])
    return out


def step_queries(store_path: Path) -> dict[str, Any]:
    from plangraph.cascade.tree import cascade
    from plangraph.store.embedded import EmbeddedStore
    from plangraph.views import SearchIndex, TaskFilter, agency_tasks, list_tasks

    store = EmbeddedStore(store_path, read_only=True)
    agency, province = store.run(
        "MATCH (a:Agency) WHERE a.name = 'Sở Nội vụ' RETURN a.id, a.province ORDER BY a.id LIMIT 1"
    ).rows[0]
    tasks = store.run("MATCH (t:Task) RETURN count(t)").rows[0][0]
    started = time.perf_counter()
    index = SearchIndex.build(store)
    build = time.perf_counter() - started
    cases = {
        "who_owns_what": (QUERY_RUNS, lambda: agency_tasks(store, agency)),
        # The API's /mandates/NQ 57/cascade?tasks=false: every plan by level with its counts.
        "cascade_nq57": (QUERY_RUNS, lambda: cascade(store, "NQ 57", tasks=False)),
        # One province's part with every task and its owners (?province=…).
        "cascade_nq57_province": (QUERY_RUNS, lambda: cascade(store, "NQ 57", province=province)),
        # Every task of the whole country's cascade: measured up to 1/10 (it lists them all).
        "cascade_nq57_all_tasks": (5 if tasks <= 50_000 else 0, lambda: cascade(store, "NQ 57")),
        "search": (QUERY_RUNS, lambda: index.search("chuyển đổi số xã", limit=20)),
        "overdue": (QUERY_RUNS, lambda: list_tasks(store, TaskFilter(overdue_on=date(2026, 7, 1)), limit=50)),
    }
    out: dict[str, Any] = {"search_index_build_s": round(build, 2), "province": province}
    for name, (runs, run) in cases.items():
        if runs:
            out |= timed_reads({name: run}, runs)
    store.close()
    return out


STEPS = {
    "generate": lambda a: step_generate(a.corpus, a.scale),
    "parse": lambda a: step_parse(a.corpus, a.scale),
    "load": lambda a: step_load(a.corpus, a.store, a.workers),
    "copy": lambda a: step_copy(a.store, a.work),
    "link": lambda a: step_link(a.store),
    "relink": lambda a: step_relink(a.store),
    "reload": lambda a: step_reload(a.corpus, a.store),
    "queries": lambda a: step_queries(a.store),
}


def run_step(step: str, scale: str, work: Path, workers: int | None = None) -> dict[str, Any]:
    """Run one step in a child process; return its result with wall time and peak RSS."""
    corpus, store = work / "corpus", work / "graph.lbdb"
    command = [sys.executable, __file__, "--step", step, "--scale", scale, "--work", str(work),
               "--corpus", str(corpus), "--store", str(store)]  # fmt: skip
    if workers:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"step {step} at scale {scale} failed (status {status})")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["wall_s"] = round(wall, 2)
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    return result


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def render_markdown(results: dict[str, Any]) -> str:
    """The tables of benchmarks/RESULTS.md from a results file."""
    names = {"samples": "samples", "0.01": "1/100", "0.1": "1/10", "1": "national"}
    scales = results["scales"]
    out = ["| scale | documents | tasks | corpus MB |", "|---|---|---|---|"]
    for scale, r in scales.items():  # a run on an earlier run's corpus has no generate step: no size
        made = r.get("generate", {})
        size = f"{made['mb']:.2f}" if "mb" in made else "—"
        out.append(f"| {names.get(scale, scale)} | {made.get('documents', r['load']['documents']):,} "
                   f"| {r['load']['tasks']:,} | {size} |")  # fmt: skip
    out += ["", "| scale | tsv MB/s · tasks/s | markdown MB/s · tasks/s | pdftext MB/s · tasks/s | peak RSS |",
            "|---|---|---|---|---|"]  # fmt: skip
    for scale, r in scales.items():
        if "parse" not in r:  # a run of some steps only (--steps load link queries)
            continue
        fam = r["parse"]
        cells = [f"{fam[f]['mb_per_s']} · {fam[f]['tasks_per_s']:,.0f}" if f in fam else "—"
                 for f in ("tsv", "markdown", "pdftext")]  # fmt: skip
        out.append(f"| {names.get(scale, scale)} | {' | '.join(cells)} | {fam['peak_rss_mb']:,.0f} MB |")
    out += ["", "| scale | rows | load, end to end | tasks/s | writing | write rows/s | COPY rows/s (Parquet · CSV) "
            "| write ÷ COPY | peak RSS (main + largest worker) |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for scale, r in scales.items():
        load, copy = r["load"], r.get("copy")
        if copy is None:
            workers = load.get("worker_peak_rss_mb", 0)
            out.append(f"| {names.get(scale, scale)} | {load['rows']:,} | {load['seconds']:.1f} s "
                       f"| {load['tasks_per_s']:,.0f} | {load['write_seconds']:.1f} s "
                       f"| {load['write_rows_per_s']:,.0f} | not run | — "
                       f"| {load['peak_rss_mb']:,.0f} + {workers:,.0f} MB |")  # fmt: skip
            continue
        out.append(
            f"| {names.get(scale, scale)} | {load['rows']:,} | {load['seconds']:.1f} s | {load['tasks_per_s']:,.0f} "
            f"| {load['write_seconds']:.1f} s | {load['write_rows_per_s']:,.0f} "
            f"| {copy['parquet']['rows_per_s']:,.0f} · {copy['csv']['rows_per_s']:,.0f} "
            f"| {load['write_rows_per_s'] / copy['rows_per_s']:.0%} "
            f"| {load['peak_rss_mb']:,.0f} + {load.get('worker_peak_rss_mb', 0):,.0f} MB |"
        )
    out += ["", "| scale | load + link | link | DERIVES_FROM | link peak RSS |", "|---|---|---|---|---|"]
    for scale, r in scales.items():
        link = r["link"]
        total = r["load"]["seconds"] + link["seconds"]
        out.append(f"| {names.get(scale, scale)} | {total:.0f} s | {link['seconds']:.1f} s "
                   f"| {link['derivations']:,} | {link['peak_rss_mb']:,.0f} MB |")  # fmt: skip
    relinks = [(scale, r["relink"]) for scale, r in scales.items() if "relink" in r]
    if relinks:
        out += ["", "| scale | province | a province plan reloaded | a department plan | commune plans |",
                "|---|---|---|---|---|"]  # fmt: skip
        for scale, rel in relinks:
            cells = [f"{rel[c]['seconds']:.1f} s ({rel[c]['links']:,} links)"
                     for c in ("province_plan", "department_plan", "commune_plans")]  # fmt: skip
            out.append(f"| {names.get(scale, scale)} | {rel['province']} | {' | '.join(cells)} |")
    cases = ["who_owns_what", "cascade_nq57", "cascade_nq57_province", "cascade_nq57_all_tasks", "search", "overdue"]
    out += ["", "| scale | " + " | ".join(c.replace("_", " ") for c in cases) + " | query peak RSS |",
            "|---" * (len(cases) + 2) + "|"]  # fmt: skip
    for scale, r in scales.items():
        q = r["queries"]
        cells = [f"{_ms(q[c]['p50_ms'])} / {_ms(q[c]['p95_ms'])}" if c in q else "not run" for c in cases]
        out.append(f"| {names.get(scale, scale)} | {' | '.join(cells)} | {q['peak_rss_mb']:,.0f} MB |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", default=["samples", "0.01", "0.1"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/plangraph-bench"))
    parser.add_argument("--json", type=Path, default=None, help="Write all results to this file.")
    parser.add_argument("--steps", nargs="+", default=list(STEPS))
    parser.add_argument("--workers", type=int, default=None, help="Parsing processes for the load (default: cores).")
    parser.add_argument("--markdown", type=Path, help="Print the RESULTS.md tables of a results file, run nothing.")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--scale", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.markdown:
        print(render_markdown(json.loads(args.markdown.read_text("utf-8"))))
        return
    if args.step:  # child process
        print(json.dumps(STEPS[args.step](args)))
        return
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": date.today().isoformat(),
        "command": " ".join(["python3", "benchmarks/national.py", *sys.argv[1:]]),
        "scales": {},
    }
    for scale in args.scales:
        work = args.work / scale
        if "generate" in args.steps:  # a fresh corpus and store; other steps reuse what an earlier run left
            subprocess.run(["rm", "-rf", str(work)], check=True)
        work.mkdir(parents=True, exist_ok=True)
        results["scales"][scale] = {}
        for step in args.steps:
            print(f"[{scale}] {step} …", file=sys.stderr, flush=True)
            results["scales"][scale][step] = run_step(step, scale, work, args.workers)
            print(f"[{scale}] {step}: {json.dumps(results['scales'][scale][step])}", file=sys.stderr, flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
