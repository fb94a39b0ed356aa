"""Numeric targets in results and indicator cells.

Forms seen in the corpus: "≥ 95" (002 Phụ lục I), "$\\geq 80\\%$" (004, cleaned to
"≥ 80%"), "100", "100%", "Tối thiểu 90% dân số …", "ít nhất 200 doanh nghiệp",
"đạt tối thiểu 1,5%", "Tối thiểu 6 bài báo", ">80%".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Comparator words and symbols before a number, in folded or printed form.
COMPARATORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:≥|>=|tối thiểu|ít nhất|không dưới|trở lên)\s*$", re.IGNORECASE), ">="),
    (re.compile(r"(?:≤|<=|tối đa|không quá)\s*$", re.IGNORECASE), "<="),
    (re.compile(r"(?:>|trên|hơn)\s*$", re.IGNORECASE), ">"),
    (re.compile(r"(?:<|dưới)\s*$", re.IGNORECASE), "<"),
)
# A number with an optional unit right after it: "95", "1,5%", "200 doanh nghiệp".
NUMBER = re.compile(r"(?P<value>\d{1,9}(?:[.,]\d+)?)\s*(?P<unit>%|bài báo|doanh nghiệp|cán bộ|người|xã|dịch vụ)?")


@dataclass(frozen=True)
class Target:
    comparator: str  # ">=", "<=", ">", "<", "="
    value: float
    unit: str
    span: tuple[int, int]


def parse_target(text: str, unit: str = "") -> Target | None:
    """The first numeric target in `text`, or None when it states none."""
    targets = find_targets(text, unit)
    return targets[0] if targets else None


def find_targets(text: str, unit: str = "") -> list[Target]:
    """Every numeric target in `text`, in order (dates and document numbers excluded)."""
    out: list[Target] = []
    for match in NUMBER.finditer(text):
        before = text[: match.start()]
        if re.search(r"[/\d]$", before) or re.match(r"\s*/", text[match.end() :]):
            continue  # part of a date or a document number
        comparator = next((op for pattern, op in COMPARATORS if pattern.search(before[-20:])), "=")
        if comparator == "=" and not match.group("unit") and not unit:
            continue  # a bare number ("ngày 22", "57") states no target
        if re.match(r"\s*-\s*[A-ZĐ]", text[match.end() :]):
            continue  # "57-NQ/TW": a document number
        raw = match.group("value").replace(",", ".")
        out.append(
            Target(
                comparator=comparator,
                value=float(raw),
                unit=match.group("unit") or unit,
                span=(match.start(), match.end()),
            )
        )
    return out
