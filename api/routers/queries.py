"""GET /queries, GET /queries/{name}: the named query library, through the same runner as the CLI."""

from __future__ import annotations

from fastapi import APIRouter, Request

from plangraph.api.deps import SettingsDep, StoreDep
from plangraph.api.schemas import NamedQueryInfo, Problem, QueryParam, Rows
from plangraph.queries import get_query, ordered, public_queries
from plangraph.queries.names import resolve_names
from plangraph.store.base import jsonable

router = APIRouter(prefix="/queries", tags=["queries"])


@router.get("", response_model=list[NamedQueryInfo], summary="The named queries and their parameters")
def list_queries() -> list[NamedQueryInfo]:
    return [
        NamedQueryInfo(
            name=q.name,
            title=q.title,
            description=q.description,
            params=[
                QueryParam(name=p.name, type=p.type, example=p.example, description=p.help, required=p.required)
                for p in q.params
            ],
        )
        for q in public_queries().values()
    ]


@router.get(
    "/{name}",
    response_model=Rows,
    summary="Run a named query; parameters are query-string values (each query: GET /queries/<name>)",
    responses={
        400: {"model": Problem, "description": "unknown parameter or bad value"},
        404: {"model": Problem, "description": "no such query, or a name nothing matches (with the closest)"},
        422: {"model": Problem, "description": "a parameter the query needs is missing"},
    },
)
def run_query(name: str, request: Request, store: StoreDep, settings: SettingsDep) -> Rows:
    query = get_query(name)
    params = resolve_names(store, query, query.coerce(dict(request.query_params)))
    result = ordered(
        query,
        store.run_read(query.text, params, row_limit=settings.query_row_limit, timeout_ms=settings.query_timeout_ms),
    )
    return Rows(
        columns=list(result.columns),
        rows=[jsonable(r) for r in result.records()],
        total=len(result.rows),
        truncated=result.truncated,
    )
