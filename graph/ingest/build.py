"""Stage 5: records + resolved agencies → GraphBatch (nodes and edges with natural keys).

Every node and edge a document contributes carries its provenance: nodes of the
document keep `source_file`/`source_line`; edges to legal bases keep the line;
edges to agencies keep the mention as printed.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from plangraph.ingest.deadlines import plan_period
from plangraph.ingest.legal import canonical_id, reference_instruments
from plangraph.ingest.resolve import Agency, Resolution, member_edges, resolve_document
from plangraph.ingest.text import fold, slug
from plangraph.model import (
    AgencyMention,
    EdgeRecord,
    GraphBatch,
    Interpretation,
    LegalRef,
    NodeRecord,
    PlanRecord,
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plan_id(plan: PlanRecord, source_name: str) -> str:
    """Plan key: canonical document id when numbered; drafts are keyed by their file."""
    if plan.code is None:
        return f"draft:{source_name.rsplit('.', 1)[0]}"
    year = plan.issued_on.year if plan.issued_on else None
    central = plan.level == "national"  # a Government programme is one document nationwide, wherever it was signed
    return canonical_id(plan.code, year, central=central, jurisdiction=None if central else plan.jurisdiction or None)


def build_batch(interpretation: Interpretation, resolution: Resolution | None = None) -> GraphBatch:
    resolution = resolution or resolve_document(interpretation)
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

    def agency_node(a: Agency) -> None:
        node(
            "Agency",
            a.key,
            {
                "name": a.name,
                "short_name": a.short_name,
                "kind": a.kind,
                "level": a.level,
                "province": a.province,
                "jurisdiction": a.jurisdiction,
                "is_group": a.is_group,
                "aliases": [],
            },
        )

    for resolved in resolution.agencies.values():
        agency_node(resolved)
    for mention_text, resolved in resolution.by_mention.items():
        nodes[("Agency", resolved.key)].props["aliases"] = sorted(
            set(nodes[("Agency", resolved.key)].props["aliases"]) | {mention_text}
        )
    for resolved in resolution.agencies.values():
        if resolved.parent and ("Agency", resolved.parent) in nodes:
            edges.append(EdgeRecord("PART_OF", "Agency", resolved.key, "Agency", resolved.parent))
    for member, group in member_edges(resolution.agencies):
        edges.append(EdgeRecord("MEMBER_OF", "Agency", member, "Agency", group))

    def agency(mention: AgencyMention) -> str:
        return resolution.by_mention[mention.name].key

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
    if resolution.issuer is not None:
        node_props = nodes[("Agency", resolution.issuer.key)].props
        node_props["aliases"] = sorted(set(node_props["aliases"]) | {plan.issuer})
        edges.append(EdgeRecord("ISSUED_BY", "Plan", pid, "Agency", resolution.issuer.key))
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

    for instrument, mandate in plan.instrument_links:
        props = {"source_file": source.name, "source_line": plan.line}
        edges.append(EdgeRecord("IMPLEMENTS", "LegalBasis", legal(instrument), "LegalBasis", legal(mandate), props))

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
        for mention in task.lead:
            props = {"accountable": task.accountable, "mention": mention.name}
            edges.append(EdgeRecord("LED_BY", "Task", tid, "Agency", agency(mention), props))
        for mention in task.support:
            edges.append(EdgeRecord("SUPPORTED_BY", "Task", tid, "Agency", agency(mention), {"mention": mention.name}))
        for statement in task.targets:
            digest = hashlib.sha1(fold(statement.text).encode()).hexdigest()[:10]
            indicator_key = f"{pid}#target:{slug(statement.text)[:60]}-{digest}"
            node(
                "Indicator",
                indicator_key,
                {
                    "plan_id": pid,
                    "ref": None,
                    "name": statement.text,
                    "unit": statement.unit,
                    "comparator": statement.comparator,
                    "target": statement.value,
                    "target_text": statement.text,
                    "period": None,
                    "source_file": source.name,
                    "source_line": task.line,
                },
            )
            edges.append(EdgeRecord("HAS_INDICATOR", "Task", tid, "Indicator", indicator_key))
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
            props = {"accountable": None, "mention": mention.name}
            edges.append(EdgeRecord("LED_BY", "Indicator", iid, "Agency", agency(mention), props))
        for mention in indicator.support:
            edges.append(
                EdgeRecord("SUPPORTED_BY", "Indicator", iid, "Agency", agency(mention), {"mention": mention.name})
            )

    unique_edges = list({(e.type, e.start_key, e.end_key, e.start_label, e.end_label): e for e in edges}.values())
    return GraphBatch(source_file=source.name, plan_id=pid, nodes=tuple(nodes.values()), edges=tuple(unique_edges))
