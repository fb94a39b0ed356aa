"""Plan pages saved from a browser (.html, .htm), read with a real HTML parser into the same blocks as DOCX.

The page is walked in document order with the standard library's HTML parser (entities decoded, tags as the
browser would see them, however unclosed): headings (``<h1>``-``<h6>``, or a paragraph in bold throughout, as
the markdown family's "**KẾ HOẠCH**") and paragraphs become blocks; ``<table>`` values become
:class:`~plangraph.model.Table` values read cell by cell, as the DOCX loader reads Word tables, so the same
table reader, interpretation, normalisation and resolution stages do the rest (DESIGN.md §4):

- ``colspan``: the cell's text in its first column, the columns it covers empty (section rows "I | …");
- ``rowspan``: the cell's text repeated in the rows it covers, except in the number and group columns, where an
  empty cell already means "as above" to the table reader;
- several paragraphs or list items inside a cell: joined by line breaks, list items prefixed "- ";
- a table inside a cell: its text belongs to the cell;
- a table with no task header among its first rows is layout (the letterhead's two columns "UBND TỈNH … |
  CỘNG HÒA …"): its cells are read as paragraphs, column by column, a short cell as one paragraph however
  its lines break ("ỦY BAN NHÂN DÂN<br>TỈNH LẠNG SƠN" is one issuer).

What a page carries besides the plan (``<script>``, ``<style>``, ``<head>``, ``<nav>``, forms) is skipped. Every
block keeps the line of the source where its text starts. Hostile pages stay bounded: spans are clamped
(``colspan="1000000000"`` is not a billion cells) and a table of more than MAX_CELLS cells is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from plangraph.errors import FormatError
from plangraph.ingest.columns import AS_ABOVE_ROLES, header_roles
from plangraph.ingest.text import clean_cell, footnote_line
from plangraph.model import Block, Cell, Document, Heading, Paragraph, SourceText, Table, TableRow

BLANK_LINE = re.compile(r"\n[ \t]*\n")
HTML_SIGNS = re.compile(r"<(?:!doctype\s+html|html|body|table)\b", re.IGNORECASE)
SKIPPED = {"script", "style", "head", "template", "noscript", "nav", "form", "select", "button", "svg", "iframe"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source", "embed", "param", "track"}
BLOCKS = {
    "p", "div", "li", "ul", "ol", "blockquote", "pre", "section", "article", "header", "footer", "address", "dd",
    "dt", "dl", "center", "main", "aside", "figure", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
BOLD = {"b", "strong"}
HEADER_SEARCH_ROWS = 4  # a task table's header is among its first rows
MAX_COLSPAN = 64
MAX_ROWSPAN = 2_000
MAX_CELLS = 400_000
LETTERHEAD_CELL_WORDS = 40  # a layout cell up to this long is one paragraph however its lines break


@dataclass
class _Cell:
    line: int
    colspan: int
    rowspan: int
    parts: list[str] = field(default_factory=list)


@dataclass
class _Table:
    line: int
    rows: list[tuple[int, list[_Cell]]] = field(default_factory=list)  # (line, cells)


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.footnotes: dict[str, str] = {}
        self.skip = 0  # depth inside skipped elements
        self.text: list[str] = []  # the current paragraph's text
        self.bold_chars = 0
        self.chars = 0
        self.line = 0  # where the current paragraph's text starts
        self.heading = 0  # level of the <hN> being read
        self.bold = 0
        self.tables: list[_Table] = []  # open tables, outermost first
        self.cell: _Cell | None = None  # the open cell of the outermost table
        self.cells = 0

    # -- text ------------------------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is None and not self.tables and BLANK_LINE.search(data.strip()):
            # Text outside any element, in paragraphs apart by blank lines (a markdown or text document holding an
            # HTML table): each is a paragraph, as a browser of the markdown would show it.
            start = self.getpos()[0]
            for part in BLANK_LINE.split(data):
                if part.strip():
                    self.flush()
                    self._data(part, start)
                start += part.count("\n") + 2
            self.flush()
            return
        self._data(data, self.getpos()[0])

    def _data(self, data: str, line: int) -> None:
        if not self.text and data.strip():
            self.line = line + data[: len(data) - len(data.lstrip())].count("\n")
        self.text.append(data)
        visible = len(data.strip())
        self.chars += visible
        if self.bold:
            self.bold_chars += visible

    def flush(self) -> None:
        """Close the paragraph being read: a cell's part inside a table, else a block."""
        text = " ".join("".join(self.text).split())
        bold = self.chars > 0 and self.bold_chars >= self.chars
        self.text, self.chars, self.bold_chars = [], 0, 0
        if not text:
            return
        if self.cell is not None:
            self.cell.parts.append(f"**{text}**" if bold and not text.startswith("- ") else text)
            return
        if self.tables:  # text of a table outside any cell: read after the table, as browsers show it
            return
        if (note := footnote_line(text)) is not None:
            self.footnotes[note[0]] = note[1]
        elif self.heading:
            self.blocks.append(Heading(line=self.line, text=clean_cell(text), level=self.heading))
        elif bold:
            self.blocks.append(Heading(line=self.line, text=clean_cell(text), level=0))
        else:
            self.blocks.append(Paragraph(line=self.line, text=clean_cell(text)))

    # -- tags ------------------------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip += tag not in VOID
            return
        if self.skip:
            return
        if tag == "br":
            self.flush()
        elif tag in BLOCKS:
            self.flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.heading = int(tag[1])
            if tag == "li":
                self.text.append("- ")
        elif tag in BOLD:
            self.bold += 1
        elif tag == "table":
            self.flush()
            if self.cell is None:
                self.tables.append(_Table(line=self.getpos()[0]))
            else:
                self.tables.append(_Table(line=-1))  # a table inside a cell: its text is the cell's
        elif tag == "tr" and self.tables and self.tables[-1].line >= 0:
            self.flush()
            self.tables[-1].rows.append((self.getpos()[0], []))
        elif tag in ("td", "th"):
            if self.tables and self.tables[-1].line < 0:  # inside a nested table: one more part of the cell
                self.flush()
                return
            if not self.tables:
                return
            self.flush()
            table = self.tables[-1]
            if not table.rows:
                table.rows.append((self.getpos()[0], []))
            values = dict(attrs)
            self.cell = _Cell(
                line=self.getpos()[0],
                colspan=_span(values.get("colspan"), MAX_COLSPAN),
                rowspan=_span(values.get("rowspan"), MAX_ROWSPAN),
            )
            table.rows[-1][1].append(self.cell)
            self.cells += self.cell.colspan
            if self.cells > MAX_CELLS:
                raise FormatError(f"a table of more than {MAX_CELLS:,} cells: not a plan's table")
            if tag == "th":
                self.bold += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in BLOCKS:
            self.flush()
            if tag.startswith("h") and tag[1:].isdigit():
                self.heading = 0
        elif tag in BOLD:
            self.bold = max(0, self.bold - 1)
        elif tag in ("td", "th") and self.tables and self.tables[-1].line >= 0:
            self.flush()
            self.cell = None
            if tag == "th":
                self.bold = max(0, self.bold - 1)
        elif tag == "table" and self.tables:
            self.flush()
            table = self.tables.pop()
            if table.line >= 0:
                self.cell = None
                self.blocks.extend(_table_blocks(table))

    def close(self) -> None:
        super().close()
        self.flush()
        while self.tables:  # tables the page never closed
            table = self.tables.pop()
            if table.line >= 0:
                self.cell = None
                self.blocks.extend(_table_blocks(table))


def _span(value: str | None, ceiling: int) -> int:
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return 1
    return max(1, min(int(text), ceiling))


def _fill_pending(out: list[tuple[str, bool, int]], pending: dict[int, tuple[int, str, int]]) -> None:
    """Place the cells that rows above span down into `out`, from its next column on."""
    while len(out) in pending:
        column = len(out)
        left, text, cell_line = pending[column]
        out.append((text, True, cell_line))
        if left <= 1:
            del pending[column]
        else:
            pending[column] = (left - 1, text, cell_line)


def _grid(table: _Table) -> list[tuple[int, list[tuple[str, bool, int]]]]:
    """Each row as grid columns: (text, continues a rowspan from above, line of the cell)."""
    rows: list[tuple[int, list[tuple[str, bool, int]]]] = []
    pending: dict[int, tuple[int, str, int]] = {}  # column → (rows still covered, text, line)
    for line, cells in table.rows:
        out: list[tuple[str, bool, int]] = []
        for cell in cells:
            _fill_pending(out, pending)
            text = "<br>".join(cell.parts)
            for k in range(cell.colspan):
                column = len(out)
                out.append((text if k == 0 else "", False, cell.line))
                if cell.rowspan > 1:
                    pending[column] = (cell.rowspan - 1, text if k == 0 else "", cell.line)
        _fill_pending(out, pending)
        for column in sorted(c for c in pending if c >= len(out)):  # spans from above past this row's cells
            while len(out) < column:
                out.append(("", False, line))
            _fill_pending(out, pending)
        rows.append((line, out))
    return rows


def _table_blocks(table: _Table) -> list[Block]:
    grid = _grid(table)
    roles = next(
        (r for _, row in grid[:HEADER_SEARCH_ROWS] if (r := header_roles([clean_cell(t) for t, _, _ in row]))),
        None,
    )
    if roles is None:
        # Layout (the letterhead's columns) or a table that is not a task table: its cells are paragraphs.
        blocks: list[Block] = []
        width = max((len(row) for _, row in grid), default=0)
        for column in range(width):
            for _, row in grid:
                if column < len(row) and row[column][0] and not row[column][1]:
                    text, _, line = row[column]
                    joined = clean_cell(text.replace("<br>", " "))
                    if len(joined.split()) <= LETTERHEAD_CELL_WORDS:  # "ỦY BAN NHÂN DÂN<br>TỈNH LẠNG SƠN": one name
                        blocks.append(Paragraph(line=line, text=joined))
                        continue
                    for part in text.split("<br>"):
                        if clean_cell(part):
                            blocks.append(Paragraph(line=line, text=clean_cell(part)))
        return sorted(blocks, key=lambda b: b.line)
    keep_empty = {i for i, role in enumerate(roles) if role in AS_ABOVE_ROLES}
    rows = [
        TableRow(
            line=line,
            cells=tuple(
                Cell(text="", raw="") if continued and i in keep_empty else Cell(text=clean_cell(t), raw=t)
                for i, (t, continued, _) in enumerate(row)
            ),
        )
        for line, row in grid
        if row
    ]
    return [Table(line=rows[0].line, rows=tuple(rows))] if rows else []


class HtmlLoader:
    name = "html"
    extensions: tuple[str, ...] = ("html", "htm", "xhtml")

    def sniff(self, source: SourceText) -> float:
        if source.data is not None:
            return 0.0
        return 0.9 if HTML_SIGNS.search(source.text[:20_000]) else 0.0

    def parse(self, source: SourceText) -> Document:
        walker = _Walker()
        walker.feed(source.text)
        walker.close()
        blocks = tuple(sorted(walker.blocks, key=lambda b: b.line))
        return Document(source=source, format=self.name, blocks=blocks, footnotes=walker.footnotes)
