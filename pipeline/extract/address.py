"""An address as printed, read as units of the map in force when its paper was issued, and today's units.

"Số 12, phường Vĩnh Ninh, thành phố Huế, tỉnh Thừa Thiên Huế" is read from the right: the province, then on
the legacy map its district (if printed), then the ward or commune; what is left is the street or hamlet.
A paper issued before 1 July 2025 is read on the legacy map, one issued since on the 2025 map, one without a
date on both (the reading that finds more, the 2025 one when both find all). Today's ward and province come
from the dataset's conversion table (`pipeline/extract/admin_map.py`).

OCR slips in a unit's name are set right only towards a unit of the parsed province (and district), and a
name that is itself some unit's name is never respelt. A ward that is not in its province is marked for the
reviewer, with the nearest wards of the province as suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from pipeline.extract.admin_map import LEGACY, MAP_2025, AdminMap, Level, Unit, admin_map, key, marked_key
from pipeline.extract.text import fold
from schemas.record import AddressUnits, Field

MERGER = date(2025, 7, 1)
_DATE_KEYS = ("issue_date", "registration_date")  # the paper's own date; a card carries none it prints

# Type words before a unit's name, as printed and abbreviated, on the folded text (same length as printed).
_WARD_TYPES = r"(?:phuong|xa|thi tran|dac khu)\b|p\.|p(?=\d)|x\.|tt(?:\.|\b)|f\.?(?=\d)"
_DISTRICT_TYPES = r"(?:quan|huyen|thi xa|thanh pho)\b|q\.|q(?=\d)|h\.|tx(?:\.|\b)|tp(?:\.|\b)"
_PROVINCE_TYPES = r"(?:tinh|thanh pho)\b|tp(?:\.|\b)|t\."
_TYPE = {
    "ward": re.compile(rf"^\s*(?:{_WARD_TYPES})\s*", re.IGNORECASE),
    "district": re.compile(rf"^\s*(?:{_DISTRICT_TYPES})\s*", re.IGNORECASE),
    "province": re.compile(rf"^\s*(?:{_PROVINCE_TYPES})\s*", re.IGNORECASE),
}
_ANY_TYPE = re.compile(rf"^\s*(?:{_WARD_TYPES}|{_DISTRICT_TYPES}|{_PROVINCE_TYPES})\s*", re.IGNORECASE)
_HOUSE = re.compile(r"^\s*(?:số\s*)?\d+[\w/]*\s+\D", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    unit: Unit
    # "exact" (marks too), "marks" (letters right, marks wrong), "fuzzy" (letter slips), "alias" (a former name
    # or an abbreviation the dataset knows), "inferred" (not printed: the ward's district)
    how: str
    start: int  # the name's span inside the part (after its type word)
    valid_as_printed: bool  # the printed name is some unit's name of this level


@dataclass(frozen=True)
class Reading:
    """One map's reading of an address."""

    map: str
    province: Match | None
    district: Match | None
    ward: Match | None
    street: str
    parts: tuple[str, ...]
    ward_part: int | None = None
    district_part: int | None = None
    suggestions: tuple[Unit, ...] = ()
    ward_outside: bool = False  # a ward is printed but is none of the province's

    @property
    def score(self) -> float:
        s = 0.0
        for m, w in ((self.province, 2.0), (self.ward, 2.0), (self.district, 1.0)):
            if m is not None:
                s += w * {"exact": 1.0, "marks": 0.9, "fuzzy": 0.7, "alias": 0.85, "inferred": 0.0}[m.how]
        return s


@dataclass(frozen=True)
class AddressReading:
    """What `read_address` found: the address with slips in unit names set right, the units (the record's
    `units` key), whether the reviewer must look and, then, the address with the nearest valid ward."""

    value: str
    units: dict[str, object] | None
    review: bool = False
    suggestion: str | None = None


def _split_type(part: str, level: str) -> tuple[str, str]:
    folded = fold(part)
    m = _TYPE[level].match(folded)
    if m is None or m.end() >= len(part.rstrip()):
        return "", part.strip()
    return part[: m.end()], part[m.end() :].strip()


def _nearest(name: str, level: Level, limit: int = 3) -> list[tuple[Unit, float]]:
    choices = {i: u.key for i, u in enumerate(level.units)}
    found = process.extract(key(name), choices, scorer=fuzz.ratio, limit=limit)
    return [(level.units[i], score) for _, score, i in found]


def _allowed(k: str) -> int:
    """Letter slips forgiven in a name of this many letters."""
    return 0 if len(k) < 4 else 1 if len(k) < 7 else 2 if len(k) < 12 else 3


def _slipped(k: str, level: Level) -> Unit | None:
    """The one unit whose name is within the slips forgiven of `k` (OCR's "rn" for "m" undone first), and
    clearly nearer than any other name."""
    k = k.replace("rn", "m")
    if k in level.by_key:
        return level.by_key[k][0]
    found = process.extract(k, list(level.by_key), scorer=Levenshtein.distance, limit=2)
    if not found:
        return None
    best, dist, _ = found[0]
    second = found[1][1] if len(found) > 1 else 99
    if dist <= _allowed(k) and second > dist:
        return level.by_key[best][0]
    return None


def _match(part: str, level: Level, what: str, names: set[str], *, fuzzy: bool = True) -> Match | None:
    prefix, name = _split_type(part, what)
    if prefix:  # "Phương Tiến" is a name, not "phường Tiến": the whole part first when it is a name
        whole = level.by_key.get(key(part))
        if whole and fold(prefix).strip().isalpha() and not _is_type_word(prefix, what):
            return _match_name("", part, level, names, fuzzy=fuzzy)
    return _match_name(prefix, name, level, names, fuzzy=fuzzy)


_TYPE_WORDS = {
    "ward": ("phường", "xã", "thị trấn", "đặc khu"),
    "district": ("quận", "huyện", "thị xã", "thành phố"),
    "province": ("tỉnh", "thành phố"),
}


def _is_type_word(prefix: str, what: str) -> bool:
    """The type word printed with its marks ("phường", not "Phương", which begins names)."""
    return marked_key(prefix) in {marked_key(w) for w in _TYPE_WORDS[what]}


def _match_name(prefix: str, name: str, level: Level, names: set[str], *, fuzzy: bool) -> Match | None:
    if name.isdigit() and prefix:  # "Phường 5", "P.5", "Quận 1": named with their type
        name = f"{'Quận' if fold(prefix).startswith('q') else 'Phường'} {int(name)}"
    k = key(name)
    if not k:
        return None
    marked = marked_key(name)
    valid = marked in names
    same = level.by_key.get(k, [])
    if same:
        exact = [u for u in same if u.marked == marked]
        if exact:
            return Match(exact[0], "exact", len(prefix), valid)
        if all(u.key != k for u in same):  # a former name or an abbreviation ("HCM") the dataset knows
            return Match(same[0], "alias", len(prefix), True)
        kind = fold(prefix).strip()[:1]
        typed = [u for u in same if kind and fold(u.kind)[:1] == kind] or same
        best = max(typed, key=lambda u: fuzz.ratio(u.marked, marked))
        return Match(best, "marks", len(prefix), valid)
    if not fuzzy or valid or any(c.isdigit() for c in k):
        return None  # a real name of another unit, or a number: never respelt
    unit = _slipped(k, level)
    return Match(unit, "fuzzy", len(prefix), False) if unit is not None else None


def _parts(address: str) -> tuple[str, ...]:
    return tuple(p for p in (s.strip() for s in address.split(",")) if p)


def _read(address: str, m: AdminMap, which: str) -> Reading | None:
    parts = _parts(address)
    if not parts:
        return None
    province = _match(parts[-1], m.provinces[which], "province", m.names[("any", "province")])
    if province is None:
        return None
    rest = list(range(len(parts) - 1))
    district: Match | None = None
    district_part: int | None = None
    if which == LEGACY:
        districts = m.districts[province.unit.code]
        if rest:
            i = rest[-1]
            typed_ward = _TYPE["ward"].match(fold(parts[i])) is not None
            if not typed_ward:
                district = _match(parts[i], districts, "district", m.names[("any", "district")])
                if district is not None or _TYPE["district"].match(fold(parts[i])):
                    district_part = i
                    rest = rest[:-1]
        if district is not None:
            wards = m.legacy_wards.get((province.unit.code, district.unit.code), Level())
        else:
            wards = m.legacy_province_wards.get(province.unit.code, Level())
    else:
        wards = m.wards_2025.get(province.unit.code, Level())
    ward: Match | None = None
    ward_part: int | None = None
    outside = False
    suggestions: tuple[Unit, ...] = ()
    if rest:
        i = rest[-1]
        names = m.names[("any", "ward")]
        house = _HOUSE.match(parts[i]) is not None  # "40 Nguyễn Trãi" is a house and street, not a ward
        ward = None if house else _match(parts[i], wards, "ward", names)
        if ward is None and district is not None and not house:
            # the ward of another district of the province (its name exactly): the district misread or old
            ward = _match(parts[i], m.legacy_province_wards[province.unit.code], "ward", names, fuzzy=False)
            if ward is not None:
                district = Match(m.district_of[ward.unit.code], "inferred", 0, True)
        if ward is not None:
            ward_part = i
            rest = rest[:-1]
        elif house:
            pass
        elif _TYPE["ward"].match(fold(parts[i])) or (
            which == MAP_2025 and marked_key(_split_type(parts[i], "ward")[1]) in names
        ):
            # a ward's type word, or a ward's name of elsewhere: a ward that is not in this province
            outside = True
            ward_part = i
            rest = rest[:-1]
            suggestions = tuple(u for u, _ in _nearest(_split_type(parts[i], "ward")[1], wards))
    if ward is None and which == LEGACY and district_part is None and not outside and len(rest) >= 2:
        # a district too misread to know, before it the ward: "xã Hiền Quan, Tàrn Nông, tỉnh Phú Thọ"
        i, j = rest[-2], rest[-1]
        if _HOUSE.match(parts[i]) is None:
            wards = m.legacy_province_wards.get(province.unit.code, Level())
            ward = _match(parts[i], wards, "ward", m.names[("any", "ward")])
            if ward is not None:
                ward_part, district_part = i, j
                rest = rest[:-2]
    if ward is not None and which == LEGACY and district is None:
        district = Match(m.district_of[ward.unit.code], "inferred", 0, True)
    street = ", ".join(parts[j] for j in rest)
    return Reading(which, province, district, ward, street, parts, ward_part, district_part, suggestions, outside)


def _choose(readings: list[Reading], issued: date | None) -> Reading | None:
    if not readings:
        return None
    if issued is not None:
        wanted = LEGACY if issued < MERGER else MAP_2025
        dated = [r for r in readings if r.map == wanted and r.ward is not None]
        if dated:
            return dated[0]
    by_map = {r.map: r for r in readings}
    new, old = by_map.get(MAP_2025), by_map.get(LEGACY)
    if new is None or old is None:
        return new or old
    if old.district_part is not None and old.district is not None and old.ward is not None:
        return old  # a district is printed: the legacy map (there are no districts since 1 July 2025)
    if old.score > new.score + 0.05:
        return old
    if new.ward is None and old.ward is None and new.province is not None:
        # no ward: a province merged away (Quảng Bình) was printed on the legacy map
        return (
            old
            if old.province and old.province.unit.dkey not in {u.dkey for u in admin_map().provinces[MAP_2025].units}
            else new
        )
    return new


def _respelt(reading: Reading) -> str:
    parts = list(reading.parts)
    changed = False
    for match, index in (
        (reading.province, len(parts) - 1),
        (reading.district, reading.district_part),
        (reading.ward, reading.ward_part),
    ):
        if match is None or index is None or match.how in ("exact", "alias", "inferred") or match.valid_as_printed:
            continue
        parts[index] = parts[index][: match.start] + match.unit.short
        changed = True
    return ", ".join(parts) if changed else ""


def _units(reading: Reading, m: AdminMap) -> dict[str, object]:
    province = reading.province.unit if reading.province else None
    ward = reading.ward.unit if reading.ward else None
    district = reading.district.unit if reading.district and reading.map == LEGACY else None
    codes = {"ward": ward.code if ward else None, "province": province.code if province else None}
    if reading.map == LEGACY:
        codes["district"] = district.code if district else None
    current: dict[str, object]
    if reading.map == MAP_2025:
        current = {"ward": ward.name if ward else None, "province": province.name if province else None,
                   "codes": {"ward": codes["ward"], "province": codes["province"]}}  # fmt: skip
    else:
        current = _converted(ward, province, m)
    units: dict[str, object] = {
        "printed_map": reading.map,
        "street": reading.street or None,
        "ward": ward.name if ward else None,
        "district": district.name if district else None,
        "province": province.name if province else None,
        "codes": codes,
        "current": current,
    }
    if reading.suggestions:
        units["suggestions"] = [u.name for u in reading.suggestions]
    return units


def _converted(ward: Unit | None, province: Unit | None, m: AdminMap) -> dict[str, object]:
    if ward is None or ward.code not in m.conversion:
        # the province alone: its code tells today's province (merged ones kept one of their codes)
        new_province = _province_2025(province, m)
        return {"ward": None, "province": new_province.name if new_province else None,
                "codes": {"ward": None, "province": new_province.code if new_province else None}}  # fmt: skip
    code, others = m.conversion[ward.code]
    new_ward = m.ward_2025(code)
    new_province = m.province_of_ward[(MAP_2025, code)]
    current: dict[str, object] = {
        "ward": new_ward.name if new_ward else None,
        "province": new_province.name,
        "codes": {"ward": code, "province": new_province.code},
    }
    if others:  # the old ward was split: the dataset's default, the others for the reviewer
        current["also"] = [w.name for c in others if (w := m.ward_2025(c)) is not None]
    return current


def _province_2025(province: Unit | None, m: AdminMap) -> Unit | None:
    if province is None:
        return None
    # every old ward of a province went to one new province: take the one its wards went to
    wards = m.legacy_province_wards.get(province.code)
    if wards is None or not wards.units:
        return None
    code, _ = m.conversion.get(wards.units[0].code, (None, []))
    return m.province_of_ward.get((MAP_2025, code)) if code else None


def read_address(address: str, issued: date | None = None) -> AddressReading:
    """The address's units on the map of its paper's date (`issued`; both maps tried without one), today's
    units, and the address with OCR slips in unit names set right."""
    m = admin_map()
    readings = [r for r in (_read(address, m, MAP_2025), _read(address, m, LEGACY)) if r is not None]
    reading = _choose(readings, issued)
    if reading is None:
        return AddressReading(value=address, units=None)
    units = _units(reading, m)
    suggestion = None
    if reading.ward_outside and reading.suggestions and reading.ward_part is not None:
        parts = list(reading.parts)
        prefix, _ = _split_type(parts[reading.ward_part], "ward")
        nearest = reading.suggestions[0]
        parts[reading.ward_part] = f"{nearest.kind.lower()} {nearest.short}" if prefix.strip() else nearest.short
        suggestion = ", ".join(parts)
    return AddressReading(
        value=_respelt(reading) or address, units=units, review=reading.ward_outside, suggestion=suggestion
    )


def with_units(
    fields: Mapping[str, Field], kinds: Mapping[str, str], review_below: Mapping[str, float]
) -> dict[str, Field]:
    """The document's fields with their address fields' units (`Field.units`), read on the map of the
    document's date (its issue or registration date, when read). An address whose ward is not in its province
    falls below its review threshold, the nearest valid reading offered as the field's suggestion."""
    issued = next((_iso(fields[k].value) for k in _DATE_KEYS if k in fields and _iso(fields[k].value)), None)
    out = dict(fields)
    for k, f in fields.items():
        if kinds.get(k) != "address":
            continue
        reading = read_address(f.value, issued)
        if reading.units is None:
            continue
        update: dict[str, object] = {"value": reading.value, "units": AddressUnits.model_validate(reading.units)}
        if reading.review:
            update["confidence"] = round(min(f.confidence, review_below.get(k, 1.0) - 0.01), 3)
            update["suggestion"] = reading.suggestion
        out[k] = f.model_copy(update=update)
    return out


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
