"""GET /health, GET /stats."""

from __future__ import annotations

from fastapi import APIRouter

from plangraph.api.deps import HolderDep, SettingsDep, StoreDep
from plangraph.api.schemas import Health, Stats
from plangraph.errors import PlangraphError
from plangraph.store import interrupted_link
from plangraph.store.counts import stats
from plangraph.store.embedded import LINK_COMMAND, REPAIR_COMMAND, diverged

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness and the store in use")
def health(settings: SettingsDep, holder: HolderDep) -> Health:
    # No query here: /health answers from the workers' state, so a busy pool never slows it.
    state = holder.health()
    try:  # embedded: the link journal; Neo4j: its link state, one indexed read
        incomplete = interrupted_link(settings.backend, settings.store, getattr(holder, "store", None))
    except PlangraphError:
        incomplete = "the store (it cannot be read now)"
    lineage = "complete" if incomplete is None else f"incomplete for {incomplete}: run {LINK_COMMAND}"
    differences = diverged(settings.store) if settings.backend == "embedded" else []
    journal = "agrees" if not differences else f"differs ({differences[0]} …): run {REPAIR_COMMAND}"
    degraded = incomplete is not None or bool(differences) or state.get("workers", 1) < state.get("workers_expected", 1)
    return Health(
        status="degraded" if degraded else "ok", backend=settings.backend, lineage=lineage, journal=journal, **state
    )


@router.get("/stats", response_model=Stats, summary="Nodes per label and relationships per type")
def graph_stats(store: StoreDep) -> Stats:
    counts = stats(store)
    return Stats(nodes=counts["nodes"], relationships=counts["relationships"])
