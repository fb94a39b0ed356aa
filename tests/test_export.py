"""Exports: neo4j-admin CSVs that follow the import tool's header rules, GraphML, JSON."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from plangraph.store.counts import stats
from plangraph.store.embedded import EmbeddedStore
from plangraph.store.export import ARRAY_DELIMITER, export_graphml, export_json, export_neo4j_admin

# `neo4j-admin database import` header grammar (Neo4j 5 operations manual, "CSV header format").
ADMIN_TYPES = {
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
}
PROPERTY_FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*):(?P<type>[a-z]+)(?P<array>\[\])?$")
ID_FIELD = re.compile(r"^(?P<name>[A-Za-z_]*):ID\((?P<space>[A-Za-z]+)\)$")
START_FIELD = re.compile(r"^:START_ID\((?P<space>[A-Za-z]+)\)$")
END_FIELD = re.compile(r"^:END_ID\((?P<space>[A-Za-z]+)\)$")


@pytest.fixture(scope="module")
def admin_export(module_samples_store: object, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("admin")
    return folder, export_neo4j_admin(module_samples_store, folder)  # type: ignore[arg-type]


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_export_admin_node_headers_follow_import_rules(admin_export: tuple[Path, str]) -> None:
    folder, _ = admin_export
    for path in folder.glob("nodes_*.csv"):
        header = read(path)[0]
        ids = [f for f in header if ID_FIELD.match(f)]
        assert len(ids) == 1, path.name  # exactly one ID column, in the label's ID space
        assert header[-1] == ":LABEL"
        for field in header:
            if field in ids or field == ":LABEL":
                continue
            match = PROPERTY_FIELD.match(field)
            assert match and match.group("type") in ADMIN_TYPES, (path.name, field)


def test_export_admin_relationship_ids_exist_in_their_id_space(admin_export: tuple[Path, str]) -> None:
    folder, _ = admin_export
    ids: dict[str, set[str]] = {}
    for path in folder.glob("nodes_*.csv"):
        rows = read(path)
        space = ID_FIELD.match(rows[0][0]).group("space")  # type: ignore[union-attr]
        ids[space] = {row[0] for row in rows[1:]}
    relationship_files = list(folder.glob("relationships_*.csv"))
    assert relationship_files
    for path in relationship_files:
        rows = read(path)
        header = rows[0]
        start = START_FIELD.match(header[0])
        end = END_FIELD.match(header[1])
        assert start and end and header[-1] == ":TYPE"
        for field in header[2:-1]:
            match = PROPERTY_FIELD.match(field)
            assert match and match.group("type") in ADMIN_TYPES
        for row in rows[1:]:
            assert row[0] in ids[start.group("space")] and row[1] in ids[end.group("space")], (path.name, row[:2])


def test_export_admin_counts_and_arrays(admin_export: tuple[Path, str], module_samples_store: object) -> None:
    folder, command = admin_export
    counts = stats(module_samples_store)  # type: ignore[arg-type]
    for label, count in counts["nodes"].items():
        assert len(read(folder / f"nodes_{label}.csv")) - 1 == count
    for rel, count in counts["relationships"].items():
        exported = sum(len(read(p)) - 1 for p in folder.glob(f"relationships_{rel}_*.csv"))
        assert exported == count, rel
    agencies = read(folder / "nodes_Agency.csv")
    aliases = agencies[0].index("aliases:string[]")
    assert any(ARRAY_DELIMITER in row[aliases] for row in agencies[1:])  # several aliases in one value


def test_export_admin_command_names_every_file(admin_export: tuple[Path, str]) -> None:
    folder, command = admin_export
    assert command.startswith("neo4j-admin database import full ")
    assert "--array-delimiter=U+001F" in command and "--multiline-fields=true" in command
    for path in folder.glob("*.csv"):
        assert f"={path.name}" in command
    assert command.endswith(" neo4j")


def test_export_graphml_and_json_hold_the_whole_graph(samples_store: object, tmp_path: Path) -> None:
    loaded_store: Any = samples_store
    counts = stats(loaded_store)
    nodes, relationships = sum(counts["nodes"].values()), sum(counts["relationships"].values())
    export_graphml(loaded_store, tmp_path / "g.graphml")
    root = ET.parse(tmp_path / "g.graphml").getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall("g:graph/g:node", ns)) == nodes
    assert len(root.findall("g:graph/g:edge", ns)) == relationships
    export_json(loaded_store, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text("utf-8"))
    assert (len(data["nodes"]), len(data["relationships"])) == (nodes, relationships)
    task = next(n for n in data["nodes"] if n["label"] == "Task" and n["properties"]["ref"] == "VII.2.4")
    assert task["properties"]["source_file"] == "000_0c3d8e49def43607.txt"


def test_export_admin_csvs_import_into_neo4j_exactly(loaded_store: EmbeddedStore, tmp_path: Path) -> None:
    """The CSVs through Neo4j's own `neo4j-admin database import full` (tools/neo4j/import.sh), then a server on
    the imported folder: the graph holds what the embedded store holds, node by node, property by property,
    edge by edge (an empty string stays one: the import reads an empty field as no property). One form differs,
    as documented: an empty list is no property after the import (`neo4j-admin` writes no empty array)."""
    import os
    import subprocess

    from plangraph.store.neo4j import Neo4jSettings, Neo4jStore
    from tests.conftest import neo4j_or_skip
    from tests.test_reload import _differences, contents

    neo4j_or_skip()  # where the test server runs, tools/neo4j is built and Java is at hand
    tools = Path(__file__).resolve().parent.parent / "tools" / "neo4j"
    export_neo4j_admin(loaded_store, tmp_path / "export")
    env = {**os.environ, "NEO4J_DATA": str(tmp_path / "data"), "NEO4J_HEAP": "512m", "NEO4J_PORT": "0"}
    for name in ("NEO4J_PASSWORD", "NEO4J_PID", "NEO4J_URI"):  # those of the test server: stop.sh would stop it
        env.pop(name, None)
    imported = subprocess.run(
        ["bash", str(tools / "import.sh"), str(tmp_path / "export")], env=env, capture_output=True, text=True
    )
    assert imported.returncode == 0 and "IMPORT DONE" in imported.stdout, imported.stdout[-2000:] + imported.stderr
    started = subprocess.run(["bash", str(tools / "start.sh")], env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    exported = dict(part.split("=", 1) for part in started.stdout.split()[1:])
    try:
        store = Neo4jStore(Neo4jSettings(exported["NEO4J_URI"], "neo4j", exported["NEO4J_PASSWORD"], None))
        try:
            assert _differences(contents(loaded_store, _canonical), contents(store, _canonical)) == []
        finally:
            store.close()
    finally:
        subprocess.run(["bash", str(tools / "stop.sh")], env=env, capture_output=True, check=False)


def _canonical(value: Any) -> Any:
    """An empty list as none (what the import makes of it)."""
    return value if value != [] else None
