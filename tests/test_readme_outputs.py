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


def test_readme_outputs_are_what_the_commands_print() -> None:
    text = (TOOL.parent.parent / "README.md").read_text("utf-8")
    assert len(readme_outputs.transcripts(text)) >= 20
    report, _ = readme_outputs.check(text)
    assert not report, "README drifted (python3 tools/readme_outputs.py --write):\n\n" + "\n\n".join(report)
