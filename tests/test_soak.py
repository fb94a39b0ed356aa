"""The soak's short form (issue 30, item 1): random histories of loads, reloads, changed files, relinks, loads
and uploads through a running server, concurrent uploads, and kill -9 of loaders, links and servers, each step
compared with a fresh build of what the store should hold (benchmarks/soak.py; its long runs are recorded in
benchmarks/RESULTS.md, "The soak on the versioned store"). Not on Neo4j here, for the suite's time budget alone
(about 10 s a step there): its two defects the soak found are fixed and tested in tests/test_reload.py, and the
Neo4j soak's runs are recorded there too (`python benchmarks/soak.py --backend neo4j`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import soak  # noqa: E402


def test_a_random_history_on_the_embedded_store_leaves_the_graph_a_fresh_build_gives() -> None:
    summary = soak.run(steps=10, seed=2, quiet=True)
    assert summary["steps"] == 10
    assert summary["divergences"] == 0, (summary["first"], summary["history"])
