"""The reference data, loaded in one place: the provinces, the legal instruments, the agency registry.

The data are JSON files of `plangraph.data` (see data/README.md); every stage that needs them reads them
here — the header and the interpretation (provinces, the registry's agency names for the spaCy components),
the normalisers (instruments), the resolution (the registry) — so no stage imports another to reach them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any


def _load(name: str) -> Any:
    return json.loads(resources.files("plangraph.data").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def provinces() -> tuple[tuple[str, str], ...]:
    """The 34 provinces in force since 1 July 2025 (Nghị quyết 202/2025/QH15), as (name, kind: tỉnh | thành
    phố), in the official register's order (plangraph.register: the codes' order)."""
    from plangraph.register import register

    units = sorted({u.code: u for u in register().provinces.values()}.values(), key=lambda u: u.code)
    return tuple((u.name, "thành phố" if "thành phố" in u.kind else "tỉnh") for u in units)


@dataclass(frozen=True)
class Instrument:
    id: str
    kind: str
    issuer: str
    issued_on: date | None
    title: str
    aliases: tuple[str, ...]
    implements: tuple[str, ...]


@lru_cache(maxsize=1)
def reference_instruments() -> dict[str, Instrument]:
    raw = _load("legal_reference.json")
    out: dict[str, Instrument] = {}
    for item in raw["instruments"]:
        issued = date.fromisoformat(item["issued_on"]) if item.get("issued_on") else None
        out[item["id"]] = Instrument(
            id=item["id"],
            kind=item["kind"],
            issuer=item["issuer"],
            issued_on=issued,
            title=item.get("title", ""),
            aliases=tuple(item.get("aliases", [])),
            implements=tuple(item.get("implements", [])),
        )
    return out


@dataclass(frozen=True)
class Entry:
    name: str
    short: str | None
    kind: str | None
    level: str | None
    context: str | None
    part_of: str | None
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    name: str
    kind: str | None
    level: str | None
    context: str | None
    members: dict[str, str] | None
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class Succession:
    """A body the 2025 reorganisation dissolved: who carries its work since `on`, by `basis`."""

    name: str
    kind: str | None
    level: str | None
    patterns: tuple[str, ...]
    succeeded_by: tuple[str, ...]  # registry entry names, the main successor first
    on: str  # ISO date
    basis: str  # the legal document of the change


@dataclass(frozen=True)
class Registry:
    abbreviations: tuple[tuple[re.Pattern[str], str], ...]
    typos: tuple[tuple[re.Pattern[str], str], ...]
    entries: tuple[Entry, ...]
    groups: tuple[Group, ...]
    posts: tuple[str, ...]
    reorganised: tuple[Succession, ...] = ()


@lru_cache(maxsize=1)
def registry() -> Registry:
    raw = _load("agencies.json")
    abbreviations = tuple(
        (re.compile(rf"(?<![\wĐđ&]){re.escape(short)}(?![\wĐđ&])"), long)
        for short, long in sorted(raw["abbreviations"].items(), key=lambda kv: -len(kv[0]))
    )
    typos = tuple(
        (re.compile(re.escape(wrong), re.IGNORECASE), right)
        for wrong, right in sorted(raw["typos"].items(), key=lambda kv: -len(kv[0]))
    )
    entries = tuple(
        Entry(
            name=e["name"],
            short=e.get("short"),
            kind=e.get("kind"),
            level=e.get("level"),
            context=e.get("context"),
            part_of=e.get("part_of"),
            patterns=tuple(e["patterns"]),
        )
        for e in raw["agencies"]
    )
    groups = tuple(
        Group(
            name=g["name"],
            kind=g.get("kind"),
            level=g.get("level"),
            context=g.get("context"),
            members=g.get("members"),
            prefixes=tuple(sorted(g["prefixes"], key=len, reverse=True)),
        )
        for g in raw["groups"]
    )
    reorganised = tuple(
        Succession(
            name=r["name"],
            kind=r.get("kind"),
            level=r.get("level"),
            patterns=tuple(r["patterns"]),
            succeeded_by=tuple(r["succeeded_by"]),
            on=r["on"],
            basis=r["basis"],
        )
        for r in raw.get("reorganised", [])
    )
    return Registry(abbreviations, typos, entries, groups, tuple(raw.get("posts", [])), reorganised)
