"""The `plangraph` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from graph.errors import PlangraphError, QueryError
from graph.output import render
from graph.pipeline import iter_files, load_paths
from graph.queries import get_query, load_queries, run_named
from graph.store import BACKENDS, default_store_path, open_store
from graph.store.base import DEFAULT_ROW_LIMIT, stats

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Embedded store location (default: $PLANGRAPH_STORE or .plangraph/graph.lbdb).",
)
backend_option = click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default="embedded",
    envvar="PLANGRAPH_BACKEND",
    show_default=True,
    help="Graph store to use.",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)


def parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    """`-p name=value`: JSON values (numbers, true/false, lists) when they parse, else strings."""
    params: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.UsageError(f"parameter {pair!r} must look like name=value")
        name, raw = pair.split("=", 1)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        params[name.strip()] = value
    return params


def fail(message: str, code: int = EXIT_SOME_FAILED) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group()
@click.version_option(package_name="plangraph")
def main() -> None:
    """plangraph: Vietnamese plans as a graph of plans, tasks, agencies and mandates."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@store_option
@backend_option
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Also write the load report as JSON.")
@click.option("--quiet", is_flag=True, help="Print only the summary line and failures.")
def load(paths: tuple[Path, ...], store_path: Path | None, backend: str, report_path: Path | None, quiet: bool) -> None:
    """Load plan documents (files or folders) into the graph.

    Exit code 0 when every file loaded, 1 when some failed (the others are loaded).
    """
    files = iter_files(paths)
    try:
        store = open_store(backend, store_path)
    except PlangraphError as exc:
        fail(str(exc))
    with click.progressbar(length=len(files), label="Loading", file=sys.stderr) as bar:
        report = load_paths(files, store, on_document=lambda _: bar.update(1))
    store.close()
    if report_path:
        report_path.write_text(report.to_json(), encoding="utf-8")
    if quiet:
        for doc in report.failed:
            click.echo(f"✗ {doc.file}: {doc.error}")
    else:
        click.echo(report.render())
    totals = report.as_dict()["totals"]
    click.echo(
        f"\n{totals['loaded']} of {totals['documents']} documents loaded: {totals['tasks']} tasks, "
        f"{totals['indicators']} indicators; {sum(totals['findings'].values())} findings. "
        f"Store: {store_path or default_store_path()}"
    )
    sys.exit(EXIT_SOME_FAILED if report.failed else EXIT_OK)


@main.command()
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, help="Query parameter name=value (repeatable).")
@format_option
@click.option("--limit", type=int, default=DEFAULT_ROW_LIMIT, show_default=True, help="Row cap.")
@store_option
@backend_option
def cypher(query: str, params: tuple[str, ...], fmt: str, limit: int, store_path: Path | None, backend: str) -> None:
    """Run a read-only Cypher query (the store is opened read-only: writes are refused)."""
    _run(lambda store: store.run_read(query, parse_params(params), row_limit=limit), fmt, store_path, backend)


@main.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, help="Query parameter name=value (repeatable).")
@click.option("--list", "list_only", is_flag=True, help="List the named queries.")
@format_option
@store_option
@backend_option
def query(
    name: str | None, params: tuple[str, ...], list_only: bool, fmt: str, store_path: Path | None, backend: str
) -> None:
    """Run a named query from graph/queries (see --list)."""
    if list_only or not name:
        for item in load_queries().values():
            args = " ".join(f"-p {p.name}={json.dumps(p.example, ensure_ascii=False)}" for p in item.params)
            click.echo(
                f"{item.name}: {item.title}\n    {item.description}\n    plangraph query {item.name} {args}".rstrip()
            )
        return
    try:
        get_query(name)
    except QueryError as exc:
        fail(str(exc), EXIT_USAGE)
    _run(lambda store: run_named(store, name, parse_params(params)), fmt, store_path, backend)


@main.command("stats")
@format_option
@store_option
@backend_option
def stats_command(fmt: str, store_path: Path | None, backend: str) -> None:
    """Count nodes per label and relationships per type."""
    try:
        store = open_store(backend, store_path, read_only=True)
        counts = stats(store)
        store.close()
    except PlangraphError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
        return
    for kind, values in counts.items():
        click.echo(f"{kind}:")
        for name, count in values.items():
            click.echo(f"  {name:<14} {count}")


@main.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["neo4j-admin", "graphml", "json"]),
    default="neo4j-admin",
    show_default=True,
    help="neo4j-admin: CSVs for `neo4j-admin database import` into TARGET (a folder); graphml/json: one file.",
)
@click.option("--database", default="neo4j", show_default=True, help="Database name in the neo4j-admin command.")
@store_option
@backend_option
def export(target: Path, fmt: str, database: str, store_path: Path | None, backend: str) -> None:
    """Export the graph: bulk-import CSVs for Neo4j, GraphML (Gephi, yEd) or JSON."""
    from graph.export import export_graphml, export_json, export_neo4j_admin

    try:
        store = open_store(backend, store_path, read_only=True)
    except PlangraphError as exc:
        fail(str(exc))
    try:
        if fmt == "neo4j-admin":
            command = export_neo4j_admin(store, target, database)
            click.echo(f"CSV files written to {target}. Import them into a stopped Neo4j 5 with:\n\n{command}")
        elif fmt == "graphml":
            export_graphml(store, target)
            click.echo(f"GraphML written to {target}")
        else:
            export_json(store, target)
            click.echo(f"JSON written to {target}")
    finally:
        store.close()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@store_option
@backend_option
def serve(host: str, port: int, store_path: Path | None, backend: str) -> None:
    """Run the HTTP API (read-only over the store) with uvicorn."""
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(backend=backend, store=store_path or default_store_path())
    uvicorn.run(create_app(settings), host=host, port=port)


@main.command()
@store_option
def demo(store_path: Path | None) -> None:
    """Load data/samples into the embedded store and run an example query."""
    if not SAMPLES.is_dir():
        fail(f"sample folder {SAMPLES} not found; run this from a clone of the repository", EXIT_USAGE)
    store = open_store("embedded", store_path)
    report = load_paths([SAMPLES], store)
    click.echo(report.render(max_findings=40))
    click.echo("\nWho leads the most tasks (plangraph query agency-workload -p limit=10):\n")
    click.echo(render(run_named(store, "agency-workload", {"limit": 10}), "table"))
    store.close()
    sys.exit(EXIT_SOME_FAILED if report.failed else EXIT_OK)


def _run(action: Any, fmt: str, store_path: Path | None, backend: str) -> None:
    try:
        store = open_store(backend, store_path, read_only=True)
    except PlangraphError as exc:
        fail(str(exc))
    try:
        result = action(store)
    except QueryError as exc:
        fail(str(exc), EXIT_USAGE)
    except PlangraphError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(render(result, fmt))


if __name__ == "__main__":
    main()
