"""Every Cypher text plangraph ships or sends to Neo4j passes Neo4j's own linter.

Neo4j cannot run on the build machines, so its correctness rests on two checks:
the same named queries executed by the embedded engine (tests/test_queries.py),
and this one: `lintCypherQuery` from `@neo4j-cypher/language-support` (installed
by `.ci/run` with `npm ci`), given the graph contract and Neo4j 5's function and
procedure registry, reports no error for any text.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from plangraph.queries import load_queries
from plangraph.schema import NODE_PROPERTIES, REL_TYPES
from plangraph.store import counts, statements
from plangraph.store.embedded import schema_statements as embedded_schema
from plangraph.store.neo4j import schema_statements as neo4j_schema

ROOT = Path(__file__).resolve().parent.parent
LINTER = ROOT / "tools" / "cypher-lint.mjs"
CONTRACT = {
    "labels": sorted(NODE_PROPERTIES),
    "relationshipTypes": sorted(rel.name for rel in REL_TYPES),
    "propertyKeys": sorted(
        {p for props in NODE_PROPERTIES.values() for p in props} | {p for rel in REL_TYPES for p in rel.properties}
    ),
}


def lint(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    assert node, "Node.js is needed for Neo4j's Cypher linter (see .ci/run)"
    assert (ROOT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), "run `npm ci` (see .ci/run)"
    done = subprocess.run(
        [node, str(LINTER), json.dumps(CONTRACT)],
        input=json.dumps(items, default=str),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    return {entry["id"]: entry["diagnostics"] for entry in json.loads(done.stdout)}


def errors(diagnostics: list[dict[str, Any]]) -> list[str]:
    return [d["message"] for d in diagnostics if d["severity"] == 1]


def example_params(name: str) -> dict[str, Any]:
    query = load_queries()[name]
    if query.internal is not None:  # the library's own reads: every parameter they use
        return {p: [] for p in re.findall(r"\$(\w+)", query.text)}
    return {p.name: (date.fromisoformat(p.example) if p.type == "date" else p.example) for p in query.params}


def neo4j_texts() -> list[dict[str, Any]]:
    items = [{"id": f"query:{n}", "query": q.text, "parameters": example_params(n)} for n, q in load_queries().items()]
    write_params = {
        "rows": [],
        "source_file": "plan.txt",
        "source_files": [],
        "ids": [],
        "provinces": [],
        "id": "x",
        "limit": 1,
        "keys": [],
        "entry": "{}",
    }
    items += [
        {"id": f"write:{i}", "query": text, "parameters": write_params}
        for i, text in enumerate(statements.all_write_statements("neo4j"))
    ]
    items += [
        {"id": f"bookkeeping:{i}", "query": text, "parameters": write_params}
        for i, text in enumerate(statements.bookkeeping_statements())
    ]
    items += [{"id": f"counts:{key}", "query": text, "parameters": {}} for key, text in counts.COUNTS.items()]
    items += [{"id": f"schema:{i}", "query": text, "parameters": {}} for i, text in enumerate(neo4j_schema())]
    items += [
        {"id": f"read:{name}", "query": text, "parameters": {p: [] for p in re.findall(r"\$(\w+)", text)}}
        for name, text in task_filter_queries()
    ]
    return items


def task_filter_queries() -> list[tuple[str, str]]:
    """The one query built at run time: the task list with every filter on (plangraph.views.TaskFilter)."""
    import plangraph.views

    where = (
        " WHERE EXISTS { MATCH (t)-[:LED_BY|SUPPORTED_BY]->(a:Agency) WHERE a.id = $agency "
        "OR toLower(a.name) CONTAINS toLower($agency) } AND p.level = $level AND p.province = $province "
        "AND t.status = $status AND toLower(p.jurisdiction) CONTAINS toLower($jurisdiction) AND p.id = $plan "
        "AND (p.id IN $mandate_plans OR t.id IN $mandate_tasks) AND t.due_end IS NOT NULL AND t.due_end < $due_before "
        "AND t.due_end > $due_after AND t.due_end < $overdue_on AND t.status <> 'done'"
    )
    page, count = plangraph.views.tasks_query(where, paged=True)
    return [("plangraph.views.tasks_query.page", page), ("plangraph.views.tasks_query.count", count)]


def test_the_library_holds_the_reads_of_every_module() -> None:
    internal = {q.internal for q in load_queries().values() if q.internal}
    assert {
        "plangraph.views.plans",
        "plangraph.views.tasks",
        "plangraph.views.agencies",
        "plangraph.views.search",
        "plangraph.cascade.tree",
        "plangraph.cascade.linking",
        "plangraph.cascade.coverage",
        "plangraph.cascade.analytics",
        "plangraph.store.export",
    } <= internal


@pytest.fixture(scope="module")
def lint_results() -> dict[str, list[dict[str, Any]]]:
    return lint(neo4j_texts())


@pytest.mark.parametrize("item", neo4j_texts(), ids=lambda item: item["id"])
def test_neo4j_text_has_no_lint_error(item: dict[str, Any], lint_results: dict[str, list[dict[str, Any]]]) -> None:
    assert errors(lint_results[item["id"]]) == [], item["query"]


def test_neo4j_linter_catches_embedded_only_cypher() -> None:
    # The check can fail: the embedded engine's own dialect is not Neo4j's.
    items = [{"id": f"embedded:{i}", "query": t, "parameters": {"rows": []}} for i, t in enumerate(embedded_schema())]
    items.append({"id": "label", "query": "MATCH (n:Task) RETURN label(n)", "parameters": {}})
    items.append({"id": "cast", "query": statements.merge_nodes("Task", "embedded"), "parameters": {"rows": []}})
    results = lint(items)
    assert all(errors(diagnostics) for diagnostics in results.values())


def test_neo4j_write_statements_share_their_patterns_with_embedded() -> None:
    # The engines differ only in how a SET clause casts values (DESIGN §5: differences live in the store module).
    pairs = zip(statements.all_write_statements("embedded"), statements.all_write_statements("neo4j"), strict=True)
    for embedded, neo4j in pairs:
        assert embedded.split(" SET ")[0] == neo4j.split(" SET ")[0]
