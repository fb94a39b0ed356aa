"""The load report: what each document contributed and every finding, with file and line."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from plangraph.errors import CODES
from plangraph.model import Finding


@dataclass
class DocumentReport:
    file: str
    status: str  # loaded | failed | skipped
    format: str | None = None
    plan_id: str | None = None
    plan_code: str | None = None
    level: str | None = None
    tasks: int = 0
    indicators: int = 0
    agencies: int = 0
    legal_bases: int = 0
    agency_mentions: int = 0
    agency_mentions_resolved: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "format": self.format,
            "plan_id": self.plan_id,
            "plan_code": self.plan_code,
            "level": self.level,
            "tasks": self.tasks,
            "indicators": self.indicators,
            "agencies": self.agencies,
            "legal_bases": self.legal_bases,
            "agency_mentions": self.agency_mentions,
            "agency_mentions_resolved": self.agency_mentions_resolved,
            "findings": [f.as_dict() for f in self.findings],
            "error": self.error,
        }


@dataclass
class LoadReport:
    documents: list[DocumentReport] = field(default_factory=list)
    derivations: int = 0  # DERIVES_FROM edges written by the relink after the load

    @property
    def failed(self) -> list[DocumentReport]:
        return [d for d in self.documents if d.status == "failed"]

    def finding_counts(self) -> Counter[str]:
        return Counter(f.code for d in self.documents for f in d.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": [d.as_dict() for d in self.documents],
            "totals": {
                "documents": len(self.documents),
                "loaded": sum(1 for d in self.documents if d.status == "loaded"),
                "failed": len(self.failed),
                "tasks": sum(d.tasks for d in self.documents),
                "indicators": sum(d.indicators for d in self.documents),
                "derivations": self.derivations,
                "agency_mentions": sum(d.agency_mentions for d in self.documents),
                "agency_mentions_resolved": sum(d.agency_mentions_resolved for d in self.documents),
                "findings": dict(sorted(self.finding_counts().items())),
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def render(self, max_findings: int = 200) -> str:
        """Human-readable report for the terminal."""
        lines: list[str] = []
        for doc in self.documents:
            if doc.status == "failed":
                lines.append(f"✗ {doc.file}: {doc.error}")
                continue
            lines.append(
                f"✓ {doc.file} [{doc.format}] plan {doc.plan_code or doc.plan_id} ({doc.level}): "
                f"{doc.tasks} tasks, {doc.indicators} indicators, {doc.agencies} agencies, "
                f"{doc.legal_bases} legal bases"
            )
        if self.derivations:
            lines.append(f"Task lineage: {self.derivations} DERIVES_FROM links (plangraph.cascade.lineage)")
        mentions = sum(d.agency_mentions for d in self.documents)
        if mentions:
            resolved = sum(d.agency_mentions_resolved for d in self.documents)
            lines.append(f"Agency mentions resolved: {resolved} of {mentions} ({100 * resolved / mentions:.1f}%)")
        findings = [f for d in self.documents for f in d.findings]
        if findings:
            lines.append("")
            lines.append(f"Findings ({len(findings)}):")
            for finding in findings[:max_findings]:
                where = f"{finding.file}:{finding.line}" if finding.line else finding.file
                lines.append(f"  {finding.code} {where}  {finding.message}")
            if len(findings) > max_findings:
                lines.append(f"  … {len(findings) - max_findings} more (use --report FILE for all)")
            lines.append("")
            lines.append(
                "  by code: "
                + ", ".join(f"{code} {CODES.get(code, '')} ×{n}" for code, n in sorted(self.finding_counts().items()))
            )
        return "\n".join(lines)
