"""Shared resources of the API, injected as Annotated dependencies (tests override them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from api.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Any:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Any, Depends(get_store)]
