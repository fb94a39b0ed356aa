"""Plans as their text comes out of a legal-document web page: tables one cell per line between `|` lines.

What the extractor prints (tests/data/web, e.g. 2530/QĐ-TTg lines 693-760):

    **STT**            a header cell (bold), wrapped over lines anywhere
    |                  a line holding only "|": the next cell
    **Cơ quan chủ trì**
    |
    |                  two "|" lines in a row: the row ends
    1
    |
    Bộ Nông nghiệp và Môi trường
    …
    |
    |
    - Rà soát, cập nhật …   a row with fewer cells: the cells on its left span down from the row above

Everything else (the letterhead and signature, which the extractor prints the same way, and the prose) is
read as the markdown family reads it. A run of pipe rows is a task table from a row the column reader takes
for a header (plangraph.ingest.columns.header_roles) to the last row before a cell that holds a blank line
(prose after the table). A short row whose first cell is a code ("**A.**", "I", "2.1") is a group or
section row, read from the left; any other short row continues the row above: its missing cells on the left
repeat the row above (number and group cells stay empty, which the table reader reads as "as above").
Every row keeps the line of its first cell. A table ends before a row whose first cell is a label ("**Địa
chỉ:**", a page footer's label and value cells) and after a row wider than its header (the cells past the last
column are the footnotes and text that follow the table, when the page prints no blank line before them). A last
row not closed by two "|" lines runs into the next appendix's title ("**PHỤ LỤC II** …") and the next table's
header: the cells before the title are the row, and the next table is read from its header.

The extractor also wraps running text at about 80 characters, anywhere (inside a name, inside bold markers:
"**VI. TỔ CHỨC" / "THỰC HIỆN**"). Outside tables the lines of one paragraph are joined again before the
markdown reading (:func:`rejoin_paragraphs`): a paragraph ends at a blank line, where a bold span closes at
the end of a line, or where the next line begins an item of its own ("- ", "+ ", "a) ", "2. ", "2.1. ",
"IV. ", "Điều 3.", "**"), or after a line that ends in ";" or ":" when the next begins with a capital
(the "Căn cứ …;" lines of a decision, printed without blank lines between them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from plangraph.ingest.columns import AS_ABOVE_ROLES, column_role, header_roles
from plangraph.ingest.text import clean_cell
from plangraph.loaders.blocks import split_blocks
from plangraph.model import Block, Cell, Document, Paragraph, SourceText, Table, TableRow

PIPE_LINE = re.compile(r"^\s*\|\s*$")
# The first cell of a group or section row: "**A.**", "B", "I", "II.", "2.1", "**III**".
ROW_CODE = re.compile(r"^\**\s*(?:[A-ZĐ]|[IVXL]{1,6}|\d{1,3}(?:\.\d{1,3})*)\s*\.?\s*\**$")
# A line that begins an item of its own (a new paragraph even without a blank line before it).
ITEM_START = re.compile(
    r"^(?:[-–•+]\s|\*|#|\[\d|[a-zđ]\)\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|\d{1,2}(?:\.\d{1,2})+\s"
    r"|[IVXL]{1,6}\.\s|Điều\s+\d|Nơi nhận|PHỤ LỤC|Phụ lục\s)"
)
# A group row printed in one cell, its code and its title together: "**I. Kinh tế số**", "B. Nhóm giải pháp …".
GROUP_TITLE = re.compile(r"^\**\s*(?:[IVXL]{1,6}|[A-ZĐ])\s*[.)]\s+\S")
# A cell that opens an appendix ("**PHỤ LỤC II** DANH MỤC …"): the text after a table, not a cell of its row.
APPENDIX_CELL = re.compile(r"^\**\s*(?:PHỤ LỤC|Phụ lục)\b")
MIN_PIPE_LINES = 6  # a letterhead alone has a few
LETTERHEAD_CELL_WORDS = 40  # a longer cell outside a task table is running text, read line by line


@dataclass(frozen=True)
class PipeCell:
    line: int  # of its first text line
    text: str  # its lines joined with spaces
    blank_inside: bool  # holds a blank line: prose, not a cell

    @cached_property
    def clean(self) -> str:
        """The cell's text as the pipeline reads it (clean_cell), worked out once: a row's header search and the
        table reader read each cell more than once."""
        return clean_cell(self.text)

    @cached_property
    def role(self) -> Any:
        """The column the cell names when it is a header cell (column_role), or None."""
        return column_role(self.clean)


def pipe_rows(text: str) -> list[tuple[list[PipeCell], int, int]]:
    """Rows of cells (with the first and last line each row spans), in document order."""
    return list(_pipe_rows(text))


@lru_cache(maxsize=4)
def _pipe_rows(text: str) -> tuple[tuple[list[PipeCell], int, int], ...]:
    """pipe_rows, kept for the last few texts: detection (:meth:`WebTextLoader.sniff`) and parsing read the
    same text's rows. Its callers read the rows and never change them."""
    rows: list[tuple[list[PipeCell], int, int]] = []
    cells: list[PipeCell] = []
    lines: list[tuple[int, str]] = []
    last_pipe = 0

    def close_cell() -> PipeCell | None:
        content = [(n, t) for n, t in lines if t.strip()]
        if not content:
            return None
        first, last = content[0][0], content[-1][0]
        blank = any(not t.strip() for n, t in lines if first < n < last)
        return PipeCell(first, " ".join(t.strip() for _, t in content), blank)

    for number, line in enumerate(text.split("\n"), start=1):
        if PIPE_LINE.match(line):
            cell = close_cell()
            lines = []
            if cell is None and number == last_pipe + 1 and cells:  # "|" right after "|": the row ends
                rows.append((cells, cells[0].line, number))
                cells = []
            elif cell is not None:
                cells.append(cell)
            elif cells:  # only blank lines between two "|": an empty cell
                cells.append(PipeCell(number - 1, "", False))
            last_pipe = number
        else:
            lines.append((number, line))
    cell = close_cell()
    if cell is not None:
        cells.append(cell)
    if len(cells) > 1:  # an unclosed last row; one cell after the last "|" is the prose that follows a table
        rows.append((cells, cells[0].line, len(text.split("\n"))))
    return tuple(rows)


def _header(cells: list[PipeCell]) -> tuple[list[PipeCell], tuple[Any, ...] | None]:
    """The header cells at the end of a row (the letterhead, the decision or the appendix title may run into
    the header row without a row end) and their column roles; (cells, None) when the row holds no header."""
    for start in range(len(cells)):
        tail = cells[start:]
        if len(tail) < 3:
            break
        if any(c.blank_inside for c in tail) or tail[0].role is None:
            continue  # a header starts with a column name ("STT"), not with the letterhead before it
        roles = header_roles([c.clean for c in tail])
        if roles is not None:
            return tail, roles
    return cells, None


def pipe_tables(text: str) -> list[tuple[Table, int, int]]:
    """The task tables of the text, each with the first and last line it covers."""
    return list(_pipe_tables(text))


@lru_cache(maxsize=4)
def _pipe_tables(text: str) -> tuple[tuple[Table, int, int], ...]:
    """pipe_tables, kept for the last few texts (detection and parsing both read a document's tables; a Table is
    immutable)."""
    rows = _pipe_rows(text)
    tables: list[tuple[Table, int, int]] = []
    i = 0
    while i < len(rows):
        cells, roles = _header(rows[i][0])
        if roles is None:
            i += 1
            continue
        first = cells[0].line
        width = len(roles)
        keep_empty = {k for k, role in enumerate(roles) if role in AS_ABOVE_ROLES}
        out = [TableRow(line=first, cells=tuple(Cell(text=c.clean, raw=c.text) for c in cells))]
        above: list[str] = [""] * width  # the header is no row to span down from
        end = rows[i][2]
        j = i + 1
        while j < len(rows):
            row_cells, row_first, row_last = rows[j]
            if any(c.blank_inside for c in row_cells):
                break
            cut = next((k for k, c in enumerate(row_cells) if k and APPENDIX_CELL.match(c.clean)), None)
            last = cut is not None and width - 1 <= cut <= width
            if last:
                # The table's last row, not closed by "|" "|", runs into the next appendix's title (and the next
                # table's header): the cells before the title are the row; the title and what follows are read
                # again from there.
                row_cells, row_last = row_cells[:cut], row_cells[cut].line - 1  # type: ignore[index]
            elif _header(row_cells)[1] is not None:
                break  # the next table's header
            texts = [c.text for c in row_cells]
            if row_cells[0].clean.endswith(":"):
                break  # "**Địa chỉ:** | … | **Điện thoại:** | …": label and value cells, a page's footer, not a row
            wider = len(texts) > width
            if wider:  # cells past the header's last column are the text after the table ("[1] Tại phần 2 …")
                row_last = row_cells[width].line - 1
                texts = texts[:width]
            filled = [t for t in texts if t]
            if len(texts) < width and len(filled) == 1 and GROUP_TITLE.match(filled[0]):
                # "| |" then "| **I. Kinh tế số**": a group row, whatever empty cells precede it.
                texts = filled + [""] * (width - 1)
            if len(texts) < width:
                if ROW_CODE.match(texts[0]) and len(texts) <= 2:
                    texts = texts + [""] * (width - len(texts))  # a group or section row, from the left
                else:
                    missing = width - len(texts)
                    spanned = [
                        ("" if k in keep_empty else (above[k] if k < len(above) else "")) for k in range(missing)
                    ]
                    texts = spanned + texts
            if not ROW_CODE.match(texts[0]) or len([t for t in texts if t]) > 2:
                above = texts
            out.append(TableRow(line=row_first, cells=tuple(Cell(text=clean_cell(t), raw=t) for t in texts)))
            end = row_last
            if last:
                break  # rows[j] is read again: the next table's header may be in it
            j += 1
            if wider:
                break
        tables.append((Table(line=first, rows=tuple(out)), first, end))
        i = j
    return tuple(tables)


# The letterhead's number cell: "Số: 144/KH-UBND" between two "|" lines.
NUMBER_CELL = re.compile(r"^\**\s*Số\s*:?\s*\d*\s*/\s*[A-ZĐ]")


def _letterhead(text: str) -> bool:
    return any(NUMBER_CELL.match(cell.text) for row, _, _ in _pipe_rows(text)[:12] for cell in row)


def _open_bold(text: str) -> bool:
    return text.count("**") % 2 == 1


def rejoin_paragraphs(lines: list[str]) -> list[str]:
    """The same lines with each wrapped paragraph joined onto its first line (the others left blank), so the
    line numbers stay those of the source. Pipe lines are left as they are."""
    out = list(lines)
    start: int | None = None  # index of the paragraph being joined
    for k, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or PIPE_LINE.match(line):
            start = None
            continue
        if start is not None:
            previous = out[start].rstrip()
            inside_bold = _open_bold(previous)
            ends_bold = previous.endswith("**") and not inside_bold
            new_item = ITEM_START.match(stripped) is not None
            after_list_end = previous[-1:] in (";", ":") and stripped[:1].isupper()
            if inside_bold or not (ends_bold or new_item or after_list_end):
                out[start] = f"{previous} {stripped}"
                out[k] = ""
                continue
        start = k
    return out


class WebTextLoader:
    name = "webtext"
    extensions: tuple[str, ...] = ("txt", "md")

    def sniff(self, source: SourceText) -> float:
        if source.data is not None:
            return 0.0
        pipes = sum(1 for line in source.text.split("\n") if PIPE_LINE.match(line))
        if pipes < MIN_PIPE_LINES:
            return 0.0
        # With a task table, or with only the letterhead in pipe cells (the rest then reads as markdown does).
        return 0.97 if pipe_tables(source.text) or _letterhead(source.text) else 0.0

    def parse(self, source: SourceText) -> Document:
        tables = pipe_tables(source.text)
        lines = source.text.split("\n")
        for _, first, last in tables:  # the tables' lines are read as tables only
            for k in range(first - 1, min(last, len(lines))):
                lines[k] = ""
        # The letterhead and the signature are pipe cells too: a short cell is one paragraph, however the
        # extractor wrapped it ("*Bắc Ninh, ngày 24" / "tháng 11 năm 2025*" is one issue date).
        cells: list[Block] = []
        for row, _, _ in pipe_rows("\n".join(lines)):
            for cell in row:
                span = cell.text.count(" ") + 1
                if cell.blank_inside or not cell.text or span > LETTERHEAD_CELL_WORDS:
                    continue

                # Emphasis the extractor left unpaired around a cell ("*Cần Thơ, ngày 21 tháng 11 năm 2025 *").
                text = " ".join(clean_cell(cell.text).replace("*", " ").split())
                if text:
                    cells.append(Paragraph(line=cell.line, text=text))
                k = cell.line - 1
                while k < len(lines) and not PIPE_LINE.match(lines[k]):
                    lines[k] = ""
                    k += 1
        # The rest as the markdown family reads it (same lines, same numbers), its paragraphs whole again.
        blocks, footnotes = split_blocks("\n".join(rejoin_paragraphs(lines)), markdown=True)
        merged: list[Block] = sorted([*blocks, *cells, *(table for table, _, _ in tables)], key=lambda b: b.line)
        return Document(source=source, format=self.name, blocks=tuple(merged), footnotes=footnotes)
