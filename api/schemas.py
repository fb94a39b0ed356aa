"""Response models of the API (separate from the pipeline's types)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str
    backend: str


class Stats(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nodes: dict[str, int]
    relationships: dict[str, int]


class QueryParam(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: str
    example: Any
    description: str


class NamedQueryInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    description: str
    params: list[QueryParam]


class Rows(BaseModel):
    model_config = ConfigDict(extra="forbid")
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int
    truncated: bool


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="forbid")
    type: str = "about:blank"
    title: str
    status: int
    detail: str
