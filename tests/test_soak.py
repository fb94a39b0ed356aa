"""The soak's short form (issue 30, item 1): random histories of loads, reloads, changed files, relinks, loads
and uploads through a running server, concurrent uploads, and kill -9 of loaders, links and servers, each step
compared with a fresh build of what the store should hold (benchmarks/soak.py; its long runs are recorded in
benchmarks/RESULTS.md, "The soak on the versioned store")."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import soak  # noqa: E402


@pytest.mark.parametrize("seed", [2, 7])
def test_a_random_history_leaves_the_graph_a_fresh_build_gives(seed: int) -> None:
    summary = soak.run(steps=8, seed=seed, quiet=True)
    assert summary["steps"] == 8
    assert summary["divergences"] == 0, (summary["first"], summary["history"])
