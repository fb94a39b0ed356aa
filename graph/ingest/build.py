"""Stage 5: records + resolved agencies → GraphBatch (nodes and edges with natural keys).

Every node and edge a document contributes carries its provenance: nodes of the
document keep `source_file`/`source_line`; edges to legal bases keep the line;
edges to agencies keep the mention as printed.

The batch is built by concern — agencies, legal bases, the plan, its tasks, its indicators — into a
:class:`BatchBuilder`, which checks every property key against the graph contract (a mistyped key fails
here instead of writing null) and merges a node met twice by the contract's one rule for shared nodes
(:func:`plangraph.schema.merge_shared`). The resolution is an input: this stage never calls the one before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from plangraph.ingest.deadlines import plan_period
from plangraph.ingest.legal import canonical_id
from plangraph.ingest.resolve import Agency, Resolution, member_edges
from plangraph.ingest.text import fold, slug
from plangraph.model import AgencyMention, EdgeRecord, GraphBatch, Interpretation, LegalRef, NodeRecord, PlanRecord
from plangraph.reference import reference_instruments
from plangraph.register import PROVINCE_MERGER, former_province, unit_codes
from plangraph.schema import NODE_PROPERTIES, REL_BY_NAME, SHARED_LABELS, STRINGS, merge_shared


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plan_id(plan: PlanRecord, source_name: str) -> str:
    """Plan key: canonical document id when numbered; drafts are keyed by their file."""
    if plan.code is None:
        return f"draft:{source_name.rsplit('.', 1)[0]}"
    year = plan.issued_on.year if plan.issued_on else None
    central = plan.level == "national"  # a Government programme is one document nationwide, wherever it was signed
    return canonical_id(plan.code, year, central=central, jurisdiction=None if central else plan.jurisdiction or None)


def _check(kind: str, props: dict[str, Any], contract: dict[str, str]) -> None:
    """A property the graph contract does not define is a bug here, not a null in the store."""
    unknown = sorted(set(props) - set(contract))
    if unknown:
        raise ValueError(f"{kind} has no property {', '.join(unknown)} in the graph contract (plangraph.schema)")


class BatchBuilder:
    """The nodes and edges of one document, keyed as the stores key them, checked against the contract."""

    def __init__(self, source_file: str, plan_key: str) -> None:
        self.source_file = source_file
        self.plan_key = plan_key
        self.nodes: dict[tuple[str, str], NodeRecord] = {}
        self.edges: list[EdgeRecord] = []

    def node(self, label: str, key: str, props: dict[str, Any]) -> None:
        unknown = set(props) - set(NODE_PROPERTIES[label])
        if unknown:
            raise ValueError(
                f"{label} has no propert{'y' if len(unknown) == 1 else 'ies'} {', '.join(sorted(unknown))}"
            )
        row = {"id": key, **props}
        existing = self.nodes.get((label, key))
        if existing is None:
            self.nodes[(label, key)] = NodeRecord(label, key, row)
        elif label in SHARED_LABELS:  # met twice in the document: the one rule for shared nodes
            merged = merge_shared(existing.props, row, label)
            existing.props.clear()
            existing.props.update(
                {name: value for name, value in merged.items() if name in existing.props or name in row}
            )
        # a document's own node is written once: its first row stands

    def alias(self, label: str, key: str, alias: str) -> None:
        props = self.nodes[(label, key)].props
        props["aliases"] = [*props["aliases"], alias] if alias not in props["aliases"] else props["aliases"]

    def edge(self, rel: str, start: tuple[str, str], end: tuple[str, str], props: dict[str, Any] | None = None) -> None:
        _check(rel, props or {}, REL_BY_NAME[rel].properties)
        self.edges.append(EdgeRecord(rel, start[0], start[1], end[0], end[1], props or {}))

    def provenance(self, line: int | None) -> dict[str, Any]:
        return {"source_file": self.source_file, "source_line": line}

    def batch(self) -> GraphBatch:
        for record in self.nodes.values():  # a document contributes its aliases in sorted order
            for name, kind in NODE_PROPERTIES[record.label].items():
                if kind == STRINGS and record.props.get(name) is not None:
                    record.props[name] = sorted(set(record.props[name]))
        unique = list({(e.type, e.start_key, e.end_key, e.start_label, e.end_label): e for e in self.edges}.values())
        return GraphBatch(
            source_file=self.source_file, plan_id=self.plan_key, nodes=tuple(self.nodes.values()), edges=tuple(unique)
        )


def build_batch(interpretation: Interpretation, resolution: Resolution) -> GraphBatch:
    source = interpretation.document.source
    builder = BatchBuilder(source.name, plan_id(interpretation.plan, source.name))
    _agencies(builder, resolution)
    _plan(builder, interpretation, resolution)
    _tasks(builder, interpretation, resolution)
    _indicators(builder, interpretation, resolution)
    return builder.batch()


def _agencies(builder: BatchBuilder, resolution: Resolution) -> None:
    """Every agency the document names, with the mentions as printed as aliases, and how they relate."""
    for a in resolution.agencies.values():
        builder.node("Agency", a.key, _agency_props(a, a.province, a.jurisdiction))
    for mention_text, resolved in resolution.by_mention.items():
        builder.alias("Agency", resolved.key, mention_text)
    for resolved in resolution.agencies.values():
        if resolved.parent and ("Agency", resolved.parent) in builder.nodes:
            builder.edge("PART_OF", ("Agency", resolved.key), ("Agency", resolved.parent))
    _former_province_successors(builder, resolution)
    for resolved in resolution.agencies.values():
        if not resolved.succeeded_by or not resolved.succession:
            continue
        on, basis, shared = resolved.succession
        props = {"since": on, "basis": basis, "shared_with": shared or None}
        for heir in (resolved.succeeded_by, *resolved.successors):  # a district: every commune formed from it
            if ("Agency", heir) in builder.nodes:
                builder.edge("SUCCEEDED_BY", ("Agency", resolved.key), ("Agency", heir), props)
    for member, group in member_edges(resolution.agencies):
        builder.edge("MEMBER_OF", ("Agency", member), ("Agency", group))


def _agency_props(a: Agency, province: str | None, jurisdiction: str) -> dict[str, Any]:
    """An agency node's properties, in `province` and `jurisdiction` (its own, or its successor's)."""
    codes = unit_codes(province, jurisdiction, a.level)
    return {
        "name": a.name,
        "short_name": a.short_name,
        "kind": a.kind,
        "level": a.level,
        "province": province,
        "jurisdiction": jurisdiction,
        "province_code": codes[0],
        "commune_code": codes[1],
        "is_group": a.is_group,
        "aliases": [],
    }


def _former_province_successors(builder: BatchBuilder, resolution: Resolution) -> None:
    """The bodies of a province merged on 1 July 2025 ("Sở Nội vụ" of tỉnh Yên Bái) → the same bodies of the
    province that took it in (Sở Nội vụ of tỉnh Lào Cai), by a dated SUCCEEDED_BY; communes are left as printed
    (their own merger is not read yet)."""
    since, basis = PROVINCE_MERGER
    for a in list(resolution.agencies.values()):
        former = former_province(a.province)
        if former is None or a.level == "commune" or not a.jurisdiction.endswith(former.name):
            continue
        if a.succeeded_by:  # a body dissolved before the merger: its own successor carries on, not a copy of it
            continue
        kind = "thành phố" if "thành phố" in former.successor.kind else "tỉnh"
        jurisdiction = f"{kind} {former.successor.name}"
        key = f"{slug(jurisdiction)}/{a.key.split('/', 1)[1]}"
        builder.node("Agency", key, _agency_props(a, former.successor.name, jurisdiction))
        builder.edge("SUCCEEDED_BY", ("Agency", a.key), ("Agency", key), {"since": since, "basis": basis})


def _legal(builder: BatchBuilder, ref: LegalRef) -> tuple[str, str]:
    """The legal basis a reference names (with what the reference data knows of it) and the instruments it
    implements; returns its node key."""
    known = reference_instruments().get(ref.id)
    builder.node(
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
            builder.node(
                "LegalBasis",
                target,
                {"kind": None, "number": target, "issued_on": None, "issuer": None, "title": None, "aliases": []},
            )
            builder.edge(
                "IMPLEMENTS", ("LegalBasis", ref.id), ("LegalBasis", target), {"source_file": None, "source_line": None}
            )
    return ("LegalBasis", ref.id)


def _plan(builder: BatchBuilder, interpretation: Interpretation, resolution: Resolution) -> None:
    doc, plan = interpretation.document, interpretation.plan
    source = doc.source
    key = ("Plan", builder.plan_key)
    period = plan_period(plan.title, plan.issued_on)
    builder.node(
        "Plan",
        builder.plan_key,
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
            "province_code": plan.province_code,
            "commune_code": plan.commune_code,
            "carried_plan": plan.carried_plan or None,
            "period_start": _iso(period[0]) if period else None,
            "period_end": _iso(period[1]) if period else None,
            "format": doc.format,
            "source_file": source.name,
            "source_sha256": source.sha256,
            "source_line": plan.line,
        },
    )
    if resolution.issuer is not None:
        builder.alias("Agency", resolution.issuer.key, plan.issuer)
        builder.edge("ISSUED_BY", key, ("Agency", resolution.issuer.key))
    for ref in plan.implements:
        builder.edge("IMPLEMENTS", key, _legal(builder, ref), builder.provenance(plan.line))
    for ref in plan.cites:
        builder.edge("CITES", key, _legal(builder, ref), builder.provenance(plan.line))
    for instrument, mandate in plan.instrument_links:
        builder.edge("IMPLEMENTS", _legal(builder, instrument), _legal(builder, mandate), builder.provenance(plan.line))


def _unique(builder: BatchBuilder, label: str, key: str) -> str:
    """`key`, or `key~2`, `key~3` … when the document already holds it (a repeated number, W103, keeps both)."""
    candidate, n = key, 2
    while (label, candidate) in builder.nodes:
        candidate = f"{key}~{n}"
        n += 1
    return candidate


def _owners(
    builder: BatchBuilder,
    key: tuple[str, str],
    lead: Iterable[AgencyMention],
    support: Iterable[AgencyMention],
    resolution: Resolution,
    accountable: str | None,
) -> None:
    """Who leads and who supports a task or an indicator; each edge keeps the mention as printed."""
    for mention in lead:
        agency = ("Agency", resolution.by_mention[mention.name].key)
        builder.edge("LED_BY", key, agency, {"accountable": accountable, "mention": mention.name})
    for mention in support:
        agency = ("Agency", resolution.by_mention[mention.name].key)
        builder.edge("SUPPORTED_BY", key, agency, {"mention": mention.name})


def _tasks(builder: BatchBuilder, interpretation: Interpretation, resolution: Resolution) -> None:
    source, plan_key = interpretation.document.source, builder.plan_key
    for task in interpretation.tasks:
        tid = _unique(builder, "Task", f"{plan_key}#{task.ref}")
        builder.node(
            "Task",
            tid,
            {
                "plan_id": plan_key,
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
                "ocr_confidence": task.ocr_confidence,
                "source_text": task.source_text,
                "origin": task.origin,
                "requested": task.requested,
            },
        )
        key = ("Task", tid)
        builder.edge("HAS_TASK", ("Plan", plan_key), key)
        _owners(builder, key, task.lead, task.support, resolution, task.accountable)
        for mention in task.monitors:  # who follows the task up: its own relation, never support
            builder.edge(
                "MONITORED_BY", key, ("Agency", resolution.by_mention[mention.name].key), {"mention": mention.name}
            )
        for statement in task.targets:
            digest = hashlib.sha1(fold(statement.text).encode()).hexdigest()[:10]
            indicator_key = f"{plan_key}#target:{slug(statement.text)[:60]}-{digest}"
            builder.node(
                "Indicator",
                indicator_key,
                {
                    "plan_id": plan_key,
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
            builder.edge("HAS_INDICATOR", key, ("Indicator", indicator_key))
        for ref in task.implements:
            builder.edge("IMPLEMENTS", key, _legal(builder, ref), builder.provenance(task.line))
        implemented = {r.id for r in task.implements}
        for ref in task.cites:
            if ref.id not in implemented:
                builder.edge("CITES", key, _legal(builder, ref), builder.provenance(task.line))


def _indicators(builder: BatchBuilder, interpretation: Interpretation, resolution: Resolution) -> None:
    source, plan_key = interpretation.document.source, builder.plan_key
    for indicator in interpretation.indicators:
        iid = _unique(builder, "Indicator", f"{plan_key}#indicator:{indicator.ref}")
        builder.node(
            "Indicator",
            iid,
            {
                "plan_id": plan_key,
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
        key = ("Indicator", iid)
        builder.edge("HAS_INDICATOR", ("Plan", plan_key), key)
        _owners(builder, key, indicator.lead, indicator.support, resolution, None)
