"""Normalise a deadline cell ("Thời gian thực hiện") into a window, recurrence and condition.

Recurring and ongoing tasks take the plan's period as their window. Anything
not understood is returned with `understood=False` and reported (W202), never
guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from plangraph import vocabulary
from plangraph.ingest.text import fold
from plangraph.model import Deadline

ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "31/12/2025", "15/4/2026" (004 appendices).
EXACT_DATE = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b")
# "Tháng 01/2026", "Tháng 6/2026", "tháng 12 năm 2025" (001, 003).
MONTH = re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b")
# "Quý I/2026", "Quý II, III/2026", "Quý IV năm 2025" (001, 004).
QUARTERS = re.compile(r"\bquy\s*((?:i{1,3}|iv)(?:\s*(?:,|va|-)\s*(?:i{1,3}|iv))*)\s*(?:/|nam)\s*(\d{4})\b")
# "Giai đoạn 2026 - 2030", "2026–2030" (002 Phụ lục II).
PERIOD = re.compile(r"\b(20\d{2})\s*[-–—]\s*(20\d{2})\b")
# "Năm 2026", "Trong năm 2026", "2026" alone (000 line 72).
YEAR = re.compile(r"^(?:(?:trong\s+)?nam\s+)?(20\d{2})\b|\bnam\s+(20\d{2})\b")
# Recurrence words (plangraph.vocabulary.RECURRENCES). Several may apply: "Thường xuyên; 6 tháng/lần".
RECURRENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), name) for p, name in vocabulary.RECURRENCES
)
# Conditions: "Sau khi … được ban hành", "Theo lộ trình …", "Khi được … giao",
# "Theo nhiệm vụ được giao tại Kế hoạch số 230-KH/TU", "(thực hiện theo chỉ đạo …)".
CONDITION = re.compile(
    r"(?:^|[(;.]\s*|\s)(sau khi|khi duoc|khi co|theo lo trinh|theo tien do|theo nhiem vu|theo ke hoach|theo quy che"
    r"|theo chi dao|thuc hien theo|theo yeu cau|theo huong dan|dot xuat|khi trung uong|tuy theo)"
)


@dataclass(frozen=True)
class Normalised:
    deadline: Deadline
    understood: bool


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_window(quarters: list[int], year: int) -> tuple[date, date]:
    first, last = min(quarters), max(quarters)
    return date(year, 3 * first - 2, 1), _month_end(year, 3 * last)


def _condition_text(text: str, folded: str) -> str | None:
    match = CONDITION.search(folded)
    if not match:
        return None
    start = match.start(1)
    return text[start:].strip(" ().;") or None


def normalise_deadline(text: str, period: tuple[date, date] | None = None) -> Normalised:
    """Read `text` (as printed); `period` is the plan's window for recurring tasks."""
    raw = text.strip()
    folded = fold(raw)
    if not folded:
        return Normalised(Deadline(text=raw), understood=False)
    try:
        start, end = _window(folded)
    except (ValueError, OverflowError):  # an impossible date as printed ("Quý II/0000", "31/02/2026")
        start, end = None, None
    recurrence = ", ".join(name for pattern, name in RECURRENCES if pattern.search(folded)) or None
    condition = _condition_text(raw, folded)
    if recurrence and start is None and end is None and period is not None:
        start, end = period
    elif recurrence and "continuing" in recurrence and (start or end):
        # from the date printed on, through the plan's period (open-ended without one): never due at its first year
        start = start or end
        end = period[1] if period is not None and start is not None and period[1] >= start else None
    understood = bool(start or end or recurrence or condition)
    return Normalised(
        Deadline(text=raw, start=start, end=end, recurrence=recurrence, condition=condition),
        understood=understood,
    )


def _window(folded: str) -> tuple[date | None, date | None]:
    """The dates a deadline's folded text names; ValueError for an impossible one."""
    start: date | None = None
    end: date | None = None
    if m := EXACT_DATE.search(folded):
        end = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    elif m := MONTH.search(folded):
        year, month = int(m.group(2)), int(m.group(1))
        if 1 <= month <= 12:
            start, end = date(year, month, 1), _month_end(year, month)
    elif m := QUARTERS.search(folded):
        quarters = [ROMAN_QUARTER[q] for q in re.findall(vocabulary.ROMAN_QUARTER, m.group(1))]
        start, end = _quarter_window(quarters, int(m.group(2)))
    elif m := PERIOD.search(folded):
        start, end = date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
    elif m := YEAR.search(folded):
        year = int(m.group(1) or m.group(2))
        start, end = date(year, 1, 1), date(year, 12, 31)
    return start, end


def plan_period(title: str, issued_on: date | None) -> tuple[date, date] | None:
    """The window a plan covers, from its title ("giai đoạn 2026 - 2030", "năm 2026", "Quý IV năm 2025");
    None when the title names none, or an impossible one."""
    try:
        return _plan_period(fold(title), issued_on)
    except (ValueError, OverflowError):
        return None


def _plan_period(folded: str, issued_on: date | None) -> tuple[date, date] | None:
    if m := PERIOD.search(folded):
        return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
    if m := QUARTERS.search(folded):
        quarters = [ROMAN_QUARTER[q] for q in re.findall(vocabulary.ROMAN_QUARTER, m.group(1))]
        return _quarter_window(quarters, int(m.group(2)))
    if m := re.search(r"\bnam\s+(20\d{2})\b", folded):
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    if issued_on is not None:
        return date(issued_on.year, 1, 1), date(issued_on.year, 12, 31)
    return None
