"""Parsing speed on real text: the five samples and the ten web-corpus plans, one process, memo cleared.

    python3 -m benchmarks.parse_real

Reads every document as `plangraph load` does (read, detect, parse, interpret, resolve, build; no store), three
rounds, clearing the per-cell annotation memo before each round so no cell is answered from an earlier one; prints
tasks/s and MB/s per family on one core (the process runs on one core: parsing is single-threaded).
"""

from __future__ import annotations

import time
from pathlib import Path

from plangraph.ingest import nlp
from plangraph.ingest.pipeline import parse_file

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "samples (tsv, markdown, pdftext)": sorted((ROOT / "data" / "samples").glob("*.txt")),
    "web corpus (webtext)": sorted((ROOT / "tests" / "data" / "web").glob("*.txt")),
}


def main(rounds: int = 3) -> None:
    for path in SETS["samples (tsv, markdown, pdftext)"][:1]:
        parse_file(path, path.name)  # warm the pipeline (spaCy, registry) outside the timing
    for name, paths in SETS.items():
        size = sum(p.stat().st_size for p in paths) / 1e6
        best = float("inf")
        tasks = 0
        for _ in range(rounds):
            nlp.annotate.cache_clear()
            start = time.process_time()
            tasks = sum(sum(1 for n in parse_file(p, p.name).batch.nodes if n.label == "Task") for p in paths)
            best = min(best, time.process_time() - start)
        print(
            f"{name}: {len(paths)} documents, {tasks} tasks, {size:.2f} MB: "
            f"{tasks / best:,.0f} tasks/s, {size / best:.2f} MB/s per core (best of {rounds}, CPU time)"
        )


if __name__ == "__main__":
    main()
