"""A load's time limit (issue 30, item 4): past it, `plangraph load` stops before its next step with the reason,
and the store keeps the last complete graph — what was written before is whole, what was not is not there."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from plangraph.cli import main
from plangraph.errors import LoadTimeLimit
from plangraph.ingest import pipeline
from plangraph.ingest.pipeline import load_paths
from plangraph.store.counts import stats
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import samples_store_at

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
WEB = Path(__file__).resolve().parent / "data" / "web"
WEB_ONE = sorted(WEB.glob("*.txt"))[0]


def test_a_load_past_its_time_limit_stops_and_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = samples_store_at(tmp_path / "graph.lbdb")
    store = EmbeddedStore(path)
    before = stats(store)
    with pytest.raises(LoadTimeLimit, match="time limit .* before parsing the next document.*store is as it was"):
        load_paths([WEB], store, workers=1, time_limit_s=1e-9)
    assert stats(store) == before
    store.close()
    checked = CliRunner().invoke(main, ["check", "--store", str(path)])
    assert checked.exit_code == 0, checked.output


def test_runs_written_before_the_limit_stay_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "WRITE_RUN", 5)
    monkeypatch.setattr(pipeline, "FIRST_RUN", 5)
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    written: list[int] = []
    real = pipeline._write_documents
    clock = [0.0]  # the load's clock: only a write moves it, so the limit falls after the first run, however slow
    monkeypatch.setattr(pipeline, "time", SimpleNamespace(monotonic=lambda: clock[0]))

    def slow(writer: object, batches: list, *rest: object) -> object:  # type: ignore[type-arg]
        written.append(len(batches))
        result = real(writer, batches, *rest)  # type: ignore[arg-type]
        clock[0] += 1.5  # the first run takes the load past its limit
        return result

    monkeypatch.setattr(pipeline, "_write_documents", slow)
    with pytest.raises(LoadTimeLimit, match=r"5 document\(s\) written whole.*plangraph link") as stopped:
        load_paths([SAMPLES, WEB], store, workers=1, time_limit_s=1.0)
    assert written == [5]  # one run of five, then the limit
    assert stats(store)["nodes"]["Plan"] == 5
    assert len(stopped.value.report.documents) == 5  # type: ignore[attr-defined]
    store.close()


def test_the_cli_says_why_and_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["load", str(SAMPLES), "--store", str(tmp_path / "graph.lbdb"), "--time-limit", "0.000001"]
    )
    assert result.exit_code == 1
    assert "error: the load stopped at its time limit (1e-06 s)" in result.output
    assert "the store is as it was" in result.output


INTERRUPTED_BUILD = """
import sys, time
from plangraph.store import builder
def build(spec):
    print("building", flush=True)
    time.sleep(120)  # a build far longer than the test waits
builder.WORK["build"] = build
from plangraph.cli import main
sys.argv = ["plangraph", "load", sys.argv[1], "--store", sys.argv[2], "--quiet"]
main()
"""


def test_ctrl_c_during_a_build_stops_the_load_at_once_and_leaves_the_store(tmp_path: Path) -> None:
    """The next version is built in a process of its own (plangraph.store.builder): Ctrl-C while it works kills it
    and the load ends, the store as it was and no half-built version left (an engine COPY in the writer's own
    process held Ctrl-C for the length of the COPY)."""
    import signal
    import subprocess
    import sys
    import time

    store = samples_store_at(tmp_path / "graph.lbdb")
    before = store.stat().st_ino
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_BUILD, str(WEB_ONE), str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "building"  # the builder's child is at work
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    process.wait(60)
    assert time.monotonic() - started < 30  # not the 120 s of the build
    assert process.returncode != 0
    assert store.stat().st_ino == before  # the same version: nothing was committed
    assert not store.with_name(store.name + ".next").exists()
