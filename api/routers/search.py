"""GET /search: tasks, plans, agencies and legal bases, diacritics-insensitive, ranked."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from plangraph.api.deps import HolderDep
from plangraph.api.schemas import SearchPage

router = APIRouter(tags=["search"])
Kind = Literal["task", "plan", "agency", "legal"]


@router.get(
    "/search",
    response_model=SearchPage,
    responses={400: {"description": "q has no word"}},
    summary="Search everything; 'chuyen doi so' finds 'chuyển đổi số'",
)
def search(
    holder: HolderDep,
    q: Annotated[str, Query(min_length=1, examples=["chuyen doi so"])],
    kind: Annotated[list[Kind] | None, Query(description="restrict to these kinds (repeatable)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    return holder.search_index().search(q, set(kind) if kind else None, limit, offset).as_dict()
