"""Parsing speed on real documents: the five samples, the ten web-corpus plans and the eleven office files with a
text layer (Word, .doc, PDF: letters, notices, decisions, a report), one process, memo cleared.

    python3 -m benchmarks.parse_real

Reads every document as `plangraph load` does (read, detect, parse, interpret, resolve, build; no store), three
rounds, clearing every per-text cache (`plangraph.ingest.pipeline.clear_caches`) before each document so no cell
is answered from another document or round; prints
tasks/s and MB/s per family on one core (the process runs on one core: parsing is single-threaded).
"""

from __future__ import annotations

import time
from pathlib import Path

from plangraph.ingest.pipeline import clear_caches, parse_file

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "samples (tsv, markdown, pdftext)": sorted((ROOT / "data" / "samples").glob("*.txt")),
    "web corpus (webtext)": sorted((ROOT / "tests" / "data" / "web").glob("*.txt")),
    # the scans (O01-O03) are read by OCR, measured apart (benchmarks/ocr.py)
    "office corpus (docx, doc, pdf)": sorted(
        p
        for p in (ROOT / "tests" / "data" / "office" / "docs").iterdir()
        if not p.name.startswith(("O01", "O02", "O03"))
    ),
}


def main(rounds: int = 3, only: str = "") -> None:
    """`only`: the sets whose name holds it ("web" to time the web corpus alone, e.g. against an older checkout)."""
    sets = {name: paths for name, paths in SETS.items() if paths and only in name}
    for path in SETS["samples (tsv, markdown, pdftext)"][:1]:
        parse_file(path, path.name)  # warm the pipeline (spaCy, registry) outside the timing
    families: dict[str, list[float]] = {}  # format → [documents, tasks, MB, best seconds summed per document]
    for name, paths in sets.items():
        size = sum(p.stat().st_size for p in paths) / 1e6
        best = float("inf")
        tasks = 0
        per_document: dict[Path, tuple[str, int, float]] = {}
        for _ in range(rounds):
            total = 0
            start = time.process_time()
            for path in paths:
                clear_caches()
                began = time.process_time()
                parsed = parse_file(path, path.name)
                spent = time.process_time() - began
                count = sum(1 for n in parsed.batch.nodes if n.label == "Task")
                total += count
                old = per_document.get(path)
                if old is None or spent < old[2]:
                    per_document[path] = (parsed.report.format or "?", count, spent)
            best = min(best, time.process_time() - start)
            tasks = total
        for path, (fmt, count, spent) in per_document.items():
            family = families.setdefault(fmt, [0, 0, 0.0, 0.0])
            family[0] += 1
            family[1] += count
            family[2] += path.stat().st_size / 1e6
            family[3] += spent
        print(
            f"{name}: {len(paths)} documents, {tasks} tasks, {size:.2f} MB: "
            f"{tasks / best:,.0f} tasks/s, {size / best:.2f} MB/s per core (best of {rounds}, CPU time)"
        )
    for fmt, (documents, tasks, size, spent) in sorted(families.items()):
        print(
            f"  {fmt}: {documents:.0f} documents, {tasks:.0f} tasks, {size:.2f} MB: "
            f"{tasks / spent:,.0f} tasks/s, {size / spent:.2f} MB/s per core (each document's best)"
        )


if __name__ == "__main__":
    import sys

    main(only=sys.argv[1] if len(sys.argv) > 1 else "")
