"""Render query results for the terminal: table, JSON (objects keyed by column) or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from plangraph.store.base import QueryResult, jsonable

MAX_CELL = 60  # characters shown per cell in table output


def _cell(value: Any) -> str:
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render(result: QueryResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([jsonable(r) for r in result.records()], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(
                [
                    json.dumps(jsonable(v), ensure_ascii=False) if isinstance(v, list | dict) else jsonable(v)
                    for v in row
                ]
            )
        return buffer.getvalue().rstrip("\n")
    cells = [[_cell(v) for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    footer += ", more rows were cut at the row limit)" if result.truncated else ")"
    lines.append(footer)
    return "\n".join(lines)
