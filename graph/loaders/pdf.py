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
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any

from plangraph.errors import FormatError, ReadError, Warnings
from plangraph.ingest.columns import AS_ABOVE_ROLES, header_roles
from plangraph.ingest.text import clean_cell, fold, footnote_line, superscript
from plangraph.loaders import ocr
from plangraph.model import (
    Block,
    Cell,
    ColumnRole,
    Document,
    Finding,
    Heading,
    Paragraph,
    Severity,
    SourceText,
    Table,
    TableRow,
)

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3}
PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$", re.IGNORECASE)
BULLET_GLYPH = re.compile(r"^[•◦▪●○■\uf0b7\uf0a7\u2022\u25e6]\s*")
FURNITURE_BAND = 0.09  # top and bottom share of the page where running headers/footers sit
LINE_GAP = 1.6
CONTINUES = re.compile(r"^(?![a-zđ]\)\s)[a-zđà-ỹ]")  # a line that starts in the middle of a sentence
STOPS = (".", ":", ";", "!", "?")
MAX_HEADER_PART = 40  # cells of the part of a header row cut off by a page break are short
SUPERSCRIPT_SIZE = 0.8  # glyphs smaller than this share of the body size are superscripts
FOOTNOTE_NUMBER = re.compile(r"^(\d{1,2})(?=[A-ZÀ-Ỹ])")  # "1Nhiệm vụ đã hoàn thành" under a table
# A section's heading whose space after the numeral OCR lost ("V.KINH PHÍ THỰC HIỆN"): given it back.
ROMAN_RUN_ON = re.compile(r"^(?P<code>[IVX]{1,5}\.)(?=[A-ZĐÀ-Ỹ]{2})")
MARGIN_LINES = 8  # lines a scanned page needs for its margins and indents to be judged
MARGIN_SLACK = 6.0  # points: a line this near the left margin is flush with it, this near the right edge fills it
INDENT = (12.0, 72.0)  # points right of the margin where an indented paragraph's first line starts
MISREAD_NUMBER = 4  # characters of a scanned line that may be a page number OCR misread
PLACE = 4.0  # points between the places of two page numbers on different pages
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
    scanned: bool = False  # read by OCR: its right edge is placed unevenly
    confidence: tuple[float, int] | None = None  # read by OCR: its characters' summed confidence, and how many


@dataclass
class _PageTable:
    top: float
    bottom: float
    x1: float
    page: int
    rows: list[list[str]]
    confidences: list[tuple[float, int] | None] = field(default_factory=list)  # each row's, as a line's


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


def _confidence(chars: Iterable[dict[str, Any]]) -> tuple[float, int] | None:
    """The summed OCR confidence of the characters OCR read (each carries its word's), and how many there are; None
    for text from a text layer."""
    total, count = 0.0, 0
    for char in chars:
        if (conf := char.get("conf")) is not None:
            total += float(conf)
            count += 1
    return (total, count) if count else None


def mean_confidence(parts: Iterable[tuple[float, int] | None]) -> float | None:
    """The mean confidence (0-100, one decimal) of text made of `parts` (lines, rows), weighted by characters."""
    read = [part for part in parts if part is not None]
    count = sum(n for _, n in read)
    return round(sum(total for total, _ in read) / count, 1) if count else None


def _row_confidences(table: Any, chars: list[dict[str, Any]]) -> list[tuple[float, int] | None]:
    """Each row's OCR confidence: of the characters OCR read within the row's box (none from a text layer)."""
    read = [c for c in chars if c.get("conf") is not None]
    if not read:
        return [None] * len(table.rows)
    out = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        out.append(
            _confidence(
                c for c in read if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
            )
        )
    return out


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


def _page_items(page: Any, number: int) -> list[Item]:
    """A page's ruled tables and its text lines outside them (a pdfplumber page, or an OCR'd one)."""
    items: list[Item] = []
    _mark_superscripts(page.chars)
    tables = page.find_tables(table_settings=TABLE_SETTINGS)
    boxes = [t.bbox for t in tables]
    for table in tables:
        items.append(
            _PageTable(
                table.bbox[1],
                table.bbox[3],
                table.bbox[2],
                number,
                _table_rows(table),
                _row_confidences(table, page.chars),
            )
        )

    def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

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
                confidence=_confidence(chars),
            )
        )
    return items


@dataclass
class PageNote:
    """A finding about a page (OCR, an unreadable text layer), placed at the page's first line once numbered."""

    page: int
    code: str
    message: str
    severity: Severity = Severity.WARNING


def _read_pages(data: bytes, name: str) -> tuple[list[Item], dict[int, float], list[PageNote]]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    items: list[Item] = []
    notes: list[PageNote] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PdfminerException, ValueError) as exc:
        raise ReadError(
            f"{name}: not a readable PDF ({type(exc).__name__}). The file may be truncated or encrypted."
        ) from exc
    settings = ocr.options()
    chars_seen = 0
    heights: dict[int, float] = {}
    scans: list[ocr.PageRequest] = []  # pages to read by OCR
    broken: dict[int, str] = {}  # page → why its text layer is unreadable
    with pdf:
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            heights[number] = float(page.height)
            try:
                visible = [c for c in page.chars if str(c.get("text", "")).strip()]
                if not visible:
                    if page.images:
                        scans.append(_page_request(page, number))
                    page.flush_cache()
                    continue
                why = unreadable_text(visible)
                if why is not None and settings.enabled:
                    broken[number] = why
                    scans.append(_page_request(page, number))
                    page.flush_cache()
                    continue
                if why is not None:
                    notes.append(PageNote(number, Warnings.W403, f"page {number}: {why}; read as it is (OCR is off)"))
                chars_seen += len(visible)
                items.extend(_page_items(page, number))
                page.flush_cache()
            except (PdfminerException, ValueError, KeyError, TypeError) as exc:
                raise ReadError(f"{name}, page {number}: the page cannot be read ({type(exc).__name__}).") from exc
    if scans:
        chars_seen += _read_scans(data, name, pages, scans, broken, chars_seen, items, notes, settings)
    if chars_seen == 0:
        raise FormatError(
            f"{name}: this PDF has no text layer ({pages} page(s) of images, a scan). It needs OCR first "
            "(e.g. `ocrmypdf --language vie in.pdf out.pdf`); then load the OCR'd PDF."
        )
    items.sort(key=lambda item: (item.page, item.top))
    return items, heights, notes


def _page_request(page: Any, number: int) -> ocr.PageRequest:
    sizes = []
    for image in page.images:
        size = image.get("srcsize") or (0, 0)
        try:
            sizes.append((int(size[0]), int(size[1])))
        except (TypeError, ValueError, IndexError):
            continue
    return ocr.PageRequest(number, float(page.width), float(page.height), sizes)


def _read_scans(
    data: bytes,
    name: str,
    pages: int,
    scans: list[ocr.PageRequest],
    broken: dict[int, str],
    chars_seen: int,
    items: list[Item],
    notes: list[PageNote],
    settings: ocr.OcrOptions,
) -> int:
    """Read the scanned pages (and those whose text layer is unreadable) by OCR into `items`, with their findings;
    the characters read. Without OCR, a document of scans only is refused as before."""
    missing = ocr.missing(settings.language) if settings.enabled else None
    if not settings.enabled or missing is not None:
        why = "OCR is off (--no-ocr, PLANGRAPH_OCR=0)" if not settings.enabled else f"OCR needs {missing}"
        if chars_seen == 0:
            raise FormatError(
                f"{name}: this PDF has no text layer ({pages} page(s) of images, a scan) and {why}. Load it with OCR "
                "on, or OCR it first (e.g. `ocrmypdf --language vie in.pdf out.pdf`) and load the OCR'd PDF."
            )
        for request in scans:
            notes.append(
                PageNote(request.number, Warnings.W404, f"page {request.number} is an image: not read ({why})")
            )
        return 0
    try:
        read = ocr.read_pages(data, name, scans, settings)
    except ocr.TooManyPages as exc:
        raise FormatError(f"{exc}; not loaded") from exc
    seen = 0
    confidences = []
    for page in read:
        if page.error is not None:
            notes.append(PageNote(page.number, Warnings.W404, f"page {page.number} was not read by OCR: {page.error}"))
            continue
        if page.number in broken:
            notes.append(
                PageNote(page.number, Warnings.W403, f"page {page.number}: {broken[page.number]}; read by OCR instead")
            )
        view = ocr.PageView(page)
        seen += sum(1 for c in view.chars if c["text"].strip())
        scanned = _page_items(view, page.number)
        for item in scanned:
            if isinstance(item, _Line):
                item.scanned = True
                item.text = scan_line(item.text)
        items.extend(scanned)
        if page.confidence is not None:
            confidences.append(page.confidence)
            if page.confidence < settings.low_confidence:
                notes.append(
                    PageNote(
                        page.number,
                        Warnings.W402,
                        f"page {page.number} read by OCR with a mean confidence of {page.confidence:.0f}%: "
                        "check its tasks against the page",
                    )
                )
    if confidences:
        pages_read = ", ".join(str(p.number) for p in read if p.error is None and p.confidence is not None)
        notes.append(
            PageNote(
                read[0].number,
                Warnings.W401,
                f"{len(confidences)} page(s) read by OCR ({pages_read}), mean confidence "
                f"{sum(confidences) / len(confidences):.0f}%",
                Severity.INFO,
            )
        )
    if seen == 0 and chars_seen == 0:
        failed = [n for n in notes if n.code == Warnings.W404]
        reason = failed[0].message if failed else "OCR found no text on them"
        raise FormatError(f"{name}: this PDF has no text layer ({pages} page(s) of images, a scan): {reason}.")
    return seen


# Vietnamese syllables without their marks ("nghiêng" → "nghieng"): onset, vowels, final consonant.
SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 12  # fewer words on a page: judged by its (cid:…) glyphs only
CID_SHARE = 0.2
VIETNAMESE_SHARE = 0.5


def _spaced_text(chars: list[dict[str, Any]]) -> str:
    """The characters' text with a space where a gap or a new line separates them (PDFs rarely draw spaces)."""
    out: list[str] = []
    previous: dict[str, Any] | None = None
    for c in chars:
        text = str(c.get("text", ""))
        if text.startswith("(cid:"):
            text = " "
        if previous is not None:
            size = float(previous.get("size", 10) or 10)
            gap = float(c["x0"]) - float(previous["x1"])
            if gap > 0.15 * size or gap < -size or abs(float(c["top"]) - float(previous["top"])) > size / 2:
                out.append(" ")
        out.append(text)
        previous = c
    return "".join(out)


def unreadable_text(chars: list[dict[str, Any]]) -> str | None:
    """Why a page's text layer is garbage (None: it reads as text): glyphs without a Unicode map
    ("(cid:71)"), or too few of its words Vietnamese syllables (mojibake, a font's private encoding)."""
    cids = sum(1 for c in chars if str(c.get("text", "")).startswith("(cid:"))
    if cids >= 5 and cids / len(chars) > CID_SHARE:
        return f"{cids / len(chars):.0%} of its characters are glyphs without a Unicode map ((cid:…))"
    text = _spaced_text(chars)
    words = [w for w in WORD.findall(text) if not w.isupper() or len(w) == 1]  # abbreviations (UBND) aside
    if len(words) < MIN_WORDS:
        return None
    vietnamese = sum(1 for w in words if SYLLABLE.match(fold(w)) or fold(w) == "gi")
    if vietnamese / len(words) < VIETNAMESE_SHARE:
        return f"only {vietnamese / len(words):.0%} of its words are Vietnamese (a font without a Unicode map?)"
    return None


def _furniture_key(text: str, seen: Counter[str]) -> str:
    """What a line in the top or bottom band is, as a running header or footer: its text with numbers as "#",
    letters only; a key seen before that differs by a few letters is that key (OCR misreads a letter here and
    there: "000_0c3d8e…txt" on one page, "000. 0c3d8e…txt" on the next)."""
    key = re.sub(r"[^a-z#]", "", re.sub(r"\d+", "#", fold(text)))
    if key in seen or len(key) < 8:
        return key
    for known in seen:
        if abs(len(known) - len(key)) <= len(key) // 5 and SequenceMatcher(None, known, key).ratio() >= 0.85:
            return known
    return key


def _furniture(items: list[Item], heights: dict[int, float]) -> set[int]:
    """Indexes of lines that are page numbers or running headers/footers."""
    drop: set[int] = set()
    repeated: Counter[str] = Counter()
    banded: list[tuple[int, str]] = []
    numbers: list[_Line] = []  # the page numbers found
    for i, item in enumerate(items):
        if not isinstance(item, _Line):
            continue
        height = heights.get(item.page, 842.0)
        in_band = item.top < height * FURNITURE_BAND or item.bottom > height * (1 - FURNITURE_BAND)
        if in_band and PAGE_NUMBER.match(item.text.strip()):
            drop.add(i)
            numbers.append(item)
        elif in_band:
            key = _furniture_key(item.text, repeated)
            banded.append((i, key))
            repeated[key] += 1
    if len(heights) >= 3:
        drop.update(i for i, key in banded if repeated[key] >= max(3, len(heights) // 2))
    for i, _ in banded:
        # A page number OCR misread ("tỷ" for "7"): a scanned line of a few characters where the other pages
        # print their numbers.
        item = items[i]
        assert isinstance(item, _Line)
        if item.scanned and len(item.text.strip()) <= MISREAD_NUMBER:
            alike = [n for n in numbers if n.page != item.page and _same_place(n, item)]
            if len(alike) >= 2:
                drop.add(i)
    return drop


def _same_place(a: _Line, b: _Line) -> bool:
    """Whether two short lines of different pages sit at one place (the page number's)."""
    return abs(a.top - b.top) <= PLACE and abs(a.bottom - b.bottom) <= PLACE and abs(a.x0 - b.x0) <= PLACE * 2


def parse_pdf(data: bytes, name: str) -> tuple[tuple[Block, ...], dict[str, str], str]:
    """Blocks, footnotes (marker → text) and the numbered text view of a PDF."""
    blocks, footnotes, text, _ = read_pdf(data, name)
    return blocks, footnotes, text


def read_pdf(data: bytes, name: str) -> tuple[tuple[Block, ...], dict[str, str], str, tuple[Finding, ...]]:
    """Blocks, footnotes (marker → text), the numbered text view of a PDF and the findings on its pages (OCR)."""
    items, heights, notes = _read_pages(data, name)
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

    first_line: dict[int, int] = {}  # page → its first line in the text view

    def number(text: str) -> int:
        lines.append(text)
        first_line.setdefault(page, len(lines))
        return len(lines)

    def close_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            text = " ".join(line.text.strip() for line in paragraph)
            if all(line.bold for line in paragraph):
                blocks.append(Heading(line=paragraph_line, text=clean_cell(text), level=0))
            else:
                scanned = all(line.scanned for line in paragraph)
                page = paragraph[0].page if scanned else None
                confidence = mean_confidence(line.confidence for line in paragraph)
                blocks.append(
                    Paragraph(
                        line=paragraph_line, text=clean_cell(text), scanned=scanned, page=page, confidence=confidence
                    )
                )
            paragraph = []

    def close_table() -> None:
        nonlocal table_rows
        if table_rows:
            blocks.append(Table(line=table_line, rows=_resolve_merges(tuple(table_rows))))
            table_rows = []

    margins = _scan_margins(items)
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
            for cells, read in zip(item.rows, item.confidences or [None] * len(item.rows), strict=True):
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
                        confidence=mean_confidence([read]),
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
        close = (
            previous is not None
            and previous.page == item.page
            and item.top - previous.bottom < (previous.bottom - previous.top) * LINE_GAP
            and previous.bold == item.bold
        )
        wrapped = close and (
            previous.x1 + item.first_word_width + 6 > right_edge  # type: ignore[union-attr]
            # a sentence that goes on: the line starts in lower case, not as an item ("a) "), and the one above
            # ends without a stop (a scan's lines, whose right edge OCR places unevenly)
            or (
                item.scanned and CONTINUES.match(item.text) is not None and not previous.text.rstrip().endswith(STOPS)  # type: ignore[union-attr]
            )
            # on a scanned page whose paragraphs open indented, a line flush with the left margin under a line that
            # fills the width goes on the paragraph, whatever it starts with (an item's mark OCR garbled: "® Chủ trì")
            or (item.scanned and _goes_on(previous, item, margins.get(item.page)))  # type: ignore[arg-type]
        )
        if not wrapped:
            close_paragraph()
            paragraph_line = lineno
        paragraph.append(item)
    close_paragraph()
    close_table()
    findings = tuple(
        Finding(
            note.code,
            note.message,
            name,
            first_line.get(note.page) or next((v for k, v in sorted(first_line.items()) if k > note.page), None),
            note.severity,
        )
        for note in notes
    )
    return tuple(blocks), footnotes, "\n".join(lines), findings


def scan_line(text: str) -> str:
    """A line read by OCR with the space after a section's numeral that OCR lost ("V.KINH PHÍ" → "V. KINH PHÍ")."""
    return ROMAN_RUN_ON.sub(r"\g<code> ", text)


def _scan_margins(items: list[Item]) -> dict[int, tuple[float, float]]:
    """Per scanned page whose paragraphs open with an indent: its text's left margin and right edge (points)."""
    by_page: dict[int, list[_Line]] = {}
    for item in items:
        if isinstance(item, _Line) and item.scanned:
            by_page.setdefault(item.page, []).append(item)
    out: dict[int, tuple[float, float]] = {}
    for page, lines in by_page.items():
        if len(lines) < MARGIN_LINES:
            continue
        lefts = sorted(line.x0 for line in lines)
        rights = sorted(line.x1 for line in lines)
        left = lefts[len(lefts) // 10]
        right = rights[len(rights) * 3 // 4]
        flush = sum(1 for x in lefts if x <= left + MARGIN_SLACK)
        indented = sum(1 for x in lefts if left + INDENT[0] <= x <= left + INDENT[1])
        if flush >= MARGIN_LINES // 2 and indented >= 2:
            out[page] = (left, right)
    return out


def _goes_on(previous: _Line, item: _Line, margins: tuple[float, float] | None) -> bool:
    """Whether a scanned line goes on the paragraph above: it is flush with the left margin of a page whose
    paragraphs open indented, and the line above fills the width (a paragraph's last line rarely does)."""
    if margins is None:
        return False
    left, right = margins
    return item.x0 <= left + MARGIN_SLACK and previous.x1 >= right - MARGIN_SLACK


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
        blocks, footnotes, text, findings = read_pdf(source.data, source.name)
        return Document(
            source=replace(source, text=text), format=self.name, blocks=blocks, footnotes=footnotes, findings=findings
        )
