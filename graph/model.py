"""Typed values passed between pipeline stages.

Every stage boundary uses frozen dataclasses (DESIGN.md §7.1). The flow is

    SourceText ─parse→ Document (blocks with line numbers)
      ─interpret→ PlanRecord + TaskRecord…  ─build→ GraphBatch ─write→ store

Nothing here knows about a file format or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class SourceText:
    """A decoded document: the text plus where it came from."""

    name: str  # base name of the file, used as `source_file` provenance
    text: str  # cleaned text (NFC, LF line ends, no BOM)
    sha256: str  # digest of the original bytes
    encoding: str  # encoding the bytes were decoded with
    path: str | None = None  # full path when read from disk (never exposed over HTTP)
    data: bytes | None = None  # the original bytes of a binary document (DOCX, PDF); text is filled by its loader


class ColumnRole(StrEnum):
    """What a task-table column holds, whatever its printed spelling."""

    NUMBER = "number"  # STT / Stt
    TITLE = "title"  # Nội dung, Tên nhiệm vụ, Nhiệm vụ, Nội dung cụ thể …
    PRODUCTS = "products"  # Sản phẩm, Kết quả, Dự kiến kết quả
    LEAD = "lead"  # Cơ quan chủ trì, Chủ trì
    SUPPORT = "support"  # Cơ quan phối hợp, Phối hợp, Đơn vị phối hợp
    DUE = "due"  # Thời gian thực hiện, Thời hạn …
    ACCOUNTABLE = "accountable"  # Người đứng đầu chịu trách nhiệm
    GROUP = "group"  # Nhóm nhiệm vụ
    NOTE = "note"  # Ghi chú
    INDICATOR = "indicator"  # Chỉ tiêu
    UNIT = "unit"  # Đơn vị tính
    MONITOR = "monitor"  # Theo dõi, kiểm tra, đôn đốc: who follows the task up (not who supports it)
    EXTRA = "extra"  # a column we do not know; kept, reported


@dataclass(frozen=True)
class Cell:
    text: str  # cleaned text of the cell
    raw: str  # the cell as printed in the source (HTML, markers and all)


@dataclass(frozen=True)
class TableRow:
    """One physical row of a table as the loader found it."""

    line: int  # 1-based line in the source where the row starts
    cells: tuple[Cell, ...]
    page: int | None = None  # page number when the source has pages
    confidence: float | None = None  # read by OCR: its characters' mean confidence (0-100)

    def text(self, i: int) -> str:
        return self.cells[i].text if i < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    """Rows of one table, header rows included (page-repeated headers too)."""

    line: int
    rows: tuple[TableRow, ...]
    caption: str = ""  # the appendix title / heading just above the table
    caption_line: int = 0


@dataclass(frozen=True)
class Heading:
    line: int
    text: str
    level: int = 0  # markdown level when known, 0 otherwise


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str
    scanned: bool = False  # read by OCR from a page's image (its item marks may be garbled)
    page: int | None = None  # the page it starts on, for a scanned paragraph (its provenance: OCR has no lines)
    confidence: float | None = None  # read by OCR: its characters' mean confidence (0-100)


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    """A parsed document: ordered blocks, each with its source line."""

    source: SourceText
    format: str
    blocks: tuple[Block, ...]
    footnotes: dict[str, str] = field(default_factory=dict)  # marker → text
    findings: tuple[Finding, ...] = ()  # what the loader found about the file itself (pages read by OCR)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    """A data-quality finding with its source location (see plangraph.errors.CODES)."""

    code: str
    message: str
    file: str
    line: int | None = None
    severity: Severity = Severity.WARNING

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


@dataclass(frozen=True)
class LegalRef:
    """A legal document named in text (first pass; canonical id per DESIGN §3)."""

    id: str  # canonical key, e.g. "57-NQ/TW", "110/KH-UBND@lang-son@2026"
    number: str  # as printed, e.g. "110/KH-UBND"
    kind: str  # Nghị quyết, Quyết định, Kế hoạch …
    issued_on: date | None = None
    issuer: str | None = None
    surface: str = ""  # the text that named it
    start: int = 0  # character span in the text it was found in
    end: int = 0


@dataclass(frozen=True)
class AgencyMention:
    """One agency named in a cell, before canonical resolution."""

    name: str  # cleaned surface form
    is_group: bool = False


@dataclass(frozen=True)
class Deadline:
    text: str
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None
    condition: str | None = None


@dataclass(frozen=True)
class TargetStatement:
    """A numeric target stated in a task's result: "Tối thiểu 90% dân số trưởng thành …"."""

    text: str  # the clause that states it, as printed
    comparator: str  # ">=", "<=", ">", "<", "="
    value: float
    unit: str


def is_overdue(status: str | None, due_end: date | str | None, recurrence: str | None, as_of: date) -> bool:
    """The one rule for "overdue" (every query, view and table): not done, a deadline window that ended before
    `as_of`, and not a recurring or open-ended duty ("Hằng năm", "Thường xuyên", "… và các năm tiếp theo"): those
    are carried on, never late."""
    if status == "done" or recurrence or not due_end:
        return False
    end = date.fromisoformat(due_end) if isinstance(due_end, str) else due_end
    return end < as_of


@dataclass(frozen=True)
class TaskRecord:
    """A task as read from a document (DESIGN §3 Task), still with surface names."""

    ref: str
    section: str
    section_title: str
    title: str
    products: str
    due: Deadline
    status: str  # done | open
    lead: tuple[AgencyMention, ...]
    support: tuple[AgencyMention, ...]
    accountable: str | None
    line: int
    source_text: str  # the row(s) as printed, for provenance
    group: str = ""
    note: str = ""
    cites: tuple[LegalRef, ...] = ()
    implements: tuple[LegalRef, ...] = ()
    page: int | None = None
    targets: tuple[TargetStatement, ...] = ()
    origin: str = "table"  # how the plan states it: table | inline | duty (DESIGN §3)
    requested: bool = False  # "Đề nghị …": asked of a body outside the issuer's authority
    monitors: tuple[AgencyMention, ...] = ()  # who follows it up, checks and urges it ("Theo dõi, đôn đốc")
    ocr_confidence: float | None = None  # read by OCR: the least mean confidence (0-100) of the text it was read from


@dataclass(frozen=True)
class IndicatorRecord:
    ref: str
    name: str
    unit: str
    comparator: str | None
    target: float | None
    target_text: str
    period: str
    lead: tuple[AgencyMention, ...]
    support: tuple[AgencyMention, ...]
    line: int


@dataclass(frozen=True)
class PlanRecord:
    code: str | None
    kind: str
    title: str
    issued_on: date | None
    issued_text: str
    issuer: str
    level: str
    province: str | None
    jurisdiction: str
    is_draft: bool
    implements: tuple[LegalRef, ...]
    cites: tuple[LegalRef, ...]
    line: int
    issued_month: str | None = None  # "2026-04" when the day is blank
    # Links between instruments the plan's basis lines state: (instrument, what it implements).
    instrument_links: tuple[tuple[LegalRef, LegalRef], ...] = ()
    # The plan a decision issues or approves, as titled: "Kế hoạch hành động quốc gia về khắc phục ô nhiễm …"
    # (2530/QĐ-TTg "PHÊ DUYỆT KẾ HOẠCH …"); "" for a plan issued as itself.
    carried_plan: str = ""
    province_code: str | None = None  # official codes of its jurisdiction (plangraph.register)
    commune_code: str | None = None


@dataclass(frozen=True)
class Interpretation:
    """Everything read from one document."""

    document: Document
    plan: PlanRecord
    tasks: tuple[TaskRecord, ...]
    indicators: tuple[IndicatorRecord, ...]
    findings: tuple[Finding, ...]
    agency_mentions: int = 0  # set by the resolution stage
    agency_mentions_resolved: int = 0


@dataclass(frozen=True)
class NodeRecord:
    label: str
    key: str
    props: dict[str, Any]


@dataclass(frozen=True)
class EdgeRecord:
    type: str
    start_label: str
    start_key: str
    end_label: str
    end_key: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphBatch:
    """The nodes and edges one document contributes (its subgraph)."""

    source_file: str
    plan_id: str
    nodes: tuple[NodeRecord, ...]
    edges: tuple[EdgeRecord, ...]

    def count(self, label: str) -> int:
        return sum(1 for n in self.nodes if n.label == label)
