"""GET /tasks (filtered, paged), GET /tasks/{id} (owners, mandates, lineage, provenance)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from plangraph.api.deps import StoreDep
from plangraph.api.schemas import TaskDetail, TaskPage
from plangraph.views import TaskFilter, get_task, list_tasks

router = APIRouter(prefix="/tasks", tags=["tasks"])


@router.get("", response_model=TaskPage, summary="Tasks by owner, place, mandate, status, deadline and origin")
def tasks(
    store: StoreDep,
    agency: Annotated[
        str | None, Query(description="agency id, or part of its name", examples=["tinh-lang-son/so-noi-vu"])
    ] = None,
    role: Annotated[Literal["lead", "support"] | None, Query(description="with agency: lead or support")] = None,
    level: Annotated[Literal["national", "province", "department", "district", "commune"] | None, Query()] = None,
    province: Annotated[str | None, Query(examples=["Lạng Sơn"])] = None,
    jurisdiction: Annotated[
        str | None, Query(description="part of the plan's jurisdiction", examples=["Lợi Bác"])
    ] = None,
    mandate: Annotated[str | None, Query(description="as typed: NQ 57, 57-NQ/TW, Đề án 06")] = None,
    status: Annotated[Literal["open", "done"] | None, Query()] = None,
    due_before: Annotated[date | None, Query(description="deadline window ends before")] = None,
    due_after: Annotated[date | None, Query(description="deadline window ends after")] = None,
    overdue_on: Annotated[date | None, Query(description="open and due before this date")] = None,
    plan: Annotated[str | None, Query(description="plan id, number or file name")] = None,
    origin: Annotated[
        Literal["table", "inline", "duty"] | None,
        Query(description="how the plan states the task: a table row, labelled fields, or an agency's duty"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    flt = TaskFilter(
        agency=agency,
        role=role,
        level=level,
        province=province,
        jurisdiction=jurisdiction,
        mandate=mandate,
        status=status,
        due_before=due_before,
        due_after=due_after,
        overdue_on=overdue_on,
        plan=plan,
        origin=origin,
    )
    return list_tasks(store, flt, limit, offset).as_dict()


@router.get(
    "/{task_id:path}",
    response_model=TaskDetail,
    responses={404: {"description": "no such task"}},
    summary="One task: owners, mandates, citations, lineage (parents, children) and provenance (file, line, row text)",
)
def task(store: StoreDep, task_id: str) -> Any:
    return get_task(store, task_id)
