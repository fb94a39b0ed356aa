"""The official register of administrative units (issue 17, item 1): the 34 provinces and 3,321 communes in
force since 1 July 2025, with their codes (mã đơn vị hành chính), read from the `vietnam-provinces` package's
data (its ``nested-divisions.json``, installed with it: nothing is downloaded at run time).

The provinces merged on 1 July 2025 (Nghị quyết 202/2025/QH15: 63 became 34) are known too, from the
`vietnamadminunits` package's data (its 2025 converter): "tỉnh Yên Bái" is a former province whose successor is
Lào Cai (:func:`former_province`).

A name as a document spells it — "xã Lợi Bác", "X. Lợi Bác", "UBND xã Lợi Bác, tỉnh Lạng Sơn", "Loi Bac",
"P. Hoàn Kiếm", "TP. Hồ Chí Minh" — resolves to its unit by its folded name (lower case, no diacritics) without
the kind word. A commune name two provinces share ("Xã Bình Minh" is in five) is resolved only within the
document's province; without one it is reported ambiguous with its candidates, never guessed.

Codes are the register's, zero-padded as the General Statistics Office prints them: provinces on two digits
("20", Lạng Sơn), communes on five ("06601", xã Lợi Bác).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from plangraph.ingest.text import fold

# Kind words before a unit's name, folded: "tỉnh", "thành phố", "TP.", "xã", "X.", "phường", "P.", "đặc khu".
PROVINCE_KIND = re.compile(r"^(?:tinh|thanh pho|tp)\b\.?\s*")
COMMUNE_KIND = re.compile(r"^(?:xa|phuong|dac khu|thi tran|x|p|tt)\b\.?\s*")
KINDS = {"xa": "xã", "x": "xã", "phuong": "phường", "p": "phường", "dac khu": "đặc khu", "thi tran": "thị trấn"}


@dataclass(frozen=True)
class Unit:
    code: str  # "20" (province), "06601" (commune)
    name: str  # as the register writes it: "Lạng Sơn", "Xã Lợi Bác", "Thành phố Hà Nội"
    kind: str  # tỉnh | thành phố trung ương | xã | phường | đặc khu
    province_code: str  # its own code for a province


@dataclass(frozen=True)
class Lookup:
    """A commune name's reading: the unit, or the candidates when the name is ambiguous (or none)."""

    unit: Unit | None
    candidates: tuple[Unit, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1


def _key(name: str, kind: re.Pattern[str]) -> str:
    folded = " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(name)).split())
    return kind.sub("", folded).strip()


@dataclass(frozen=True)
class Register:
    provinces: dict[str, Unit]  # folded name → unit
    communes: dict[str, tuple[Unit, ...]]  # folded name → units (several when provinces share the name)
    by_code: dict[str, Unit]


@lru_cache(maxsize=1)
def register() -> Register:
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    provinces: dict[str, Unit] = {}
    communes: dict[str, list[Unit]] = {}
    by_code: dict[str, Unit] = {}
    for p in data:
        code = f"{int(p['code']):02d}"
        name = re.sub(r"^Thành phố\s+", "", p["name"])
        unit = Unit(code, name, p["division_type"], code)
        provinces[_key(name, PROVINCE_KIND)] = unit
        by_code[code] = unit
        for w in p.get("wards") or []:
            ward = Unit(f"{int(w['code']):05d}", w["name"], w["division_type"], code)
            communes.setdefault(_key(w["name"], COMMUNE_KIND), []).append(ward)
            by_code[ward.code] = ward
    # Spellings of provinces the register writes otherwise ("TP.HCM", "TP Hồ Chí Minh", "Sài Gòn" is not one).
    provinces.setdefault("hcm", provinces["ho chi minh"])
    return Register(provinces, {k: tuple(v) for k, v in communes.items()}, by_code)


def province_unit(name: str | None) -> Unit | None:
    """The province a name spells ("Lạng Sơn", "tỉnh Lạng Sơn", "TP. Hồ Chí Minh", "Lang Son"), else None."""
    if not name:
        return None
    return register().provinces.get(_key(name, PROVINCE_KIND))


def commune_unit(name: str | None, province: str | None = None) -> Lookup:
    """The commune a name spells, within `province` (a name or code) when given."""
    if not name:
        return Lookup(None)
    text = re.split(r",", name)[0]  # "xã Lợi Bác, tỉnh Lạng Sơn"
    text = re.sub(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", text.strip(), flags=re.IGNORECASE)
    candidates = register().communes.get(_key(text, COMMUNE_KIND), ())
    written = COMMUNE_KIND.match(" ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(text)).split()))
    kind = KINDS.get(written.group(0).strip(" .")) if written else None
    if kind and any(c.kind == kind for c in candidates):  # "xã Bình Minh" is not "Phường Bình Minh"
        candidates = tuple(c for c in candidates if c.kind == kind)
    if province:
        unit = register().by_code.get(province) or province_unit(province)
        if unit is not None:
            candidates = tuple(c for c in candidates if c.province_code == unit.province_code)
    if len(candidates) == 1:
        return Lookup(candidates[0], candidates)
    return Lookup(None, candidates)


def unit_codes(province: str | None, jurisdiction: str | None, level: str | None) -> tuple[str | None, str | None]:
    """(province code, commune code) of a plan's or an agency's jurisdiction ("xã Lợi Bác, tỉnh Lạng Sơn")."""
    unit = province_unit(province)
    if unit is None and (former := former_province(province)) is not None:
        unit = former.successor  # a former province's plan: the code in force is its successor's
    commune = None
    if level == "commune" and jurisdiction and re.match(r"(?:xã|phường|đặc khu|thị trấn)\s", jurisdiction):
        commune = commune_unit(jurisdiction, unit.code if unit else None).unit
        parts = [part.strip() for part in jurisdiction.split(",")]
        if commune is None and len(parts) > 2 and unit is not None:  # "xã Tịnh Hà, huyện Sơn Tịnh, tỉnh …"
            old = former_communes(parts[0], unit.code, parts[1])
            commune = old[0].successors[0] if len(old) == 1 else None  # the code in force: its successor's
    if unit is None and commune is not None:
        unit = register().by_code.get(commune.province_code)
    return (unit.code if unit else None), (commune.code if commune else None)


# The change that merged the provinces (63 → 34), in force on 1 July 2025.
PROVINCE_MERGER = ("2025-07-01", "202/2025/QH15")


@dataclass(frozen=True)
class Former:
    """A province that no longer exists, and the province that took it in."""

    name: str  # "Yên Bái"
    kind: str  # tỉnh | thành phố
    successor: Unit


def _adminunits_data(name: str) -> dict:  # type: ignore[type-arg]
    """A data file of the vietnamadminunits package, read without importing it (its parser needs geodata
    libraries plangraph does not use)."""
    from importlib.util import find_spec

    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("vietnamadminunits is not installed: pip install vietnamadminunits")
    folder = list(spec.submodule_search_locations)[0]
    with open(f"{folder}/data/{name}", encoding="utf-8") as handle:
        data: dict = json.load(handle)  # type: ignore[type-arg]
    return data


@lru_cache(maxsize=1)
def former_provinces() -> dict[str, Former]:
    """Folded name → the former province ("yen bai" → Yên Bái, taken in by Lào Cai)."""
    legacy = _adminunits_data("parser_legacy.json")["DICT_PROVINCE"]
    merged = _adminunits_data("converter_2025.json")["DICT_PROVINCE"]
    current = {
        ("thanhpho" if "thành phố" in u.kind else "tinh") + _key(u.name, PROVINCE_KIND).replace(" ", ""): u
        for u in register().provinces.values()
    }
    out: dict[str, Former] = {}
    for new_key, old_keys in merged.items():
        successor = current.get(new_key)
        if successor is None:
            continue
        for old_key in old_keys:
            old = legacy.get(old_key)
            if old is None:
                continue
            name = old["provinceShort"]
            folded = _key(name, PROVINCE_KIND)
            if folded in register().provinces:  # still a province (the one that took the others in)
                continue
            out[folded] = Former(name, "thành phố" if old_key.startswith("thanhpho") else "tỉnh", successor)
    return out


def former_province(name: str | None) -> Former | None:
    """The former province a name spells ("tỉnh Yên Bái", "Yen Bai"), else None."""
    if not name:
        return None
    return former_provinces().get(_key(name, PROVINCE_KIND))


# The two-level local government (districts abolished, communes merged), in force on 1 July 2025: Luật Tổ chức
# chính quyền địa phương 72/2025/QH15. Each province's communes were rearranged by its own resolution of the
# National Assembly Standing Committee, which the register does not carry: those successions have no basis.
TWO_LEVEL_GOVERNMENT = ("2025-07-01", "72/2025/QH15")
DISTRICT_KIND = re.compile(r"^(?:huyen|thi xa|quan|thanh pho|tp|h|tx|q)\b\.?\s*")


@dataclass(frozen=True)
class FormerUnit:
    """A district or commune that ceased on 1 July 2025, and the communes of the register that took it in."""

    name: str  # "huyện Sơn Tịnh", "xã Tịnh Hà"
    district: str | None  # the district of a former commune ("huyện Sơn Tịnh"); None for a district
    province: Unit  # the province in force that holds it
    successors: tuple[Unit, ...]  # the commune that took in most of it first (a divided commune's default)


@dataclass(frozen=True)
class FormerUnits:
    districts: dict[tuple[str, str], FormerUnit]  # (province code, folded name) → district
    communes: dict[tuple[str, str], tuple[FormerUnit, ...]]  # (province code, folded name) → communes


def _lower_kind(name: str) -> str:
    """ "Huyện Sơn Tịnh" → "huyện Sơn Tịnh", "Thị trấn Ba Tơ" → "thị trấn Ba Tơ" (the kind in running case)."""
    words = name.split()
    kind = 2 if len(words) > 2 and fold(" ".join(words[:2])) in ("thi xa", "thanh pho", "thi tran", "dac khu") else 1
    return " ".join([w.lower() for w in words[:kind]] + words[kind:])


@lru_cache(maxsize=1)
def former_units() -> FormerUnits:
    """The districts and communes of the three-level register (before 1 July 2025) with their successors, from
    the vietnamadminunits converter: most old communes went whole into one new commune; a divided one lists
    its parts, the part named default first."""
    legacy = _adminunits_data("parser_legacy.json")
    converter = _adminunits_data("converter_2025.json")
    reg = register()
    by_key: dict[str, dict[str, Unit]] = {}  # new province key → new commune key ("xaloibac") → unit
    province_of_key: dict[str, Unit] = {}
    for unit in reg.provinces.values():
        prefix = "thanhpho" if "thành phố" in unit.kind else "tinh"
        province_of_key[prefix + _key(unit.name, PROVINCE_KIND).replace(" ", "")] = unit
    for code, unit in reg.by_code.items():
        if len(code) == 5:
            province = reg.by_code[unit.province_code]
            prefix = "thanhpho" if "thành phố" in province.kind else "tinh"
            new_key = prefix + _key(province.name, PROVINCE_KIND).replace(" ", "")
            by_key.setdefault(new_key, {})[fold(unit.name).replace(" ", "")] = unit
    old_to_new: dict[str, list[Unit]] = {}
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        units = by_key.get(new_province, {})
        for new_ward, old_keys in wards.items():
            if new_ward in units:
                for old_key in old_keys:
                    old_to_new.setdefault(old_key, []).append(units[new_ward])
    for new_province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        units = by_key.get(new_province, {})
        for old_key, parts in divided.items():
            ordered = sorted(parts, key=lambda p: not p["isDefaultNewWard"])
            found = [units[p["newWardKey"]] for p in ordered if p["newWardKey"] in units]
            old_to_new[old_key] = list(dict.fromkeys(old_to_new.get(old_key, []) + found))
    new_province_of = {old: province_of_key[new] for new, olds in converter["DICT_PROVINCE"].items() for old in olds}
    districts: dict[tuple[str, str], FormerUnit] = {}
    communes: dict[tuple[str, str], list[FormerUnit]] = {}
    for old_province, wards_by_district in legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items():
        in_force = new_province_of.get(old_province)
        if in_force is None:
            continue
        province = in_force
        for district_key, wards in wards_by_district.items():
            district = legacy["DICT_PROVINCE_DISTRICT"][old_province].get(district_key)
            if district is None:
                continue
            district_name = _lower_kind(district["district"])
            taken_in: list[Unit] = []
            for ward_key, ward in wards.items():
                successors = old_to_new.get(f"{old_province}_{district_key}_{ward_key}", [])
                taken_in += successors
                if not isinstance(ward.get("ward"), str) or not successors:
                    continue
                former = FormerUnit(_lower_kind(ward["ward"]), district_name, province, tuple(successors))
                communes.setdefault((province.code, _key(ward["ward"], COMMUNE_KIND)), []).append(former)
            taken_in = sorted(dict.fromkeys(taken_in), key=lambda u: u.code)
            districts[(province.code, _key(district["district"], DISTRICT_KIND))] = FormerUnit(
                district_name, None, province, tuple(taken_in)
            )
    return FormerUnits(districts, {k: tuple(v) for k, v in communes.items()})


def former_district(name: str | None, province: str | None) -> FormerUnit | None:
    """The district of before 1 July 2025 a name spells ("huyện Sơn Tịnh", "H. Sơn Tịnh") in a province (a name
    or code, the province in force or a former one)."""
    unit = _province_in_force(province)
    if not name or unit is None:
        return None
    return former_units().districts.get((unit.code, _key(name, DISTRICT_KIND)))


def former_communes(name: str | None, province: str | None, district: str | None = None) -> tuple[FormerUnit, ...]:
    """The communes of before 1 July 2025 a name spells in a province, within `district` when given. Several
    means the province had two of that name and nothing tells them apart: the caller reports, never guesses."""
    unit = _province_in_force(province)
    if not name or unit is None:
        return ()
    found = former_units().communes.get((unit.code, _key(name, COMMUNE_KIND)), ())
    if district:
        wanted = _key(district, DISTRICT_KIND)
        found = tuple(f for f in found if f.district and _key(f.district, DISTRICT_KIND) == wanted)
    return found


def _province_in_force(province: str | None) -> Unit | None:
    if not province:
        return None
    unit = register().by_code.get(province) or province_unit(province)
    if unit is None and (old := former_province(province)) is not None:
        unit = old.successor
    return unit
