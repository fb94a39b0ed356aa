"""Split an agency cell into agency mentions (first pass, before canonical resolution).

Separators vary — "; ", ", ", "- … ; - …", line breaks — and commas also
occur inside single mentions, so collective phrases are protected before any
comma is treated as a separator.
"""

from __future__ import annotations

import re

from plangraph import vocabulary
from plangraph.ingest.text import WHITESPACE
from plangraph.model import AgencyMention

# Collective mentions whose commas are not separators. Examples from the corpus:
#   "Các Sở, Ban, ngành phụ trách các lĩnh vực CCHC"        (000, line 9)
#   "UBND các xã, phường" / "UBND các xã phường"             (000, 001)
#   "Các cơ quan, đơn vị có liên quan" / "… được kiểm tra"   (000, 001)
#   "Các Sở, ngành, địa phương" / "các sở, ngành liên quan"  (004 Phụ lục I)
#   "Các phòng, đơn vị"                                      (002 Phụ lục II)
#   "Báo và Phát thanh, Truyền hình Lạng Sơn"                (000, line 11)
#   "Sở Văn hóa, Thể thao và Du lịch"                        (004, line 180)
#   "các ngành, các cấp"                                     (web 165/KH-UBND §II.7)
PROTECTED_PHRASES = re.compile(
    r"(?:[Cc]ác\s+[Ss]ở\s*,\s*(?:[Bb]an\s*,\s*)?(?:[Nn]gành)(?:\s*,\s*địa phương)?"
    r"|(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+các\s+xã\s*,?\s*phường(?:\s*,\s*đặc khu)?"
    r"|[Cc]ác\s+cơ quan\s*,\s*đơn vị"
    r"|[Cc]ác\s+phòng\s*,\s*(?:ban\s*,\s*)?đơn vị"
    r"|[Cc]ác\s+sở\s*,\s*ban\s*,\s*ngành"
    r"|[Cc]ác\s+ngành\s*,\s*các\s+cấp"
    r"|Báo và Phát thanh\s*,\s*Truyền hình"
    r"|Sở Văn hóa\s*,\s*Thể thao"
    r"|Văn hóa\s*,\s*Thể thao)"
)
# Words that begin a new agency after a comma: "Sở Tư pháp, Công an tỉnh, …", "Hội Nông dân, Liên minh Hợp tác
# xã", "Công an, lực lượng Hải quan", "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh".
AGENCY_HEAD = re.compile(
    r"^(?:" + vocabulary.agency_heads(vocabulary.SPLIT_HEADS) + "|" + vocabulary.COUNTED_HEAD + r")\b"
)
# " và " before another body splits two mentions: "Sở Tư pháp và các cơ quan liên quan", "Bộ Xây dựng và UBND
# các tỉnh" — not inside one name ("Sở Khoa học và Công nghệ", "Bộ Nông nghiệp và Môi trường").
AND_BEFORE_BODY = re.compile(r"\s+và\s+(?=(?:" + vocabulary.agency_heads(vocabulary.AND_HEADS) + r")\b)")
# Bullet markers inside a cell: "- Sở Nội vụ; - Các Sở, …" (000, line 11).
BULLET = re.compile(r"(?:^|(?<=[;\n]))\s*[-–•+]\s+")
# Mentions that name several agencies at once become group agencies.
GROUP_MENTION = re.compile(r"^(?:[Cc]ác|[Nn]hững)\b|\bcác\b|\bliên quan$|địa phương$")
AND_BEFORE_GROUP = re.compile(r"\s+và\s+(?=Các\s)")
PLACEHOLDER = "\u2063"  # invisible separator: stands for a protected comma


def _protect(text: str) -> str:
    return PROTECTED_PHRASES.sub(lambda m: m.group(0).replace(",", PLACEHOLDER), text)


def _split_commas(piece: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s*,\s*", piece)]
    out: list[str] = []
    for part in parts:
        if out and not AGENCY_HEAD.match(part):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def _split_and(text: str) -> str:
    """Split at " và " before a body, except inside a name the registry knows ("Văn phòng Đoàn đại biểu Quốc hội
    và HĐND tỉnh")."""
    from plangraph.ingest.nlp import agency_names

    known = [m.span() for m in agency_names().finditer(text)]
    return AND_BEFORE_BODY.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in known) else ";", text)


# A duty written after the body in an owner cell: "Sở KH&CN chủ trì hướng dẫn, tổng hợp", "Sở Khoa học và Công
# nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu" (web 144/KH-UBND, its indicator table).
DUTY_AFTER = re.compile(r"\s+(?=(?:" + vocabulary.alternation((*vocabulary.DUTY_PREDICATES, "thúc đẩy")) + r")\b)")


def _without_duty(name: str) -> str:
    """The body a mention names before the duty written after it, when what comes before is a body the registry
    knows whole ("Sở KH&CN chủ trì hướng dẫn" → "Sở KH&CN"); otherwise the mention as it is ("Sở Xây dựng",
    "Ban Chỉ đạo tỉnh": the predicate word is part of the name). A collective keeps its clause: it says which
    bodies ("Các cơ quan chủ trì triển khai phần mềm")."""
    from plangraph.ingest.nlp import agency_names
    from plangraph.ingest.resolve import agency_key, expand, group_prefixes

    if re.match(r"(?:[Cc]ác|[Nn]hững)\b", name):  # "Các cơ quan chủ trì triển khai phần mềm": which ones
        return name
    names = agency_names()
    for cut in DUTY_AFTER.finditer(name):
        prefix = name[: cut.start()].strip(" ,;:")
        if len(prefix.split()) < 2:
            continue
        if names.fullmatch(prefix) or names.fullmatch(expand(prefix)):
            return prefix
        if any(agency_key(prefix) == known for known, _ in group_prefixes()):  # "UBND cấp xã thực hiện …"
            return prefix
    return name


# "Ủy ban nhân dân 04 xã: Gia Thuận, Tân Điền, Gò Công Đông, Tân Phú Đông", "Ủy ban nhân dân các xã: Gia Thuận, …"
# (web 556/KH-UBND): a list of named communes, one body each (a count must agree with the names).
COUNTED_COMMUNES = re.compile(
    r"^(?P<body>UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<n>\d{1,3}|các)\s+(?P<kind>xã|phường)\s*:\s*(?P<names>.+)$"
)


def counted_communes(name: str) -> list[str]:
    """The named communes of a counted list, when the count agrees with the names; else the mention whole."""
    match = COUNTED_COMMUNES.match(name)
    if match is None:
        return [name]
    names = [n.strip(" .") for n in re.split(r"\s*,\s*|\s+và\s+", match.group("names")) if n.strip(" .")]
    count = match.group("n")
    if (count.isdigit() and len(names) != int(count)) or not all(n[:1].isupper() for n in names):
        return [name]
    return [f"Ủy ban nhân dân {match.group('kind')} {n}" for n in names]


def split_agencies(cell: str) -> tuple[AgencyMention, ...]:
    """Agency mentions in a lead/support cell, in order, without duplicates."""
    text = WHITESPACE.sub(" ", cell.replace("\n", ";")).strip()
    if not text:
        return ()
    text = _protect(text)
    text = BULLET.sub(";", text)
    # "Trường học và Các cơ quan, đơn vị liên quan" (003, line 138): two mentions.
    text = AND_BEFORE_GROUP.sub(";", text)
    text = _split_and(text)
    mentions: list[AgencyMention] = []
    seen: set[str] = set()
    for piece in re.split(r"\s*;\s*", text):
        for part in _split_commas(piece.strip(" .-")) if piece.strip(" .-") else []:
            text = part.replace(PLACEHOLDER, ",").strip(" .,;:-")
            for name in counted_communes(_without_duty(re.sub(r"\s*,\s*", ", ", text))):
                if not name or name.casefold() in seen:
                    continue
                seen.add(name.casefold())
                mentions.append(AgencyMention(name=name, is_group=bool(GROUP_MENTION.search(name))))
    return tuple(mentions)


# A person or a post printed where a body is expected: "Lãnh đạo Sở Tư pháp", "Ông Nguyễn Văn An, Phó Giám đốc Sở
# Tư pháp", "Đồng chí Trưởng phòng Văn hóa - Xã hội": the body keeps the task, the person or post is who answers
# for it.
PERSON_OR_POST = re.compile(
    r"^(?P<person>(?:(?:Ông|Bà|Đồng chí|Đ/c)\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s*){1,4}?(?:[-–,]\s*|\s+))?"
    r"(?:Phó\s+)?(?:Giám đốc|Lãnh đạo|Chánh Văn phòng|Trưởng phòng|Trưởng ban|Chủ tịch|Thủ trưởng|Chỉ huy trưởng"
    r"|Bí thư|Trưởng))\s+(?P<body>(?:Sở|Ban|Phòng|UBND|Ủy ban|Uỷ ban|Văn phòng|Công an|Bộ|Trung tâm|Cục|Chi cục"
    r"|Đài|Báo|Viện)\s.+)$"
)


def person_or_post(name: str) -> tuple[str, str | None]:
    """(the body, the person or post printed before it) of an owner mention; (name, None) for a body."""
    m = PERSON_OR_POST.match(name.strip())
    if m is None:
        return name, None
    return m.group("body").strip(), m.group("person").strip(" ,–-")


# One owner cell that says who does what: "Chủ trì: Công ty LCIDI (CĐT). Phối hợp: UBND xã Gia Phú (GPMB); Sở
# Tài chính (tái định cư)." or "Chủ trì: UBND xã Trấn Yên; Sở Công Thương hướng dẫn; Sở Tài chính bố trí ngân
# sách." — the lead, then every other body the cell names, which supports it.
LEAD_LABEL = re.compile(r"^(?:(?:Cơ quan|Đơn vị)\s+)?chủ trì(?:\s+thực hiện)?\s*:\s*", re.IGNORECASE)
# "chủ trì" closing its clause (not "các cơ quan chủ trì triển khai phần mềm", who lead something else).
INLINE_ROLES = re.compile(
    r"^(?P<lead>[^;:]+?)\s+(?:là cơ quan\s+)?chủ trì\s*(?:$|[,;.]\s*(?P<rest>.*\bphối hợp\b.*)$)", re.IGNORECASE
)
SUPPORT_LABEL = re.compile(r"(?:^|[.;]\s*)(?:(?:Cơ quan|Đơn vị)\s+)?phối hợp(?:\s+thực hiện)?\s*:?\s*", re.IGNORECASE)
ROLE_TAG = re.compile(r"\s*\([^()]{0,80}\)")


def labelled_owners(lead: str, support: str) -> tuple[str, str]:
    """(lead, support) of a table's owner cells; a lead cell that labels its roles ("Chủ trì: X. Phối hợp: Y")
    gives both, the role tags in brackets ("(CĐT)", "(GPMB)") left out."""
    m = LEAD_LABEL.match(lead)
    if m is None:
        # "Sở Y tế chủ trì, phối hợp với Sở Tài chính" / "Sở Y tế chủ trì; Sở Tài chính, Công an tỉnh phối hợp":
        # one cell, both roles said by their verbs
        inline = INLINE_ROLES.match(lead) if "chủ trì" in lead else None
        if inline is None or not split_agencies(inline.group("lead")):
            return lead, support
        rest = re.sub(r"(?:^|\s)phối hợp(?:\s+(?:với|cùng))?\s*", " ", inline.group("rest") or "", flags=re.IGNORECASE)
        return inline.group("lead").strip(" ,;"), "; ".join(p for p in (rest.strip(" ,;."), support) if p)
    rest = ROLE_TAG.sub("", lead[m.end() :])
    clauses = [c.strip(" .") for c in re.split(r"\s*[;]\s*|\.\s+(?=[A-ZĐÀ-Ỹ])", rest) if c.strip(" .")]
    if not clauses:
        return "", support
    others = [SUPPORT_LABEL.sub("", c, count=1).strip(" .") for c in clauses[1:]]
    first, _, after = clauses[0].partition(".")
    return first.strip(), "; ".join(p for p in [after.strip(), *others, support] if p)
