"""The pipeline as plain functions (DESIGN.md §4, §7.3).

    read → detect → parse → interpret → build → write

Replaceable steps are keyword arguments defaulting to the built-ins. A problem
in one document is reported and never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from graph.build import build_batch
from graph.cascade.linking import relink
from graph.errors import ParseError, PlangraphError
from graph.interpret import interpret
from graph.loaders import Loader, detect
from graph.model import Document, GraphBatch, Interpretation, SourceText
from graph.reading import read_file
from graph.report import DocumentReport, LoadReport
from graph.resolve import Resolution, resolve_document
from graph.store.base import GraphStore

log = logging.getLogger(__name__)


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
                (p, p.relative_to(path).as_posix())
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.parts[len(path.parts) :])
            )
        else:
            out.append((path, path.name))
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
        resolution = resolve(interpretation)
        batch = build(interpretation, resolution)
        interpretation = replace(
            interpretation,
            findings=interpretation.findings + tuple(resolution.findings),
            agency_mentions=resolution.mentions,
            agency_mentions_resolved=resolution.resolved,
        )
    except PlangraphError:
        raise
    except Exception as exc:  # a bug in a loader must not stop the other files
        log.exception("unexpected failure reading %s", source.name)
        raise ParseError(
            f"{source.name}: the {loader.name} loader failed ({type(exc).__name__}: {exc}). "
            "The other files were loaded; please report this file."
        ) from exc
    return interpretation, batch


def load_paths(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    read: Callable[[Path], SourceText] = read_file,
    on_document: Callable[[Path], None] | None = None,
    link: bool = True,
) -> LoadReport:
    """Load every document under `paths` into `store` (one transaction per document), then relink
    task lineage (DERIVES_FROM) in the provinces the loaded documents belong to."""
    report = LoadReport()
    provinces: set[str | None] = set()
    for path, name in named_files(paths):
        if on_document is not None:
            on_document(path)
        try:
            source = read(path)
            source = source if source.name == name else replace(source, name=name)
            interpretation, batch = read_document(source)
            store.replace_document(batch)
        except PlangraphError as exc:
            report.documents.append(DocumentReport(file=name, status="failed", error=str(exc)))
            continue
        plan = interpretation.plan
        provinces.add(plan.province if plan.level != "national" else None)
        report.documents.append(
            DocumentReport(
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
        )
    if link and provinces:
        report.derivations = len(relink(store, provinces))
    return report
