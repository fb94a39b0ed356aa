"""notebooks/explore.ipynb is committed with its outputs and still runs: executed here on a fresh store."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from tools.make_notebook import CELLS, TARGET, execute


def test_committed_notebook_matches_its_source_and_has_outputs() -> None:
    nb = nbformat.read(TARGET, as_version=4)
    assert [c.source for c in nb.cells] == [source for _, source in CELLS], "run python3 tools/make_notebook.py"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code) and sum(len(c.outputs) for c in code) >= len(code)
    pictures = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 4  # the NQ 57 tree, the workload chart, Sở Nội vụ's neighbourhood, the lineage forest


def test_notebook_executes_without_errors() -> None:
    nb = execute(copy.deepcopy(nbformat.read(TARGET, as_version=4)), Path(TARGET).parent)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "'tasks': 334" in text and "{'province': 3, 'department': 1, 'commune': 97}" in text
    assert "29 tasks led by Công an xã (Lợi Bác)" in text
    # The agency's neighbourhood, as the explorer's agency view draws it (GET /agencies/{id}/tasks).
    assert "('Sở Nội vụ', '29/KH-UBND\\ntỉnh Lạng Sơn'): 'lead 10 · support 3'" in text


def test_the_notebook_extra_installs_what_the_notebook_imports() -> None:
    import json
    import re
    import sys
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    extra = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]["notebook"]
    names = {re.split(r"[<>=\[ ]", item, maxsplit=1)[0].lower() for item in extra}
    assert "jupyterlab" in names and "ipykernel" in names
    cells = json.loads((root / "notebooks" / "explore.ipynb").read_text("utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    imported = {m.split(".")[0] for m in re.findall(r"^\s*(?:from|import)\s+([\w.]+)", code, re.MULTILINE)}
    third_party = imported - set(sys.stdlib_module_names) - {"plangraph"}
    provided = names | {"networkx"}  # networkx: a dependency of plangraph itself
    assert third_party and third_party <= provided, third_party
