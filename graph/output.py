"""Render query results for the terminal: table, JSON (objects keyed by column) or CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from typing import Any

from plangraph.store.base import QueryResult, jsonable

MAX_CELL = 2_000  # characters shown per cell in table output (tables wrap cells; a cell this long is cut)


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
    return table(result.columns, [[_cell(v) for v in row] for row in result.rows], truncated=result.truncated)


SHORT = 16  # a column whose cells are all this short is never wrapped
PIPE_WIDTH = 120  # a table's width when standard output is not a terminal and COLUMNS is not set


def table_width() -> int:
    """The terminal's width (COLUMNS when set, as shells and tests set it), else PIPE_WIDTH."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 20:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
    return PIPE_WIDTH


def column_widths(columns: tuple[str, ...] | list[str], rows: list[list[str]], width: int) -> list[int]:
    """Widths that fit `width`: every column at its longest cell when they fit; otherwise short columns (codes,
    numbers, dates) whole, text columns at least their longest word (up to 24 characters), then the rest of the
    width to the columns within a fair share first (so that few wrap), then to the wide ones in proportion."""
    natural = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(columns)]
    avail = width - 3 * (len(columns) - 1)
    if sum(natural) <= avail:
        return natural
    floor = []
    for i, name in enumerate(columns):
        word = max([len(name)] + [len(w) for row in rows for w in row[i].split()])
        floor.append(natural[i] if natural[i] <= SHORT else min(natural[i], max(min(word, 24), 8)))
    widths = list(floor)
    spare = avail - sum(widths)
    # Columns within a fair share of the width whole first (so that few columns wrap), then the rest of the
    # width to the wide ones in proportion to their length.
    fair = avail // len(columns)
    for i in sorted(range(len(columns)), key=lambda k: natural[k]):
        if natural[i] <= max(fair, SHORT):
            give = max(0, min(natural[i] - widths[i], spare))
            widths[i] += give
            spare -= give
    wide = [i for i in range(len(columns)) if widths[i] < natural[i]]
    while spare > 0 and wide:
        total = sum(natural[i] for i in wide)
        given = 0
        for i in wide:
            give = max(1, spare * natural[i] // total) if spare - given > 0 else 0
            give = min(give, natural[i] - widths[i], spare - given)
            widths[i] += give
            given += give
        spare -= given
        wide = [i for i in wide if widths[i] < natural[i]]
        if given == 0:
            break
    return widths


def table(columns: tuple[str, ...] | list[str], rows: list[list[str]], truncated: bool = False) -> str:
    """A table that fits the terminal (rich): columns share the width (column_widths), long cells wrap on
    word boundaries (nothing is cut), then a "(N rows)" line."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = table_width()
    widths = column_widths(columns, rows, width)
    grid = Table(box=box.SQUARE, show_edge=False, header_style="", highlight=False, pad_edge=False)
    for name, w in zip(columns, widths, strict=True):
        grid.add_column(Text(name), width=w, overflow="fold")
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))  # Text: a cell's "[…]" is not markup
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(width, sum(widths) + 3 * len(widths)),
        color_system=None,
        force_terminal=False,
        emoji=False,
    )
    console.print(grid)
    lines = [line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n")]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''}"
    footer += ", more rows were cut at the row limit)" if truncated else ")"
    return "\n".join([*lines, footer])
