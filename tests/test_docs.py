"""The README documents every command, named query and finding code (DESIGN §7.10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.cli import main
from plangraph.errors import CODES
from plangraph.queries import public_queries

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_docs_readme_documents_command(command: str) -> None:
    assert f"### `plangraph {command}" in README


@pytest.mark.parametrize("name", sorted(public_queries()))
def test_docs_readme_documents_named_query_with_example(name: str) -> None:
    assert f"`{name}`" in README and f"plangraph query {name}" in README


@pytest.mark.parametrize("code", sorted(CODES))
def test_docs_readme_documents_finding_code(code: str) -> None:
    assert f"| {code} |" in README


def test_docs_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]  # "bash\n<command 1>\n<command 2>\n"
    commands = [line for line in first_block.splitlines()[1:] if line.strip()]
    assert len(commands) == 2
    assert commands[0].startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e . && plangraph demo")
    assert commands[1].startswith("bash .ci/run")


@pytest.mark.parametrize("name", sorted(public_queries()))
def test_docs_readme_has_browser_ready_query(name: str) -> None:
    query = public_queries()[name]
    body = [line for line in query.text.splitlines() if line.strip() and not line.startswith("//")]
    assert "\n".join(body) in README  # pasted whole into "Neo4j (production) and Neo4j Browser"
    for param in query.params:
        assert f":param {param.name} => " in README


def test_docs_readme_documents_every_api_endpoint() -> None:
    import re

    from plangraph.api.app import create_app

    documented = {re.sub(r"\{\w+\}", "{}", m) for m in re.findall(r"`(?:GET|POST) (/[^`?\s]*)", README)}
    spec = create_app().openapi()
    named = {f"/queries/{name}" for name in public_queries()}  # GET /queries/{name}, each query in its table
    assert "/queries/{}" in documented
    for path, operations in spec["paths"].items():
        if path in named:
            assert f"`{path.rsplit('/', 1)[1]}`" in README
            continue
        assert re.sub(r"\{\w+\}", "{}", path) in documented, f"README's HTTP API table lacks {path}"
        for method in operations:
            assert f"{method.upper()} {path.split('{')[0]}" in README
