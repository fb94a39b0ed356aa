"""Split line-oriented text into blocks: headings, paragraphs and tab-separated tables.

Shared by the tab-separated-table loader and the markdown loader. A table is a
run of lines containing tabs; blank lines and footnote lines ("¹ Nhiệm vụ đã
hoàn thành", 003 line 67) inside the run do not end it, any other text does.
"""

from __future__ import annotations

import re

from plangraph.ingest.text import clean_cell, footnote_line
from plangraph.model import Block, Cell, Heading, Paragraph, Table, TableRow

# Markdown headings "## **II. NHIỆM VỤ TRỌNG TÂM**" and bold-only lines "**KẾ HOẠCH**".
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BOLD_LINE = re.compile(r"^\*{2,3}[^*].*?\*{2,3}\s*$")
# Markdown table rule rows rendered with tabs: "----\t-----\t---" (004, line 185).
RULE_ROW = re.compile(r"^[\s|:\-–—]+$")


def _table_row(line: str, lineno: int) -> TableRow:
    raw_cells = line.split("\t")
    return TableRow(line=lineno, cells=tuple(Cell(text=clean_cell(c), raw=c) for c in raw_cells))


def split_blocks(text: str, markdown: bool) -> tuple[tuple[Block, ...], dict[str, str]]:
    """Blocks of the document and its footnotes (marker → text)."""
    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    rows: list[TableRow] = []
    table_line = 0

    def close_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(Table(line=table_line, rows=tuple(rows)))
            rows = []

    for lineno, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if "\t" in line and stripped:
            if RULE_ROW.match(line.replace("\t", "")) and set(line.replace("\t", "").strip()) <= set("-–—|: "):
                continue
            if not rows:
                table_line = lineno
            rows.append(_table_row(line, lineno))
            continue
        if not stripped:
            continue
        if (footnote := footnote_line(stripped)) is not None:
            footnotes[footnote[0]] = footnote[1]
            continue
        close_table()
        heading = MD_HEADING.match(stripped) if markdown else None
        if heading:
            blocks.append(Heading(line=lineno, text=clean_cell(heading.group(2)), level=len(heading.group(1))))
        elif markdown and BOLD_LINE.match(stripped):
            blocks.append(Heading(line=lineno, text=clean_cell(stripped), level=0))
        else:
            blocks.append(Paragraph(line=lineno, text=clean_cell(stripped)))
    close_table()
    return tuple(blocks), footnotes
