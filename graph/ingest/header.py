"""Read a plan's metadata from its header block: number, date, issuer, level, place, title, mandates.

Sources of each field, in order of preference:
- code: "Số: 110/KH-UBND" (a blank "Số: /KH-SKHCN" gives null and a draft, 002),
  else the appendix line "(Kèm theo Kế hoạch số: 110/KH-UBND ngày 25 /3/2026 của
  UBND tỉnh Lạng Sơn)" (000, 001, 003);
- issue date: "Đồng Nai, ngày tháng 4 năm 2026" (blank day keeps month and year,
  002), else the date in the "Kèm theo" line;
- issuer: the "Kèm theo" line's "của …", else the title's "của …" (002, 004);
- province: the issuer's place, else the place line, else the province the
  text names most often (001 says only "UBND tỉnh"; its tasks say "tỉnh Lạng Sơn").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from plangraph import vocabulary
from plangraph.errors import Warnings
from plangraph.ingest.legal import find_legal_refs, jurisdiction_of
from plangraph.ingest.text import fold, is_upper_text
from plangraph.model import Block, Document, Finding, Heading, LegalRef, Paragraph, PlanRecord, Table
from plangraph.reference import provinces
from plangraph.register import (
    commune_unit,
    former_communes,
    former_district,
    former_province,
    former_provinces,
    province_unit,
    unit_codes,
)

# "Số: 110/KH-UBND", "Số: /KH-SKHCN", "Số:   29 /KH-UBND".
# A number written by hand on a scan reads as a few stray marks ("Số: Z2 /KH-BCA-C04"): the number is then blank.
NUMBER_LINE = re.compile(r"^Số\s*:?\s*(?:(?P<num>\d{1,5}(?:\.\d+)?)|[^\s/]{1,4})?\s*/\s*(?P<sym>[A-ZĐ][\wĐđ&-]*)")
# "Đồng Nai, ngày tháng 4 năm 2026", "Lào Cai, ngày 12 tháng 10 năm 2025".
PLACE_DATE = re.compile(
    r"^(?P<place>[A-ZĐ][^,\d]{1,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})"
)
# "(Kèm theo Kế hoạch số: 110/KH-UBND ngày 25 /3/2026 của UBND tỉnh Lạng Sơn)".
ATTACHED_TO = re.compile(r"^\(?\s*Kèm theo\s+(?P<kind>[^\d:]+?)\s+số", re.IGNORECASE)
# Legal-basis lines of the header: "Căn cứ …", "Thực hiện …".
BASIS_LINE = re.compile(r"^(?:Căn cứ|Thực hiện)\b")
# "PHỤ LỤC", "Phụ lục II", "PHỤ LỤC I", "Phụ lục số III".
APPENDIX_LINE = re.compile(
    r"^ph[uụ]\s*l[uụ]c(?:\s+(?:s[oố]\s+)?(?P<label>" + vocabulary.ROMAN_NUMERAL + r"|\d+))?\s*:?\s*$", re.IGNORECASE
)
# Document kind words printed as the title line: "KẾ HOẠCH", "CHƯƠNG TRÌNH", "QUYẾT ĐỊNH".
KIND_LINE = re.compile(r"^(" + "|".join(sorted(vocabulary.KIND_WORDS, key=len, reverse=True)) + r")$", re.IGNORECASE)
FOLDED_KINDS = frozenset(fold(word) for word in vocabulary.KIND_WORDS)


def is_kind_line(text: str) -> bool:
    """A document's kind line ("KẾ HOẠCH", "THÔNG BÁO"), also with a mark misread on a scan ("KÉ HOẠCH")."""
    return KIND_LINE.match(text) is not None or (len(text) < 40 and fold(text) in FOLDED_KINDS)


# "… của Sở Khoa học và Công nghệ", "… của Ban Chỉ đạo của Ủy ban nhân dân tỉnh về …".
ISSUER_IN_TITLE = re.compile(
    r"\bcủa\s+(?P<issuer>(?:Sở|Ban Chỉ đạo|Ban chỉ đạo|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Tỉnh ủy|Tỉnh uỷ"
    r"|Văn phòng|Bộ|Chính phủ|Thủ tướng|Hội đồng nhân dân|HĐND|Đảng ủy|Đảng uỷ)[^,;()]*?)(?=\s+về\b|\s*$|[,;()])"
)
# A letter's addressees: "Kính gửi: - Các sở, ban, ngành tỉnh; …".
ADDRESSED = re.compile(r"^\W*Kính gửi\b")
# A letter's subject line, printed under its number: "V/v hướng dẫn Báo cáo tự đánh giá …".
SUBJECT_LINE = re.compile(r"^V/v\b\.?\s*", re.IGNORECASE)
# Where the right column of a two-column letterhead begins when a PDF prints both on one line ("UBND TỈNH LÂM
# ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc"); a number line's right column
# ("Số: /SNV-CCHC Lâm Đồng, ngày tháng năm 2025") begins where its symbol ends.
RIGHT_COLUMN = re.compile(r"\s+(?=CỘNG\s+H(?:ÒA|OÀ|OA)\b|Độc lập\s*[-–]\s*Tự do)")  # OCR may drop a word of the motto
NEXT_SPACE = re.compile(r"\s")


def kind_of_number(symbol: str) -> str:
    """The kind a document number's symbol gives ("KH-UBND" → Kế hoạch, "SNV-CCHC" → Công văn), by the
    abbreviations of Nghị định 30/2020/NĐ-CP (vocabulary.DOCUMENT_KINDS)."""
    head = re.split(r"[-/]", symbol, maxsplit=1)[0]
    return vocabulary.DOCUMENT_KINDS.get(head, vocabulary.LETTER_KIND)


def _columns(text: str) -> list[str]:
    """A letterhead line as its columns: the left (issuer, number) and the right (motto, place and date)."""
    out = []
    for part in (p.strip() for p in RIGHT_COLUMN.split(text)):
        number = NUMBER_LINE.match(part)
        space = NEXT_SPACE.search(part, number.end()) if number is not None else None
        if space is not None:  # the symbol ends at the first space: "Số: /SNV-CCHC&VTLT | Lâm Đồng, ngày …"
            out += [part[: space.start()], part[space.start() :]]
        else:
            out.append(part)
    return [part.strip() for part in out if part.strip()]


def former_named(text: str | None) -> str | None:
    """A province merged on 1 July 2025 that a text names ("UBND tỉnh Yên Bái" → "Yên Bái")."""
    if not text:
        return None
    folded = fold(text)
    for key, former in former_provinces().items():
        if re.search(rf"\b(?:tinh|thanh pho)\s+{re.escape(key)}\b", folded):
            return former.name
    return None


@lru_cache(maxsize=1)
def _province_names() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every province name (folded), tried at every position — a lookahead, so names that
    overlap in a text are each found, as one search per name finds them — and the names by folded form."""
    names = {fold(name): name for name, _ in provinces()}
    alternation = "|".join(re.escape(key) for key in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?=\b({alternation})\b)"), names


def _named_provinces(text: str) -> Counter[str]:
    """How often the text names each province (exact names, folded), every province counted (0 if not named),
    in the register's order."""
    pattern, names = _province_names()
    counts: Counter[str] = Counter({name: 0 for name in names.values()})
    counts.update(names[match.group(1)] for match in pattern.finditer(fold(text)))
    return counts


def province_named(text: str) -> str | None:
    """The province a text names ("UBND tỉnh Lạng Sơn" → "Lạng Sơn"), exact names only; the first in the
    register's order when it names several."""
    return next((name for name, count in _named_provinces(text).items() if count), None)


def most_named_province(text: str) -> str | None:
    name, count = _named_provinces(text).most_common(1)[0]
    return name if count else None


def province_jurisdiction(name: str) -> str:
    kind = dict(provinces()).get(name, "tỉnh")
    return f"{kind} {name}"


# A body of a district (abolished on 1 July 2025): "UBND huyện Sơn Tịnh", "Huyện ủy …", "UBND thị xã Hương Trà",
# "UBND thành phố Bắc Giang" (a city under a province: not one of the provinces, in force or former).
DISTRICT_BODY = re.compile(
    r"\b(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|ban chi dao)\s+(?:huyen|quan|thi xa)\s+\w"
)
DISTRICT_COMMITTEE = re.compile(r"^(?:huyen|quan|thi) uy\b")
CITY_BODY = re.compile(r"\b(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan)\s+thanh pho\s+(?P<name>[a-z ]+?)\s*$")


DISTRICT_IN_ISSUER = re.compile(r"\b(?:huyện|quận|thị xã|thành phố)\s+[A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*)*")


def _district_named(text: str) -> str | None:
    """The first district a text names ("… huyện Sơn Tịnh …"), for telling a former commune from its namesakes."""
    match = re.search(r"\b(?:huyện|quận|thị xã)\s+[A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*)*", text)
    return match.group(0) if match else None


def level_of(issuer: str) -> str | None:
    """national | province | department | district | commune, from the issuing body's name (a district's in a
    plan issued before the districts were abolished)."""
    f = fold(issuer)
    town = f.replace("thi xa", "thixa")  # a district-level town ("thị xã") is not a commune ("xã")
    if re.search(r"\b(xa|phuong|dac khu|thi tran)\b", town) and re.search(r"ubnd|uy ban|hdnd|dang uy|ban chi dao", f):
        return "commune"
    if DISTRICT_BODY.search(f) or DISTRICT_COMMITTEE.match(f):
        return "district"
    if (
        (city := CITY_BODY.search(f))
        and province_unit(city.group("name")) is None
        and not former_province(city.group("name"))
    ):
        return "district"
    if re.match(r"(so|phong|trung tam|chi cuc|ban quan ly|cong an (?:tinh|thanh pho))\b", f):
        return "department"
    if re.search(r"chinh phu|thu tuong|bo chinh tri|quoc hoi|ban chap hanh trung uong|^bo\b", f):
        return "national"
    if re.search(r"ubnd|uy ban nhan dan|tinh uy|ban chi dao|hdnd|hoi dong nhan dan", f):
        return "province"
    return None


# "… Quyết định số 126/QĐ-BCĐCP … của Trưởng Ban Chỉ đạo … về phát triển khoa học, …, chuyển đổi số
# và đề án 06": the instrument named first in a clause is about (implements) the mandate named after "về".
ABOUT = re.compile(r"\s(?:về|thực hiện|triển khai)\s")


def instrument_links(text: str, context: str | None) -> list[tuple[LegalRef, LegalRef]]:
    """(instrument, mandate) pairs stated in a basis line, clause by clause."""
    links: list[tuple[LegalRef, LegalRef]] = []
    offset = 0
    for clause in text.split(";"):
        refs = find_legal_refs(clause, context)
        if len(refs) >= 2:
            first = refs[0]
            cue = ABOUT.search(clause, first.end)
            if cue is not None:
                links += [(first, later) for later in refs[1:] if later.start >= cue.start() and later.id != first.id]
        offset += len(clause) + 1
    return links


@dataclass(frozen=True)
class HeaderReading:
    plan: PlanRecord
    findings: tuple[Finding, ...]


def _text_blocks(blocks: tuple[Block, ...]) -> list[Heading | Paragraph]:
    return [b for b in blocks if isinstance(b, Heading | Paragraph)]


def _header_zone(blocks: tuple[Block, ...]) -> list[Heading | Paragraph]:
    """Text blocks before the first table or the first numbered section heading."""
    zone: list[Heading | Paragraph] = []
    for block in blocks:
        if isinstance(block, Table):
            break
        if re.match(r"^(?:" + vocabulary.ROMAN_NUMERAL + r"\.|\d+\.)\s", block.text) and zone:
            break
        zone.append(block)
    return zone


# Lower-case words of an issuing body's name printed in capitals ("UBND TỈNH LẠNG SƠN").
ABBREVIATIONS = {"ubnd", "hđnd", "kh&cn", "bcđ", "tw"}
JURISDICTION_WORDS = re.compile(r"\b(?:tỉnh|thành phố|xã|phường|đặc khu|huyện|quận|thị xã|thị trấn)\s+", re.IGNORECASE)


# Proper names inside an issuing body's name, restored after lower-casing its capitals.
PROPER_NAMES = ("Chính phủ", "Quốc hội", "Việt Nam", "Tổ quốc", "Bộ Chính trị", "Ban Chấp hành Trung ương")


def _body_case(text: str) -> str:
    """ "UBND THÀNH PHỐ HÀ NỘI" → "UBND thành phố Hà Nội", "SỞ KHOA HỌC VÀ CÔNG NGHỆ" → "Sở khoa học và công nghệ"."""
    lowered = " ".join(w.upper() if w in ABBREVIATIONS else w for w in text.lower().split())
    place = JURISDICTION_WORDS.search(lowered)
    if place:
        name = " ".join(w[:1].upper() + w[1:] for w in lowered[place.end() :].split())
        lowered = lowered[: place.end()] + name
    for proper in PROPER_NAMES:  # "THỦ TƯỚNG CHÍNH PHỦ" → "Thủ tướng Chính phủ"
        lowered = re.sub(rf"\b{proper.lower()}\b", proper, lowered)
    return lowered[:1].upper() + lowered[1:]


# The words in capitals that end a line ("… +07:00 BỘ CÔNG THƯƠNG"): two or more.
UPPER_TAIL = re.compile(r"(?<![\w])(?:[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ&]*\s+)+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ&]*$")
# The rule printed under the issuer's name ("THỦ TƯỚNG CHÍNH PHỦ -------").
DECORATIVE_RULE = re.compile(r"\s*[-–—_]{3,}\s*$")


def _issuer_block(zone: list[Heading | Paragraph], title_line: int) -> str:
    """The issuing body printed in capitals above the number and title (the header block's left column:
    "UBND TỈNH LẠNG SƠN" / "SỞ KHOA HỌC VÀ CÔNG NGHỆ"): the lowest body named there."""
    found = ""
    for block in zone:
        if block.line >= title_line:
            break
        for column in (column for part in block.text.split("\n") for column in _columns(part)):
            text = column.strip("|:;,._-–— ")  # a scan's stray marks around the issuer's name
            if (not is_upper_text(text) or re.search(r"\d", text)) and (tail := UPPER_TAIL.search(text)) is not None:
                text = tail.group(0).strip()  # ": Thời gian ký: 2025-10-02T16:24 | BỘ CÔNG AN" (a signature's stamp)
            if (
                is_upper_text(text)
                and len(text) < 90
                and not re.search(r"\d", text)
                and not NUMBER_LINE.match(text)
                and not is_kind_line(text)
                and level_of(text) is not None
            ):
                found = _body_case(DECORATIVE_RULE.sub("", text))
    return found


def _title(zone: list[Heading | Paragraph]) -> tuple[str, str | None, int]:
    """(title, kind word, line) from the header zone."""
    # The document's own kind line is printed in capitals ("QUYẾT ĐỊNH"); a web page's summary table may name
    # the kind before it in running case ("Loại văn bản: | Quyết định", 2530/QĐ-TTg line 31).
    kind_lines = [i for i, b in enumerate(zone) if is_kind_line(b.text.strip())]
    capitals = [i for i in kind_lines if is_upper_text(zone[i].text)]
    for i in capitals[:1] or kind_lines[:1]:
        block = zone[i]
        parts: list[str] = []
        for nxt in zone[i + 1 :]:
            if isinstance(nxt, Paragraph) and parts:
                break
            if BASIS_LINE.match(nxt.text):
                break
            parts.append(nxt.text)
            if isinstance(nxt, Paragraph):
                break
        printed = block.text.strip()
        kind = next((w for w in vocabulary.KIND_WORDS if fold(w) == fold(printed)), printed).capitalize()
        return " ".join(parts).strip(), kind, block.line
    # Appendix-only documents: "PHỤ LỤC" then the title lines, then "(Kèm theo …)".
    for i, block in enumerate(zone):
        if APPENDIX_LINE.match(block.text.strip()):
            parts = []
            for nxt in zone[i + 1 :]:
                if ATTACHED_TO.match(nxt.text) or nxt.text.startswith("("):
                    break
                parts.append(nxt.text)
            return " ".join(parts).strip(), None, block.line
    # A letter: its subject line "V/v …", wrapped over the lines below it until "Kính gửi".
    for i, block in enumerate(zone):
        if SUBJECT_LINE.match(block.text.strip()):
            parts = [SUBJECT_LINE.sub("", block.text.strip())]
            for nxt in zone[i + 1 : i + 8]:
                if re.match(r"^(?:Kính gửi|Thực hiện|Căn cứ)\b", nxt.text.strip()):
                    break
                parts.append(nxt.text.strip())
            return " ".join(" ".join(parts).split()), None, block.line
    first = next((b for b in zone if is_upper_text(b.text)), None)
    return (first.text if first else ""), None, (first.line if first else 1)


# A decision that issues or approves a plan: "PHÊ DUYỆT KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA …", "Ban hành Chương trình
# hành động …", "VỀ VIỆC BAN HÀNH ĐỀ ÁN …": the plan's own title follows the verb.
CARRYING = re.compile(
    r"^(?:về việc\s+)?(?:phê duyệt|ban hành)\s+(?P<plan>(?:kế hoạch|chương trình|đề án)\b.*)$", re.IGNORECASE
)


def carried_plan(kind: str | None, title: str) -> str:
    """The plan a Quyết định or Nghị quyết issues or approves, as printed ("" for any other document)."""
    if not kind or fold(kind) not in ("quyet dinh", "nghi quyet"):
        return ""
    m = CARRYING.match(" ".join(title.split()))
    if m is None:
        return ""
    return m.group("plan")


def read_header(document: Document) -> HeaderReading:
    file = document.source.name
    blocks = document.blocks
    zone = _header_zone(blocks)
    findings: list[Finding] = []
    code: str | None = None
    symbol: str | None = None
    issued: date | None = None
    issued_text = ""
    issued_month: str | None = None
    issuer = ""
    kind: str | None = None
    place: str | None = None
    basis_texts: list[str] = []
    line = zone[0].line if zone else 1

    for block, text in ((b, part) for b in zone for part in _columns(b.text.strip())):
        if m := NUMBER_LINE.match(text):
            symbol = m.group("sym")
            code = f"{m.group('num')}/{symbol}" if m.group("num") else None
            if code is None:
                findings.append(
                    Finding(Warnings.W301, f"plan number is blank ({text!r}): loaded as a draft", file, block.line)
                )
        elif m := PLACE_DATE.match(text):
            place = m.group("place").strip()
            issued_text = text[len(m.group("place")) + 1 :].strip()
            year = int(m.group("y"))
            if m.group("d") and m.group("m"):
                try:
                    issued = date(year, int(m.group("m")), int(m.group("d")))
                except ValueError:
                    issued = None
            if issued is None:
                issued_month = f"{year}-{int(m.group('m')):02d}" if m.group("m") else str(year)
                findings.append(
                    Finding(
                        Warnings.W302,
                        f"issue date has a blank day: {issued_text!r} (month and year kept)",
                        file,
                        block.line,
                    )
                )
        elif m := ATTACHED_TO.match(text):
            refs = find_legal_refs(text)
            if refs:
                first = refs[0]
                code = code or first.number
                issued = issued or first.issued_on
                issued_text = issued_text or (first.issued_on.isoformat() if first.issued_on else "")
                issuer = issuer or (first.issuer or "")
                kind = kind or m.group("kind").strip().capitalize()
        elif BASIS_LINE.match(text):
            basis_texts.append(text)

    title, kind_word, title_line = _title(zone)
    if not issuer:
        issuer = _issuer_block(zone, title_line)
    if not issuer and kind_word is None and zone:  # no kind line (a letter, a scan): the letterhead's first lines
        issuer = _issuer_block(zone[:8], zone[min(len(zone), 8) - 1].line + 1)
    # The number's symbol says the kind (Nghị định 30/2020/NĐ-CP); else the kind line, else the plan the text is
    # attached to; a document with neither is read as a plan.
    addressed = any(ADDRESSED.match(b.text.strip()) for b in _text_blocks(blocks)[:80])
    kind = (kind_of_number(symbol) if symbol else None) or kind_word or kind
    kind = kind or (vocabulary.LETTER_KIND if addressed or SUBJECT_LINE.match(title) else "Kế hoạch")
    if symbol and kind_word and kind == vocabulary.LETTER_KIND:  # "Số: 12/UBND-VX" under "CÔNG ĐIỆN"
        kind = kind_word
    if not issuer and (m := ISSUER_IN_TITLE.search(title)):
        issuer = m.group("issuer").strip()
    full_text = "\n".join(b.text for b in _text_blocks(blocks)) + "\n" + document.source.text
    province = province_named(issuer) or (province_named(place) if place else None) or most_named_province(full_text)
    if province is None:  # a plan issued before 1 July 2025 by a province since merged ("UBND tỉnh Yên Bái")
        province = former_named(issuer) or former_named(place)
    level = level_of(issuer) if issuer else None
    if not issuer or level is None or province is None:
        findings.append(
            Finding(
                Warnings.W303,
                f"issuer {issuer or '(none)'!r}, level {level or '(unknown)'}, province {province or '(unknown)'}",
                file,
                line,
            )
        )
    jurisdiction = jurisdiction_of(issuer) if level == "commune" else None
    if level == "district":  # "huyện Sơn Tịnh", as the register of before 1 July 2025 writes it when it knows it
        named = DISTRICT_IN_ISSUER.search(issuer or "")
        district = former_district(named.group(0), province) if named else None
        jurisdiction = district.name if district else (named.group(0) if named else None)
    elif level == "commune" and jurisdiction and province and commune_unit(jurisdiction, province).unit is None:
        old = former_communes(jurisdiction, province, _district_named(full_text))
        if len(old) == 1 and old[0].district:  # a commune since merged: its district tells it from its namesakes
            jurisdiction = f"{old[0].name}, {old[0].district}"
    if level == "national":  # a national plan's place ("Hà Nội, ngày …") is where it was signed, not its scope
        province, jurisdiction = None, "Việt Nam"
    if jurisdiction and province:
        jurisdiction = f"{jurisdiction}, {province_jurisdiction(province)}"
    elif province:
        jurisdiction = province_jurisdiction(province)
    if issuer and province and not province_named(issuer) and level in ("province", "department"):
        issuer = f"{issuer} {province}" if re.search(r"tỉnh$", issuer) else issuer
    context = province_jurisdiction(province) if province and level != "national" else None
    codes = unit_codes(province, jurisdiction, level)
    if level == "commune" and jurisdiction and codes[1] is None:
        lookup = commune_unit(jurisdiction, province)
        why = (
            f"a name {len(lookup.candidates)} provinces share: "
            + ", ".join(f"{c.name} ({c.code})" for c in lookup.candidates[:5])
            if lookup.ambiguous
            else "no commune of the official register has this name"
        )
        findings.append(Finding(Warnings.W305, f"commune {jurisdiction!r}: {why}", file, title_line))
    title_refs = find_legal_refs(title, context)
    basis_refs = [ref for text in basis_texts for ref in find_legal_refs(text, context)]
    links = tuple(link for text in basis_texts for link in instrument_links(text, context))
    plan = PlanRecord(
        code=code,
        kind=kind,
        title=title,
        issued_on=issued,
        issued_text=issued_text,
        issuer=issuer,
        level=level or "unknown",
        province=province,
        jurisdiction=jurisdiction or "",
        is_draft=code is None,
        implements=tuple(title_refs) + tuple(basis_refs),
        cites=(),
        line=title_line,
        issued_month=issued_month,
        instrument_links=links,
        carried_plan=carried_plan(kind, title),
        province_code=codes[0],
        commune_code=codes[1],
    )
    return HeaderReading(plan=plan, findings=tuple(findings))
