"""GET /agencies, /agencies/{id}, /agencies/{id}/tasks (who owns what), /agencies/{id}/summary."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from plangraph.api.deps import StoreDep
from plangraph.api.schemas import AgencyDetail, AgencyPage, AgencySummary, AgencyTasks
from plangraph.views import agency_summary, agency_tasks, get_agency, list_agencies

router = APIRouter(prefix="/agencies", tags=["agencies"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such agency"}}


@router.get(
    "",
    response_model=AgencyPage,
    summary="Agencies by name, alias or jurisdiction (name or official code), with what they lead and support",
)
def agencies(
    store: StoreDep,
    q: Annotated[str | None, Query(examples=["so noi vu"])] = None,
    jurisdiction: Annotated[
        str | None,
        Query(description="part of the jurisdiction's name, or its official code", examples=["Lợi Bác", "06601"]),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    return list_agencies(store, q, limit, offset, jurisdiction).as_dict()


@router.get(
    "/{agency_id:path}/tasks",
    response_model=AgencyTasks,
    responses=NOT_FOUND,
    summary="Who owns what: the tasks an agency leads and supports, grouped by level and plan",
)
def tasks_of(store: StoreDep, agency_id: str, role: Literal["lead", "support"] | None = None) -> Any:
    return agency_tasks(store, agency_id, role)


@router.get(
    "/{agency_id:path}/summary",
    response_model=AgencySummary,
    responses=NOT_FOUND,
    summary="Lead, support, open and overdue counts (overdue as of a date, default today)",
)
def summary(store: StoreDep, agency_id: str, as_of: date | None = None) -> Any:
    return agency_summary(store, agency_id, as_of or date.today())


@router.get(
    "/{agency_id:path}", response_model=AgencyDetail, responses=NOT_FOUND, summary="One agency and its parents/units"
)
def agency(store: StoreDep, agency_id: str) -> Any:
    return get_agency(store, agency_id)
