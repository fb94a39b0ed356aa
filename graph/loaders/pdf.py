"""PDF plan documents with a text layer, read from the page layout (pdfplumber).

Each page's ruled tables are found from their lines and read cell by cell; the
text outside them is read line by line. Then:
- page furniture is dropped: bare page numbers ("3", "- 3 -", "Trang 3/12")
  and lines printed at the same place on most pages (running headers/footers);
- wrapped lines are joined into paragraphs (a line is a wrap of the one above
  when the first word of the next line would not have fitted on it), and a
  line printed in bold throughout becomes a heading, as "**KẾ HOẠCH**" does in
  the markdown family;
- a table that goes on at the top of the next page is one table: the header
  rows it repeats and the rows it splits at the break are read by the same
  table reader as the text exports (graph/tables.py);
- merged cells: a horizontally merged cell keeps its text in its first
  column; a vertically merged cell repeats its text in the rows it covers,
  except in the number and group columns (empty there means "as above");
- bullets drawn as glyphs ("•", "◦", "") become "- ".

Provenance: every row and paragraph keeps its page; ``line`` counts the lines
of the numbered text view (``plangraph text FILE``). A PDF without a text layer
(a scan) is refused as needing OCR, never loaded empty.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from plangraph.errors import FormatError, ReadError
from plangraph.ingest.columns import AS_ABOVE_ROLES, header_roles
from plangraph.ingest.text import clean_cell, footnote_line, superscript
from plangraph.model import Block, Cell, ColumnRole, Document, Heading, Paragraph, SourceText, Table, TableRow

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3}
PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$", re.IGNORECASE)
BULLET_GLYPH = re.compile(r"^[•◦▪●○■\uf0b7\uf0a7\u2022\u25e6]\s*")
FURNITURE_BAND = 0.09  # top and bottom share of the page where running headers/footers sit
LINE_GAP = 1.6
MAX_HEADER_PART = 40  # cells of the part of a header row cut off by a page break are short
SUPERSCRIPT_SIZE = 0.8  # glyphs smaller than this share of the body size are superscripts
FOOTNOTE_NUMBER = re.compile(r"^(\d{1,2})(?=[A-ZÀ-Ỹ])")  # "1Nhiệm vụ đã hoàn thành" under a table
BROKEN_AFTER = re.compile(r"\S[-/]$")  # a gap above this many line heights starts a new paragraph


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    bold: bool
    first_word_width: float
    page: int


@dataclass
class _PageTable:
    top: float
    bottom: float
    x1: float
    page: int
    rows: list[list[str]]


Item = _Line | _PageTable  # what a page holds, in reading order by (page, top)


def _is_bold(chars: list[dict[str, Any]]) -> bool:
    visible = [c for c in chars if str(c.get("text", "")).strip()]
    return bool(visible) and all("bold" in str(c.get("fontname", "")).lower() for c in visible)


def _first_word_width(chars: list[dict[str, Any]]) -> float:
    """Width of the line's first word (words end at a space character or a gap between glyphs)."""
    word: list[dict[str, Any]] = []
    for c in chars:
        if not str(c.get("text", "")).strip():
            break
        if word and float(c["x0"]) - float(word[-1]["x1"]) > 0.15 * float(c.get("size", 10) or 10):
            break
        word.append(c)
    return float(word[-1]["x1"] - word[0]["x0"]) if word else 0.0


def _cell_text(text: str | None) -> str:
    """A cell's lines joined; a line broken after "230-" or "3/" joins without a space."""
    if not text:
        return ""
    out = ""
    for line in (BULLET_GLYPH.sub("- ", line.strip()) for line in text.split("\n")):
        if not line:
            continue
        if out and BROKEN_AFTER.search(out):
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out


def _mark_superscripts(chars: list[dict[str, Any]]) -> None:
    """Footnote references print as small raised digits: make them the superscript digits the
    text exports carry ("Tháng 3/2026¹"), so the table reader finds the markers."""
    sizes = sorted(float(c.get("size", 0) or 0) for c in chars if str(c.get("text", "")).strip())
    if not sizes:
        return
    body = sizes[len(sizes) // 2]
    for c in chars:
        text = str(c.get("text", ""))
        if text.isdigit() and len(text) == 1 and float(c.get("size", 0) or 0) < body * SUPERSCRIPT_SIZE:
            c["text"] = superscript(text)


def _table_rows(table: Any) -> list[list[str]]:
    """Rows of grid texts; a vertically merged cell's text repeats in the rows it covers (as "\\x00" + text)."""
    texts = table.extract()
    boxes = [row.cells for row in table.rows]
    out: list[list[str]] = []
    for r, row in enumerate(texts):
        cells: list[str] = []
        for c, text in enumerate(row):
            if text is not None or boxes[r][c] is not None:
                cells.append(_cell_text(text))
                continue
            # No cell here: covered by a merged cell to the left (horizontal) or above (vertical).
            row_top = next((b[1] for b in boxes[r] if b is not None), None)
            above = next((k for k in range(r - 1, -1, -1) if boxes[k][c] is not None), None)
            if above is not None and row_top is not None and boxes[above][c][3] > row_top + 1:
                cells.append("\x00" + _cell_text(texts[above][c]))
            else:
                cells.append("")
        out.append(cells)
    return out


def _read_pages(data: bytes, name: str) -> tuple[list[Item], dict[int, float]]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    items: list[Item] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PdfminerException, ValueError) as exc:
        raise ReadError(
            f"{name}: not a readable PDF ({type(exc).__name__}). The file may be truncated or encrypted."
        ) from exc
    chars_seen = 0
    heights: dict[int, float] = {}
    with pdf:
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            heights[number] = float(page.height)
            try:
                _mark_superscripts(page.chars)
                tables = page.find_tables(table_settings=TABLE_SETTINGS)
                boxes = [t.bbox for t in tables]
                for table in tables:
                    items.append(_PageTable(table.bbox[1], table.bbox[3], table.bbox[2], number, _table_rows(table)))

                def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                    if obj.get("object_type") != "char":
                        return True
                    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                    return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

                chars_seen += len(page.chars)
                for line in page.filter(outside).extract_text_lines(return_chars=True, strip=True):
                    chars = line.get("chars", [])
                    items.append(
                        _Line(
                            text=line["text"],
                            top=float(line["top"]),
                            bottom=float(line["bottom"]),
                            x0=float(line["x0"]),
                            x1=float(line["x1"]),
                            bold=_is_bold(chars),
                            first_word_width=_first_word_width(chars),
                            page=number,
                        )
                    )
                page.flush_cache()
            except (PdfminerException, ValueError, KeyError, TypeError) as exc:
                raise ReadError(f"{name}, page {number}: the page cannot be read ({type(exc).__name__}).") from exc
    if chars_seen == 0:
        raise FormatError(
            f"{name}: this PDF has no text layer ({pages} page(s) of images, a scan). It needs OCR first "
            "(e.g. `ocrmypdf --language vie in.pdf out.pdf`); then load the OCR'd PDF."
        )
    items.sort(key=lambda item: (item.page, item.top))
    return items, heights


def _furniture(items: list[Item], heights: dict[int, float]) -> set[int]:
    """Indexes of lines that are page numbers or running headers/footers."""
    drop: set[int] = set()
    repeated: Counter[str] = Counter()
    banded: list[tuple[int, str]] = []
    for i, item in enumerate(items):
        if not isinstance(item, _Line):
            continue
        height = heights.get(item.page, 842.0)
        in_band = item.top < height * FURNITURE_BAND or item.bottom > height * (1 - FURNITURE_BAND)
        if in_band and PAGE_NUMBER.match(item.text.strip()):
            drop.add(i)
        elif in_band:
            key = re.sub(r"\d+", "#", item.text.strip())
            banded.append((i, key))
            repeated[key] += 1
    if len(heights) >= 3:
        drop.update(i for i, key in banded if repeated[key] >= max(3, len(heights) // 2))
    return drop


def parse_pdf(data: bytes, name: str) -> tuple[tuple[Block, ...], dict[str, str], str]:
    """Blocks, footnotes (marker → text) and the numbered text view of a PDF."""
    items, heights = _read_pages(data, name)
    drop = _furniture(items, heights)
    # The right margin: where the widest line or table of the document ends (margins are the
    # same on every page; a page with two short lines must not make them look wrapped).
    right_edge = max((item.x1 for item in items), default=0.0)

    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    lines: list[str] = []
    paragraph: list[_Line] = []
    paragraph_line = 0
    table_rows: list[TableRow] = []
    table_line = 0

    def number(text: str) -> int:
        lines.append(text)
        return len(lines)

    def close_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            text = " ".join(line.text.strip() for line in paragraph)
            if all(line.bold for line in paragraph):
                blocks.append(Heading(line=paragraph_line, text=clean_cell(text), level=0))
            else:
                blocks.append(Paragraph(line=paragraph_line, text=clean_cell(text)))
            paragraph = []

    def close_table() -> None:
        nonlocal table_rows
        if table_rows:
            blocks.append(Table(line=table_line, rows=_resolve_merges(tuple(table_rows))))
            table_rows = []

    table_bottom: dict[int, float] = {}
    for item in items:
        if isinstance(item, _PageTable):
            table_bottom[item.page] = max(table_bottom.get(item.page, 0.0), item.bottom)

    for i, item in enumerate(items):
        page = item.page
        if i in drop:
            continue
        if isinstance(item, _PageTable):
            close_paragraph()
            split_header = bool(table_rows) and header_roles([c.text for c in table_rows[-1].cells]) is not None
            for cells in item.rows:
                lineno = number("\t".join(c.lstrip("\x00") for c in cells))
                texts = [clean_cell(c) for c in cells]
                if split_header and header_roles(texts) is None:
                    split_header = False
                    if not texts[0] and all(len(t) <= MAX_HEADER_PART for t in texts):
                        continue  # the rest of a header row the page break cut ("chịu trách nhiệm", "thành")
                table_line = table_line if table_rows else lineno
                table_rows.append(
                    TableRow(
                        line=lineno,
                        cells=tuple(Cell(text=t, raw=c) for t, c in zip(texts, cells, strict=True)),
                        page=page,
                    )
                )
            continue
        below_table = item.top > table_bottom.get(page, float("inf"))
        if below_table and (glued := FOOTNOTE_NUMBER.match(item.text)):
            # LibreOffice prints a footnote's number at full size, glued to its text: "1Nhiệm vụ …".
            digits = glued.group(1)
            item.text = f"{superscript(digits)} {item.text[len(digits) :]}"
        if (footnote := footnote_line(item.text)) is not None:
            # A footnote (at the foot of a page, or below the table) never joins a paragraph, and does
            # not end the table that goes on overleaf.
            close_paragraph()
            footnotes[footnote[0]] = footnote[1]
            number(item.text)
            continue
        # Text between two parts of a table on consecutive pages is furniture already dropped;
        # any other text ends the table.
        close_table()
        lineno = number(item.text)
        previous = paragraph[-1] if paragraph else None
        wrapped = (
            previous is not None
            and previous.page == item.page
            and item.top - previous.bottom < (previous.bottom - previous.top) * LINE_GAP
            and previous.x1 + item.first_word_width + 6 > right_edge
            and previous.bold == item.bold
        )
        if not wrapped:
            close_paragraph()
            paragraph_line = lineno
        paragraph.append(item)
    close_paragraph()
    close_table()
    return tuple(blocks), footnotes, "\n".join(lines)


def _resolve_merges(rows: tuple[TableRow, ...]) -> tuple[TableRow, ...]:
    """Cells a vertical merge covers ("\\x00" + text): the text again, but empty in number and group columns."""
    roles: tuple[ColumnRole, ...] | None = None
    out = []
    for row in rows:
        found = header_roles([c.text for c in row.cells])
        if found is not None:
            roles = found
        cells = []
        for i, cell in enumerate(row.cells):
            if not cell.raw.startswith("\x00"):
                cells.append(cell)
                continue
            role = roles[i] if roles is not None and i < len(roles) else None
            text = cell.raw[1:]
            keep_empty = role in AS_ABOVE_ROLES or found is not None
            cells.append(Cell(text="", raw="") if keep_empty else Cell(text=clean_cell(text), raw=text))
        out.append(replace(row, cells=tuple(cells)))
    return tuple(out)


class PdfLoader:
    name = "pdf"
    extensions: tuple[str, ...] = ("pdf",)

    def sniff(self, source: SourceText) -> float:
        return 1.0 if source.data is not None and source.encoding == "pdf" else 0.0

    def parse(self, source: SourceText) -> Document:
        if source.data is None:
            raise FormatError(f"{source.name}: not a PDF file (read it with plangraph.ingest.reading.read_file).")
        blocks, footnotes, text = parse_pdf(source.data, source.name)
        return Document(source=replace(source, text=text), format=self.name, blocks=blocks, footnotes=footnotes)
