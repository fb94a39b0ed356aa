"""Response models of the API (separate from the pipeline's types)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str  # ok | degraded (lineage incomplete, or query workers missing)
    backend: str
    workers: int | None = None  # query workers alive (embedded store)
    workers_expected: int | None = None
    workers_replaced: int | None = None  # killed at a limit and replaced since the start
    sandbox: str | None = None  # "landlock ABI 7", or "rlimits only"
    lineage: str = "complete"  # or what an interrupted link left incomplete, with the command to finish it
    journal: str = "agrees"  # or what the last write counted differently from the journal, with the command


class Stats(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nodes: dict[str, int]
    relationships: dict[str, int]


class QueryParam(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: str
    example: Any
    description: str
    required: bool = False  # must be given; otherwise its default (a limit's example, or "" for all)


class NamedQueryInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    description: str
    params: list[QueryParam]


class Rows(BaseModel):
    model_config = ConfigDict(extra="forbid")
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int
    truncated: bool


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="forbid")
    type: str = "about:blank"
    title: str
    status: int
    detail: str


class Page(BaseModel):
    """A page of a list: `total` items match, `items` holds those from `offset`, at most `limit`."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class PlanPage(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total": 5,
                "limit": 50,
                "offset": 0,
                "items": [
                    {
                        "id": "110/KH-UBND@tinh-lang-son@2026",
                        "code": "110/KH-UBND",
                        "level": "province",
                        "jurisdiction": "tỉnh Lạng Sơn",
                        "tasks": 48,
                    }
                ],
            }
        }
    )


class TaskPage(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total": 18,
                "limit": 50,
                "offset": 0,
                "items": [
                    {
                        "id": "110/KH-UBND@tinh-lang-son@2026#I.1",
                        "ref": "I.1",
                        "title": "Xây dựng Kế hoạch CCHC hằng năm của tỉnh; ban hành văn bản chỉ đạo",
                        "due": "Hằng năm",
                        "status": "open",
                        "leads": ["Sở Nội vụ"],
                        "supports": [],
                    }
                ],
            }
        }
    )


class AgencyPage(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total": 1,
                "limit": 50,
                "offset": 0,
                "items": [{"id": "tinh-lang-son/so-noi-vu", "name": "Sở Nội vụ", "lead": 18, "support": 5}],
            }
        }
    )


class MandatePage(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total": 60,
                "limit": 50,
                "offset": 0,
                "items": [{"id": "57-NQ/TW", "kind": "Nghị quyết", "plans_implementing": 1, "tasks_implementing": 101}],
            }
        }
    )


class SearchPage(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total": 268,
                "limit": 20,
                "offset": 0,
                "items": [
                    {
                        "kind": "agency",
                        "id": "tinh-dong-nai/so-khoa-hoc-va-cong-nghe/phong-chuyen-doi-so",
                        "label": "Phòng Chuyển đổi số",
                        "score": 2.0,
                        "matched": ["chuyen", "doi", "so"],
                    }
                ],
            }
        }
    )


class Detail(BaseModel):
    """One plan, task, agency or a computed view (cascade, coverage, summary): a JSON object."""

    model_config = ConfigDict(extra="allow")


class CypherRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "query": "MATCH (p:Plan)-[:HAS_TASK]->(t:Task) WHERE p.code = $code "
                "RETURN t.ref AS ref, t.title AS title",
                "params": {"code": "136/KH-UBND"},
                "limit": 5,
            }
        },
    )
    query: str
    params: dict[str, Any] = {}
    limit: int | None = None


class LoadResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    loaded: bool
    file: str
    source_file: str | None = None  # the document's name in the graph: uploads/<sha256[:12]>/<file>
    plan: str | None = None  # the plan created or replaced
    action: str | None = None  # created | replaced
    replaced_file: str | None = None  # the document the plan was loaded from before, when replaced
    sha256: str | None = None  # the original, kept by content


# The single-object answers, typed (issue 18, item 3). Each lists the fields every answer has; `extra="allow"`
# keeps what a view adds in some cases (an agency's `succeeds` when the reorganisation merged bodies into it).
class Ref(BaseModel):
    """A node an answer points at: its id and how it reads."""

    model_config = ConfigDict(extra="allow")
    id: str
    name: str | None = None


class PlanDetail(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    code: str | None = None  # null for a draft (its number is blank)
    kind: str | None = None
    title: str | None = None
    issued_on: str | None = None
    issuer: str | None = None
    level: str | None = None  # national | province | department | district | commune
    province: str | None = None
    jurisdiction: str | None = None
    is_draft: bool = False
    period_start: str | None = None
    period_end: str | None = None
    source_file: str | None = None
    tasks: int = 0
    implements: list[dict[str, Any]] = []  # the mandates it carries out
    cites: list[dict[str, Any]] = []  # the other legal documents it names


class TextLine(BaseModel):
    line: int  # 1-based, the number findings and tasks cite (source_line)
    text: str


class PlanText(BaseModel):
    plan: str
    code: str | None = None
    source_file: str | None = None
    format: str | None = None  # the loader that read it (docx, pdftext, markdown, tsv, …)
    sha256: str | None = None  # the original bytes' digest
    total_lines: int
    first: int  # the first line given
    last: int  # the last line given
    lines: list[TextLine]


class Owners(BaseModel):
    lead: list[dict[str, Any]] = []
    support: list[dict[str, Any]] = []


class Lineage(BaseModel):
    parent: list[dict[str, Any]] = []  # the higher-level tasks it derives from
    child: list[dict[str, Any]] = []  # the lower-level tasks that derive from it


class Provenance(BaseModel):
    source_file: str | None = None
    source_line: int | None = None
    source_page: int | None = None
    ocr_confidence: float | None = None  # read from a scan: OCR's mean confidence (0-100) in its text, at its least
    source_text: str | None = None


class TaskDetail(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    ref: str | None = None
    title: str | None = None
    products: str | None = None
    section: str | None = None
    due: str | None = None  # the deadline as printed
    due_start: str | None = None
    due_end: str | None = None
    status: str | None = None  # open | done
    plan_id: str | None = None
    plan_code: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    owners: Owners
    implements: list[dict[str, Any]] = []
    cites: list[dict[str, Any]] = []
    lineage: Lineage
    provenance: Provenance


class AgencyDetail(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    short_name: str | None = None
    kind: str | None = None
    level: str | None = None
    province: str | None = None
    jurisdiction: str | None = None
    is_group: bool = False
    aliases: list[str] = []
    lead: int = 0
    support: int = 0
    part_of: list[Ref] = []
    member_of: list[Ref] = []


class AgencyBrief(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    jurisdiction: str | None = None


class AgencyTasks(BaseModel):
    """Who owns what: an agency's tasks by role, level and plan (with those of the bodies merged into it)."""

    model_config = ConfigDict(extra="allow")
    agency: AgencyBrief
    groups: list[dict[str, Any]]  # {role, level, plan_id, plan, tasks: [...]}
    total: int


class AgencySummary(BaseModel):
    model_config = ConfigDict(extra="allow")
    agency: AgencyBrief
    as_of: str
    lead: int
    support: int
    open_lead: int
    open_support: int
    overdue_lead: int
    overdue_support: int


class CascadeCounts(BaseModel):
    model_config = ConfigDict(extra="allow")
    plans_per_level: dict[str, int] = {}
    tasks_per_level: dict[str, int] = {}
    tasks_per_lead_agency: dict[str, int] = {}


class Cascade(BaseModel):
    """How a mandate cascades: its instruments, then the plans by level with their tasks and counts."""

    model_config = ConfigDict(extra="allow")
    mandate: dict[str, Any]
    instruments: list[dict[str, Any]] = []
    levels: dict[str, list[dict[str, Any]]] = {}
    counts: CascadeCounts
    tasks_listed: bool


class Coverage(BaseModel):
    """Where a mandate's tasks reach each lower level and where they do not."""

    model_config = ConfigDict(extra="allow")
    mandate: str
    levels: list[str] = []
    coverage: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
