"""GET /plans, /plans/{id}, /plans/{id}/tasks, /plans/{id}/text. Plan ids contain "/": they are path segments as
they are."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from plangraph.api.deps import SettingsDep, StoreDep
from plangraph.api.schemas import PlanDetail, PlanPage, PlanText, TaskPage
from plangraph.ingest.sources import SourceArchive
from plangraph.views import TaskFilter, get_plan, list_plans, list_tasks, plan_text

router = APIRouter(prefix="/plans", tags=["plans"])
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such plan"},
    400: {"description": "the number names several plans"},
}


@router.get("", response_model=PlanPage, summary="Plans, with their level, jurisdiction and task count")
def plans(
    store: StoreDep,
    level: Annotated[str | None, Query(description="national | province | department | district | commune")] = None,
    province: Annotated[str | None, Query(examples=["Lạng Sơn"])] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return list_plans(store, level, province, limit, offset).as_dict()


@router.get(
    "/{plan_id:path}/tasks", response_model=TaskPage, responses=NOT_FOUND, summary="A plan's tasks in document order"
)
def plan_tasks(store: StoreDep, plan_id: str, limit: Limit = 50, offset: Offset = 0) -> Any:
    return list_tasks(store, TaskFilter(plan=plan_id), limit, offset).as_dict()


@router.get(
    "/{plan_id:path}/text",
    response_model=PlanText,
    responses={
        404: {"description": "no such plan, or its text is not kept beside the store (load the file again)"},
        400: {"description": "the number names several plans"},
        422: {"description": "`around` is past the document's last line"},
    },
    summary="The plan's document as plangraph numbered it (the lines tasks and findings cite), whole or around a line",
)
def plan_source_text(
    store: StoreDep,
    settings: SettingsDep,
    plan_id: str,
    around: Annotated[int | None, Query(ge=1, description="a line number: only the lines near it", examples=[20])] = (
        None
    ),
    context: Annotated[int, Query(ge=0, le=10_000, description="lines each side of `around`")] = 20,
) -> Any:
    return plan_text(store, plan_id, SourceArchive(settings.sources()), around, context)


@router.get(
    "/{plan_id:path}",
    response_model=PlanDetail,
    responses=NOT_FOUND,
    summary="One plan (by id, number such as 110/KH-UBND, or source file name) with what it implements and cites",
)
def plan(store: StoreDep, plan_id: str) -> Any:
    return get_plan(store, plan_id)
