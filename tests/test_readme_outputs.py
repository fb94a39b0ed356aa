"""Every printed output in the README is what its command prints (issue 18, item 4): the README's transcript
blocks are run in one sandbox, top to bottom, by `tools/readme_outputs.py`; regenerate them with
`python3 tools/readme_outputs.py --write` when an output legitimately changes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "readme_outputs.py"
spec = importlib.util.spec_from_file_location("readme_outputs", TOOL)
assert spec is not None and spec.loader is not None
readme_outputs = importlib.util.module_from_spec(spec)
sys.modules["readme_outputs"] = readme_outputs
spec.loader.exec_module(readme_outputs)


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),
        (["a"], ["a", "b"], False),  # a line more than the README shows is a drift
        (["a", "…"], ["a", "b", "c"], True),
        (["a", "…", "d"], ["a", "b", "c", "d"], True),
        (["a", "…", "d"], ["a", "b", "c"], False),
        (['{"total":1, …'], ['{"total":1,"items":[]}'], True),
        (['{"total":2, …'], ['{"total":1,"items":[]}'], False),
        (["x   "], ["x"], True),  # trailing blanks of table cells
    ],
)
def test_transcript_marks(expected: list[str], actual: list[str], ok: bool) -> None:
    assert readme_outputs.matches(expected, actual) is ok


def test_transcripts_are_read_with_their_continued_commands() -> None:
    text = "```text\n$ curl -s x \\\n     -d '{}'\n{\"ok\": 1}\n$ plangraph stats\nnodes:\n```\n"
    (block,) = readme_outputs.transcripts(text)
    assert [s.command for s in block.steps] == ["curl -s x \\\n     -d '{}'", "plangraph stats"]
    assert [s.expected for s in block.steps] == [['{"ok": 1}'], ["nodes:"]]


def test_readme_outputs_are_what_the_commands_print_and_twice_leave_a_fresh_builds_graph() -> None:
    """The README in order in a new folder: every output as printed. Then the whole README again in the same folder
    (issue 30, item 6), the servers the first pass started still running, so the commands before its HTTP section
    run with a server this time (`plangraph load` hands its work to it): nothing crashes, every store it made
    agrees with its journal (`plangraph check`), and the default store, which met the uploads and the servers, holds
    the graph a fresh build of its journal gives (`plangraph check --exact`)."""
    text = (TOOL.parent.parent / "README.md").read_text("utf-8")
    assert len(readme_outputs.transcripts(text)) >= 20
    sandbox = readme_outputs.Sandbox()
    try:
        report, _ = readme_outputs.check(text, sandbox=sandbox)
        assert not report, "README drifted (python3 tools/readme_outputs.py --write):\n\n" + "\n\n".join(report)
        assert readme_outputs.replay(text, sandbox) == []
        sandbox.stop_servers()
        made = readme_outputs.stores(sandbox)
        assert len(made) >= 5, made
        default = sandbox.folder / ".plangraph" / "graph.lbdb"  # the store of most of the README: uploads, servers
        assert default in made
        for store in made:  # every store against its journal; the default one also against a fresh build of it
            checked = sandbox.run(f"plangraph check {'--exact ' if store == default else ''}--store {store}")
            assert checked == [f"{store}: no problem found"], checked
    finally:
        sandbox.close()
