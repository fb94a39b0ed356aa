"""POST /cypher: the read subset of Cypher, parsed before it runs, in sandboxed query workers."""

from __future__ import annotations

from fastapi import APIRouter, Request

from plangraph.api.deps import HolderDep, SettingsDep
from plangraph.api.schemas import CypherRequest, Problem, Rows
from plangraph.store.base import jsonable
from plangraph.store.guard import check_user_query
from plangraph.store.workers import ReadPool

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
        429: {"model": Problem, "description": "this client already has its share of queries running"},
        503: {"model": Problem, "description": "every user-Cypher worker is busy and the queue is full"},
    },
    summary="Run read-only Cypher (the read subset, parsed before it runs); rows capped, time- and memory-limited",
)
def run_cypher(body: CypherRequest, request: Request, holder: HolderDep, settings: SettingsDep) -> Rows:
    cap = settings.query_row_limit if body.limit is None else max(0, min(body.limit, settings.query_row_limit))
    client = request.client.host if request.client else ""
    slots = holder.cypher_slots
    with slots.slot(client):  # a client's share first: a flood costs a counter, not a parse
        if isinstance(holder.cypher, ReadPool):  # parsed in the query worker, in its sandbox
            result = holder.cypher.run_user(body.query, body.params, cap, settings.query_timeout_ms, holder.limits)
        else:  # Neo4j: parsed here, two at a time (a parse holds the interpreter lock)
            with slots.parsing:
                text = check_user_query(body.query, body.params, holder.limits)
            result = holder.cypher.run_read(text, body.params, row_limit=cap, timeout_ms=settings.query_timeout_ms)
    return Rows(
        columns=list(result.columns),
        rows=[jsonable(r) for r in result.records()],
        total=len(result.rows),
        truncated=result.truncated,
    )
