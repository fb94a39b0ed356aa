"""The `plangraph` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from plangraph.data import sample_documents
from plangraph.errors import LoadTimeLimit, NoMatch, PlangraphError, QueryError
from plangraph.output import render
from plangraph.queries import get_query, public_queries, run_named
from plangraph.settings import Settings
from plangraph.store import BACKENDS, default_store_path, open_store
from plangraph.store.base import DEFAULT_ROW_LIMIT, QueryResult
from plangraph.store.counts import stats

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
    default=lambda: Settings().backend,  # PLANGRAPH_BACKEND, through plangraph.settings
    show_default="embedded, or $PLANGRAPH_BACKEND",
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


def fail(message: str, code: int = EXIT_SOME_FAILED) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group()
@click.version_option(package_name="plangraph")
@click.option("--debug", is_flag=True, help="Log everything, with tracebacks (for reporting a bug).")
def main(debug: bool) -> None:
    """plangraph: Vietnamese plans as a graph of plans, tasks, agencies and mandates."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def lineage_warning(backend: str, store_path: Path | None) -> str | None:
    """The warning to show when an interrupted link (or a write whose relink never came) left the lineage
    incomplete, on either store."""
    from plangraph.store import interrupted_link
    from plangraph.store.embedded import LINK_COMMAND

    try:
        incomplete = interrupted_link(backend, store_path)
    except PlangraphError:  # the store cannot be reached: the command itself says so
        return None
    if incomplete is None:
        return None
    return f"warning: an interrupted link left the task lineage of {incomplete} incomplete; run {LINK_COMMAND}"


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@store_option
@backend_option
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Also write the load report as JSON.")
@click.option("--quiet", is_flag=True, help="Print only the summary line and failures.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes parsing documents (default: one per core, for 24 files or more).",
)
@click.option("--no-ocr", is_flag=True, help="Refuse scanned PDFs as needing OCR instead of reading them (OCR).")
@click.option(
    "--time-limit",
    "time_limit",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Stop before the next step past this many seconds; what was written is whole (PLANGRAPH_LOAD_TIME_LIMIT_S).",
)
def load(
    paths: tuple[Path, ...],
    store_path: Path | None,
    backend: str,
    report_path: Path | None,
    quiet: bool,
    workers: int | None,
    no_ocr: bool,
    time_limit: float | None,
) -> None:
    """Load plan documents (files or folders) into the graph.

    Exit code 0 when every file loaded, 1 when some failed (the others are loaded).
    """
    from plangraph.ingest.pipeline import iter_files, load_paths  # parsing's imports (spaCy …) only when loading

    count = len(iter_files(paths))
    server = _serving(backend, store_path)
    if server is not None and no_ocr:
        fail("--no-ocr cannot reach the running plangraph serve: start it with PLANGRAPH_OCR=0", EXIT_USAGE)
    _configure_ocr(store_path, no_ocr)
    if server is not None:  # `plangraph serve` owns the store: it loads the files while the API answers
        click.echo(f"Loading through plangraph serve at {server.url} (it owns the store)", err=True)
        answer = _through_server(
            server, "/admin/load", {"paths": [str(p.resolve()) for p in paths], "workers": workers}
        )
        as_dict, rendered, failed = answer["report"], answer["rendered"], answer["failed"]
    else:
        try:
            store = open_store(backend, store_path)
        except PlangraphError as exc:
            fail(str(exc))
        limit = time_limit or _load_time_limit(store_path)
        try:
            with click.progressbar(length=count, label="Loading", file=sys.stderr) as bar:
                # The paths as given: a file below a named folder is known by its path below it.
                report = load_paths(
                    paths,
                    store,
                    on_document=lambda _: bar.update(1),
                    workers=workers,
                    sources=_sources(store_path),
                    time_limit_s=limit,
                )
            store.close()  # the embedded store's new version takes the old one's place
        except LoadTimeLimit as exc:
            store.close()  # what was written before the limit, whole
            fail(str(exc))
        except PlangraphError as exc:
            abandon = getattr(store, "abandon", None)
            if abandon is not None:
                abandon()  # the store stays as it was
            store.close()
            fail(str(exc))
        as_dict, rendered, failed = report.as_dict(), report.render(), [[d.file, d.error] for d in report.failed]
    if report_path:
        report_path.write_text(json.dumps(as_dict, ensure_ascii=False, indent=2), encoding="utf-8")
    if quiet:
        for file, error in failed:
            click.echo(f"✗ {file}: {error}")
    else:
        click.echo(rendered)
    totals = as_dict["totals"]
    click.echo(
        f"\n{totals['loaded']} of {totals['documents']} documents loaded: {totals['tasks']} tasks, "
        f"{totals['indicators']} indicators; {sum(totals['findings'].values())} findings. "
        f"Store: {_where(backend, store_path)}"
    )
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _load_time_limit(store_path: Path | None) -> float | None:
    """PLANGRAPH_LOAD_TIME_LIMIT_S, when set (0: no limit)."""
    from plangraph.settings import Settings

    settings = Settings() if store_path is None else Settings(store=store_path)
    return settings.load_time_limit_s or None


def _sources(store_path: Path | None) -> Any:
    """The source archive beside the store (PLANGRAPH_SOURCES_DIR, else `sources/` in the store's folder)."""
    from plangraph.ingest.sources import SourceArchive
    from plangraph.settings import Settings

    settings = Settings() if store_path is None else Settings(store=store_path)
    return SourceArchive(settings.sources())


def _configure_ocr(store_path: Path | None, no_ocr: bool = False) -> None:
    """Scans read by OCR in this process and its parse workers, what they read kept beside the store
    (PLANGRAPH_OCR_DIR, else `ocr/` in the store's folder); off with --no-ocr or PLANGRAPH_OCR=0."""
    from plangraph.loaders import ocr
    from plangraph.settings import Settings

    settings = Settings() if store_path is None else Settings(store=store_path)
    options = ocr.from_settings(settings)
    ocr.configure(options, enabled=options.enabled and not no_ocr)


def _where(backend: str, store_path: Path | None) -> str:
    """The store a command used, as the user would name it."""
    if backend == "neo4j":
        from plangraph.store.neo4j import Neo4jSettings

        settings = Neo4jSettings.from_environment()
        return f"Neo4j at {settings.uri}" + (f" (database {settings.database})" if settings.database else "")
    return str(store_path or default_store_path())


def _serving(backend: str, store_path: Path | None) -> Any:
    """The running `plangraph serve` that owns the embedded store, if any."""
    if backend != "embedded":
        return None
    from plangraph.store.serving import running_server

    return running_server(store_path or default_store_path())


def _through_server(server: Any, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    from plangraph.store.serving import call

    try:
        return call(server, path, payload)
    except PlangraphError as exc:
        fail(str(exc))


@main.command("text")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--blocks", is_flag=True, help="Show the blocks the loader found (headings, paragraphs, table rows).")
@click.option("--plan", "plan", help="A loaded plan (id, number or file name) instead of PATH: its text as loaded.")
@click.option("--around", type=click.IntRange(min=1), help="With --plan: only the lines near this line number.")
@click.option(
    "--context", type=click.IntRange(min=0), default=5, show_default=True, help="Lines each side of --around."
)
@store_option
@backend_option
def text_command(
    path: Path | None,
    blocks: bool,
    plan: str | None,
    around: int | None,
    context: int,
    store_path: Path | None,
    backend: str,
) -> None:
    """Print a document as plangraph reads it, with the line numbers findings and tasks cite.

    For DOCX and PDF files this is the text view the loaders number: one line per paragraph
    and per table row (cells separated by tabs), pages marked for PDF rows. With --plan, the
    text a load kept of a loaded plan's document (the explorer's source view, GET /plans/{id}/text)."""
    from plangraph.ingest.reading import read_file
    from plangraph.loaders import detect
    from plangraph.model import Heading, Table

    if (path is None) == (plan is None):
        fail("give a document's PATH, or --plan and a loaded plan", EXIT_USAGE)
    if plan is not None:
        if blocks:
            fail("--blocks reads a file: give its PATH", EXIT_USAGE)
        from plangraph.views import plan_text

        archive = _sources(store_path)
        found = _with_store(lambda store: plan_text(store, plan, archive, around, context), store_path, backend)
        click.echo(
            f"# {found['source_file']} ({found['code'] or found['plan']}): lines {found['first']}-{found['last']}"
            f" of {found['total_lines']}"
        )
        width = len(str(found["last"]))
        for line in found["lines"]:  # as `plangraph text PATH` prints them; with --around, ">" marks that line
            mark = "" if around is None else (">" if line["line"] == around else " ")
            click.echo(f"{mark}{line['line']:>{width}}  {line['text']}")
        return
    if around is not None:
        fail("--around goes with --plan", EXIT_USAGE)
    assert path is not None
    _configure_ocr(store_path)
    try:
        source = read_file(path)
        document = detect(source).parse(source)
    except PlangraphError as exc:
        fail(str(exc))
    if not blocks:
        width = len(str(document.source.text.count("\n") + 1))
        for number, line in enumerate(document.source.text.split("\n"), start=1):
            click.echo(f"{number:>{width}}  {line}")
        return
    click.echo(f"# {path.name}: format {document.format}, {len(document.blocks)} blocks")
    for block in document.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                page = f" p.{row.page}" if row.page is not None else ""
                click.echo(f"{row.line:>5}{page} row  " + " | ".join(c.text for c in row.cells))
        else:
            kind = "heading" if isinstance(block, Heading) else "para"
            click.echo(f"{block.line:>5} {kind}  {block.text}")
    for marker, note in document.footnotes.items():
        click.echo(f"      footnote {marker} {note}")


@main.command()
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, help="Query parameter name=value (repeatable).")
@format_option
@click.option("--limit", type=int, default=DEFAULT_ROW_LIMIT, show_default=True, help="Row cap.")
@store_option
@backend_option
def cypher(query: str, params: tuple[str, ...], fmt: str, limit: int, store_path: Path | None, backend: str) -> None:
    """Run a read-only Cypher query: the read subset, parsed first, run in a sandboxed query worker."""
    from plangraph.store.guard import check_user_query, run_user_query

    values = parse_params(params)
    try:
        check_user_query(query, values)
    except QueryError as exc:
        fail(str(exc), EXIT_USAGE)
    opener = None
    if backend == "embedded":  # one sandboxed query worker, as the API's
        from plangraph.store.workers import ReadPool

        opener = lambda: ReadPool(store_path or default_store_path(), size=1, check_plans=True)  # noqa: E731
    action = lambda store: run_user_query(store, query, values, row_limit=limit)  # noqa: E731
    click.echo(render(_with_store(action, store_path, backend, opener=opener), fmt))


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
        for item in public_queries().values():
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


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("documents", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--misses", default=5, show_default=True, help="Missed tasks listed per document (-1: all).")
def eval_command(gold: Path, documents: tuple[Path, ...], as_json: bool, misses: int) -> None:
    """Score the reading of DOCUMENTS against a reading by hand (GOLD.json): tasks found, owners, metadata."""
    from plangraph.ingest.evaluate import evaluate_paths

    try:
        evaluation = evaluate_paths(gold, documents)
    except PlangraphError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(json.dumps(evaluation.as_dict(), ensure_ascii=False, indent=2) if as_json else evaluation.render(misses))


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
    warning = lineage_warning(backend, store_path)
    if warning:
        click.echo(warning, err=True)
    differs = journal_warning(backend, store_path)
    if differs:
        click.echo(differs, err=True)
    if fmt == "json":
        click.echo(
            json.dumps(
                {**counts, "lineage_incomplete": warning is not None, "journal_differs": bool(differs)}, indent=2
            )
        )
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
    from plangraph.store.export import export_graphml, export_json, export_neo4j_admin

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
    from plangraph.api.app import create_app
    from plangraph.api.server import run as run_server
    from plangraph.store.sandbox import can_write_installation

    settings = Settings.model_validate({"backend": backend, "store": store_path or default_store_path()})
    other = _serving(backend, store_path)
    if other is not None:
        fail(f"plangraph serve (process {other.pid}) already serves this store at {other.url}; use it, or stop it")
    for warning in (lineage_warning(backend, store_path), journal_warning(backend, store_path)):
        if warning:
            click.echo(warning, err=True)
    writable = can_write_installation()
    if writable:
        click.echo(
            f"warning: plangraph serve runs as a user that can write its own installation ({writable[0]}"
            f"{' …' if len(writable) > 1 else ''}); run it as a user that cannot (README: 'Operating plangraph')",
            err=True,
        )
    local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # where this machine's writers reach it
    run_server(create_app(settings, url=f"http://{local}:{port}"), host, port, settings)


def journal_warning(backend: str, store_path: Path | None) -> str | None:
    """The warning to show when the last write counted the store differently from its journal (embedded)."""
    if backend != "embedded":
        return None
    from plangraph.store.embedded import REPAIR_COMMAND, diverged

    differences = diverged(store_path or default_store_path())
    if not differences:
        return None
    return f"warning: the store differs from its journal ({'; '.join(differences)}); run {REPAIR_COMMAND}"


@main.command()
@store_option
def demo(store_path: Path | None) -> None:
    """Load data/samples into the embedded store and run an example query."""
    from plangraph.ingest.pipeline import load_paths

    samples = sample_documents()
    if not samples:
        fail("the sample plans are not installed (plangraph.samples); reinstall plangraph", EXIT_USAGE)
    server = _serving("embedded", store_path)
    if server is not None:  # the running server owns the store: it loads the samples
        answer = _through_server(server, "/admin/load", {"paths": [str(p) for p in samples]})
        click.echo(answer["rendered"])
        failed = bool(answer["failed"])
        store = open_store("embedded", store_path, read_only=True)
    else:
        store = open_store("embedded", store_path)
        report = load_paths(samples, store, sources=_sources(store_path))
        click.echo(report.render(max_findings=40))
        failed = bool(report.failed)
    click.echo("\nWho leads the most tasks (plangraph query agency-workload -p limit=10):\n")
    click.echo(render(run_named(store, "agency-workload", {"limit": 10}), "table"))
    store.close()
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _with_store(action: Any, store_path: Path | None, backend: str, read_only: bool = True, opener: Any = None) -> Any:
    """Open the store (or what `opener()` opens), run `action(store)`, close it; errors become a message and
    an exit code."""
    try:
        store = opener() if opener is not None else open_store(backend, store_path, read_only=read_only)
    except PlangraphError as exc:
        fail(str(exc))
    try:
        try:
            return action(store)
        except BaseException as exc:
            if not isinstance(exc, PlangraphError | SystemExit):
                abandon = getattr(store, "abandon", None)
                if abandon is not None:
                    abandon()  # interrupted (Ctrl-C) or broken: a writer leaves the store as it was
            raise
    except NoMatch as exc:  # a name nothing matches: an answer (exit 1), with the closest names
        fail(str(exc), EXIT_SOME_FAILED)
    except QueryError as exc:
        fail(str(exc), EXIT_USAGE)
    except PlangraphError as exc:
        fail(str(exc))
    finally:
        store.close()


def _table(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> str:
    result = QueryResult(tuple(columns), tuple(tuple(r.get(c) for c in columns) for r in rows))
    return render(result, fmt)


@main.command("cascade")
@click.argument("mandate")
@click.option("--format", "fmt", type=click.Choice(["tree", "json"]), default="tree", show_default=True)
@click.option("--max-tasks", default=12, show_default=True, help="Tasks shown per plan in the tree.")
@click.option("--province", help='Only the plans of this province ("Lạng Sơn") and the national ones.')
@click.option("--no-tasks", is_flag=True, help="Plans and counts only, no task lists (for a national store).")
@store_option
@backend_option
def cascade_command(
    mandate: str,
    fmt: str,
    max_tasks: int,
    province: str | None,
    no_tasks: bool,
    store_path: Path | None,
    backend: str,
) -> None:
    """How MANDATE ("NQ 57", "57-NQ/TW", "Đề án 06") cascades: instruments, plans by level, tasks and owners."""
    from plangraph.cascade.tree import cascade, render_tree

    result = _with_store(
        lambda store: cascade(store, mandate, tasks=not no_tasks, province=province), store_path, backend
    )
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_tree(result, max_tasks))


@main.command()
@click.option("--threshold", type=float, default=None, help="Score a link needs (default: the tuned threshold).")
@store_option
@backend_option
def link(threshold: float | None, store_path: Path | None, backend: str) -> None:
    """Recompute task lineage (DERIVES_FROM) over everything loaded. `load` already does this."""
    from plangraph.cascade.lineage import THRESHOLD
    from plangraph.cascade.linking import relink

    server = _serving(backend, store_path)
    if server is not None:  # the running server owns the store: it relinks
        answer = _through_server(server, "/admin/link", {"threshold": threshold})
        count, late = answer["links"], answer["late"]
    else:
        links = _with_store(
            lambda store: relink(store, threshold=THRESHOLD if threshold is None else threshold),
            store_path,
            backend,
            read_only=False,
        )
        count, late = len(links), sum(1 for item in links if item.deadline_after_parent)
    click.echo(f"{count} DERIVES_FROM links written; {late} with a deadline after the parent's.")


@main.command()
@click.option("--no-lineage", is_flag=True, help="Skip relinking the tasks in memory to compare the lineage.")
@click.option("--exact", is_flag=True, help="Also build the journal afresh and compare every node and edge.")
@store_option
def check(no_lineage: bool, exact: bool, store_path: Path | None) -> None:
    """Check the embedded store against its journal: one line per problem, exit 1 if any.

    \b
    Example:
      plangraph check
      plangraph check --exact --store .plangraph/graph.lbdb
    """
    from plangraph.store.repair import check as check_store

    path = store_path or default_store_path()
    if not path.exists():
        fail(f"no graph store at {path}. Load documents first: plangraph load data/samples")
    try:
        result = check_store(path, lineage=not no_lineage, exact=exact)
    except PlangraphError as exc:
        fail(str(exc))
    for note in result.notes:
        click.echo(f"note: {note}")
    for problem in result.problems:
        click.echo(f"problem: {problem}")
    if result.ok:
        click.echo(f"{path}: no problem found")
        return
    click.echo(f"{len(result.problems)} problems; plangraph repair rebuilds the store from its journal")
    sys.exit(EXIT_SOME_FAILED)


@main.command()
@store_option
def repair(store_path: Path | None) -> None:
    """Rebuild the embedded store from its journal and put it in place of the old one (kept beside it).

    \b
    Example:
      plangraph repair
    """
    from plangraph.store.repair import repair as repair_store

    path = store_path or default_store_path()
    server = _serving("embedded", store_path)
    if server is not None:
        fail(f"plangraph serve (process {server.pid}) serves this store at {server.url}; stop it, then repair")
    try:
        kept, documents = repair_store(path)
    except PlangraphError as exc:
        fail(str(exc))
    click.echo(f"{path}: rebuilt from its journal ({documents} documents), linked. The old store is in {kept}")


@main.command("explain-link")
@click.argument("lower")
@click.argument("higher")
@store_option
@backend_option
def explain_link(lower: str, higher: str, store_path: Path | None, backend: str) -> None:
    """Why task LOWER does (or does not) derive from task HIGHER: score, shared terms and citations."""
    from plangraph.cascade.linking import explain

    found = _with_store(lambda store: explain(store, lower, higher), store_path, backend)
    click.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))


@main.command()
@click.argument("plan")
@click.option("--mandate", help="Only the higher-level tasks in this mandate's cascade.")
@click.option("--all", "all_tasks", is_flag=True, help="Every higher-level task, not only the plan's mandates.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@store_option
@backend_option
def gaps(plan: str, mandate: str | None, all_tasks: bool, fmt: str, store_path: Path | None, backend: str) -> None:
    """The higher-level tasks PLAN (id, number or file name) does not carry, and those it does."""
    from plangraph.cascade.coverage import gaps as find_gaps

    found = _with_store(lambda store: find_gaps(store, plan, mandate, all_tasks), store_path, backend)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    columns = ["plan", "level", "ref", "title", "leads", "due", "status"]
    if fmt == "csv":
        rows = [{**r, "carried_by": ""} for r in found["not_carried"]]
        rows += [{**r, "carried_by": " ".join(r["carried_by"])} for r in found["carried"]]
        click.echo(_table(rows, columns + ["carried_by"], "csv"))
        return
    p = found["plan"]
    click.echo(f"{p['code'] or p['id']} ({p['level']}, {p['jurisdiction']}): {p['title'][:100]}")
    if found["higher_plans"]:
        higher = ", ".join(found["higher_plans"])
        click.echo(f"Compared with {found['scope']}: {found['candidates']} task(s) of {higher}")
    else:
        click.echo(f"Compared with {found['scope']}: no higher-level plan is loaded, so there is nothing to carry")
    click.echo(f"\nNot carried ({len(found['not_carried'])}):")
    click.echo(_table(found["not_carried"], columns, "table"))
    click.echo(f"\nCarried ({len(found['carried'])}):")
    click.echo(_table(found["carried"], columns[:4] + ["carried_by"], "table"))


@main.command()
@click.argument("mandate")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@store_option
@backend_option
def coverage(mandate: str, fmt: str, store_path: Path | None, backend: str) -> None:
    """Per level of MANDATE's cascade, the share of tasks that reach each lower level."""
    from plangraph.cascade.coverage import coverage as find_coverage

    found = _with_store(lambda store: find_coverage(store, mandate), store_path, backend)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(_table(found["coverage"], ["level", "reaches", "lower_plans", "tasks", "reached", "share"], fmt))
    if fmt == "table":
        click.echo("lower_plans: loaded plans at that level in a jurisdiction that could carry the tasks.")
        click.echo("\nHigher-level tasks and the levels their derived tasks reach:")
        click.echo(_table(found["tasks"], ["plan", "level", "ref", "title", "derived", "reaches"], fmt))


@main.command()
@click.argument("jurisdiction", required=False)
@click.option(
    "--q", "q", default=None, help="Part of the agency's name or an alias (any case, with or without diacritics)."
)
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@store_option
@backend_option
def agencies(
    jurisdiction: str | None, q: str | None, limit: int, fmt: str, store_path: Path | None, backend: str
) -> None:
    """The bodies of JURISDICTION (part of its name, or its official code) with their codes and what they lead
    and support; a body the 2025 reorganisation dissolved names its successor."""
    from plangraph.views import list_agencies

    page = _with_store(lambda store: list_agencies(store, q, limit, 0, jurisdiction), store_path, backend)
    rows = page.as_dict()["items"]
    if fmt == "json":
        click.echo(json.dumps(page.as_dict(), ensure_ascii=False, indent=2))
        return
    columns = ["name", "kind", "level", "jurisdiction", "province_code", "commune_code", "lead", "support"]
    if any(r.get("succeeded_by") for r in rows):
        columns.append("succeeded_by")
    click.echo(_table(rows, columns, fmt))
    if fmt == "table":
        click.echo(f"{page.total} agencies" + (f" (the first {limit})" if page.total > limit else ""))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@store_option
@backend_option
def overlaps(fmt: str, store_path: Path | None, backend: str) -> None:
    """Tasks that fall under two or more mandates' cascades (candidates to coordinate or report once)."""
    from plangraph.cascade.coverage import overlaps as find_overlaps

    found = _with_store(find_overlaps, store_path, backend)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(_table(found["overlaps"], ["plan", "ref", "title", "mandates", "leads", "due"], fmt))


@main.command()
@click.argument("table", type=click.Choice(["workload", "forest", "clusters"]))
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date for overdue (default: today).")
@format_option
@store_option
@backend_option
def analytics(table: str, as_of: Any, fmt: str, store_path: Path | None, backend: str) -> None:
    """networkx tables: agency workload (overdue as of a date), the lineage forest, overlap clusters."""
    from datetime import date

    from plangraph.cascade.analytics import forest_rows, overlap_clusters, pull_graph, workload
    from plangraph.cascade.coverage import overlaps as find_overlaps

    def build(store: Any) -> tuple[Any, Any]:
        graph = pull_graph(store)
        found = find_overlaps(store) if table == "clusters" else {"overlaps": []}
        return graph, {r["task_id"]: r["mandates"] for r in found["overlaps"]}

    graph, overlapping = _with_store(build, store_path, backend)
    if table == "workload":
        day = as_of.date() if as_of else date.today()
        rows = workload(graph, day)
        columns = ["agency", "jurisdiction", "lead", "support", "open_lead", "overdue_lead", "overdue_support", "plans"]
    elif table == "forest":
        rows = forest_rows(graph)
        columns = ["roots", "root_title", "tasks", "links", "depth", "levels"]
    else:
        rows = overlap_clusters(graph, overlapping)
        columns = ["mandates", "tasks", "plans", "members", "example"]
    click.echo(_table(rows, columns, fmt))


def _run(action: Any, fmt: str, store_path: Path | None, backend: str) -> None:
    click.echo(render(_with_store(action, store_path, backend), fmt))


if __name__ == "__main__":
    main()
