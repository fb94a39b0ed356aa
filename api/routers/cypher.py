"""POST /cypher: the read subset of Cypher, parsed before it runs, in sandboxed query workers."""

from __future__ import annotations

from fastapi import APIRouter

from plangraph.api.deps import HolderDep, SettingsDep
from plangraph.api.schemas import CypherRequest, Problem, Rows
from plangraph.store.base import jsonable
from plangraph.store.guard import run_user_query

router = APIRouter(tags=["cypher"])


@router.post(
    "/cypher",
    response_model=Rows,
    responses={
        400: {"model": Problem, "description": "not valid Cypher for this graph"},
        403: {
            "model": Problem,
            "description": "outside the read subset (a write, a file, a setting, a function not allowed)",
        },
        413: {"model": Problem, "description": "the query text or its parameters exceed their limits"},
        422: {"model": Problem, "description": "stopped at a limit: time, memory or result size"},
    },
    summary="Run read-only Cypher (the read subset, parsed before it runs); rows capped, time- and memory-limited",
)
def run_cypher(body: CypherRequest, holder: HolderDep, settings: SettingsDep) -> Rows:
    cap = settings.query_row_limit if body.limit is None else max(0, min(body.limit, settings.query_row_limit))
    result = run_user_query(
        holder.cypher,
        body.query,
        body.params,
        row_limit=cap,
        timeout_ms=settings.query_timeout_ms,
        limits=holder.limits,
    )
    return Rows(
        columns=list(result.columns),
        rows=[jsonable(r) for r in result.records()],
        total=len(result.rows),
        truncated=result.truncated,
    )
