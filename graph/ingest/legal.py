"""Find the legal documents a text names, and give each one canonical id.

Identity (DESIGN.md §3): central party resolutions ("57-NQ/TW") and coded
laws/decrees ("64/2025/QH15", "186/2025/NĐ-CP") carry their own key; other
numbers are qualified by jurisdiction and year, because every province issues
a "110/KH-UBND": "110/KH-UBND@lang-son@2026".
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from plangraph.ingest.text import fold, slug
from plangraph.model import LegalRef
from plangraph.reference import reference_instruments

# Type words in front of a number: "Nghị quyết số 57-NQ/TW", "Luật số 87/2025/QH15".
TYPE_WORD = (
    r"(?P<type>Luật|Nghị quyết|Nghị định|Quyết định|Chỉ thị|Kế hoạch|Công văn|Thông báo"
    r"|Thông tư|Đề án|Chương trình|Quy chế|Kết luận|Hướng dẫn|Văn bản)"
)
# A document number: "57-NQ/TW", "06-TB/CQTTBCĐ" (party, hyphen before the kind);
# "64/2025/QH15", "66.7/2025/NQ-CP", "110/KH-UBND", "29 /KH-UBND" (state).
SYMBOL_PART = r"[A-ZĐ][A-ZĐa-z0-9&]*"
DOC_NUMBER = (
    r"(?P<num>\d{1,5}(?:\.\d{1,3})?)"
    r"(?:(?P<party>-(?:NQ|KH|TB|QC|CT|KL|QĐ|HD|BC|CTr|QĐi)/" + SYMBOL_PART + r")"
    r"|\s?/\s?(?:(?P<year>(?:19|20)\d{2})/)?(?P<sym>" + SYMBOL_PART + r"(?:-" + SYMBOL_PART + r")*))"
)
# Date after the number: "ngày 22/12/2024", "ngày 15 tháng 11 năm 2025", "ngày 25 /3/2026".
DATE_AFTER = r"(?:\s*,?\s*ngày\s*(?P<d>\d{1,2})\s*(?:/|tháng)\s*(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4}))?"
# Issuer after the number/date: "của Bộ Chính trị", "của UBND tỉnh Lạng Sơn".
ISSUER_AFTER = (
    r"(?:\s+(?:của|do)\s+(?P<issuer>[^,;()\n.]{3,80}?)"
    r"(?=\s+(?:về|phê duyệt|quy định|ban hành|triển khai|thực hiện|đối với|trên|tại|hướng dẫn)\b"
    r"|\s*[,;.()\n]|\s*$))?"
)
LEGAL_REF = re.compile(
    r"(?:" + TYPE_WORD + r"\s+(?:số\s*:?\s*)?)?" + DOC_NUMBER + r"(?![\w/])" + DATE_AFTER + ISSUER_AFTER
)

# Words before a citation that make it the mandate being carried out:
# "Triển khai thực hiện Kế hoạch số 230-KH/TU", "Tổ chức triển khai Luật … số 64/2025/QH15".
IMPLEMENTING_CUE = re.compile(
    r"(triển khai|thực hiện|thi hành|cụ thể hóa|cụ thể hoá)\W+(?:\w+\W+){0,12}$", re.IGNORECASE
)
# Symbols printed without their hyphen: "76/NQCP" (004, line 29) is 76/NQ-CP.
SYMBOL_REPAIRS = {
    "NQCP": "NQ-CP",
    "NĐCP": "NĐ-CP",
    "QĐTTg": "QĐ-TTg",
    "CTTTg": "CT-TTg",
    "QĐUBND": "QĐ-UBND",
    "KHUBND": "KH-UBND",
}
# Symbols of central issuers: National Assembly, Government, Prime Minister,
# Government Office, the Government's steering committee, ministries.
CENTRAL_SYMBOL = re.compile(
    r"^(?:QH\d*|NĐ-CP|NQ-CP|QĐ-TTg|CT-TTg|TTg.*|VPCP.*|QĐ-BCĐCP|BCĐCP|.*-BCĐTW|TT-B.*|QĐ-B[A-Z].*)$"
)
CENTRAL_PARTY = re.compile(r"/(?:TW|BCĐTW|CQTTBCĐ|BCT|VPTW)$")
# National symbols that never recur by year (laws and coded decrees carry the year).
KIND_BY_SYMBOL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"-NQ/|^NQ|^\d{4}/NQ|NQ-"), "Nghị quyết"),
    (re.compile(r"NĐ-CP"), "Nghị định"),
    (re.compile(r"QĐ"), "Quyết định"),
    (re.compile(r"-KH/|KH-"), "Kế hoạch"),
    (re.compile(r"CT-|-CT/"), "Chỉ thị"),
    (re.compile(r"-TB/|TB-"), "Thông báo"),
    (re.compile(r"^TT-"), "Thông tư"),
    (re.compile(r"-QC/"), "Quy chế"),
    (re.compile(r"^QH"), "Luật"),
)
# Province / commune names in an issuer: "UBND tỉnh Lạng Sơn", "Ủy ban nhân dân xã Lợi Bác".
JURISDICTION_IN_ISSUER = re.compile(r"\b(tỉnh|thành phố|xã|phường|đặc khu)\s+([A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*)*)")


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for inst in reference_instruments().values():
        for alias in inst.aliases:
            table[fold(alias)] = inst.id
    # "NQ 57", "Nghị quyết 57", "Đề án 06" — not when a number symbol follows
    # ("Nghị quyết 57-NQ/TW" is read by LEGAL_REF) nor ".7" (66 ≠ 66.7).
    names = sorted({a for inst in reference_instruments().values() for a in inst.aliases}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w/.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w/-]|\.\w)",
        re.IGNORECASE,
    )
    return pattern, table


DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _every_name_has_a_digit() -> bool:
    """Each reference name ("NQ 57", "Đề án 06") holds a digit, as every numbered reference does: a text without
    one names no legal document."""
    return all(DIGIT.search(alias) for inst in reference_instruments().values() for alias in inst.aliases)


def _kind(type_word: str | None, code: str) -> str:
    if type_word:
        return type_word[0].upper() + type_word[1:]
    symbol = code if "-" in code.split("/")[0] else code.split("/")[-1]
    for pattern, kind in KIND_BY_SYMBOL:
        if pattern.search(symbol):
            return kind
    return "Văn bản"


def jurisdiction_of(issuer: str | None) -> str | None:
    """ "UBND tỉnh Lạng Sơn" → "tỉnh Lạng Sơn"; None when the issuer names no place."""
    if not issuer:
        return None
    match = JURISDICTION_IN_ISSUER.search(issuer)
    return f"{match.group(1)} {match.group(2)}" if match else None


def canonical_id(code: str, year: int | None, central: bool, jurisdiction: str | None) -> str:
    """The node key of a legal document (see module docstring)."""
    ref = reference_instruments().get(code)
    if ref is not None and (year is None or ref.issued_on is None or ref.issued_on.year == year):
        return code
    party = "-" in code.split("/")[0]
    if central and (party or re.search(r"/(?:19|20)\d{2}/", code)):
        return code
    parts = [code]
    if not central and jurisdiction:
        parts.append(slug(jurisdiction))
    if year is not None and not re.search(r"/(?:19|20)\d{2}/", code):
        parts.append(str(year))
    return "@".join(parts)


def is_central(code: str) -> bool:
    if "-" in code.split("/")[0]:  # party document "57-NQ/TW"
        return bool(CENTRAL_PARTY.search(code))
    symbol = code.split("/")[-1]
    return bool(CENTRAL_SYMBOL.match(symbol))


def find_legal_refs(text: str, context_jurisdiction: str | None = None) -> list[LegalRef]:
    """Every legal document named in `text`, in order, with character spans.

    `context_jurisdiction` ("tỉnh Lạng Sơn") qualifies local numbers whose
    issuer names no place ("Kế hoạch số 06-KH/TU … của Ban Thường vụ Tỉnh uỷ").
    """
    if not DIGIT.search(text) and _every_name_has_a_digit():  # most lines and cells (LEGAL_REF needs a number)
        return []
    refs: list[LegalRef] = []
    taken: list[tuple[int, int]] = []
    for m in LEGAL_REF.finditer(text):
        num = m.group("num")
        if m.group("party"):
            code = f"{num}{m.group('party')}"
            year_in_code = None
        else:
            sym = m.group("sym")
            if sum(c.isupper() for c in sym) < 2:
                continue
            sym = SYMBOL_REPAIRS.get(sym, sym)
            year_in_code = int(m.group("year")) if m.group("year") else None
            code = f"{num}/{year_in_code}/{sym}" if year_in_code else f"{num}/{sym}"
        issued: date | None = None
        if m.group("y"):
            try:
                issued = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                issued = None
        year = year_in_code or (issued.year if issued else None)
        issuer = m.group("issuer").strip() if m.group("issuer") else None
        central = is_central(code)
        jurisdiction = None if central else (jurisdiction_of(issuer) or context_jurisdiction)
        if jurisdiction and context_jurisdiction and re.match(r"(xã|phường|đặc khu)\b", jurisdiction):
            # A commune is named within its province: "xã Lợi Bác, tỉnh Lạng Sơn".
            province = context_jurisdiction.split(", ")[-1]
            if province not in jurisdiction:
                jurisdiction = f"{jurisdiction}, {province}"
        refs.append(
            LegalRef(
                id=canonical_id(code, year, central, jurisdiction),
                number=code,
                kind=_kind(m.group("type"), code),
                issued_on=issued,
                issuer=issuer,
                surface=m.group(0).strip(),
                start=m.start(),
                end=m.end(),
            )
        )
        taken.append((m.start(), m.end()))
    pattern, table = _alias_pattern()
    for m in pattern.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        inst = reference_instruments()[table[fold(m.group(0))]]
        refs.append(
            LegalRef(
                id=inst.id,
                number=inst.id,
                kind=inst.kind,
                issued_on=inst.issued_on,
                issuer=inst.issuer,
                surface=m.group(0),
                start=m.start(),
                end=m.end(),
            )
        )
    refs.sort(key=lambda r: r.start)
    return refs


def resolve_mandate(user_text: str) -> str | None:
    """What a user types ("NQ 57", "57-NQ/TW", "Đề án 06") → canonical id, or None."""
    refs = find_legal_refs(user_text.strip())
    if refs:
        return refs[0].id
    folded = fold(user_text)
    for inst in reference_instruments().values():
        if folded in {fold(inst.id), *(fold(a) for a in inst.aliases)}:
            return inst.id
    return None
