"""Interpret the rows of one task table: headers, sections, tasks, continuations.

Format-independent: the tab-separated, markdown and PDF-text loaders all hand
over :class:`~plangraph.model.Table` values, and this module reads them the same way.

What it handles (each with the sample that motivated it):
- header rows repeated at every page break (000, 002, 003);
- section rows "I", "VII.1", "VII. 2", "I. Công tác … (4 nhiệm vụ)" (000, 002, 003);
- rows continued across a page break: an unnumbered row right after a repeated
  header whose cells continue the previous row cell by cell (000 line 33,
  003 line 25), or the previous section title (002 line 203);
- group columns ("Nhóm nhiệm vụ") whose empty cells repeat the group above, and
  unnumbered rows that are further tasks of that group (004 Phụ lục I);
- footnote markers (¹ ² ³ ⁴) whose footnote text sets the status (003).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plangraph import vocabulary
from plangraph.errors import Warnings
from plangraph.ingest.columns import header_roles
from plangraph.ingest.text import fold, split_footnote_markers
from plangraph.model import ColumnRole, Finding, Table, TableRow

# Section codes in the number column: "I", "VII.1", "VII. 2", "II.2", with an
# optional title in the same cell: "I. Công tác chỉ đạo, điều hành (4 nhiệm vụ)".
# A section or part code: Roman ("VII.2") or a capital letter ("A.", "B": parts whose numbering restarts).
SECTION_CODE = re.compile(
    r"^(?P<code>(?:" + vocabulary.ROMAN_NUMERAL + r"|[A-ZĐ])(?:\s*\.\s*\d+)*)\s*\.?(?:\s+(?P<title>\S.*))?$"
)
# Task numbers: "1", "12.", "3)", "1.2", "a)".
TASK_NUMBER = re.compile(r"^(?P<num>\d{1,4}(?:\.\d{1,3})*|[a-zđ])\s*[.)]?$")
MAX_NUMBER_WORDS = 3  # longer text in the number column is spilled text, not a number
# A declared task count in a section title: "(4 nhiệm vụ)", "(03 Nhiệm vụ)".
DECLARED_COUNT = re.compile(r"\(\s*(\d+)\s+nhi[eệ]m\s+v[uụ]\s*\)", re.IGNORECASE)
# Footnote texts that mark a task done: "Nhiệm vụ đã hoàn thành".
DONE_NOTE = re.compile(r"da hoan thanh")
TASK_FIELDS = (
    ColumnRole.PRODUCTS,
    ColumnRole.LEAD,
    ColumnRole.SUPPORT,
    ColumnRole.DUE,
    ColumnRole.ACCOUNTABLE,
)


@dataclass
class Section:
    code: str
    title: str
    line: int
    declared: int | None = None
    title_parts: list[str] = field(default_factory=list)


@dataclass
class DraftRow:
    """A task or indicator row being assembled (continuations are appended)."""

    number: str | None
    sub: int
    section: Section | None
    group: str
    group_number: str | None
    line: int
    page: int | None
    cells: dict[ColumnRole, list[str]] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)
    roles: tuple[ColumnRole, ...] = ()  # the columns of its table
    confidences: list[float] = field(default_factory=list)  # its rows' OCR confidences (rows read from a scan)

    def text(self, role: ColumnRole) -> str:
        return " ".join(p for p in self.cells.get(role, []) if p).strip()

    def add(self, role: ColumnRole, text: str) -> None:
        if text:
            self.cells.setdefault(role, []).append(text)


@dataclass
class TableReading:
    """What one table holds once read."""

    kind: str  # "tasks" | "indicators"
    rows: list[DraftRow]
    sections: list[Section]
    findings: list[Finding]


def _row_source(row: TableRow) -> str:
    return "\t".join(c.raw for c in row.cells).rstrip("\t")


def _cells_by_role(row: TableRow, roles: tuple[ColumnRole, ...]) -> tuple[dict[ColumnRole, str], list[str]]:
    """Cleaned cell text per role, plus texts of cells beyond the header's columns."""
    by_role: dict[ColumnRole, str] = {}
    for i, role in enumerate(roles):
        text = row.text(i)
        if text:
            by_role[role] = f"{by_role[role]} {text}" if role in by_role else text
    overflow = [c.text for c in row.cells[len(roles) :] if c.text]
    return by_role, overflow


def _markers(row: TableRow) -> list[str]:
    found: list[str] = []
    for cell in row.cells:
        found.extend(split_footnote_markers(cell.raw)[1])
    return found


def _is_bold_only(raw: str) -> bool:
    stripped = raw.strip()
    return bool(re.fullmatch(r"<b>.*</b>", stripped, re.DOTALL)) or bool(re.fullmatch(r"\*\*.*\*\*", stripped))


def _task_columns(roles: tuple[ColumnRole, ...] | None) -> tuple[ColumnRole, ...] | None:
    """A targets column ("Chỉ tiêu đạt được") beside a task column ("Nội dung nhiệm vụ") holds each task's
    target, as a products column would: the table is a task table (2530/QĐ-TTg Phụ lục I), not an indicator
    table."""
    if roles is None or ColumnRole.INDICATOR not in roles:
        return roles
    if ColumnRole.TITLE not in roles:
        # Targets given to owners ("TT | Chỉ tiêu | Chủ trì", 144/KH-UBND Phụ lục: each cell a sentence such as
        # "Kinh tế số chiếm 40% GRDP") are tasks. A table of measures (a unit column: "Chỉ tiêu | Đơn vị tính |
        # Kết quả", 002) or without an owner stays an indicator table.
        if ColumnRole.LEAD not in roles or ColumnRole.UNIT in roles:
            return roles
        return tuple(ColumnRole.TITLE if role is ColumnRole.INDICATOR else role for role in roles)
    target = ColumnRole.EXTRA if ColumnRole.PRODUCTS in roles else ColumnRole.PRODUCTS
    return tuple(target if role is ColumnRole.INDICATOR else role for role in roles)


def read_table(table: Table, file: str) -> TableReading:
    """Read one table; problems become findings, nothing is dropped silently."""
    findings: list[Finding] = []
    rows: list[DraftRow] = []
    sections: list[Section] = []
    roles: tuple[ColumnRole, ...] | None = None
    kind = "tasks"
    after_header = False
    header_seen = 0
    section: Section | None = None
    last: DraftRow | Section | None = None
    group = ""
    group_number: str | None = None
    group_rows = 0
    previous_source = ""

    def warn(code: str, message: str, line: int) -> None:
        findings.append(Finding(code=code, message=message, file=file, line=line))

    unread: list[TableRow] = []  # rows before any header row

    for row in table.rows:
        cells_text = [c.text for c in row.cells]
        header = _task_columns(header_roles(cells_text))
        if header is not None:
            if roles is not None and header != roles and header_seen:
                # A different header inside one table starts a new layout.
                group, group_number = "", None
            roles = header
            kind = "indicators" if ColumnRole.INDICATOR in roles else "tasks"
            header_seen += 1
            after_header = header_seen > 1
            continue
        if not any(cells_text):
            continue
        if roles is None:
            unread.append(row)
            continue
        source = _row_source(row)
        if source == previous_source:
            warn(Warnings.W107, "row repeats the row above exactly; kept once", row.line)
            continue
        previous_source = source
        by_role, overflow = _cells_by_role(row, roles)
        if overflow:
            warn(Warnings.W104, f"{len(overflow)} cell(s) beyond the header's columns: {overflow!r}", row.line)
        number_text = by_role.get(ColumnRole.NUMBER, "")
        title_text = by_role.get(ColumnRole.TITLE, "") or by_role.get(ColumnRole.INDICATOR, "")
        has_fields = any(by_role.get(r) for r in TASK_FIELDS) or bool(by_role.get(ColumnRole.UNIT))
        title_index = next((i for i, r in enumerate(roles) if r in (ColumnRole.TITLE, ColumnRole.INDICATOR)), None)
        title_raw = row.cells[title_index].raw if title_index is not None and title_index < len(row.cells) else ""
        section_match = SECTION_CODE.match(number_text) if number_text else None
        number_match = TASK_NUMBER.match(number_text) if number_text else None
        if number_text and not section_match and not number_match and len(number_text.split()) > MAX_NUMBER_WORDS:
            # Text spilled into the number column: "<b>minh, nhất quán, …</b>" continues
            # the section title above it across a page break (002, line 203).
            title_text, number_text = f"{number_text} {title_text}".strip(), ""
            by_role[ColumnRole.TITLE] = title_text
            by_role.pop(ColumnRole.NUMBER, None)
            title_raw = row.cells[0].raw
        was_after_header, after_header = after_header, False

        other_cells = [
            text for role, text in by_role.items() if role not in (ColumnRole.NUMBER, ColumnRole.EXTRA) and text
        ]
        if section_match and not number_match and len(other_cells) <= 1:
            # A section row: its title is in the number cell or in the one other cell used
            # (the title column, or whichever column follows STT in a merged row).
            title = (section_match.group("title") or (other_cells[0] if other_cells else "")).strip()
            declared = DECLARED_COUNT.search(title)
            section = Section(
                code=re.sub(r"\s+", "", section_match.group("code")),
                title=DECLARED_COUNT.sub("", title).strip(" .:"),
                line=row.line,
                declared=int(declared.group(1)) if declared and len(declared.group(1)) <= 6 else None,
            )
            sections.append(section)
            last = section
            group, group_number = "", None
            continue

        if number_text.endswith(":") and not number_match and not section_match:
            # A label in the number column ("Địa chỉ:", "Điện thoại:" of a page's footer run on after a table):
            # no task row.
            warn(Warnings.W105, f"row whose number cell is a label, not a number: {number_text[:80]!r}", row.line)
            continue
        if number_match or (number_text and not section_match):
            number = number_match.group("num") if number_match else number_text
            if ColumnRole.GROUP in roles:
                group = by_role.get(ColumnRole.GROUP, group)
            group_number, group_rows = number, 1
            draft = DraftRow(number, 1, section, group, group_number, row.line, row.page, roles=roles)
            _fill(draft, by_role, row, source)
            rows.append(draft)
            last = draft
            continue

        # No number: a continuation, a section-title continuation or a further task of a group.
        first_text = next((t for t in cells_text if t), "")
        starts_lower = first_text[:1].islower()
        if was_after_header and isinstance(last, Section) and not has_fields:
            last.title = f"{last.title} {title_text}".strip()
            continue
        if not has_fields and not title_text and not number_text and isinstance(last, DraftRow):
            _fill(last, by_role, row, source)  # stray cells (e.g. only a note) continue the row above
            continue
        is_group_table = ColumnRole.GROUP in roles
        new_group_task = (
            is_group_table
            and not starts_lower
            and (not was_after_header or bool(by_role.get(ColumnRole.LEAD)))
            and group_number is not None
        )
        if was_after_header and isinstance(last, DraftRow) and not new_group_task:
            _fill(last, by_role, row, source)
            continue
        if new_group_task or (title_text and by_role.get(ColumnRole.LEAD) and not starts_lower):
            if by_role.get(ColumnRole.GROUP):
                group = by_role[ColumnRole.GROUP]
            group_rows += 1
            draft = DraftRow(None, group_rows, section, group, group_number, row.line, row.page, roles=roles)
            _fill(draft, by_role, row, source)
            rows.append(draft)
            last = draft
            continue
        if _is_bold_only(title_raw) and not has_fields:
            if isinstance(last, Section):
                last.title = f"{last.title} {title_text}".strip()
                continue
        if isinstance(last, DraftRow):
            _fill(last, by_role, row, source)
            continue
        warn(Warnings.W105, f"unnumbered row with no task above it: {source[:80]!r}", row.line)

    if roles is None:
        warn(Warnings.W106, "table has no recognisable header row; its rows were not read", table.line)
    if unread and roles is None:  # a table of data (sites, rankings, members): said once, not row by row
        warn(
            Warnings.W106,
            f"table of {len(unread)} row(s) has no task header (STT | Nội dung | Chủ trì …); its rows are not "
            f"read as tasks: {_row_source(unread[0])[:80]!r}",
            unread[0].line,
        )
    else:
        for row in unread:
            warn(Warnings.W106, f"row before any recognisable header row: {_row_source(row)[:80]!r}", row.line)
    return TableReading(kind=kind, rows=rows, sections=sections, findings=findings)


def _fill(draft: DraftRow, by_role: dict[ColumnRole, str], row: TableRow, source: str) -> None:
    for role, text in by_role.items():
        if role in (ColumnRole.NUMBER, ColumnRole.GROUP):
            continue
        draft.add(role, text)
    draft.markers.extend(_markers(row))
    draft.source_lines.append(source)
    if row.confidence is not None:
        draft.confidences.append(row.confidence)


def is_done(markers: list[str], footnotes: dict[str, str]) -> tuple[bool, list[str]]:
    """Status from footnote markers; returns (done, markers without footnote text)."""
    missing = [m for m in markers if m not in footnotes]
    done = any(DONE_NOTE.search(fold(footnotes[m])) for m in markers if m in footnotes)
    return done, missing
