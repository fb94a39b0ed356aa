"""POST /documents: upload a plan document, load it, return its load report (API key required).

The key and the size are checked before the body is read (plangraph.api.limits). The file is parsed in an
isolated worker process (plangraph.ingest.isolation) while the API keeps answering; only the write stops the
query workers for a moment. Originals are kept by content — `<uploads>/<sha256>`, written once,
never overwritten, never under the client's name, removed when the file is refused, and outside
what the query workers may read. In the graph an upload is the document `uploads/<sha12>/<name>`:
two offices' `ke-hoach.docx` holding different plans are two documents; a corrected file of a plan
that an earlier upload holds replaces that upload's document in one transaction ("replaced"); a
plan loaded by `plangraph load` from another file is refused (409), never merged.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Header, HTTPException, UploadFile

from plangraph.api.deps import HolderDep, SettingsDep
from plangraph.api.limits import upload_refusal
from plangraph.api.problems import problem
from plangraph.api.schemas import LoadResult, Problem
from plangraph.cascade.linking import expect_link, file_scopes, relink, scope_of
from plangraph.errors import PlangraphError
from plangraph.ingest.pipeline import parse_files
from plangraph.ingest.reading import display_name
from plangraph.ingest.report import DocumentReport, LoadReport
from plangraph.ingest.sources import SourceArchive
from plangraph.store import statements

router = APIRouter(tags=["documents"])
SAFE = re.compile(r"[^\w.\-]+")
MAX_NAME = 120  # characters of the client's file name kept (a 300-character name answered 500)
UPLOAD_PREFIX = "uploads/"


def safe_name(raw: str | None) -> str:
    """The client's file name reduced to a short, safe base name that keeps its extension."""
    base = display_name((raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = SAFE.sub("_", base).strip("._") or "upload.txt"
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(extension) - 1].rstrip("._") + (
            f".{extension}" if extension else ""
        )
    return name


@router.post(
    "/documents",
    response_model=LoadResult,
    status_code=201,
    responses={
        401: {"model": Problem, "description": "missing or wrong X-API-Key (checked before the body is read)"},
        403: {"model": Problem, "description": "uploads are disabled (PLANGRAPH_API_KEY is not set)"},
        409: {"model": Problem, "description": "the plan is loaded from another file by `plangraph load`"},
        413: {"model": Problem, "description": "the body is larger than PLANGRAPH_MAX_UPLOAD_BYTES"},
        422: {"model": Problem, "description": "the document could not be loaded; the report says why and where"},
    },
    summary="Upload and load one plan document (same loaders, limits and report as `plangraph load`)",
)
def upload(
    file: Annotated[UploadFile, File(description="a plan document (.docx, .pdf, .doc, .txt, .md, …)")],
    holder: HolderDep,
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Any:
    # plangraph.api.limits refused a missing or wrong key before the body was read; the same rule again here, for
    # an app mounted without the middleware.
    refusal = upload_refusal(settings, x_api_key)
    if refusal is not None:
        raise HTTPException(refusal[0], refusal[2])
    name = safe_name(file.filename)
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(413, f"the file is larger than {settings.max_upload_bytes:,} bytes")
    digest = hashlib.sha256(data).hexdigest()
    folder = settings.uploads()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = folder / f".incoming-{secrets.token_hex(8)}"
    staging.write_bytes(data)
    try:
        return _load(staging, name, digest, folder, holder, settings.sources())
    finally:
        staging.unlink(missing_ok=True)


def _load(staging: Path, name: str, digest: str, folder: Path, holder: Any, sources: Path) -> Any:
    source_file = f"{UPLOAD_PREFIX}{digest[:12]}/{name}"
    (parsed,) = list(parse_files([(staging, source_file)], workers=1))
    if parsed.batch is None:
        body = {"loaded": False, "file": name, **_report(parsed.report).as_dict()}
        return problem(422, "Unprocessable Content", f"{name}: {parsed.report.error}", body)
    batch = parsed.batch
    try:
        # Who holds the plan is decided inside the write, under its lock: two uploads of one plan at once are
        # one after the other (decided outside it, three of eight concurrent uploads were "created").
        previous = holder.write(lambda store: _write(store, batch, name, parsed.province, parsed.report.level))
    except _Taken as taken:
        return problem(409, "Conflict", str(taken))
    except PlangraphError as exc:
        return problem(422, "Unprocessable Content", f"{name}: {exc}")
    if parsed.sha256 and parsed.text is not None:
        SourceArchive(sources).put(parsed.sha256, parsed.text)
    original = folder / digest
    if not original.exists():  # content-addressed: written once, never overwritten
        os.replace(staging, original)
    report = _report(parsed.report)
    return {
        "loaded": True,
        "file": name,
        "source_file": source_file,
        "plan": batch.plan_id,
        "action": "replaced" if previous is not None else "created",
        "replaced_file": previous,
        "sha256": digest,
        **report.as_dict(),
    }


class _Taken(PlangraphError):
    """The plan is held by a file `plangraph load` loaded: an upload does not replace it (409)."""


def _write(store: Any, batch: Any, name: str, province: str | None, level: str | None) -> str | None:
    """Decide who holds the plan, write it and relink what it changed: its own province and levels, and those of
    the plan it replaces (the same file's, or the upload that held it), whose tasks go. Returns the file that
    held the plan before (None: a new plan). Runs under the store's write lock."""
    found = store.run_read(statements.plan_owner(), {"id": batch.plan_id}).rows
    previous = found[0][0] if found else None
    if previous is not None and previous != batch.source_file and not previous.startswith(UPLOAD_PREFIX):
        raise _Taken(statements.plan_taken(batch.plan_id, name, previous) + " (Reload it with plangraph load.)")
    replacing = previous if previous and previous != batch.source_file else None
    scopes = file_scopes(store, [f for f in (batch.source_file, replacing) if f]) | {(province, level)}
    expect_link(store, scopes)  # stale until the relink below: a kill in between is reported, not hidden
    provinces, levels = scope_of(scopes)
    try:
        store.replace_document(batch, replacing=replacing)
    finally:  # written or refused, the relink clears the mark (a refused write changed nothing to relink)
        relink(store, provinces, levels=levels)
    return previous


def _report(document: DocumentReport) -> LoadReport:
    report = LoadReport()
    report.documents.append(document)
    return report
