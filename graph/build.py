"""Stage 5: records → GraphBatch (nodes and edges with natural keys and provenance).

Agency identity here is first-pass: a mention is scoped to a jurisdiction
(DESIGN.md §3) — the plan's own, or the province for province-level bodies
named in a commune plan — and keyed by its folded name. Canonical resolution
of abbreviations and typos refines this (graph.resolve, when present).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from graph.deadlines import plan_period
from graph.header import province_jurisdiction
from graph.legal import canonical_id, reference_instruments
from graph.model import (
    AgencyMention,
    EdgeRecord,
    GraphBatch,
    Interpretation,
    LegalRef,
    NodeRecord,
    PlanRecord,
)
from graph.text import slug

# Bodies of the province named in lower-level plans: "Sở Nội vụ", "Công an tỉnh",
# "UBND tỉnh", "Văn phòng UBND tỉnh", "Bộ Chỉ huy Quân sự tỉnh".
PROVINCE_BODY = re.compile(r"^(?:Sở\b|Các [Ss]ở\b)|\btỉnh\b")
# Central bodies: "Bộ Công an", "Chính phủ", "Trung ương".
NATIONAL_BODY = re.compile(
    r"^(?:Bộ (?!Chỉ huy)|Chính phủ|Thủ tướng|Văn phòng Chính phủ|Trung ương|Ban Chỉ đạo Trung ương)"
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plan_id(plan: PlanRecord, source_name: str) -> str:
    """Plan key: canonical document id when numbered; drafts are keyed by their file."""
    if plan.code is None:
        return f"draft:{source_name.rsplit('.', 1)[0]}"
    year = plan.issued_on.year if plan.issued_on else None
    return canonical_id(plan.code, year, central=False, jurisdiction=plan.jurisdiction or None)


def agency_scope(name: str, plan: PlanRecord) -> tuple[str, str]:
    """(level, jurisdiction) of an agency named in `plan`."""
    if NATIONAL_BODY.search(name):
        return "national", "Việt Nam"
    province = province_jurisdiction(plan.province) if plan.province else plan.jurisdiction
    if plan.level == "commune" and PROVINCE_BODY.search(name):
        return "province", province
    if plan.level == "commune":
        return "commune", plan.jurisdiction
    return (
        "department" if name.startswith(("Phòng", "Trung tâm")) and plan.level == "department" else "province"
    ), province


def agency_id(name: str, jurisdiction: str) -> str:
    return f"{slug(jurisdiction)}/{slug(name)}"


def build_batch(interpretation: Interpretation) -> GraphBatch:
    doc = interpretation.document
    plan = interpretation.plan
    source = doc.source
    pid = plan_id(plan, source.name)
    nodes: dict[tuple[str, str], NodeRecord] = {}
    edges: list[EdgeRecord] = []

    def node(label: str, key: str, props: dict[str, Any]) -> None:
        existing = nodes.get((label, key))
        if existing is None:
            nodes[(label, key)] = NodeRecord(label, key, {"id": key, **props})
        elif label == "Agency":
            aliases = sorted(set(existing.props["aliases"]) | set(props.get("aliases", [])))
            existing.props["aliases"] = aliases
        elif label == "LegalBasis":
            existing.props["aliases"] = sorted(set(existing.props["aliases"]) | set(props.get("aliases", [])))
            for field in ("issued_on", "issuer", "title"):
                if not existing.props.get(field) and props.get(field):
                    existing.props[field] = props[field]

    def agency(mention: AgencyMention) -> str:
        level, jurisdiction = agency_scope(mention.name, plan)
        key = agency_id(mention.name, jurisdiction)
        node(
            "Agency",
            key,
            {
                "name": mention.name,
                "short_name": None,
                "kind": None,
                "level": level,
                "province": plan.province if level != "national" else None,
                "jurisdiction": jurisdiction,
                "is_group": mention.is_group,
                "aliases": [mention.name],
            },
        )
        return key

    def legal(ref: LegalRef) -> str:
        known = reference_instruments().get(ref.id)
        node(
            "LegalBasis",
            ref.id,
            {
                "kind": known.kind if known else ref.kind,
                "number": ref.number,
                "issued_on": _iso(known.issued_on if known else ref.issued_on),
                "issuer": known.issuer if known else ref.issuer,
                "title": known.title if known else None,
                "aliases": [ref.surface] if ref.surface else [],
            },
        )
        if known:
            for target in known.implements:
                node(
                    "LegalBasis",
                    target,
                    {"kind": None, "number": target, "issued_on": None, "issuer": None, "title": None, "aliases": []},
                )
                edges.append(
                    EdgeRecord(
                        "IMPLEMENTS",
                        "LegalBasis",
                        ref.id,
                        "LegalBasis",
                        target,
                        {"source_file": None, "source_line": None},
                    )
                )
        return ref.id

    period = plan_period(plan.title, plan.issued_on)
    node(
        "Plan",
        pid,
        {
            "code": plan.code,
            "kind": plan.kind,
            "title": plan.title,
            "issued_on": _iso(plan.issued_on),
            "issued_month": plan.issued_month,
            "issuer": plan.issuer,
            "level": plan.level,
            "province": plan.province,
            "jurisdiction": plan.jurisdiction,
            "is_draft": plan.is_draft,
            "period_start": _iso(period[0]) if period else None,
            "period_end": _iso(period[1]) if period else None,
            "format": doc.format,
            "source_file": source.name,
            "source_sha256": source.sha256,
            "source_line": plan.line,
        },
    )
    if plan.issuer:
        issuer_key = agency(AgencyMention(plan.issuer))
        edges.append(EdgeRecord("ISSUED_BY", "Plan", pid, "Agency", issuer_key))
    for ref in plan.implements:
        edges.append(
            EdgeRecord(
                "IMPLEMENTS",
                "Plan",
                pid,
                "LegalBasis",
                legal(ref),
                {"source_file": source.name, "source_line": plan.line},
            )
        )
    for ref in plan.cites:
        edges.append(
            EdgeRecord(
                "CITES", "Plan", pid, "LegalBasis", legal(ref), {"source_file": source.name, "source_line": plan.line}
            )
        )

    used: set[str] = set()
    for task in interpretation.tasks:
        tid = f"{pid}#{task.ref}"
        n = 2
        while tid in used:  # a repeated number (W103) keeps both tasks
            tid = f"{pid}#{task.ref}~{n}"
            n += 1
        used.add(tid)
        node(
            "Task",
            tid,
            {
                "plan_id": pid,
                "ref": task.ref,
                "section": task.section,
                "section_title": task.section_title,
                "group_name": task.group or None,
                "title": task.title,
                "products": task.products,
                "due_text": task.due.text,
                "due_start": _iso(task.due.start),
                "due_end": _iso(task.due.end),
                "recurrence": task.due.recurrence,
                "condition": task.due.condition,
                "status": task.status,
                "accountable": task.accountable,
                "note": task.note or None,
                "source_file": source.name,
                "source_line": task.line,
                "source_page": task.page,
                "source_text": task.source_text,
            },
        )
        edges.append(EdgeRecord("HAS_TASK", "Plan", pid, "Task", tid))
        for i, mention in enumerate(task.lead):
            accountable = task.accountable if i == 0 else None
            edges.append(EdgeRecord("LED_BY", "Task", tid, "Agency", agency(mention), {"accountable": accountable}))
        for mention in task.support:
            edges.append(EdgeRecord("SUPPORTED_BY", "Task", tid, "Agency", agency(mention)))
        for ref in task.implements:
            edges.append(
                EdgeRecord(
                    "IMPLEMENTS",
                    "Task",
                    tid,
                    "LegalBasis",
                    legal(ref),
                    {"source_file": source.name, "source_line": task.line},
                )
            )
        for ref in task.cites:
            if ref.id not in {r.id for r in task.implements}:
                edges.append(
                    EdgeRecord(
                        "CITES",
                        "Task",
                        tid,
                        "LegalBasis",
                        legal(ref),
                        {"source_file": source.name, "source_line": task.line},
                    )
                )

    for indicator in interpretation.indicators:
        iid = f"{pid}#indicator:{indicator.ref}"
        n = 2
        while iid in used:
            iid = f"{pid}#indicator:{indicator.ref}~{n}"
            n += 1
        used.add(iid)
        node(
            "Indicator",
            iid,
            {
                "plan_id": pid,
                "ref": indicator.ref,
                "name": indicator.name,
                "unit": indicator.unit,
                "comparator": indicator.comparator,
                "target": indicator.target,
                "target_text": indicator.target_text,
                "period": indicator.period,
                "source_file": source.name,
                "source_line": indicator.line,
            },
        )
        edges.append(EdgeRecord("HAS_INDICATOR", "Plan", pid, "Indicator", iid))
        for mention in indicator.lead:
            edges.append(EdgeRecord("LED_BY", "Indicator", iid, "Agency", agency(mention), {"accountable": None}))
        for mention in indicator.support:
            edges.append(EdgeRecord("SUPPORTED_BY", "Indicator", iid, "Agency", agency(mention)))

    unique_edges = list({(e.type, e.start_key, e.end_key, e.start_label, e.end_label): e for e in edges}.values())
    return GraphBatch(source_file=source.name, plan_id=pid, nodes=tuple(nodes.values()), edges=tuple(unique_edges))
