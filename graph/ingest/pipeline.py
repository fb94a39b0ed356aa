"""The pipeline as plain functions (DESIGN.md §4, §7.3).

    read → detect → parse → interpret → build → write

Replaceable steps are keyword arguments defaulting to the built-ins. A problem
in one document is reported and never stops the others.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from plangraph.cascade.linking import expect_link, file_scopes, relink, scope_of
from plangraph.errors import FormatError, LoadTimeLimit, ParseError, PlangraphError
from plangraph.ingest.build import build_batch
from plangraph.ingest.interpret import interpret
from plangraph.ingest.isolation import DEFAULT_PARSE_LIMITS, ParseLimits, parse_isolated
from plangraph.ingest.reading import display_name, read_file
from plangraph.ingest.report import DocumentReport, LoadReport
from plangraph.ingest.resolve import Resolution, resolve_document
from plangraph.ingest.sources import SourceArchive
from plangraph.loaders import Loader, detect
from plangraph.model import Document, GraphBatch, Interpretation, SourceText
from plangraph.store.base import GraphStore

log = logging.getLogger(__name__)


def clear_caches() -> None:
    """Forget every per-text memo of parsing (bounded LRU caches: the annotations of cells, the PDF-text layout
    searches, …). Documents repeat few of each other's cells, so benchmarks of real text clear them per document."""
    from plangraph.ingest import columns, nlp, resolve, text
    from plangraph.loaders import pdftext, webtext

    for function in (
        nlp.annotate,
        columns._header_roles,
        resolve.expand,
        resolve.agency_key,
        text.plain_text,
        pdftext._vlen,
        pdftext._cut,
        pdftext._pieces,
        pdftext._reads_as_deadline,
        webtext._pipe_rows,
        webtext._pipe_tables,
    ):
        function.cache_clear()


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and files under folders named (sorted, hidden files skipped)."""
    return [path for path, _ in named_files(paths)]


def named_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Each file with the name it is known by in the graph (`source_file`): its path below the folder
    named ("lang-son/communes/loi-bac.txt"), or its base name when the file itself was named. Two
    offices' "ke-hoach.docx" in different folders are two documents, not one replacing the other."""
    out: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                (p, display_name(p.relative_to(path).as_posix()))
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.parts[len(path.parts) :])
            )
        else:
            out.append((path, display_name(path.name)))
    return out


def read_document(
    source: SourceText,
    *,
    detect_format: Callable[[SourceText], Loader] = detect,
    interpret_document: Callable[[Document], Interpretation] = interpret,
    resolve: Callable[[Interpretation], Resolution] = resolve_document,
    build: Callable[[Interpretation, Resolution], GraphBatch] = build_batch,
) -> tuple[Interpretation, GraphBatch]:
    """Decoded text → interpretation (with the resolution's findings) and its graph batch."""
    loader = detect_format(source)
    try:
        document = loader.parse(source)
        interpretation = interpret_document(document)
        plan = interpretation.plan
        if not (interpretation.tasks or interpretation.indicators or plan.code or plan.issuer):
            # "plangraph load README.md": no plan number, no issuer and no task: not a plan, so no Plan.
            raise FormatError(
                f"{source.name}: not a plan document: no plan number ('Số: …/KH-…'), no issuing body (UBND tỉnh …) "
                "and no task were found in it."
            )
        resolution = resolve(interpretation)
        batch = build(interpretation, resolution)
        interpretation = replace(
            interpretation,
            findings=document.findings + interpretation.findings + tuple(resolution.findings),
            agency_mentions=resolution.mentions,
            agency_mentions_resolved=resolution.resolved,
        )
    except PlangraphError:
        raise
    except Exception as exc:  # a bug in a loader must not stop the other files
        # The file is reported (and the others loaded); the traceback is for `--debug` only.
        log.error("unexpected failure reading %s: %s", source.name, exc, exc_info=log.isEnabledFor(logging.DEBUG))
        raise ParseError(
            f"{source.name}: the {loader.name} loader failed ({type(exc).__name__}: {exc}). "
            "The other files were loaded; please report this file."
        ) from exc
    return interpretation, batch


# Documents written to the store together (a bulk run on the embedded store: each COPY costs about
# 80 ms whatever its size, so larger runs write faster; 1,000 documents hold about 200 MB).
WRITE_RUN = 1_000
# A first load into an empty embedded store writes up to this many documents as its first run: each table is
# copied once, into an empty table, the engine's fastest write (a COPY into a table that holds rows is many
# times slower). The whole country (3,494 documents) is one run; a larger load goes on in runs of WRITE_RUN,
# so what is held stays bounded.
FIRST_RUN = 5_000
# Parse in worker processes from this many files up (below it, shipping batches between processes
# costs more than the second core saves).
PARALLEL_FROM = 24


@dataclass
class Parsed:
    """One file after parsing: its batch and report, or the report of why it failed."""

    path: Path
    report: DocumentReport
    batch: GraphBatch | None = None
    province: str | None = None  # None for a national plan: it may concern every province
    sha256: str | None = None  # the original bytes' digest (Plan.source_sha256)
    text: str | None = None  # the text as numbered (plangraph text), for the source archive


def parse_file(path: Path, name: str, read: Callable[[Path], SourceText] = read_file) -> Parsed:
    """Read and parse one file (no store): what a worker process does."""
    try:
        source = read(path)
        source = source if source.name == name else replace(source, name=name)
        interpretation, batch = read_document(source)
    except PlangraphError as exc:
        return Parsed(path, DocumentReport(file=name, status="failed", error=str(exc)))
    plan = interpretation.plan
    report = DocumentReport(
        file=name,
        status="loaded",
        format=interpretation.document.format,
        plan_id=batch.plan_id,
        plan_code=plan.code,
        level=plan.level,
        tasks=batch.count("Task"),
        indicators=batch.count("Indicator"),
        agencies=batch.count("Agency"),
        legal_bases=batch.count("LegalBasis"),
        agency_mentions=interpretation.agency_mentions,
        agency_mentions_resolved=interpretation.agency_mentions_resolved,
        findings=list(interpretation.findings),
    )
    document = interpretation.document.source
    province = plan.province if plan.level != "national" else None
    return Parsed(path, report, batch, province, document.sha256, document.text)


def parse_files(
    files: list[tuple[Path, str]],
    read: Callable[[Path], SourceText] = read_file,
    workers: int | None = None,
    limits: ParseLimits = DEFAULT_PARSE_LIMITS,
) -> Iterator[Parsed]:
    """Parse files in order, each in an isolated worker process under its own memory and time limits
    (plangraph.ingest.isolation); `workers` processes (default: one per core, one below PARALLEL_FROM files)."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if len(files) < PARALLEL_FROM:
        workers = 1
    yield from parse_isolated(files, read, workers, limits)


def _write_documents(
    store: GraphStore, batches: list[GraphBatch], scopes: set[tuple[str | None, str | None]], link: bool
) -> tuple[set[tuple[str | None, str | None]], list[Any]]:
    """Write a run of documents; with it, the (province, level) of the plans the store held from their files
    before: a document loaded before is replaced, and its old plan's tasks go wherever and at whatever level it was
    (the relink must reach there too). Read in the same write as the replacement (through the API's writer too).
    `scopes`: the (province, level) of the new plans; with those of the replaced ones, recorded as stale lineage
    before the write when a relink is to follow (linking.expect_link)."""
    holds_documents = getattr(store, "holds_documents", None)
    before: set[tuple[str | None, str | None]] = set()
    if holds_documents is None or holds_documents():  # nothing to replace in an empty store (a first load)
        before = file_scopes(store, [b.source_file for b in batches])
    if link:
        expect_link(store, before | scopes)
    return before, store.write_documents(batches)


def load_paths(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    read: Callable[[Path], SourceText] = read_file,
    on_document: Callable[[Path], None] | None = None,
    link: bool = True,
    workers: int | None = None,
    write_with: Callable[[Callable[[GraphStore], Any]], Any] | None = None,
    sources: SourceArchive | None = None,
    time_limit_s: float | None = None,
) -> LoadReport:
    """Load every document under `paths` into `store`, each whole or not at all, then relink task
    lineage (DERIVES_FROM) where the loaded documents (and the plans they replace) are: their provinces, at their
    levels and those below (plangraph.cascade.linking.relink).

    Files are parsed in worker processes when there are many, and written in runs of WRITE_RUN
    documents (store.write_documents: the embedded store copies new documents in bulk); a first load into an
    empty embedded store writes its first FIRST_RUN documents as one run.

    `write_with(action)` runs each write against the writable store (the API server passes the one that pauses
    its query workers for the moment of the write: plangraph.store.serving); by default `action(store)`.
    `sources` keeps each loaded document's numbered text (plangraph.ingest.sources), for its source view.

    `time_limit_s`: past it, the load stops before its next step (a document to parse, a run to write, the
    relink) with LoadTimeLimit: the documents of the runs already written are whole, those after are not in the
    store, and the lineage of the places written waits for `plangraph link` (check and stats say so)."""
    run_write = write_with or (lambda action: action(store))
    started = time.monotonic()

    def in_time(step: str) -> None:
        if time_limit_s is not None and time.monotonic() - started > time_limit_s:
            written = sum(1 for d in report.documents if d.status == "loaded")
            raise LoadTimeLimit(
                f"the load stopped at its time limit ({time_limit_s:g} s) before {step}: {written} document(s) "
                "written whole, the rest not loaded"
                + ("; their lineage waits for `plangraph link`" if written else "; the store is as it was"),
                report,
            )

    holds_documents = getattr(store, "holds_documents", None)
    run_size = FIRST_RUN if holds_documents is not None and not holds_documents() else WRITE_RUN
    report = LoadReport()
    changes: set[tuple[str | None, str | None]] = set()  # (province, level) of every plan written or replaced
    pending: list[Parsed] = []

    def write() -> None:
        batches = [p.batch for p in pending if p.batch is not None]
        scopes = {(p.province, p.report.level) for p in pending if p.batch is not None}
        written: list[Any] = []
        if batches:
            replaced, written = run_write(lambda writer: _write_documents(writer, batches, scopes, link))
            # Every place marked stale before the write is relinked after it, written or not (a refused document
            # changed nothing there, but the relink is what clears the mark: linking.expect_link).
            changes.update(replaced | scopes)
        results = iter(written)
        for parsed in pending:
            outcome = next(results) if parsed.batch is not None else None
            if isinstance(outcome, PlangraphError):
                report.documents.append(DocumentReport(file=parsed.report.file, status="failed", error=str(outcome)))
                continue
            report.documents.append(parsed.report)
            if parsed.batch is not None:
                changes.add((parsed.province, parsed.report.level))
                if sources is not None and parsed.sha256 and parsed.text is not None:
                    sources.put(parsed.sha256, parsed.text)
        pending.clear()

    # A first load's documents are all new: the embedded store merges each into its run as it arrives, while
    # the others are parsed, and the write is then mostly the engine's COPY.
    stage = getattr(store, "stage", None) if run_size == FIRST_RUN else None
    documents = parse_files(named_files(paths), read, workers)
    for parsed in documents:
        if on_document is not None:
            on_document(parsed.path)
        try:
            in_time("parsing the next document")
        except LoadTimeLimit:
            close = getattr(documents, "close", None)
            if close is not None:
                close()  # the parse workers stop
            raise
        if stage is not None and parsed.batch is not None:
            stage(parsed.batch)
        pending.append(parsed)
        if len(pending) >= run_size:
            in_time(f"writing {len(pending)} document(s)")
            write()
            run_size, stage = WRITE_RUN, None
    if pending:
        in_time(f"writing {len(pending)} document(s)")
    write()
    if link and changes:
        in_time("relinking the lineage")  # the provinces and levels the load changed (a national plan: every one)
        provinces, levels = scope_of(changes)
        report.derivations = len(run_write(lambda writer: relink(writer, provinces, levels=levels)))
    commit = getattr(store, "commit", None)
    if commit is not None and write_with is None:
        commit()  # the embedded store's next version, with every document and its lineage, becomes the store
    return report
