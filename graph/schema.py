"""The graph contract (DESIGN.md §3) in one place: labels, properties, relationships.

Both stores derive their schema and write statements from these tables, and
the README's "Graph contract" section documents them. Change them deliberately.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Property types, named after the embedded engine's types; the Neo4j store maps them.
STRING, INT, FLOAT, BOOL, DATE, STRINGS = "STRING", "INT64", "DOUBLE", "BOOLEAN", "DATE", "STRING[]"
# A score at the precision it carries meaning (4 decimals): a number on both engines (a float to Neo4j and in
# every answer), stored by the embedded engine as a decimal, which it copies 80× faster than DOUBLE columns of
# such values (931,594 lineage edges: 0.5 s against 42 s a column; benchmarks/RESULTS.md, issue 21).
SCORE = "DECIMAL(9,4)"

NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Plan": {
        "id": STRING,
        "code": STRING,  # "110/KH-UBND"; null when the number is blank (draft)
        "kind": STRING,  # Kế hoạch, Chương trình, Quyết định …
        "title": STRING,
        "issued_on": DATE,
        "issued_month": STRING,  # "2026-04" when the day is blank
        "issuer": STRING,
        "level": STRING,  # national | province | department | district (before 1 July 2025) | commune
        "province": STRING,
        "jurisdiction": STRING,  # "tỉnh Lạng Sơn", "xã Lợi Bác, tỉnh Lạng Sơn"
        "is_draft": BOOL,
        "province_code": STRING,  # the official code of its province ("20", Lạng Sơn; plangraph.register)
        "commune_code": STRING,  # of its commune, for a commune's plan ("06601", xã Lợi Bác)
        "carried_plan": STRING,  # a decision's plan as titled ("Kế hoạch hành động quốc gia về …"); "" otherwise
        "period_start": DATE,
        "period_end": DATE,
        "format": STRING,  # loader that read it: tsv | markdown | pdftext
        "source_file": STRING,
        "source_sha256": STRING,
        "source_line": INT,
    },
    "Task": {
        "id": STRING,
        "plan_id": STRING,
        "ref": STRING,  # as printed, qualified by section: "III.2", "VII.2.4", "47"
        "section": STRING,
        "section_title": STRING,
        "group_name": STRING,  # "Nhóm nhiệm vụ" when the table has one
        "title": STRING,
        "products": STRING,
        "due_text": STRING,
        "due_start": DATE,
        "due_end": DATE,
        "recurrence": STRING,
        "condition": STRING,
        "status": STRING,  # done | open
        "accountable": STRING,  # "Người đứng đầu chịu trách nhiệm", as printed
        "note": STRING,
        "source_file": STRING,
        "source_line": INT,
        "source_page": INT,
        "ocr_confidence": FLOAT,  # read from a scan: OCR's mean confidence (0-100) in the text, at its least
        "source_text": STRING,  # the row(s) as printed
        "origin": STRING,  # how the plan states it: table (a task table's row) | inline (labelled fields) | duty
        "requested": BOOL,  # "Đề nghị …": asked of a body outside the issuer's authority (a duty's request)
    },
    "Agency": {
        "id": STRING,
        "name": STRING,
        "short_name": STRING,
        "kind": STRING,
        "level": STRING,
        "province": STRING,
        "jurisdiction": STRING,
        "province_code": STRING,  # official codes of its province and commune (plangraph.register)
        "commune_code": STRING,
        "is_group": BOOL,
        "aliases": STRINGS,
    },
    "LegalBasis": {
        "id": STRING,  # "57-NQ/TW", "64/2025/QH15", "110/KH-UBND@tinh-lang-son@2026"
        "kind": STRING,
        "number": STRING,
        "issued_on": DATE,
        "issuer": STRING,
        "title": STRING,
        "aliases": STRINGS,
    },
    "Indicator": {
        "id": STRING,
        "plan_id": STRING,
        "ref": STRING,
        "name": STRING,
        "unit": STRING,
        "comparator": STRING,
        "target": FLOAT,
        "target_text": STRING,
        "period": STRING,
        "source_file": STRING,
        "source_line": INT,
    },
}


@dataclass(frozen=True)
class RelType:
    name: str
    pairs: tuple[tuple[str, str], ...]
    properties: dict[str, str]


REL_TYPES: tuple[RelType, ...] = (
    RelType("HAS_TASK", (("Plan", "Task"),), {}),
    RelType("ISSUED_BY", (("Plan", "Agency"),), {}),
    # `mention` keeps the agency as the source wrote it ("Sở KH&CN", "Các Sở, Ban, ngành phụ trách …").
    RelType("LED_BY", (("Task", "Agency"), ("Indicator", "Agency")), {"accountable": STRING, "mention": STRING}),
    RelType("SUPPORTED_BY", (("Task", "Agency"), ("Indicator", "Agency")), {"mention": STRING}),
    # Who follows a task up, checks and urges it ("Theo dõi, kiểm tra, đôn đốc" column): not a supporter.
    RelType("MONITORED_BY", (("Task", "Agency"),), {"mention": STRING}),
    RelType(
        "IMPLEMENTS",
        (("Plan", "LegalBasis"), ("Task", "LegalBasis"), ("LegalBasis", "LegalBasis")),
        {"source_file": STRING, "source_line": INT},
    ),
    RelType("CITES", (("Plan", "LegalBasis"), ("Task", "LegalBasis")), {"source_file": STRING, "source_line": INT}),
    # A lower-level task carrying out a higher-level one, with the evidence (plangraph.cascade.lineage).
    RelType(
        "DERIVES_FROM",
        (("Task", "Task"),),
        {
            "score": SCORE,
            "method": STRING,
            "text_score": SCORE,
            "shared_terms": STRINGS,
            "shared_legal": STRINGS,
            "deadline_after_parent": BOOL,
        },
    ),
    RelType("HAS_INDICATOR", (("Plan", "Indicator"), ("Task", "Indicator")), {}),
    RelType("PART_OF", (("Agency", "Agency"),), {}),
    RelType("MEMBER_OF", (("Agency", "Agency"),), {}),
    # A body the 2025 reorganisation dissolved → the body that carries its work (`shared_with`: the others that
    # took part of it, by name; "Sở Y tế, Sở Giáo dục và Đào tạo" for Sở Lao động - Thương binh và Xã hội).
    RelType("SUCCEEDED_BY", (("Agency", "Agency"),), {"since": DATE, "basis": STRING, "shared_with": STRING}),
)
REL_BY_NAME = {rel.name: rel for rel in REL_TYPES}
# Labels whose nodes belong to one document and are replaced with it.
DOCUMENT_LABELS = ("Plan", "Task", "Indicator")
# Labels shared between documents (merged, never deleted by a reload).
SHARED_LABELS = ("Agency", "LegalBasis")
# Text properties indexed for search (Neo4j full-text index; embedded: CONTAINS).
SEARCH_PROPERTIES: dict[str, tuple[str, ...]] = {
    "Task": ("title", "products"),
    "Plan": ("title", "code"),
    "Agency": ("name",),
    "LegalBasis": ("id", "title"),
}


def merge_shared(old: dict[str, Any], new: dict[str, Any], label: str) -> dict[str, Any]:
    """A shared node's row after another document wrote `new`: the one rule for shared nodes (agencies,
    legal bases) on every path and engine — the first non-null value of a property stays, lists are
    united. (A rule where later values win would make a reload change nodes other documents share.)"""
    out = {name: old.get(name) for name in NODE_PROPERTIES[label]}
    for name, kind in NODE_PROPERTIES[label].items():
        if kind == STRINGS:
            out[name] = unite(old.get(name), new.get(name))
        elif out[name] is None and new.get(name) is not None:
            out[name] = new[name]
    return out


def unite(first: Iterable[str] | None, second: Iterable[str] | None) -> list[str]:
    """Both lists, each value once, in first-seen order."""
    return list(dict.fromkeys([*(first or ()), *(second or ())]))
