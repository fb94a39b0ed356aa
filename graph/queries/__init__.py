"""Named queries: `.cypher` files with a header, run by one runner for CLI and API.

Header lines at the top of each file (DESIGN.md §7.7):

    // name: tasks-led-by
    // title: Tasks an agency leads (who owns what)
    // description: …
    // param: agency string = "Sở Nội vụ" -- what the parameter means

Parameter types: string, int, float, bool, date (ISO "2026-06-30"), mandate (a legal document as typed —
"NQ 57", "Đề án 06" — resolved to its canonical id), and agency, place and plan: a body's name, a
jurisdiction or a plan as a user types them (any case, with or without diacritics), matched against what the
store holds and refused with the closest names when nothing matches (plangraph.queries.names).

The example after "=" is the value to try and the value Neo4j Browser's `:param` gets; it is the default
only for int, float and bool parameters (a limit). A parameter whose example is empty ("") is optional and
empty means "all"; any other parameter must be given (a missing one is a usage error, never the example
silently).

A query made of UNION parts says the order of its rows in a header line (`// order: plan_id, task_ref`),
applied by the runner: Cypher cannot order a UNION the same way on Neo4j and on the embedded engine.

Every read the library itself sends lives here too, in `internal/` (DESIGN.md §7.7: no Cypher inline in
Python logic): the views', the cascade's, the linker's, the analytics' and the export's. Their header says
`// internal: <module>` and lists the parameters they use (`// uses: $id`); they are loaded by the same
runner (so the linter and the cross-engine tests read them from one place), fetched by the modules with
:func:`internal_query`, and hidden from `plangraph query --list`, `GET /queries` and user calls by name.
The one query built at run time is the task list's filter (`plangraph.views.TaskFilter`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from plangraph.errors import NotFound, QueryError, UsageError
from plangraph.ingest.legal import resolve_mandate
from plangraph.store.base import QueryResult

HEADER_LINE = re.compile(r"^//\s*(?P<key>name|title|description|param|internal|uses|order)\s*:\s*(?P<value>.*)$")
# "mandate": a legal document as a user types it ("NQ 57", "Đề án 06"), resolved to its canonical id.
TYPES = ("string", "int", "float", "bool", "date", "mandate", "agency", "place", "plan")
DEFAULTED = ("int", "float", "bool")  # their example is their default; other parameters are required unless ""
PARAM_SPEC = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>" + "|".join(TYPES) + r")\s*=\s*(?P<example>.*?)\s*--\s*(?P<help>.+)$"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    example: Any
    help: str

    @property
    def required(self) -> bool:
        return self.type not in DEFAULTED and self.example != ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str  # the Cypher, header included (comments are valid Cypher)
    internal: str | None = None  # the module that sends it, for the library's own reads
    order: tuple[str, ...] = ()  # `// order: a, b`: the rows' order, for a UNION (Cypher cannot order one portably)

    def coerce(self, given: dict[str, Any]) -> dict[str, Any]:
        """Typed parameters from strings (CLI, query string) or JSON values; unknown names refused."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; it takes: "
                + (", ".join(f"{p.name} ({p.type})" for p in self.params) or "no parameters")
            )
        missing = [p for p in self.params if p.required and str(given.get(p.name, "")).strip() == ""]
        if missing:
            raise UsageError(
                f"query {self.name!r} needs "
                + ", ".join(
                    f"{p.name} ({p.help}; e.g. -p {p.name}={json.dumps(p.example, ensure_ascii=False)})"
                    for p in missing
                )
            )
        out: dict[str, Any] = {}
        for param in self.params:
            value = given.get(param.name, param.example)
            out[param.name] = _coerce(param, value)
        return out


def _coerce(param: Param, value: Any) -> Any:
    try:
        if param.type in ("string", "agency", "place", "plan"):
            return str(value)
        if param.type == "int":
            return int(value)
        if param.type == "float":
            return float(value)
        if param.type == "bool":
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        if param.type == "date":
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if param.type == "mandate":
            resolved = resolve_mandate(str(value))
            if resolved is None:
                raise QueryError(f'parameter {param.name}: {value!r} names no legal document (try "57-NQ/TW", "NQ 57")')
            return resolved
    except (TypeError, ValueError) as exc:
        raise QueryError(f"parameter {param.name} must be a {param.type}, got {value!r}") from exc
    raise QueryError(f"parameter {param.name} has an unknown type {param.type}")


def parse_query_file(name: str, text: str) -> NamedQuery:
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        match = HEADER_LINE.match(line.strip())
        if not match:
            if line.strip() and not line.strip().startswith("//"):
                break
            continue
        key, value = match.group("key"), match.group("value").strip()
        if key == "uses":
            continue
        if key == "param":
            spec = PARAM_SPEC.match(value)
            if not spec:
                raise QueryError(f"{name}: bad param line {value!r} (want: name type = example -- help)")
            example_text = spec.group("example")
            example = json.loads(example_text) if example_text else ""
            params.append(Param(spec.group("name"), spec.group("type"), example, spec.group("help")))
        else:
            fields[key] = value
    for required in ("name", "title", "description"):
        if not fields.get(required):
            raise QueryError(f"{name}: the header has no {required} line")
    if fields["name"] != name:
        raise QueryError(f"{name}: the header names it {fields['name']!r}; the file name must match")
    order = tuple(c.strip() for c in fields.get("order", "").split(",") if c.strip())
    return NamedQuery(
        fields["name"],
        fields["title"],
        fields["description"],
        tuple(params),
        text,
        fields.get("internal") or None,
        order,
    )


@lru_cache(maxsize=1)
def load_queries() -> dict[str, NamedQuery]:
    """Every query of the library: the named queries users run and the library's own reads (internal)."""
    out: dict[str, NamedQuery] = {}
    root = resources.files("plangraph.queries")
    for folder in (root, root.joinpath("internal")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".cypher"):
                name = entry.name[: -len(".cypher")]
                if name in out:
                    raise QueryError(f"two queries are named {name!r} in the library")
                query = parse_query_file(name, entry.read_text("utf-8"))
                if (folder is root) == (query.internal is not None):
                    raise QueryError(f"{name}: internal queries live in internal/ and say so in their header")
                out[name] = query
    return out


def public_queries() -> dict[str, NamedQuery]:
    """The named queries users run (`plangraph query`, `GET /queries`)."""
    return {name: query for name, query in load_queries().items() if query.internal is None}


def get_query(name: str) -> NamedQuery:
    queries = public_queries()
    if name not in queries:
        raise NotFound(f"no named query {name!r}; available: {', '.join(sorted(queries))}")
    return queries[name]


def internal_query(name: str) -> str:
    """The text of one of the library's own reads (internal/NAME.cypher)."""
    query = load_queries().get(name)
    if query is None or query.internal is None:
        raise QueryError(f"the query library has no internal query {name!r}")
    return query.text


def run_named(store: Any, name: str, params: dict[str, Any] | None = None) -> QueryResult:
    """Run a named query read-only on any store (the one runner behind CLI and API)."""
    from plangraph.queries.names import resolve_names

    query = get_query(name)
    values = resolve_names(store, query, query.coerce(params or {}))
    result: QueryResult = store.run_read(query.text, values)
    return ordered(query, result)


def ordered(query: NamedQuery, result: QueryResult) -> QueryResult:
    """The rows in the order the query's `// order:` line gives (for a UNION, which Cypher cannot order the same
    way on both engines); the rows as the store returned them otherwise."""
    if not query.order:
        return result
    from plangraph.store.ordering import reorder

    keys = [(result.columns.index(c), False) for c in query.order if c in result.columns]
    return QueryResult(result.columns, reorder(result.rows, keys), result.truncated)
