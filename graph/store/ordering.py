"""The order of an answer, the same on both engines (issue 19, item 3).

`collect()` gives no order of its own, and the two engines collect in different orders: a returned column that
holds a `collect()` (in its RETURN, or in the WITH that named it) is returned sorted when it is a list of strings
(code-point order, as Neo4j's ORDER BY sorts strings), on both engines, so a task's `leads` read the same from
the embedded store and from Neo4j. A list stored as a property (an agency's aliases in the order they were met,
a link's shared terms by weight) keeps its order, and so does a collected list of other values.
A bare `collect()` of nothing (every value null after an OPTIONAL MATCH) is an empty list on both: LadybugDB
0.15.3 returns null there.

And LadybugDB 0.15.3 can return the rows of `… RETURN …, count(x) AS n ORDER BY n DESC` out of order when the
ORDER BY follows an aggregation; Neo4j returns them in order. So the embedded store sorts again, in Python,
the rows of a query whose last clause is an ORDER BY of returned columns (`ORDER BY due_end, plan, ref`,
`ORDER BY tasks DESC`), with Cypher's rules: ascending puts nulls last, descending first, and values of
different types order by type (booleans, numbers, strings, dates, lists). A query that ends with SKIP or LIMIT
is left as the engine returns it (sorting the rows it kept cannot bring back the ones it dropped), and so is
an ORDER BY of an expression that is not a returned column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
KEY = re.compile(r"^\s*(?P<name>`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*(?P<dir>ASC|ASCENDING|DESC|DESCENDING)?\s*$", re.I)


def _code(query: str) -> str:
    """The query with string literals and comments blanked (so an ORDER BY inside them is not one)."""
    out = re.sub(r"//[^\n]*", "", query)
    return re.sub(r"'(?:\\\\.|[^'\\\\])*'|\"(?:\\\\.|[^\"\\\\])*\"", lambda m: " " * len(m.group(0)), out)


def final_order(query: str, columns: tuple[str, ...]) -> list[tuple[int, bool]] | None:
    """(column index, descending) of the query's final ORDER BY, or None when there is nothing to keep."""
    code = _code(query)
    found = list(ORDER_BY.finditer(code))
    if not found:
        return None
    tail = code[found[-1].end() :].strip().rstrip(";").strip()
    if re.search(r"\b(?:SKIP|LIMIT|RETURN|WITH|MATCH|UNION|CALL)\b|[()\[\]{}]", tail, re.IGNORECASE):
        return None
    keys: list[tuple[int, bool]] = []
    for part in tail.split(","):
        match = KEY.match(part)
        if match is None:
            return None
        name = match.group("name").strip("`")
        if name not in columns:
            return None
        keys.append((columns.index(name), (match.group("dir") or "").upper().startswith("DESC")))
    return keys or None


def _rank(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (0, value)
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    if isinstance(value, datetime):
        return (3, value.isoformat())
    if isinstance(value, date):
        return (3, value.isoformat())
    if isinstance(value, list | tuple):
        return (4, tuple(_rank(v) for v in value))
    return (5, repr(value))


def _key(index: int) -> Callable[[tuple[Any, ...]], tuple[int, Any]]:
    return lambda row: _rank(row[index])


def reorder(rows: tuple[tuple[Any, ...], ...], keys: list[tuple[int, bool]]) -> tuple[tuple[Any, ...], ...]:
    """The rows sorted by `keys`, stably, nulls last ascending and first descending."""
    out = list(rows)
    for index, descending in reversed(keys):
        present = [r for r in out if r[index] is not None]
        missing = [r for r in out if r[index] is None]
        present.sort(key=_key(index), reverse=descending)
        out = missing + present if descending else present + missing
    return tuple(out)


CLAUSE = re.compile(
    r"\b(OPTIONAL\s+MATCH|MATCH|WITH|RETURN|UNWIND|WHERE|ORDER\s+BY|SKIP|LIMIT|CALL|UNION|CREATE|MERGE|SET|DELETE)\b",
    re.IGNORECASE,
)
ALIAS = re.compile(r"^(?P<expr>.*?)\s+AS\s+(?P<name>`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*$", re.IGNORECASE | re.DOTALL)
BARE_COLLECT = re.compile(r"^collect\s*\(.*\)$", re.IGNORECASE | re.DOTALL)


def _top_level_items(text: str) -> list[str]:
    """`text` split at the commas outside brackets."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


@lru_cache(maxsize=512)  # the library's queries are few and asked again and again
def collected(query: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names a WITH or RETURN gives to a `collect()`: (those whose value holds a collect anywhere, those that
    are a bare `collect(…)`), followed through later `WITH name` and `… AS other` of a bare name."""
    code = _code(query)
    marks = list(CLAUSE.finditer(code))
    anywhere: set[str] = set()
    bare: set[str] = set()
    for i, mark in enumerate(marks):
        if mark.group(1).upper() not in ("WITH", "RETURN"):
            continue
        # Brackets hide clause words inside them (a subquery, a pattern comprehension): end at one outside them.
        stop = len(code)
        for later in marks[i + 1 :]:
            if code[mark.end() : later.start()].count("(") == code[mark.end() : later.start()].count(")"):
                stop = later.start()
                break
        body = re.sub(r"^\s*DISTINCT\b", "", code[mark.end() : stop], flags=re.IGNORECASE)
        for item in _top_level_items(body):
            match = ALIAS.match(item)
            expr, name = (match.group("expr").strip(), match.group("name").strip("`")) if match else (item, item)
            if "collect(" in re.sub(r"\s+", "", expr).lower() or expr in anywhere:
                anywhere.add(name)
            if BARE_COLLECT.match(expr) or expr in bare:
                bare.add(name)
    return frozenset(anywhere), frozenset(bare)


def _settled_row(row: tuple[Any, ...], sort: set[int], empty: set[int]) -> tuple[Any, ...]:
    out = list(row)
    for i in empty:
        if out[i] is None:
            out[i] = []
    for i in sort:
        v = out[i]
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            out[i] = sorted(v)
    return tuple(out)


def settle(query: str, columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> tuple[tuple[Any, ...], ...]:
    """The rows as both engines give them: `collect()` of nothing an empty list (LadybugDB 0.15.3 returns null
    where Neo4j returns []), lists of strings sorted, the query's final ORDER BY kept."""
    anywhere, bare = collected(query)
    sort = {i for i, column in enumerate(columns) if column in anywhere}
    empty = {i for i, column in enumerate(columns) if column in bare}
    if sort or empty:
        rows = tuple(_settled_row(row, sort, empty) for row in rows)
    keys = final_order(query, columns)
    return reorder(rows, keys) if keys else rows
