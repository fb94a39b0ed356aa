"""The graph the pipeline builds from the project's own documents, as one canonical text (issue 21).

Speed work on the parsers, the load and the link must leave the graph exactly as it was: node by node,
property by property, edge by edge. This script loads the sample plans, the web corpus and the office and
example documents into a fresh embedded store (`load_paths`, as `plangraph load` runs it, lineage linked),
reads the whole graph back through the export, and writes it as sorted JSON lines, gzipped, to
`tests/data/graph-snapshot.jsonl.gz`. `tests/test_graph_snapshot.py` rebuilds it and compares.

    python3 tools/graph_snapshot.py            # check: exit 1 and the first differences when the graph changed
    python3 tools/graph_snapshot.py --write    # the graph changed on purpose: record it (say why in the commit)

`--workers N` loads with N parsing processes (default: the one-process path; the test also loads with two).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "data" / "graph-snapshot.jsonl.gz"
SOURCES = [
    ROOT / "data" / "samples",
    ROOT / "tests" / "data" / "web",
    ROOT / "data" / "office",
    ROOT / "data" / "examples",
]


def canonical_lines(store: object) -> list[str]:
    """Every node and relationship of the store as one sorted JSON line each (plangraph.store.export)."""
    from plangraph.store.export import canonical_lines as lines

    return lines(store)  # type: ignore[arg-type]


def build(workers: int | None = 1, sources: list[Path] | None = None) -> list[str]:
    """Load the documents into a fresh store and return its canonical lines."""
    from plangraph.ingest.pipeline import load_paths
    from plangraph.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory() as work:
        store = EmbeddedStore(Path(work) / "graph.lbdb")
        try:
            load_paths([str(p) for p in sources or SOURCES], store, workers=workers)
            return canonical_lines(store)
        finally:
            store.close()


def recorded() -> list[str]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def differences(expected: list[str], actual: list[str], limit: int = 20) -> list[str]:
    """The lines only one side has (sorted lines: a set difference shows what changed), at most `limit` of each."""
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    out = [f"- {line}" for line in missing[:limit]] + [f"+ {line}" for line in extra[:limit]]
    if len(missing) > limit or len(extra) > limit:
        out.append(f"… {len(missing)} lines gone, {len(extra)} new in all")
    if not out and len(expected) != len(actual):
        out.append(f"{len(expected)} lines recorded, {len(actual)} built (a line repeated)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="record the graph built now")
    parser.add_argument("--workers", type=int, default=1, help="parsing processes (default 1)")
    args = parser.parse_args(argv)
    lines = build(args.workers)
    if args.write:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        with gzip.GzipFile(SNAPSHOT, "wb", mtime=0) as handle:  # mtime 0: the same graph, the same bytes
            handle.write(("\n".join(lines) + "\n").encode("utf-8"))
        sys.stdout.write(f"{len(lines)} lines written to {SNAPSHOT.relative_to(ROOT)}\n")
        return 0
    diff = differences(recorded(), lines)
    sys.stdout.write(("\n".join(diff) if diff else f"the graph is as recorded ({len(lines)} lines)") + "\n")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
