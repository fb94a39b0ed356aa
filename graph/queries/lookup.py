"""What a user means: the plan, task or mandate a typed name stands for, in one place.

Users type a plan by its number ("110/KH-UBND"), id or file name, a task as "136/KH-UBND#8", a mandate
as "NQ 57" or "Đề án 06". The views, the cascade, lineage and coverage all resolve names here, so the
same words mean the same thing everywhere, and no stage has to import the one above it to do so.
"""

from __future__ import annotations

import re
from typing import Any

from plangraph.errors import NotFound, QueryError
from plangraph.ingest.legal import resolve_mandate
from plangraph.queries import internal_query
from plangraph.store.base import Reader

ROWS = 1_000_000
PLAN_CANDIDATES = internal_query("lookup-plan-candidates")


def pick_plan(rows: list[dict[str, Any]], typed: str) -> dict[str, Any]:
    """The plan row a user means: by id, by number (code) or by source file name.

    A number shared by plans of two places is ambiguous: the error lists their ids.
    """
    name = typed.rsplit("/", 1)[-1]
    exact = [r for r in rows if r["id"] == typed]
    found = exact or [r for r in rows if typed == r["code"] or str(r["source_file"]).rsplit("/", 1)[-1] == name]
    if not found:  # any case: "110/kh-ubnd", "Ke-Hoach.txt"
        low = typed.casefold()
        found = [
            r
            for r in rows
            if low in (str(r["id"]).casefold(), str(r["code"] or "").casefold())
            or str(r["source_file"]).rsplit("/", 1)[-1].casefold() == name.casefold()
        ]
    if len(found) == 1:
        return found[0]
    if not found:
        import difflib

        by_id = {str(r["id"]): r for r in rows}
        keys = {str(r["code"] or r["id"]).casefold(): str(r["id"]) for r in rows}
        close = [keys[k] for k in difflib.get_close_matches(typed.casefold(), list(keys), n=5, cutoff=0.5)]
        close = close or sorted(by_id)[:5]
        known = ", ".join(f"{i} ({str(by_id[i]['source_file']).rsplit('/', 1)[-1]})" for i in close)
        raise NotFound(
            f"no loaded plan is {typed!r}; give a plan id, number or source file name (GET /plans lists them); "
            f"closest: {known}"
        )
    ids = ", ".join(sorted(r["id"] for r in found))
    raise QueryError(f"{typed!r} names {len(found)} plans ({ids}); give the plan id instead")


def find_plan_id(store: Reader, typed: str) -> str:
    """The id of the plan a user means (see pick_plan)."""
    return str(pick_plan(store.run_read(PLAN_CANDIDATES, row_limit=ROWS).records(), typed)["id"])


def resolve_task_id(tasks: dict[str, Any], typed: str) -> str:
    """A task id as stored, or short as "PLAN-NUMBER#REF" (e.g. "136/KH-UBND#8")."""
    if typed in tasks:
        return typed
    plan, _, ref = typed.rpartition("#")
    found = [t for t in tasks if plan and t.endswith("#" + ref) and tasks[t].plan_id.startswith(plan + "@")]
    if len(found) == 1:
        return found[0]
    if found:
        raise QueryError(f"{typed!r} names {len(found)} tasks ({', '.join(sorted(found))}); give the full task id")
    raise QueryError(
        f"no task {typed!r}; give a task id (plangraph query tasks-of-plan lists them) or PLAN-NUMBER#REF, "
        'e.g. "136/KH-UBND#8"'
    )


def mandate_id(typed: str) -> str:
    resolved = resolve_mandate(typed)
    if resolved is None:
        raise QueryError(f'{typed!r} names no legal document; try "57-NQ/TW", "NQ 57", "Đề án 06"')
    return resolved


MANDATE_IDS = internal_query("lookup-mandate-ids")


def stored_mandate_ids(store: Reader, typed: str) -> list[str]:
    """The stored ids of a typed mandate, the main one first.

    Local documents carry "@jurisdiction@year" after their number; a citation without a
    date lacks the year, so one document may be stored as "X@place" and "X@place@2025":
    both are the same mandate here.
    """
    mid = mandate_id(typed)
    found = sorted(r["id"] for r in store.run_read(MANDATE_IDS, {"id": mid, "prefix": mid + "@"}).records())
    if mid in found or not found:
        return [mid] + [f for f in found if f != mid and re.fullmatch(re.escape(mid) + r"@\d{4}", f)]
    base = min(found, key=len)
    same = [f for f in found if f == base or re.fullmatch(re.escape(base) + r"@\d{4}", f)]
    if len(same) == len(found):
        return sorted(same, key=lambda f: (-len(f), f))
    raise QueryError(f"{typed!r} matches {len(found)} documents: {', '.join(found)}; give one of these ids")
