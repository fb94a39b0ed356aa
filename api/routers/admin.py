"""The command line's channel into a running server (plangraph.store.serving): `plangraph load`, `demo` and
`link` on a store this server owns hand their work here. Only from this machine, only with the token of the
server file; not part of the public API (absent from the OpenAPI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from pydantic import BaseModel, Field

from plangraph.api.deps import HolderDep
from plangraph.api.limits import same_key
from plangraph.store.serving import TOKEN_HEADER

router = APIRouter(prefix="/admin", include_in_schema=False)
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def local_caller(request: Request, token: Annotated[str | None, Header(alias=TOKEN_HEADER)] = None) -> None:
    expected = getattr(request.app.state, "server_token", None)
    if expected is None:  # an app not started by `plangraph serve` owns no store file
        raise HTTPException(404, "not found")
    host = request.client.host if request.client else ""
    if host not in LOOPBACK or not same_key(token, expected):
        raise HTTPException(403, "the command line's channel: from this machine, with the server file's token")


class LoadRequest(BaseModel):
    paths: list[str] = Field(min_length=1, max_length=10_000)
    workers: int | None = Field(default=None, ge=1, le=64)


class LinkRequest(BaseModel):
    threshold: float | None = Field(default=None, gt=0, le=1)


@router.post("/load", dependencies=[Depends(local_caller)])
def load(body: LoadRequest, holder: HolderDep) -> dict[str, Any]:
    from plangraph.ingest.pipeline import load_paths
    from plangraph.ingest.sources import SourceArchive

    missing = [p for p in body.paths if not Path(p).exists()]
    if missing:
        raise HTTPException(422, f"the server cannot see {missing[0]!r} (it reads the files itself)")
    sources = SourceArchive(holder.settings.sources())
    report = load_paths(
        [Path(p) for p in body.paths],
        None,  # type: ignore[arg-type]  # every write goes through holder.write
        workers=body.workers,
        write_with=holder.write,
        sources=sources,
    )
    return {
        "report": report.as_dict(),
        "rendered": report.render(),
        "failed": [[d.file, d.error] for d in report.failed],
    }


@router.post("/link", dependencies=[Depends(local_caller)])
def link(body: LinkRequest, holder: HolderDep) -> dict[str, Any]:
    from plangraph.cascade.lineage import THRESHOLD
    from plangraph.cascade.linking import relink

    threshold = THRESHOLD if body.threshold is None else body.threshold
    links = holder.write(lambda store: relink(store, threshold=threshold))
    return {"links": len(links), "late": sum(1 for item in links if item.deadline_after_parent)}
