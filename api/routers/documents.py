"""POST /documents: upload a plan document, load it, return its load report (API key required)."""

from __future__ import annotations

import hmac
import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Header, HTTPException, UploadFile
from fastapi.responses import JSONResponse

from api.deps import HolderDep, SettingsDep
from api.schemas import LoadResult
from graph.pipeline import load_paths

router = APIRouter(tags=["documents"])
SAFE = re.compile(r"[^\w.\-]+")


@router.post(
    "/documents",
    response_model=LoadResult,
    status_code=201,
    responses={
        401: {"description": "missing or wrong X-API-Key"},
        403: {"description": "uploads are disabled (PLANGRAPH_API_KEY is not set)"},
        413: {"description": "the file is larger than PLANGRAPH_MAX_UPLOAD_BYTES"},
        422: {"description": "the document could not be loaded; the report says why and where"},
    },
    summary="Upload and load one plan document (same loaders and report as `plangraph load`)",
)
def upload(
    file: Annotated[UploadFile, File(description="a plan document (.docx, .pdf, .doc, .txt, .md, …)")],
    holder: HolderDep,
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Any:
    if not settings.api_key:
        raise HTTPException(403, "uploads are disabled: set PLANGRAPH_API_KEY on the server to enable them")
    if not x_api_key or not hmac.compare_digest(x_api_key, settings.api_key):
        raise HTTPException(401, "send the server's API key in the X-API-Key header")
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(413, f"the file is larger than {settings.max_upload_bytes} bytes")
    name = SAFE.sub("_", (file.filename or "upload.txt").rsplit("/", 1)[-1]).strip("._") or "upload.txt"
    folder = settings.uploads()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_bytes(data)  # kept: the graph's provenance (source_file) points at it
    report = holder.write(lambda store: load_paths([target], store))
    body = {"loaded": not report.failed, "file": name, **report.as_dict()}  # the name only: no server paths
    if report.failed:
        problem = {
            "type": "about:blank",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": f"{name}: {report.failed[0].error}",
            "report": body,
        }
        return JSONResponse(problem, status_code=422, media_type="application/problem+json")
    return body
