"""What a relink owes: the scope (provinces, and levels within them) whose lineage (DERIVES_FROM) is stale until a
relink covers it, on either store (issue 30). The embedded store keeps it in its link journal beside the store
(`graph.lbdb.link.json`); Neo4j in one bookkeeping node, `(:PlangraphState {id: "link"})`. An entry is
`{"provinces": [...] | None, "levels": {province: [level, ...]}}`: `provinces` None is every province; a
province named without levels stands for every lower level."""

from __future__ import annotations

from typing import Any


def union(
    provinces: list[str] | None, levels: dict[str, list[str]], entry: dict[str, Any]
) -> tuple[list[str] | None, dict[str, list[str]]]:
    """The scope of an `entry` and of (`provinces`, `levels`) together."""
    before, before_levels = entry.get("provinces"), entry.get("levels") or {}
    if provinces is None or before is None:
        return None, {}
    joined: dict[str, list[str]] = {}
    for province in set(provinces) | set(before):
        mine = levels.get(province) if province in provinces else []
        theirs = before_levels.get(province) if province in before else []
        if (province in provinces and mine is None) or (province in before and theirs is None):
            continue  # every level there
        joined[province] = sorted(set(mine or []) | set(theirs or []))
    return sorted(set(provinces) | set(before)), joined


def covers(provinces: list[str] | None, levels: dict[str, list[str]], interrupted: dict[str, Any]) -> bool:
    """Does a relink of `provinces` at `levels` rewrite every edge the `interrupted` entry owes? (A province not in
    `levels` is relinked at every lower level.)"""
    if provinces is None:
        return True
    before = interrupted.get("provinces")
    if before is None or not set(before) <= set(provinces):
        return False
    before_levels = interrupted.get("levels") or {}
    for province in before:
        now = levels.get(province)
        if now is not None and (province not in before_levels or not set(before_levels[province]) <= set(now)):
            return False
    return True


def describe(entry: dict[str, Any]) -> str:
    """An entry as a user reads it: "every province", "tỉnh Lạng Sơn (commune tasks), …"."""
    provinces, levels = entry.get("provinces"), entry.get("levels") or {}
    if provinces is None:
        return "every province"
    return ", ".join((p or "?") + (f" ({', '.join(levels[p])} tasks)" if p in levels else "") for p in provinces)
