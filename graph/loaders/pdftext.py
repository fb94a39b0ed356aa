"""Task tables as text extracted from a PDF (sample 001).

A PDF text extractor prints each table row column after column, each cell
wrapped into several short lines, sometimes two short cells on one line
("Sở Nội vụ Thường xuyên"), with the table header and a page number repeated
at every page break and rows split across pages. No column positions survive.

Recovery, per row:
1. Page furniture goes: header blocks ("STT NỘI DUNG SẢN PHẨM / CƠ QUAN /
   CHỦ TRÌ …") and the bare page number printed just before them. The header
   gives the columns and their order.
2. Rows start at a section code ("II CẢI CÁCH THỂ CHẾ") or at the next task
   number in sequence ("3", "7 Thực hiện nghiêm …"); a row's lines after a page
   break are a second segment that starts again from the title column.
3. Each segment's lines are cut into the columns, in order, by dynamic
   programming over cut points (line ends and word boundaries inside a line),
   scoring each candidate cell by
   - width: a cell's lines fit its column's width, and a line that is not the
     last of its cell is "full" (the next word would not have fit) — widths are
     estimated from the document itself, starting from a prior and refined;
   - content: lead/support cells read as agencies, deadline cells as deadlines.
4. The recovered rows become an ordinary :class:`~plangraph.model.Table`, read by
   :mod:`plangraph.ingest.tables` like every other format.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from plangraph import vocabulary
from plangraph.ingest.columns import HEADER_WORDS, header_roles, split_running_header
from plangraph.ingest.deadlines import normalise_deadline
from plangraph.ingest.text import clean_cell, fold, is_upper_text
from plangraph.model import Cell, ColumnRole, Document, Heading, Paragraph, SourceText, Table, TableRow

# The first line of a header block: "STT NỘI DUNG SẢN PHẨM" (upper case, column words).
HEADER_START = re.compile(r"^\s*(STT|TT)\b", re.IGNORECASE)
# Section rows: "I CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "VII XÂY DỰNG VÀ PHÁT TRIỂN …".
SECTION_LINE = re.compile(r"^(?P<code>" + vocabulary.ROMAN_NUMERAL + r"(?:\.\d{1,2})*)\.?\s+(?P<title>\S.*)$")
# Task numbers, alone or followed by the first words of the title: "3", "7 Thực hiện …".
NUMBER_LINE = re.compile(r"^(?P<num>\d{1,3})\.?(?:\s+(?P<rest>\S.*))?$")
BARE_NUMBER = re.compile(r"^\d{1,3}$")
# Agency-like cell starts ("Sở Nội vụ", "Các sở, ban, ngành", "UBND các xã, phường", "Văn phòng").
AGENCY_START = re.compile(r"^" + vocabulary.agency_heads(vocabulary.AGENCY_CELL_HEADS) + r"\b")
# Deliverable-like cell starts ("Kế hoạch của UBND tỉnh", "Quyết định …", "Văn bản …").
PRODUCT_START = re.compile(
    r"^(?:Kế hoạch|Quyết định|Văn bản|Báo cáo|Chương trình|Nghị quyết|Hồ sơ|Các|Tỷ lệ|Hội nghị|Thông báo"
    r"|Đề án|Quy định|Danh mục|Hệ thống|Dự án)\b"
)
REFINEMENTS = 2  # rounds of re-estimating column widths from the document's own cells
UNWRAPPED_PRIOR_SHARE = 0.75  # floor, as a share of the prior, for a column with no wrapped cell
TITLE_PRIOR = 1.0  # the title column's width as a share of the longest lines
OTHER_PRIOR = 0.45  # other columns' width before the document teaches us better


@dataclass
class Segment:
    lines: list[tuple[int, str]]  # (line number, text) after page furniture is gone
    page: int


@dataclass
class PdfRow:
    kind: str  # "section" | "task"
    number: str
    line: int
    page: int
    first_text: str  # text after the number on the row's first line
    segments: list[Segment] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return text.split()


def _header_block(lines: list[tuple[int, str]], start: int) -> tuple[int, list[str]] | None:
    """If a header block starts at `start`, return (index after it, column names)."""
    words: list[str] = []
    j = start
    while j < len(lines):
        text = lines[j][1]
        folded = fold(text).split()
        if not folded or not all(w in HEADER_WORDS for w in folded) or not is_upper_text(text):
            break
        words.extend(folded)
        j += 1
    names = split_running_header(words) if words else None
    if names and len(names) >= 3 and names[0] in ("stt", "tt"):
        return j, names
    return None


class PdfTextLoader:
    name = "pdftext"
    extensions: tuple[str, ...] = ("txt",)

    def sniff(self, source: SourceText) -> float:
        lines = [(i, line) for i, line in enumerate(source.text.split("\n"), 1) if line.strip()]
        if any("\t" in line for _, line in lines[:400]):
            return 0.0
        headers = sum(1 for k, (_, t) in enumerate(lines) if HEADER_START.match(t) and _header_block(lines, k))
        return 0.85 if headers else 0.0

    def parse(self, source: SourceText) -> Document:
        lines = [(i, line.strip()) for i, line in enumerate(source.text.split("\n"), 1) if line.strip()]
        blocks: list[Heading | Paragraph | Table] = []
        k = 0
        # Prose before the first header: appendix title, "(Kèm theo …)".
        while k < len(lines) and not (HEADER_START.match(lines[k][1]) and _header_block(lines, k)):
            blocks.append(Paragraph(line=lines[k][0], text=clean_cell(lines[k][1])))
            k += 1
        if k >= len(lines):
            return Document(source=source, format=self.name, blocks=tuple(blocks))
        found = _header_block(lines, k)
        assert found is not None
        _, names = found
        table = _read_rows(lines[k:], names)
        blocks.append(table)
        return Document(source=source, format=self.name, blocks=tuple(blocks))


def _read_rows(lines: list[tuple[int, str]], names: list[str]) -> Table:
    """Rows of the table that starts with a header block at lines[0]."""
    roles = header_roles(names)
    assert roles is not None
    content_roles = [r for r in roles if r is not ColumnRole.NUMBER]
    rows: list[PdfRow] = []
    page = 1
    expected = 1
    last_task = 0
    k = 0
    current: PdfRow | None = None
    while k < len(lines):
        lineno, text = lines[k]
        header = _header_block(lines, k) if HEADER_START.match(text) else None
        if header is not None:
            if k > 0:
                page += 1
            k = header[0]
            if current is not None:
                current.segments.append(Segment([], page))
            continue
        # A bare page number printed just before the next page's header.
        if BARE_NUMBER.match(text) and k + 1 < len(lines) and HEADER_START.match(lines[k + 1][1]):
            header_after = _header_block(lines, k + 1)
            if header_after and (int(text) != expected or _starts_row(lines, header_after[0], expected)):
                k += 1  # page number: the row numbered like it starts after the header
                continue
        section = SECTION_LINE.match(text)
        if section and (is_upper_text(section.group("title")) or _next_is_number(lines, k, 1)):
            current = PdfRow("section", section.group("code"), lineno, page, section.group("title"))
            rows.append(current)
            expected = 1
            k += 1
            continue
        number = NUMBER_LINE.match(text)
        # Under a section heading the first numbered line starts its first task, whether numbering
        # restarts ("II …", "1") or runs on through the document ("II …", "13").
        first_of_section = (
            current is not None
            and current.kind == "section"
            and number is not None
            and int(number.group("num")) in (1, last_task + 1)
        )
        if number and (first_of_section or _is_next_task(int(number.group("num")), expected, number.group("rest"))):
            current = PdfRow("task", number.group("num"), lineno, page, number.group("rest") or "")
            current.segments.append(Segment([], page))
            if number.group("rest"):
                current.segments[-1].lines.append((lineno, number.group("rest")))
            rows.append(current)
            expected = int(number.group("num")) + 1
            last_task = expected - 1
            k += 1
            continue
        if current is not None and current.kind == "task":
            current.segments[-1].lines.append((lineno, text))
        elif current is not None:
            current.first_text = f"{current.first_text} {text}"  # a section title on two lines
        k += 1
    layout = _estimate_layout(rows, tuple(content_roles))
    table_rows: list[TableRow] = [
        TableRow(line=lines[0][0], cells=tuple(Cell(text=n.upper(), raw=n.upper()) for n in names))
    ]
    for row in rows:
        if row.kind == "section":
            cells = [Cell(text=row.number, raw=row.number), Cell(text=row.first_text.strip(), raw=row.first_text)]
            table_rows.append(TableRow(line=row.line, cells=tuple(cells), page=row.page))
            continue
        merged = _row_cells(row, layout)
        cells = []
        for role in roles:
            text = row.number if role is ColumnRole.NUMBER else " ".join(merged.get(role, []))
            cells.append(Cell(text=clean_cell(text), raw=text))
        table_rows.append(TableRow(line=row.line, cells=tuple(cells), page=row.page))
    return Table(line=lines[0][0], rows=tuple(table_rows))


def _starts_row(lines: list[tuple[int, str]], k: int, expected: int) -> bool:
    """Does line k start task `expected` or a section?"""
    if k >= len(lines):
        return False
    text = lines[k][1]
    number = NUMBER_LINE.match(text)
    if number and int(number.group("num")) == expected:
        return True
    section = SECTION_LINE.match(text)
    return bool(section and is_upper_text(section.group("title")))


def _next_is_number(lines: list[tuple[int, str]], k: int, value: int) -> bool:
    if k + 1 >= len(lines):
        return False
    m = NUMBER_LINE.match(lines[k + 1][1])
    return bool(m and int(m.group("num")) == value)


def _is_next_task(num: int, expected: int, rest: str | None) -> bool:
    """Task numbers follow in sequence; a small gap is accepted when a title follows."""
    if num == expected:
        return True
    if expected < num <= expected + 2 and rest and rest[:1].isupper() and len(rest) > 20:
        return True
    return False


# --- column recovery --------------------------------------------------------


# Printed width of characters relative to "n", after Times New Roman, the font of
# nearly every Vietnamese administrative document: "Trong năm / 2026" wraps in a
# column where "kinh doanh tại dự" fits (001, rows V.4 and II.4).
CHAR_WIDTHS = {
    **{c: 0.56 for c in "ijlt"},
    **{c: 0.67 for c in "fr-()/"},
    **{c: 0.78 for c in "s"},
    **{c: 0.89 for c in "acez"},
    **{c: 1.56 for c in "m"},
    **{c: 1.44 for c in "w"},
    **{c: 0.5 for c in " ,.;:'’"},
    "M": 1.78,
    "W": 1.89,
    "I": 0.67,
    "J": 0.78,
}
UPPER_WIDTH = 1.35


def _bare(word: str) -> str:
    return word.lower().strip(",;:.()“”\"'")


def _pair(left: str, right: str) -> tuple[str, str]:
    """A word pair as the document prints it; the right word keeps its case ("dịch vụ công" ≠ "Sở Nội vụ Công an")."""
    return _bare(left), right.strip(",;:.()“”\"'")


@lru_cache(maxsize=65536)
def _vlen(text: str) -> float:
    """Approximate printed width of `text`, in widths of the letter "n"."""
    total = 0.0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        if base == "đ":
            base = "d"
        width = CHAR_WIDTHS.get(base)
        if width is None:
            width = UPPER_WIDTH if base.isupper() else 1.0
        total += width
    return total


@dataclass(frozen=True)
class Layout:
    roles: tuple[ColumnRole, ...]  # content columns in printed order
    widths: tuple[float, ...]  # estimated printed width of each (see _vlen)
    # Word pairs the document prints side by side on one line at least twice
    # ("kết quả", "phòng UBND"): a cell boundary between them is unlikely.
    joined: frozenset[tuple[str, str]] = frozenset()


AGENCY_INSIDE_PENALTY = 2.0
LOWER_START_PENALTY = 2.5
RUN_TOGETHER_PENALTY = 2.0
DEADLINE_IN_AGENCY_PENALTY = 2.0
# Two agencies run together without a separator: "Sở Nội vụ Công an tỉnh" is two cells.
NEXT_AGENCY = re.compile(r"\s(?=" + vocabulary.agency_heads(vocabulary.AGENCY_RUN_HEADS) + r"\b)")
# Deadline words, capitalised as a deadline cell starts: "Quý II", "Trong năm", "Thường xuyên".
DEADLINE_WORDS = re.compile(r"(?:^|\s)(?:" + vocabulary.DEADLINE_STARTS_PRINTED + r"|\d{1,2}/\d{1,2}/\d{4})")
LINKING_WORDS = frozenset("và của các thuộc cho với về theo tại trên là".split())
FULL_LINE_MARGIN = 4.5  # a line this close to its column's width could take no further word
JOINED_MIN_COUNT = 1
# Function words join anything to anything; they say nothing about cell boundaries.
FUNCTION_WORDS = frozenset(
    "và của các cho với về theo tại trên để được trong có là những đến từ này đã sẽ thì hoặc như "
    "khi sau trước bằng do đối".split()
)
JOINED_PENALTY = 1.5
NARROW_SPLIT_SLACK = 2  # characters a split part may exceed the widest narrow column by
MAX_CELL_LINES = {ColumnRole.TITLE: 40}
DEFAULT_MAX_CELL_LINES = 16
# Words a wrapped line often ends with when the cell goes on: "…, UBND các", "… của".
CONTINUING_WORDS = ("và", "của", "các", "về", "với", "cho", "theo", "tại", "trên", "đến", "trong", "để", "được")
CONTINUING_END = re.compile(r"(?:[,;:\-–]|\b(?:" + "|".join(CONTINUING_WORDS) + "))$")
# The end of a line that decides CONTINUING_END: the longest word and the character before it.
CONTINUING_TAIL = max(len(word) for word in CONTINUING_WORDS) + 1


def _estimate_layout(rows: list[PdfRow], roles: tuple[ColumnRole, ...]) -> Layout:
    """Column widths: a prior from the longest lines, refined twice from the document's own cells."""
    lengths = sorted(_vlen(text) for row in rows for seg in row.segments for _, text in seg.lines)
    if not lengths:
        return Layout(roles, tuple(40.0 for _ in roles))
    pairs: dict[tuple[str, str], int] = {}
    for row in rows:
        for seg in row.segments:
            for _, text in seg.lines:
                ws = text.split()
                for left, right in zip(ws, ws[1:], strict=False):
                    if left[-1:] in ",;:." or _bare(left) in FUNCTION_WORDS or _bare(right) in FUNCTION_WORDS:
                        continue
                    pair = _pair(left, right)
                    pairs[pair] = pairs.get(pair, 0) + 1
    joined = frozenset(pair for pair, count in pairs.items() if count >= JOINED_MIN_COUNT)
    longest = lengths[int(0.97 * (len(lengths) - 1))]
    priors = [longest * (TITLE_PRIOR if role is ColumnRole.TITLE else OTHER_PRIOR) for role in roles]
    widths = list(priors)
    everything = tuple(True for _ in roles)
    for _ in range(REFINEMENTS):
        layout = Layout(roles, tuple(widths), joined)
        observed: list[list[float]] = [[] for _ in roles]
        wrapped: list[list[float]] = [[] for _ in roles]  # a non-final line plus the word that did not fit
        for row in rows:
            first = next((seg for seg in row.segments if seg.lines), None)
            if first is None:
                continue
            cut = _cut(tuple(t for _, t in first.lines), layout, everything, ())
            for c, (cell, whole) in enumerate(cut):
                if whole:
                    observed[c].extend(_vlen(t) for t in cell)
                    wrapped[c].extend(
                        _vlen(t) + 0.5 + _vlen(n.split()[0]) for t, n in zip(cell, cell[1:], strict=False)
                    )
        for c in range(len(roles)):
            # Every line fits its column; a wrapped line plus its next word does not.
            # Without wrapped cells a column only shows it is at least as wide as its lines.
            values = sorted(observed[c])
            fitted = values[int(0.95 * (len(values) - 1))] + 0.5 if len(values) >= 3 else priors[c]
            if len(wrapped[c]) >= 2:
                widths[c] = max(fitted, min(wrapped[c]) - 1.0)
            else:  # no wrapped cell: the lines only show a lower bound
                widths[c] = max(fitted, UNWRAPPED_PRIOR_SHARE * priors[c])
    return Layout(roles, tuple(widths), joined)


def _row_cells(row: PdfRow, layout: Layout) -> dict[ColumnRole, list[str]]:
    """Cells of one task row; segments after a page break continue only cut-off cells."""
    merged: dict[ColumnRole, list[str]] = {}
    allowed = tuple(True for _ in layout.roles)
    previous_ends: tuple[str, ...] = ()  # last line of each cell before the page break
    for segment in row.segments:
        if not segment.lines:
            continue
        cut = _cut(tuple(t for _, t in segment.lines), layout, allowed, previous_ends)
        for c, (cell, _) in enumerate(cut):
            if cell:
                merged.setdefault(layout.roles[c], []).append(" ".join(cell))
        deepest = max(len(cell) for cell, _ in cut)
        allowed = tuple(
            not cell or _looks_cut(cell, layout.roles[c], layout.widths[c], deepest) for c, (cell, _) in enumerate(cut)
        )
        previous_ends = tuple(cell[-1] if cell else "" for cell, _ in cut)
    return merged


def _looks_cut(cell: tuple[str, ...], role: ColumnRole, width: float, deepest: int) -> bool:
    """May this cell go on after a page break?

    Every cell of a row starts at the row's top and the page ends at one height,
    so a cell that was cut reaches the bottom (as many lines as the deepest cell)
    and its last line is full. A complete deadline ("Thường xuyên") never goes
    on; a cell ending mid-phrase ("… UBND các xã,") always may.
    """
    last = cell[-1]
    if CONTINUING_END.search(last):
        return True
    if role is ColumnRole.DUE:
        deadline = normalise_deadline(" ".join(cell)).deadline
        if (deadline.end or deadline.recurrence) and not deadline.condition:
            return False
    full = _vlen(last) >= width - min(FULL_LINE_MARGIN, 0.3 * width)
    return len(cell) >= deepest and full


Boundary = tuple[int, int]  # (line index, word offset); (i, 0) is the start of line i
MISSING: Any = object()


@lru_cache(maxsize=8192)
def _cut(
    lines: tuple[str, ...], layout: Layout, allowed: tuple[bool, ...], previous_ends: tuple[str, ...]
) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Best assignment of the lines (and parts of lines) to the columns, in order.

    `previous_ends` holds, for a segment after a page break, the last line of
    each cell before the break (empty for a row's first segment). Returns, per
    column, the cell's lines and whether it is made of whole lines.
    """
    continuation = bool(previous_ends)
    words = [line.split() for line in lines]
    narrow = max((w for r, w in zip(layout.roles, layout.widths, strict=True) if r is not ColumnRole.TITLE), default=20)
    boundaries: list[Boundary] = []
    for i, ws in enumerate(words):
        boundaries.append((i, 0))
        for w in range(1, len(ws)):
            # Two cells printed on one line: both parts fit a narrow column, and the
            # right part starts a cell (capital or digit) unless cells go on from
            # the page before ("báo cáo kết quả | năng, nhiệm vụ", 001 row VII.4).
            if not continuation and not (ws[w][:1].isupper() or ws[w][:1].isdigit()):
                continue
            # The left part may end a wide cell ("… thủ tục hành chính Các hệ thống").
            right = " ".join(ws[w:])
            if _vlen(right) <= narrow + NARROW_SPLIT_SLACK:
                boundaries.append((i, w))
    boundaries.append((len(lines), 0))
    line_widths = [_vlen(line) for line in lines]
    # Cost of starting a cell at each boundary: high between words the document joins.
    start_cost = [0.0] * len(boundaries)
    for n, (i, w) in enumerate(boundaries):
        if i >= len(lines) or (i, w) == (0, 0):
            continue
        left = words[i][w - 1] if w > 0 else (words[i - 1][-1] if words[i - 1] else "")
        if left[-1:] not in ",;:." and _pair(left, words[i][w]) in layout.joined:
            start_cost[n] = JOINED_PENALTY
    n_roles = len(layout.roles)
    neg = float("-inf")
    best = [[neg] * (n_roles + 1) for _ in boundaries]
    back: list[list[tuple[int, int] | None]] = [[None] * (n_roles + 1) for _ in boundaries]
    best[0][0] = 0.0
    pieces = _pieces(lines, layout.joined)  # shared by the columns, and by the searches with other widths
    for n, start in enumerate(boundaries):
        for c in range(n_roles):
            here = best[n][c]
            if here == neg:
                continue
            role = layout.roles[c]
            empty = here + (0.0 if continuation else _empty_penalty(role))
            if empty > best[n][c + 1]:
                best[n][c + 1], back[n][c + 1] = empty, (n, c)
            if not allowed[c]:
                continue
            limit = MAX_CELL_LINES.get(role, DEFAULT_MAX_CELL_LINES)
            width = layout.widths[c]
            for m in range(n + 1, len(boundaries)):
                stop = boundaries[m]
                if stop[0] - start[0] > limit:
                    break
                # A whole line far wider than the column: no longer cell can hold it either.
                if stop[1] == 0 and stop[0] - 1 > start[0] and line_widths[stop[0] - 1] > 1.6 * width + 4:
                    break
                piece = pieces.get((start, stop), MISSING)
                if piece is MISSING:
                    cell = _cell_lines(words, start, stop)
                    piece = pieces[(start, stop)] = _Piece(cell, layout.joined) if cell else None
                if piece is None:
                    cell_score = float("-inf")
                else:
                    cell_score = _cell_score(piece, start, stop, role, width, continuation, len(lines), layout.joined)
                score = here - start_cost[n] + cell_score
                if continuation and previous_ends[c]:
                    if CONTINUING_END.search(previous_ends[c]):
                        score += 1.0  # the cell before the break ended mid-phrase
                    pair = _pair(previous_ends[c].split()[-1], words[start[0]][start[1]])
                    if pair in layout.joined:
                        score += JOINED_PENALTY  # "… chức" + "năng, …": words the document joins
                if score > best[m][c + 1]:
                    best[m][c + 1], back[m][c + 1] = score, (n, c)
    cells: list[tuple[tuple[str, ...], bool]] = [((), True) for _ in range(n_roles)]
    n, c = len(boundaries) - 1, n_roles
    while c > 0:
        prev = back[n][c]
        if prev is None:  # unreachable: every column may be empty
            break
        pn, pc = prev
        if pn != n:
            whole = boundaries[pn][1] == 0 and boundaries[n][1] == 0
            cells[pc] = (tuple(_cell_lines(words, boundaries[pn], boundaries[n])), whole)
        n, c = pn, pc
    return tuple(cells)


def _cell_lines(words: list[list[str]], start: Boundary, stop: Boundary) -> list[str]:
    out: list[str] = []
    for i in range(start[0], min(stop[0], len(words) - 1) + 1):
        if i == stop[0] and stop[1] == 0:
            break
        lo = start[1] if i == start[0] else 0
        hi = stop[1] if i == stop[0] else len(words[i])
        part = " ".join(words[i][lo:hi])
        if part:
            out.append(part)
    return out


def _empty_penalty(role: ColumnRole) -> float:
    return {ColumnRole.TITLE: -6.0, ColumnRole.LEAD: -4.0, ColumnRole.DUE: -3.0}.get(role, -2.0)


class _Piece:
    """The words between two boundaries of one `_cut`, with everything its score needs that does not depend on
    the column it would fill: worked out once and scored for every column (the score itself is unchanged)."""

    __slots__ = (
        "cell",
        "widths",
        "fits",
        "continues",
        "agency_next",
        "text",
        "first",
        "_agency_start",
        "_run_together",
        "_deadline_words",
        "_deadline",
        "_product_start",
    )

    def __init__(self, cell: list[str], joined: frozenset[tuple[str, str]]) -> None:
        self.cell = cell
        self.widths = [_vlen(text) for text in cell]
        # A line plus the next line's first word: wider than the column if the line was full.
        self.fits = [self.widths[k] + 0.5 + _vlen(cell[k + 1].split()[0]) for k in range(len(cell) - 1)]
        self.continues = [bool(CONTINUING_END.search(text[-CONTINUING_TAIL:])) for text in cell[:-1]]
        self.agency_next = [
            bool(AGENCY_START.match(cell[k + 1])) and _pair(cell[k].split()[-1], cell[k + 1].split()[0]) not in joined
            for k in range(len(cell) - 1)
        ]
        self.text = " ".join(cell)
        self.first = self.text[:1]
        self._agency_start: bool | None = None
        self._run_together: int | None = None
        self._deadline_words: bool | None = None
        self._deadline: bool | None = None
        self._product_start: bool | None = None

    # Tests of the piece's text, each run once.
    def agency_start(self) -> bool:
        if self._agency_start is None:
            self._agency_start = bool(AGENCY_START.match(self.text))
        return self._agency_start

    def run_together(self, joined: frozenset[tuple[str, str]]) -> int:
        if self._run_together is None:
            self._run_together = _agencies_run_together(self.text, joined)
        return self._run_together

    def deadline_words(self) -> bool:
        if self._deadline_words is None:
            self._deadline_words = bool(DEADLINE_WORDS.search(self.text))
        return self._deadline_words

    def deadline(self) -> bool:
        if self._deadline is None:
            self._deadline = _reads_as_deadline(self.text)
        return self._deadline

    def product_start(self) -> bool:
        if self._product_start is None:
            self._product_start = bool(PRODUCT_START.match(self.text))
        return self._product_start


@lru_cache(maxsize=4096)
def _pieces(lines: tuple[str, ...], joined: frozenset[tuple[str, str]]) -> dict[tuple[Boundary, Boundary], Any]:
    """The pieces of a run of lines worked out so far, by their (start, stop) boundaries: the layout search
    cuts the same lines again with refined widths, and these do not depend on the widths."""
    return {}


def _cell_score(
    piece: _Piece,
    start: Boundary,
    stop: Boundary,
    role: ColumnRole,
    width: float,
    continuation: bool,
    n_lines: int,
    joined: frozenset[tuple[str, str]],
) -> float:
    """How well the words from `start` to `stop` (`piece`, worked out once per search) read as one cell of
    column `role`, `width` wide."""
    cell = piece.cell
    score = 0.0
    too_wide = max(1.5, 0.2 * width)
    for k in range(len(cell)):
        over = piece.widths[k] - width
        if over > too_wide:
            score -= 1.5 + 2 * over  # a line longer than its column (beyond the font's fuzz)
        if k + 1 < len(cell):
            slack = width - piece.fits[k]
            # Proportional fonts make character widths fuzzy: only a clear fit counts.
            score += -2.5 if slack > 4 else (-0.5 if slack > 0 else 0.0)
            if piece.continues[k]:
                score += 0.5
            elif role in (ColumnRole.TITLE, ColumnRole.PRODUCTS) and piece.agency_next[k]:
                # "Quyết định phê duyệt / Sở Nội vụ; …": an agency list starting a line inside a
                # deliverable is more likely the next (lead) cell — unless the document joins the
                # two words elsewhere ("Chủ tịch / UBND tỉnh").
                score -= AGENCY_INSIDE_PENALTY
    score -= 1.0 * ((start[1] > 0) + (stop[1] > 0 and stop[0] < n_lines))
    text = piece.text
    first = piece.first
    starts_cell = not continuation  # after a page break every cell goes on from the page before
    if not continuation and first.islower():
        score -= LOWER_START_PENALTY  # cells begin with a capital: "tỉnh" alone is a wrapped word
    if role in (ColumnRole.LEAD, ColumnRole.SUPPORT):
        if piece.agency_start():
            score += 2.0
        elif not continuation and not first.islower():
            score -= 2.0
        score -= RUN_TOGETHER_PENALTY * piece.run_together(joined)
        if piece.deadline_words():
            score -= DEADLINE_IN_AGENCY_PENALTY  # "Các sở, ban, ngành Quý / II, III/2026"
    elif role is ColumnRole.DUE:
        if piece.deadline():
            score += 3.0
        elif not continuation:
            score -= 3.0
    elif role is ColumnRole.PRODUCTS:
        if piece.product_start():
            score += 1.0
        if piece.deadline() and len(text) < 25:
            score -= 2.0
    elif role is ColumnRole.TITLE and piece.agency_start() and len(text) < 25:
        score -= 1.0
    if starts_cell and (first.isupper() or first.isdigit()):
        score += 0.5
    return score


def _agencies_run_together(text: str, joined: frozenset[tuple[str, str]]) -> int:
    """How many times an agency name starts right after another word with no separator."""
    count = 0
    for match in NEXT_AGENCY.finditer(text):
        before = text[: match.start()].split()
        after = text[match.end() :].split()
        if not before or not after:
            continue
        left = before[-1]
        if left[-1] in ",;:" or left.isdigit() or _bare(left) in LINKING_WORDS:
            continue
        if _pair(left, after[0]) in joined:
            continue
        count += 1
    return count


# Deadline cells begin with a time word: "Tháng 01/2026", "Quý II, III/2026",
# "Thường xuyên", "Trong năm 2026", "Khi được cơ quan …", "Sau khi …", "31/12/2025".
DEADLINE_START = re.compile(r"^(?:" + "|".join(vocabulary.DEADLINE_STARTS_FOLDED) + r"|\d)")


@lru_cache(maxsize=65536)
def _reads_as_deadline(text: str) -> bool:
    if len(text) > 160 or not DEADLINE_START.match(fold(text)):
        return False
    return normalise_deadline(text).understood
