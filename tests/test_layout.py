"""The package's layout rules (issue 15): every read in the query library, each module in its stage's folder."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from plangraph.queries import load_queries, public_queries

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("graph/**/*.py"), *ROOT.glob("api/**/*.py")])
# Where Cypher text may be written in Python, and why.
ALLOWED = {
    "graph/store/statements.py": "the write statements, generated from the graph contract (DESIGN §7.7)",
    "graph/store/counts.py": "a count per label and per type, generated from the graph contract (issue 33)",
    "graph/store/guard.py": "an example in the message for an empty user query",
    "api/schemas.py": "the example of POST /cypher in the OpenAPI",
}
# The one read built at run time: the task list's filter.
# And the per-column reads of plangraph check, generated from the graph contract.
ALLOWED_FUNCTIONS = {
    ("graph/views/tasks.py", "where"),
    ("graph/views/tasks.py", "tasks_query"),
    ("graph/store/repair.py", "column_reads"),
}


def _strings_outside_docstrings(tree: ast.AST) -> list[tuple[str, ast.Constant]]:
    """(enclosing function, node) of every string constant that is not a docstring."""
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            docstrings.add(id(body[0].value))
    found: list[tuple[str, ast.Constant]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Constant) and isinstance(child.value, str) and id(child) not in docstrings:
                found.append((function, child))
            visit(child, name)

    visit(tree, "")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_read_query_outside_the_query_library(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    if relative in ALLOWED:
        return
    tree = ast.parse(path.read_text("utf-8"))
    offending = [
        (function, node.lineno)
        for function, node in _strings_outside_docstrings(tree)
        if "MATCH (" in node.value and (relative, function) not in ALLOWED_FUNCTIONS
    ]
    assert offending == [], f"Cypher in {relative} at {offending}: move it to graph/queries/internal/"


def test_internal_queries_are_hidden_from_users() -> None:
    everything, public = load_queries(), public_queries()
    assert public and len(everything) > len(public)
    assert all(q.internal is None for q in public.values())
    assert all(q.internal and q.description for name, q in everything.items() if name not in public)


@pytest.mark.parametrize(
    ("module", "folder"),
    [
        ("plangraph.ingest.pipeline", "graph/ingest"),
        ("plangraph.ingest.reading", "graph/ingest"),
        ("plangraph.loaders.docx", "graph/loaders"),
        ("plangraph.store.embedded", "graph/store"),
        ("plangraph.cascade.lineage", "graph/cascade"),
        ("plangraph.views", "graph/views"),
        ("plangraph.api.app", "api"),
    ],
)
def test_a_module_lives_in_the_folder_of_its_stage(module: str, folder: str) -> None:
    import importlib

    path = Path(importlib.import_module(module).__file__ or "").resolve()
    assert (ROOT / folder).resolve() in path.parents or path.parent == (ROOT / folder).resolve()
