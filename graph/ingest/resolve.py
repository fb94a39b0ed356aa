"""Stage 4: resolve agency mentions to canonical, jurisdiction-scoped agencies.

"Sở KH&CN", "Sở KHCN" and "Sở Khoa học và Công nghệ" in a Lạng Sơn plan are one
node; "Sở Nội vụ" of Lạng Sơn and of Lào Cai are two; "Phòng Chuyển đổi số" in
the Đồng Nai department plan is a division of Sở Khoa học và Công nghệ Đồng Nai.
The reference data is `graph/data/agencies.json` (names, abbreviations, typos,
groups); this module only applies it:

1. typo fixes and abbreviation expansion, then folding ("sở khoa học và công nghệ");
2. an exact pattern of the registry, with the plan's province and commune filled in;
3. a collective mention ("Các Sở, Ban, ngành phụ trách …") by its prefix → a group;
4. structure: in a department plan "Phòng …"/"Trung tâm …" is a division of the
   issuer; in a commune plan, of the commune People's Committee; "Sở …" is a
   provincial department;
5. otherwise the mention stays its own agency and is reported (W205).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from plangraph.errors import Warnings
from plangraph.ingest.header import province_jurisdiction
from plangraph.ingest.text import fold, slug
from plangraph.model import AgencyMention, Finding, Interpretation, PlanRecord
from plangraph.reference import Entry, Group, provinces, registry
from plangraph.register import TWO_LEVEL_GOVERNMENT, FormerUnit, Unit, commune_unit, former_communes, former_district

NON_WORD = re.compile(r"[^a-z0-9 ]+")


@lru_cache(maxsize=1)
def group_prefixes() -> tuple[tuple[str, Group], ...]:
    pairs = [(prefix, group) for group in registry().groups for prefix in group.prefixes]
    return tuple(sorted(pairs, key=lambda pg: -len(pg[0])))


@lru_cache(maxsize=32_768)  # a plan names its agencies again and again
def expand(text: str) -> str:
    """Typos fixed and abbreviations written out: "Phòng Chuyên đổi số" → "Phòng Chuyển đổi số",
    "Sở KH&CN" → "Sở Khoa học và Công nghệ"."""
    reg = registry()
    for pattern, right in reg.typos:
        text = pattern.sub(right, text)
    for pattern, long in reg.abbreviations:
        text = pattern.sub(long, text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=32_768)
def agency_key(text: str) -> str:
    """Folded, expanded, punctuation-free form used for matching."""
    return re.sub(r"\s+", " ", NON_WORD.sub(" ", fold(expand(text)))).strip()


@dataclass(frozen=True)
class Agency:
    """A resolved agency (one graph node)."""

    key: str
    name: str
    short_name: str | None
    kind: str | None
    level: str | None
    jurisdiction: str
    province: str | None
    is_group: bool
    method: str  # registry | group | structure | unresolved
    parent: str | None = None  # key of the agency it is PART_OF
    members: dict[str, str] | None = None  # rule for MEMBER_OF (groups)
    succeeded_by: str | None = None  # key of the body that carries its work since the reorganisation
    succession: tuple[str, str | None, str] | None = None  # (on, basis, shared_with) of that change
    successors: tuple[str, ...] = ()  # further bodies that took its work in (a district's communes)


@dataclass
class Resolution:
    """Agencies of one document: by mention, plus their parents, and the findings."""

    by_mention: dict[str, Agency] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    issuer: Agency | None = None
    mentions: int = 0
    resolved: int = 0
    unresolved: list[tuple[str, int]] = field(default_factory=list)  # (mention, line)
    findings: list[Finding] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.resolved / self.mentions if self.mentions else 1.0


class AgencyResolver:
    """Resolves mentions in the context of one plan (its level, province and commune)."""

    def __init__(self, plan: PlanRecord, nested: bool = False) -> None:
        self.plan = plan
        self.nested = nested  # a resolver for a place another plan names: it names no further places
        self.province = plan.province
        self.province_jurisdiction = province_jurisdiction(plan.province) if plan.province else plan.jurisdiction
        commune = re.match(r"(?:xã|phường|đặc khu|thị trấn)\s+([^,]+)", plan.jurisdiction or "")
        self.commune = commune.group(1).strip() if commune else None
        self.fill = {"{p}": fold(plan.province or "") or "\x00", "{c}": fold(self.commune or "") or "\x00"}
        self.patterns: dict[str, Entry] = {}
        for entry in registry().entries:
            if not entry.context or entry.context == plan.level:
                for pattern in entry.patterns:
                    self.patterns.setdefault(self._filled(pattern), entry)
        self.successions: dict[str, Any] = {}
        for succession in registry().reorganised:
            for pattern in succession.patterns:
                self.successions.setdefault(self._filled(pattern), succession)
        self.cache: dict[str, Agency] = {}
        self.elsewhere: dict[str, AgencyResolver] = {}  # resolvers for the other provinces a mention names
        self.issuer: Agency | None = None
        if plan.issuer:
            self.issuer = self.resolve(plan.issuer)

    def _filled(self, pattern: str) -> str:
        """A registry pattern with the plan's province and commune in place of {p} and {c}."""
        for placeholder, value in self.fill.items():
            pattern = pattern.replace(placeholder, value)
        return pattern

    # -- scoping ---------------------------------------------------------------

    def _jurisdiction(self, level: str | None) -> str:
        if level == "national":
            return "Việt Nam"
        if level == "commune" and self.plan.level == "commune":
            return self.plan.jurisdiction
        if level in ("district", "commune") and self.plan.level == "district":  # "UBND các xã, thị trấn"
            return self.plan.jurisdiction
        return self.province_jurisdiction or self.plan.jurisdiction

    def _make(
        self,
        name: str,
        short: str | None,
        kind: str | None,
        level: str | None,
        is_group: bool,
        method: str,
        parent_name: str | None = None,
        members: dict[str, str] | None = None,
    ) -> Agency:
        if level == "department":
            owner = self.issuer
            jurisdiction = owner.jurisdiction if owner else self._jurisdiction("province")
            scope = f"{slug(jurisdiction)}/{slug(owner.name) if owner else 'so'}"
        else:
            jurisdiction = self._jurisdiction(level)
            scope = slug(jurisdiction)
        if jurisdiction.startswith("thành phố ") and name.endswith(" tỉnh"):  # a city's bodies: "… thành phố"
            name = name[: -len("tỉnh")] + "thành phố"
            short = short[: -len("tỉnh")] + "thành phố" if short and short.endswith(" tỉnh") else short
        parent = self._parent(parent_name) if parent_name else None
        return Agency(
            key=f"{scope}/{slug(name)}",
            name=name,
            short_name=short or name,
            kind=kind,
            level=level,
            jurisdiction=jurisdiction,
            province=self.province if level != "national" else None,
            is_group=is_group,
            method=method,
            parent=parent.key if parent else None,
            members=members,
        )

    def _parent(self, name: str) -> Agency | None:
        if name == "<issuer>":
            return self.issuer
        entry = next((e for e in registry().entries if e.name == name), None)
        if entry is None:
            return None
        agency = self._make(entry.name, entry.short, entry.kind, entry.level, False, "registry", entry.part_of)
        self.cache.setdefault(f"\x00parent:{name}", agency)
        return agency

    # -- resolution ------------------------------------------------------------

    def _in_named_province(self, mention: str, key: str) -> Agency | None:
        """A registry body of another province the mention names ("UBND thành phố Hà Nội", "Sở Y tế tỉnh Nghệ
        An", "Thành phố Hồ Chí Minh" for its UBND in a national plan): resolved in that province, under the key a
        plan of that province gives it (the register's province list, so every province has them)."""
        for folded, name in _province_keys():
            if name == self.province or not (key == folded or key.endswith(" " + folded)):
                continue
            other = self.elsewhere.get(name)
            if other is None:
                plan = replace(
                    self.plan, province=name, level="province", jurisdiction=province_jurisdiction(name), issuer=""
                )
                other = self.elsewhere[name] = AgencyResolver(plan)
            agency = other.resolve(mention)
            return agency if agency.method == "registry" else None
        return None

    def _in_named_commune(self, mention: str, key: str) -> Agency | None:
        """A body of a commune the mention names ("UBND xã Lợi Bác", "Công an phường Tam Thanh"), resolved as that
        commune's own plan resolves it, in the unit of the register whatever the spelling. A commune of before
        1 July 2025 (named in a plan issued before then, or no longer in the register) is kept as printed, in
        its district, with a dated SUCCEEDED_BY to the commune that took it in; one whose name two former
        communes of the province share, with nothing to tell them apart, is left unresolved (reported)."""
        match = NAMED_COMMUNE.match(key)
        if match is None or self.nested or not self.province:
            return None
        if self.plan.level == "commune" and self.commune and fold(self.commune) == match.group("name"):
            return None
        name = f"{match.group('kind')} {match.group('name')}"
        district = match.group("district") or (
            self.plan.jurisdiction.split(",")[0] if self.plan.level == "district" else None
        )
        current = commune_unit(name, self.province)
        before = self.plan.issued_on is not None and self.plan.issued_on.isoformat() < TWO_LEVEL_GOVERNMENT[0]
        if current.unit is not None and not before:
            return self._commune_body(mention, match.group("body"), current.unit)
        old = former_communes(name, self.province, district)
        if len(old) != 1:
            return self._commune_body(mention, match.group("body"), current.unit) if current.unit else None
        return self._former_commune_body(mention, match.group("body"), old[0])

    def _commune_resolver(self, jurisdiction: str) -> AgencyResolver:
        other = self.elsewhere.get(jurisdiction)
        if other is None:
            plan = replace(self.plan, level="commune", jurisdiction=jurisdiction, issuer="")
            other = self.elsewhere[jurisdiction] = AgencyResolver(plan, nested=True)
        return other

    def _commune_body(self, mention: str, body: str, unit: Unit) -> Agency | None:
        jurisdiction = f"{_lower_kind(unit.name)}, {self.province_jurisdiction}"
        other = self._commune_resolver(jurisdiction)
        for text in (mention, f"{body} xã"):
            agency = other.resolve(text)
            if agency.method == "registry":
                return agency
        return None

    def _former_commune_body(self, mention: str, body: str, old: FormerUnit) -> Agency | None:
        jurisdiction = f"{old.name}, {old.district}, {self.province_jurisdiction}"
        agency = self._commune_resolver(jurisdiction).resolve(f"{body} xã")
        if agency.method != "registry":
            return None
        heirs = [self._commune_body(mention, body, unit) for unit in old.successors]
        keys = [heir.key for heir in heirs if heir is not None]
        if not keys:
            return agency
        shared = ", ".join(_lower_kind(unit.name) for unit in old.successors[1:])
        on, basis = TWO_LEVEL_GOVERNMENT[0], None  # each province's rearrangement has its own resolution
        return replace(agency, method="reorganised", succeeded_by=keys[0], succession=(on, basis, shared))

    def _district_body(self, expanded: str, key: str) -> Agency | None:
        """A district plan's own bodies: its People's Committee (the issuer), its offices and divisions ("Phòng
        Nội vụ", "Văn phòng HĐND và UBND huyện", "Công an huyện"), part of its People's Committee. The district's
        People's Committee carries on in the communes formed from it (a dated SUCCEEDED_BY to each)."""
        if DISTRICT_COMMITTEE.match(key):
            district = former_district(self.plan.jurisdiction.split(",")[0], self.province)
            agency = self._make(
                "Ủy ban nhân dân " + self.plan.jurisdiction.split(",")[0],
                None,
                "UBND",
                "district",
                False,
                "registry" if district else "structure",
            )
            if district is None or not district.successors:
                return agency
            heirs = [self._commune_body(expanded, "uy ban nhan dan", unit) for unit in district.successors]
            keys = [heir.key for heir in heirs if heir is not None]
            on, basis = TWO_LEVEL_GOVERNMENT
            return replace(
                agency, succeeded_by=keys[0] if keys else None, successors=tuple(keys[1:]), succession=(on, basis, "")
            )
        if DISTRICT_DIVISION.match(key):
            return self._make(expanded, None, _kind_of(key), "district", False, "structure", "<issuer>")
        return None

    def resolve(self, mention: str) -> Agency:
        if mention in self.cache:
            return self.cache[mention]
        agency = self._resolve(mention)
        self.cache[mention] = agency
        return agency

    def _resolve(self, mention: str) -> Agency:
        # "Bộ Nông nghiệp và Môi trường (chủ trì phần chính sách, …)": the body, and a note on its part.
        core = ROLE_NOTE.sub("", mention)
        if core != mention and core:
            return self.resolve(core)
        key = agency_key(mention)
        entry = self.patterns.get(key)
        if entry is not None:
            return self._make(entry.name, entry.short, entry.kind, entry.level, False, "registry", entry.part_of)
        succession = self.successions.get(key)
        if succession is not None:  # "Sở Kế hoạch và Đầu tư": kept as printed, its successors known
            main = self._parent(succession.succeeded_by[0])
            agency = self._make(succession.name, None, succession.kind, succession.level, False, "reorganised")
            return replace(
                agency,
                succeeded_by=main.key if main else None,
                succession=(succession.on, succession.basis, ", ".join(succession.succeeded_by[1:])),
            )
        # A counted collective: "4 Bệnh viện tuyến tỉnh", "10 Trung tâm Y tế khu vực".
        uncounted = re.sub(r"^\d+ ", "", key)
        for prefix, group in group_prefixes():  # longest prefix first, across all groups
            if group.context and group.context != self.plan.level:
                continue
            if uncounted == prefix or uncounted.startswith(prefix + " "):
                level = group.level or (self.plan.level if self.plan.level in ("commune", "district") else "province")
                if self.plan.level == "district" and (group.members or {}).get("level") == "commune":
                    level = "district"  # a district plan's "UBND các xã, thị trấn": the district's communes
                return self._make(group.name, None, group.kind, level, True, "group", members=group.members)
        if (commune := self._in_named_commune(mention, key)) is not None:
            return commune
        if (named := self._in_named_province(mention, key)) is not None:
            return named
        expanded = expand(mention)
        first = key.split(" ", 1)[0] if key else ""
        if self.plan.level == "district" and (body := self._district_body(expanded, key)) is not None:
            return body
        if self.plan.level == "department" and re.match(r"(phong|trung tam|van phong|ban|chi cuc)\b", key):
            return self._make(expanded, None, _kind_of(key), "department", False, "structure", "<issuer>")
        if self.plan.level == "commune" and re.match(r"(phong|trung tam|ban)\b", key):
            return self._make(expanded, None, _kind_of(key), "commune", False, "structure", "Ủy ban nhân dân xã")
        if first == "so":
            name = re.sub(r"\s+tỉnh(\s+\S.*)?$", "", expanded)
            return self._make(name, None, "Sở", "province", False, "structure", "Ủy ban nhân dân tỉnh")
        if (region := REGIONAL_OFFICE.match(key)) is not None:  # "Ngân hàng Nhà nước khu vực XII": a central body's
            name = re.sub(r"\bkhu vực\b", "Khu vực", expanded, flags=re.IGNORECASE)  # office for several provinces
            parent = REGIONAL_PARENTS.get(region.group("body"))
            return self._make(name, None, "Cơ quan khu vực", "national", False, "structure", parent)
        if ZONE_AUTHORITY.match(key):  # "Ban Quản lý Khu kinh tế Đông Nam": a province's economic zone authority
            return self._make(expanded, None, "Ban", "province", False, "structure", "Ủy ban nhân dân tỉnh")
        if re.match(r"(truong|phan hieu)\b", key):
            return self._make(expanded, None, "Trường", "province", False, "structure")
        return self._make(expanded or mention, None, _kind_of(key), _level_hint(key, self.plan), False, "unresolved")


# "uy ban nhan dan xa loi bac", "cong an phuong tam thanh tinh lang son", "ubnd xa tinh ha huyen son tinh".
NAMED_COMMUNE = re.compile(
    r"^(?P<body>uy ban nhan dan|hoi dong nhan dan|cong an|dang uy|uy ban mat tran to quoc(?: viet nam)?"
    r"|ban chi huy quan su) (?P<kind>xa|phuong|dac khu|thi tran|x|p|tt) (?P<name>(?!cac\b)[a-z0-9]+(?: [a-z0-9]+)*?)"
    r"(?: (?P<district>(?:huyen|quan|thi xa) [a-z0-9 ]+?))?(?: (?:tinh|thanh pho) [a-z0-9 ]+)?$"
)
ZONE_AUTHORITY = re.compile(r"^ban quan ly (?:cac )?khu (?:kinh te|cong nghiep|cong nghe cao|che xuat)\b")
# A central body's regional office, numbered ("Kho bạc Nhà nước khu vực XI", "Chi cục Hải quan khu vực V").
REGIONAL_OFFICE = re.compile(
    r"^(?P<body>ngan hang nha nuoc|kho bac nha nuoc|kiem toan nha nuoc|chi cuc hai quan|hai quan|thue|chi cuc thue"
    r"|bao hiem xa hoi|thong ke|chi cuc thong ke) khu vuc (?:[ivxlc]+|\d+)$"
)
REGIONAL_PARENTS = {
    "ngan hang nha nuoc": "Ngân hàng Nhà nước",
    "kho bac nha nuoc": "Kho bạc Nhà nước",
    "kiem toan nha nuoc": "Kiểm toán nhà nước",
    "bao hiem xa hoi": "Bảo hiểm xã hội Việt Nam",
}
# A district's People's Committee ("UBND huyện", "Ủy ban nhân dân huyện Sơn Tịnh") and its own bodies.
DISTRICT_COMMITTEE = re.compile(r"^uy ban nhan dan (?:huyen|quan|thi xa|thanh pho)\b")
DISTRICT_DIVISION = re.compile(
    r"^(?:phong|van phong|trung tam|cong an (?:huyen|quan|thi xa)|ban chi huy quan su (?:huyen|quan|thi xa)"
    r"|ban quan ly|doi)\b"
)


def _lower_kind(name: str) -> str:
    """ "Xã Lợi Bác" → "xã Lợi Bác", "Đặc khu Côn Đảo" → "đặc khu Côn Đảo" (a jurisdiction in running case)."""
    two = name.split(" ", 2)
    if fold(" ".join(two[:2])) in ("dac khu", "thi tran"):
        return f"{two[0].lower()} {two[1]} {two[2] if len(two) > 2 else ''}".strip()
    return name[:1].lower() + name[1:]


# A note in brackets after a body's name, on its part in the task (lower case): "(mạng lưới quốc gia)".
ROLE_NOTE = re.compile(r"\s*\((?=[a-zà-ỹđ])[^()]*\)\s*$")


def _province_keys() -> list[tuple[str, str]]:
    """(folded name, name) of every province, longest first ("ho chi minh" before "ha noi")."""
    return sorted(((fold(name), name) for name, _ in provinces()), key=lambda p: -len(p[0]))


def _kind_of(key: str) -> str | None:
    for prefix, kind in (
        ("van phong", "Văn phòng"),
        ("phong", "Phòng"),
        ("trung tam", "Trung tâm"),
        ("cong an", "Công an"),
        ("ban", "Ban"),
        ("so", "Sở"),
        ("uy ban nhan dan", "UBND"),
        ("truong", "Trường"),
        ("dai hoc", "Đại học"),
        ("hoc vien", "Học viện"),
        ("vien", "Viện"),
        ("benh vien", "Bệnh viện"),
        ("ngan hang", "Ngân hàng"),
        ("cong ty", "Doanh nghiệp"),
        ("tap doan", "Doanh nghiệp"),
        ("tong cong ty", "Doanh nghiệp"),
        ("chi cuc", "Chi cục"),
        ("cuc", "Cục"),
        ("hoi", "Hội"),
        ("bao", "Báo"),
    ):
        if key == prefix or key.startswith(prefix + " "):
            return kind
    return None


def _level_hint(key: str, plan: PlanRecord) -> str | None:
    if re.search(r"\bxa\b", key) and plan.level == "commune":
        return "commune"
    if re.search(r"\btinh\b", key):
        return "province"
    return plan.level if plan.level in ("commune", "province") else "province"


def resolve_document(interpretation: Interpretation) -> Resolution:
    """Resolve every agency mention of a document (tasks, indicators, issuer)."""
    plan = interpretation.plan
    resolver = AgencyResolver(plan)
    file = interpretation.document.source.name
    result = Resolution(issuer=resolver.issuer)

    def take(mention: AgencyMention, line: int) -> None:
        agency = resolver.resolve(mention.name)
        result.by_mention[mention.name] = agency
        result.agencies[agency.key] = agency
        result.mentions += 1
        if agency.method == "unresolved":
            result.unresolved.append((mention.name, line))
            result.findings.append(
                Finding(
                    Warnings.W205,
                    f"agency mention not in the registry, kept as its own agency: {mention.name!r}",
                    file,
                    line,
                )
            )
        else:
            result.resolved += 1

    for task in interpretation.tasks:
        for mention in (*task.lead, *task.support, *task.monitors):
            take(mention, task.line)
    for indicator in interpretation.indicators:
        for mention in (*indicator.lead, *indicator.support):
            take(mention, indicator.line)
    if resolver.issuer is not None:
        result.agencies[resolver.issuer.key] = resolver.issuer
    # Parents that were not mentioned themselves (UBND tỉnh above a Sở, the issuer above its divisions).
    known = {agency.key: agency for agency in resolver.cache.values()}
    for other in resolver.elsewhere.values():
        known.update({agency.key: agency for agency in other.cache.values()})
    pending = [a.parent for a in result.agencies.values() if a.parent]
    pending += [a.succeeded_by for a in result.agencies.values() if a.succeeded_by]
    pending += [heir for a in result.agencies.values() for heir in a.successors]
    while pending:
        key = pending.pop()
        if key in result.agencies or key not in known:
            continue
        result.agencies[key] = known[key]
        parent = known[key].parent
        if parent:
            pending.append(parent)
    return result


def member_edges(agencies: dict[str, Agency]) -> list[tuple[str, str]]:
    """(member key, group key) for groups whose members are known in the same document."""
    out: list[tuple[str, str]] = []
    for group in agencies.values():
        if not group.is_group or not group.members:
            continue
        rule: dict[str, Any] = group.members
        for agency in agencies.values():
            if agency.is_group or agency.key == group.key:
                continue
            if "kind" in rule and agency.kind != rule["kind"]:
                continue
            if "level" in rule and agency.level != rule["level"]:
                continue
            if rule.get("part_of") == "<issuer>" and agency.level != "department":
                continue
            if "part_of" in rule and rule["part_of"] != "<issuer>" and agency.parent is None:
                continue
            if agency.jurisdiction != group.jurisdiction and agency.level != "commune":
                continue
            if group.level == "district" and not agency.jurisdiction.endswith(group.jurisdiction):
                continue  # a district's communes are those in it, not the communes that took it in
            out.append((agency.key, group.key))
    return out
