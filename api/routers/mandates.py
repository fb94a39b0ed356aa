"""GET /mandates, /mandates/{code}/cascade, /mandates/{code}/coverage (code as a user types it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from plangraph.api.deps import StoreDep
from plangraph.api.schemas import Cascade, Coverage, MandatePage
from plangraph.cascade.coverage import coverage
from plangraph.cascade.tree import cascade
from plangraph.views import list_mandates

router = APIRouter(prefix="/mandates", tags=["mandates"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"description": "the text names no legal document, or several"}}


@router.get("", response_model=MandatePage, summary="Legal bases with the plans and tasks that implement or cite them")
def mandates(
    store: StoreDep,
    implemented: Annotated[bool, Query(description="only those some plan or task implements")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    return list_mandates(store, implemented, limit, offset).as_dict()


@router.get(
    "/{code:path}/cascade",
    response_model=Cascade,
    responses=ERRORS,
    summary="How a mandate cascades: instruments, plans by level, tasks with owners; counts",
)
def mandate_cascade(
    store: StoreDep,
    code: str,
    tasks: Annotated[
        bool, Query(description="list each plan's tasks with owners; false: plans and counts only (fast nationally)")
    ] = True,
    province: Annotated[
        str | None, Query(description='only this province\'s plans and the national ones: "Lạng Sơn"')
    ] = None,
) -> Any:
    return cascade(store, code, tasks=tasks, province=province).as_dict()


@router.get(
    "/{code:path}/coverage",
    response_model=Coverage,
    responses=ERRORS,
    summary="Share of a mandate's tasks at each level that reach each lower level",
)
def mandate_coverage(store: StoreDep, code: str) -> Any:
    return coverage(store, code)
