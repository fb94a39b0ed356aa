"""Names in named-query parameters as users type them (issue 18, item 5): "so noi vu", "SỞ NỘI VỤ" and "Sở Nội
vụ" are one agency; "lang son" is Lạng Sơn; "110/kh-ubnd" is 110/KH-UBND.

A parameter of type `agency` or `place` is matched against the names the store holds, ignoring case and
diacritics, and replaced by the store's own spelling of the part the user typed (the query then matches it
as it always did, `toLower(a.name) CONTAINS toLower($agency)`: on both engines, in Cypher a user can paste
into Neo4j Browser). A name nothing matches is refused with the closest names the store holds ("no agency
matches 'so noi vuu'; did you mean 'Sở Nội vụ'?"), never run to print an empty table. A `plan` parameter is
the plan a number, id or file name means (plangraph.queries.lookup.pick_plan), replaced by its id.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from typing import Any

from plangraph.errors import NoMatch, NotFound
from plangraph.queries import NamedQuery, internal_query
from plangraph.store.base import Reader

ROWS = 1_000_000
KIND_WORDS = {"agency": "agency", "place": "jurisdiction"}


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[:1]
    return base.lower() if base else c.lower()


def folded_with_index(text: str) -> tuple[str, list[int]]:
    """The text folded one character for one (lower case, no diacritics), and where each character came from."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_fold_char(c) for c in text), list(range(len(text)))


def spelling(typed: str, names: list[str]) -> str | None:
    """The store's most common spelling of what `typed` folds to, inside the names that contain it."""
    needle = " ".join(folded_with_index(typed)[0].split())
    if not needle:
        return None
    found: Counter[str] = Counter()
    for name in names:
        folded, _ = folded_with_index(name)
        at = folded.find(needle)
        if at >= 0:
            found[unicodedata.normalize("NFC", name)[at : at + len(needle)]] += 1
    if not found:
        return None
    return max(found.items(), key=lambda item: (item[1], item[0]))[0]


def suggestions(typed: str, names: list[str], n: int = 3) -> list[str]:
    """The names closest to what was typed (by their folded form)."""
    by_fold: dict[str, str] = {}
    for name in sorted(names):
        by_fold.setdefault(" ".join(folded_with_index(name)[0].split()), name)
    needle = " ".join(folded_with_index(typed)[0].split())
    close = difflib.get_close_matches(needle, list(by_fold), n=n, cutoff=0.6)
    if not close:  # a part of a long name: compare with each name's words of the same length
        words = len(needle.split())
        parts: dict[str, str] = {}
        for folded, name in by_fold.items():
            tokens = folded.split()
            for i in range(max(len(tokens) - words + 1, 1)):
                parts.setdefault(" ".join(tokens[i : i + words]), name)
        close = [parts[p] for p in difflib.get_close_matches(needle, list(parts), n=n, cutoff=0.6)]
        return list(dict.fromkeys(close))
    return [by_fold[c] for c in close]


def resolve_names(store: Reader, query: NamedQuery, values: dict[str, Any]) -> dict[str, Any]:
    """The values with agency and place parameters in the store's spelling and plans as their ids."""
    kinds = {p.name: p.type for p in query.params if p.type in ("agency", "place", "plan") and values.get(p.name)}
    if not kinds:
        return values
    out = dict(values)
    held: dict[str, list[str]] = {"agency": [], "place": []}
    if any(kind in held for kind in kinds.values()):
        for row in store.run_read(internal_query("lookup-names"), row_limit=ROWS).rows:
            if row[1]:
                held[str(row[0])].append(str(row[1]))
    for name, kind in kinds.items():
        typed = str(values[name])
        if kind == "plan":
            from plangraph.queries.lookup import find_plan_id

            try:
                out[name] = find_plan_id(store, typed)
            except NotFound as exc:
                raise NoMatch(str(exc)) from None
            continue
        found = spelling(typed, held[kind])
        if found is None:
            close = suggestions(typed, held[kind])
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise NoMatch(f"no {KIND_WORDS[kind]} matches {typed!r}{hint}")
        out[name] = found
    return out
