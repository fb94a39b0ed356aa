"""GET /health, GET /stats."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.schemas import Health, Stats
from graph.store.base import stats

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness and the store in use")
def health(settings: SettingsDep, store: StoreDep) -> Health:
    store.run_read("RETURN 1 AS ok")
    return Health(status="ok", backend=settings.backend)


@router.get("/stats", response_model=Stats, summary="Nodes per label and relationships per type")
def graph_stats(store: StoreDep) -> Stats:
    counts = stats(store)
    return Stats(nodes=counts["nodes"], relationships=counts["relationships"])
