"""The CLI on both engines (issue 19): `plangraph load`, `link` and every read command print the same on the
embedded store (`--store`) and on Neo4j (`--backend neo4j`, NEO4J_* from the environment)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from plangraph.cli import main
from tests.conftest import SAMPLES, empty_neo4j, neo4j_or_skip

# Each command once per engine; the outputs compared line for line.
COMMANDS = [
    ["stats"],
    ["query", "tasks-led-by", "-p", "agency=Sở Nội vụ", "-p", "jurisdiction=Lạng Sơn"],
    ["query", "agency-workload", "--format", "json"],
    ["query", "overdue-tasks", "-p", "as_of=2026-11-22", "--format", "csv"],
    ["cascade", "NQ 57"],
    ["cascade", "Đề án 06", "--format", "json"],
    ["coverage", "NQ 57"],
    ["gaps", "110/KH-UBND"],
    ["overlaps"],
    ["agencies", "Lạng Sơn"],
    ["explain-link", "136/KH-UBND#8", "110/KH-UBND#VII.2.10"],
    ["cypher", "MATCH (p:Plan) RETURN p.code AS code, p.level AS level ORDER BY code, level"],
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], list[str]]]:
    """The options that name each engine, each loaded with the samples by `plangraph load`."""
    neo4j_or_skip()
    from plangraph.store.neo4j import Neo4jSettings, Neo4jStore

    server = Neo4jStore(Neo4jSettings.from_environment())
    empty_neo4j(server)
    server.close()
    embedded = ["--store", str(tmp_path_factory.mktemp("cli") / "graph.lbdb")]
    neo4j = ["--backend", "neo4j"]
    outputs = []
    for options in (embedded, neo4j):
        result = CliRunner().invoke(main, ["load", str(SAMPLES), *options])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert _plain(outputs[0]) == _plain(outputs[1])
    yield embedded, neo4j


def _plain(output: str) -> str:
    """The output without what names the store itself (its path, the backend's name) or the time taken."""
    output = re.sub(r"Store: .*", "Store: <store>", output)
    output = re.sub(r"(/[^\s]*)?graph\.lbdb", "<store>", output)
    output = re.sub(r"\b\d+(\.\d+)? ?(ms|s)\b", "<time>", output)
    return output.replace("embedded store", "<engine>").replace("Neo4j", "<engine>")


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_cli_prints_the_same_on_both_engines(engines: tuple[list[str], list[str]], command: list[str]) -> None:
    embedded, neo4j = (CliRunner().invoke(main, [*command, *options]) for options in engines)
    assert embedded.exit_code == neo4j.exit_code == 0, (embedded.output, neo4j.output)
    assert embedded.output.strip()
    assert _plain(embedded.output) == _plain(neo4j.output)


def test_cli_link_gives_the_same_lineage_on_both_engines(engines: tuple[list[str], list[str]]) -> None:
    embedded, neo4j = (CliRunner().invoke(main, ["link", *options]) for options in engines)
    assert embedded.exit_code == neo4j.exit_code == 0, (embedded.output, neo4j.output)
    assert _plain(embedded.output) == _plain(neo4j.output)
    lineage = ["query", "task-lineage", "-p", "plan=136/KH-UBND", "--format", "json"]
    after = [CliRunner().invoke(main, [*lineage, *options]).output for options in engines]
    assert after[0] == after[1] and '"parent_plan"' in after[0]
