"""What a user query may be, before it reaches either engine.

The engines enforce read-only access themselves (a read-only database on the
embedded engine, READ-mode sessions and read transactions on Neo4j): that is the
guarantee against writes. This guard closes what read-only mode does not cover:

- several statements in one text (the embedded engine crashes on some of them);
- statements that touch the server rather than the graph, which read-only mode
  allows: reading server files (LOAD FROM / LOAD CSV), writing them (EXPORT,
  COPY … TO), extensions and network (INSTALL, LOAD EXTENSION), other databases
  (ATTACH, USE), transaction control (BEGIN/COMMIT/ROLLBACK leave a connection in
  a state the next user inherits), CHECKPOINT, and configuration calls such as
  `CALL timeout=0` that would lift the time limit.

Keywords are found outside strings, escaped names and comments only.
"""

from __future__ import annotations

import re

from graph.errors import QueryError, ReadOnlyViolation

FORBIDDEN = re.compile(
    r"\b(LOAD\s+(?:CSV|FROM|EXTENSION)|COPY|EXPORT|IMPORT|INSTALL|UNINSTALL|ATTACH|DETACH\s+DATABASE|USE|CHECKPOINT"
    r"|BEGIN|COMMIT|ROLLBACK|FOREACH)\b",
    re.IGNORECASE,
)
CONFIG_CALL = re.compile(r"\bCALL\s+\w+\s*=", re.IGNORECASE)


def code_only(query: str) -> str:
    """The query with string literals, escaped names and comments removed."""
    code: list[str] = []
    i, n, quote = 0, len(query), ""
    while i < n:
        c = query[i]
        if quote:
            if c == "\\" and quote != "`":
                i += 2
                continue
            if c == quote:
                quote = ""
                code.append(" ")
        elif c in "'\"`":
            quote = c
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end < 0 else end
            continue
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            i = n if end < 0 else end + 2
            code.append(" ")
            continue
        else:
            code.append(c)
        i += 1
    return "".join(code)


def check_user_query(query: str) -> None:
    """Raise QueryError (bad text) or ReadOnlyViolation (a forbidden statement); return when the query may run."""
    text = code_only(query).strip()
    if not text or text == ";":
        raise QueryError("the query is empty; send one Cypher statement, e.g. MATCH (p:Plan) RETURN p.code LIMIT 5")
    if ";" in text.rstrip(";").rstrip():
        raise QueryError("send one Cypher statement per query (found ';' between statements)")
    found = FORBIDDEN.search(text) or CONFIG_CALL.search(text)
    if found:
        keyword = " ".join(found.group(0).split()).upper()
        raise ReadOnlyViolation(
            f"{keyword} is not allowed here: queries read the graph only (no files, extensions, other databases, "
            "transactions or settings)"
        )
