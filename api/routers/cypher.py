"""POST /cypher: read-only Cypher with parameters, a row cap and a time limit."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.schemas import CypherRequest, Rows
from graph.store.base import jsonable

router = APIRouter(tags=["cypher"])


@router.post(
    "/cypher",
    response_model=Rows,
    responses={
        400: {"description": "not valid Cypher for this graph, or stopped at the time limit"},
        403: {"description": "the query tries to write"},
    },
    summary="Run read-only Cypher (writes are refused by the engine); rows capped, time-limited",
)
def run_cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> Rows:
    cap = settings.query_row_limit if body.limit is None else max(0, min(body.limit, settings.query_row_limit))
    result = store.run_read(body.query, body.params, row_limit=cap, timeout_ms=settings.query_timeout_ms)
    return Rows(
        columns=list(result.columns),
        rows=[jsonable(r) for r in result.records()],
        total=len(result.rows),
        truncated=result.truncated,
    )
