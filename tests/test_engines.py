"""Both engines, one answer (issue 19, item 2): the samples and the web corpus loaded into the embedded store and
into a real Neo4j 5.26 (tools/neo4j, started by .ci/run), and every named query, read view, the cascade,
coverage, gaps, overlaps, lineage and the HTTP API asked the same questions on both: the same rows, in the
same order. The read-only guarantees (a write through `POST /cypher` or `plangraph cypher` refused, nothing
changed) are shown on Neo4j too, through its READ access mode.

Needs NEO4J_URI and NEO4J_PASSWORD (`eval "$(bash tools/neo4j/start.sh)"`); in CI a missing server fails."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from plangraph.api.app import create_app
from plangraph.cascade.coverage import coverage, gaps, overlaps
from plangraph.cascade.tree import cascade
from plangraph.cli import main
from plangraph.ingest.pipeline import load_paths
from plangraph.queries import public_queries, run_named
from plangraph.settings import Settings
from plangraph.store.base import jsonable
from plangraph.store.counts import stats
from plangraph.store.embedded import EmbeddedStore
from plangraph.store.neo4j import Neo4jSettings, Neo4jStore
from plangraph.views import (
    SearchIndex,
    TaskFilter,
    agency_summary,
    agency_tasks,
    get_agency,
    get_plan,
    get_task,
    list_agencies,
    list_mandates,
    list_plans,
    list_tasks,
)
from tests.conftest import SAMPLES, empty_neo4j

ROOT = Path(__file__).resolve().parent.parent
WEB = sorted((ROOT / "tests" / "data" / "web").glob("*.txt"))


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, Neo4jStore]]:
    if not os.environ.get("NEO4J_URI"):
        if os.environ.get("CI"):
            pytest.fail("NEO4J_URI is not set: .ci/run starts Neo4j (tools/neo4j/start.sh) before the tests")
        pytest.skip('no Neo4j server: eval "$(bash tools/neo4j/start.sh)" starts one')
    embedded = EmbeddedStore(tmp_path_factory.mktemp("engines") / "graph.lbdb")
    neo4j = Neo4jStore(Neo4jSettings.from_environment())
    empty_neo4j(neo4j)
    for store in (embedded, neo4j):
        report = load_paths([SAMPLES, *WEB], store)
        assert not report.failed, report.render()
    yield embedded, neo4j
    neo4j.close()
    embedded.close()


def same(a: Any, b: Any) -> None:
    left, right = (
        json.dumps(jsonable(a), ensure_ascii=False, indent=1),
        json.dumps(jsonable(b), ensure_ascii=False, indent=1),
    )
    assert left == right


def test_engines_hold_the_same_graph(engines: tuple[EmbeddedStore, Neo4jStore]) -> None:
    embedded, neo4j = engines
    same(stats(embedded), stats(neo4j))


def test_engines_export_the_same_files(engines: tuple[EmbeddedStore, Neo4jStore], tmp_path: Path) -> None:
    """`plangraph export` writes the same neo4j-admin CSVs, GraphML and JSON from either engine, byte for byte."""
    from plangraph.store.export import export_graphml, export_json, export_neo4j_admin

    commands = []
    for name, store in zip(("embedded", "neo4j"), engines, strict=True):
        folder = tmp_path / name
        commands.append(export_neo4j_admin(store, folder / "admin"))
        export_graphml(store, folder / "g.graphml")
        export_json(store, folder / "g.json")
    assert commands[0].replace(str(tmp_path / "embedded"), "") == commands[1].replace(str(tmp_path / "neo4j"), "")
    files = sorted(p.relative_to(tmp_path / "embedded") for p in (tmp_path / "embedded").rglob("*") if p.is_file())
    assert len(files) > 10
    assert files == sorted(p.relative_to(tmp_path / "neo4j") for p in (tmp_path / "neo4j").rglob("*") if p.is_file())
    for relative in files:
        on_embedded, on_neo4j = ((tmp_path / name / relative).read_bytes() for name in ("embedded", "neo4j"))
        if relative.name == "IMPORT_COMMAND.txt":  # names its own folder
            on_embedded, on_neo4j = (
                text.replace(str(tmp_path / name).encode(), b"")
                for text, name in ((on_embedded, "embedded"), (on_neo4j, "neo4j"))
            )
        assert on_embedded == on_neo4j, relative


LINEAGE_BY_LEVEL = (
    "MATCH (p:Plan)-[:HAS_TASK]->(t:Task)-[r:DERIVES_FROM]->(h:Task) WHERE p.province = $province "
    "RETURN p.level AS level, t.id AS lower, h.id AS higher, r.score AS score ORDER BY lower, higher"
)


def test_engines_relink_one_level_of_a_province(engines: tuple[EmbeddedStore, Neo4jStore]) -> None:
    """A relink scoped to a province's department tasks and those below (a reload of a department plan) deletes
    and rewrites their edges only, on both engines, and writes back what a whole link wrote."""
    from plangraph.cascade.linking import relink

    # Before the API tests: their `clients` fixture closes the embedded store (its query workers open it).
    below = ["department", "district", "commune"]
    for store in engines:
        before = store.run_read(LINEAGE_BY_LEVEL, {"province": "Đồng Nai"}).rows
        assert {row[0] for row in before} == {"province", "department"}
        store.replace_derivations(["Đồng Nai"], [], levels={"Đồng Nai": below})
        kept = store.run_read(LINEAGE_BY_LEVEL, {"province": "Đồng Nai"}).rows
        assert kept == tuple(row for row in before if row[0] == "province")  # the province's own edges stay
        links = relink(store, {"Đồng Nai"}, levels={"Đồng Nai": {"department"}})
        assert links and store.run_read(LINEAGE_BY_LEVEL, {"province": "Đồng Nai"}).rows == before


@pytest.mark.parametrize("name", sorted(public_queries()))
def test_engines_named_query(engines: tuple[EmbeddedStore, Neo4jStore], name: str) -> None:
    example = {p.name: p.example for p in public_queries()[name].params}
    if name == "tasks-without-lead":
        example = {"plan": ""}
    embedded, neo4j = (run_named(store, name, example) for store in engines)
    assert embedded.columns == neo4j.columns
    same(embedded.records(), neo4j.records())


VIEWS = {
    "plans": lambda s: list_plans(s, limit=500).as_dict(),
    "plans-of-a-level": lambda s: list_plans(s, level="commune").as_dict(),
    "plan": lambda s: get_plan(s, "136/KH-UBND"),
    "plan-web": lambda s: get_plan(s, "144/KH-UBND"),
    "tasks-of-agency": lambda s: list_tasks(s, TaskFilter(agency="tinh-lang-son/so-noi-vu", role="lead")).as_dict(),
    "tasks-of-mandate": lambda s: list_tasks(s, TaskFilter(mandate="NQ 57", level="commune"), limit=500).as_dict(),
    "tasks-overdue": lambda s: list_tasks(s, TaskFilter(overdue_on=date(2026, 11, 22)), limit=500).as_dict(),
    "tasks-of-origin": lambda s: list_tasks(s, TaskFilter(origin="duty", province="Bắc Ninh"), limit=500).as_dict(),
    "task": lambda s: get_task(s, "136/KH-UBND@xa-loi-bac-tinh-lang-son@2026#8"),
    "agencies": lambda s: list_agencies(s, limit=500).as_dict(),
    "agencies-of-a-commune": lambda s: list_agencies(s, jurisdiction="06601").as_dict(),
    "agency": lambda s: get_agency(s, "tinh-lang-son/so-noi-vu"),
    "agency-tasks": lambda s: agency_tasks(s, "tinh-lang-son/so-noi-vu"),
    "agency-tasks-web": lambda s: agency_tasks(s, "tinh-bac-ninh/so-khoa-hoc-va-cong-nghe"),
    "agency-summary": lambda s: agency_summary(s, "tinh-lang-son/so-noi-vu", date(2026, 11, 22)),
    "mandates": lambda s: list_mandates(s, limit=500).as_dict(),
    "cascade": lambda s: cascade(s, "NQ 57").as_dict(),
    "cascade-counts": lambda s: cascade(s, "NQ 57", tasks=False).as_dict(),
    "cascade-province": lambda s: cascade(s, "NQ 57", province="Lạng Sơn").as_dict(),
    "coverage": lambda s: coverage(s, "8536/VPCP-KSTT"),
    "gaps": lambda s: gaps(s, "136/KH-UBND"),
    "overlaps": lambda s: overlaps(s),
    "search": lambda s: SearchIndex.build(s).search("chuyen doi so", limit=20).as_dict(),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_engines_view(engines: tuple[EmbeddedStore, Neo4jStore], view: str) -> None:
    embedded, neo4j = (VIEWS[view](store) for store in engines)
    same(embedded, neo4j)


API_PATHS = [
    "/plans?limit=500",
    "/plans/136/KH-UBND",
    "/plans/136/KH-UBND/tasks?limit=10&offset=90",
    "/tasks?agency=tinh-lang-son/so-noi-vu&role=lead",
    "/tasks?mandate=NQ%2057&level=commune&overdue_on=2026-11-22",
    "/tasks/136/KH-UBND@xa-loi-bac-tinh-lang-son@2026%238",
    "/agencies?q=so%20noi%20vu",
    "/agencies/tinh-lang-son/so-noi-vu",
    "/agencies/tinh-lang-son/so-noi-vu/tasks?role=lead",
    "/agencies/tinh-lang-son/so-noi-vu/summary?as_of=2026-11-22",
    "/mandates?implemented=true",
    "/mandates/NQ%2057/cascade",
    "/mandates/NQ%2057/cascade?tasks=false&province=L%E1%BA%A1ng%20S%C6%A1n",
    "/mandates/8536/VPCP-KSTT/coverage",
    "/search?q=chuyen%20doi%20so&limit=5",
    "/queries/tasks-led-by?agency=so%20noi%20vu&jurisdiction=lang%20son",
    "/queries/mandate-cascade-by-level?mandate=NQ%2057",
    "/queries/tasks-led-by?agency=so%20noi%20vuu",  # 404 on both, with the same closest name
    "/queries/tasks-led-by",  # 422 on both
    "/stats",
]


@pytest.fixture(scope="module")
def clients(engines: tuple[EmbeddedStore, Neo4jStore]) -> Iterator[tuple[TestClient, TestClient]]:
    embedded, neo4j = engines
    settings = Settings.model_validate({"backend": "embedded", "store": embedded.path, "query_workers": 1})
    embedded.close()  # the API's query workers open it read-only
    with (
        TestClient(create_app(settings)) as on_embedded,
        TestClient(create_app(Settings.model_validate({"backend": "neo4j"}))) as on_neo4j,
    ):
        yield on_embedded, on_neo4j


@pytest.mark.parametrize("path", API_PATHS)
def test_engines_api(clients: tuple[TestClient, TestClient], path: str) -> None:
    on_embedded, on_neo4j = (client.get(path) for client in clients)
    assert on_embedded.status_code == on_neo4j.status_code
    same(on_embedded.json(), on_neo4j.json())


def test_engines_api_refuses_writes_on_neo4j(clients: tuple[TestClient, TestClient]) -> None:
    _, on_neo4j = clients
    before = on_neo4j.get("/stats").json()
    for query in ("MATCH (t:Task) SET t.status = 'done' RETURN count(t) AS n", "CREATE (x:Plan {id: 'x'}) RETURN x"):
        answer = on_neo4j.post("/cypher", json={"query": query})
        assert answer.status_code == 403, answer.text
    assert on_neo4j.get("/stats").json() == before


def test_engines_cli_refuses_writes_on_neo4j(engines: tuple[EmbeddedStore, Neo4jStore]) -> None:
    _, neo4j = engines
    before = stats(neo4j)
    refused = CliRunner().invoke(main, ["cypher", "--backend", "neo4j", "MATCH (t:Task) DETACH DELETE t"])
    assert refused.exit_code == 2 and "read" in refused.output.lower()
    # Past the parser, the server's READ access mode refuses a write too.
    from plangraph.errors import ReadOnlyViolation

    with pytest.raises(ReadOnlyViolation):
        neo4j.run_read("MATCH (t:Task) SET t.status = 'done'")
    assert stats(neo4j) == before
