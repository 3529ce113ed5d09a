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

import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from pipeline.extract.admin_map import LEGACY, MAP_2025, AdminMap, Level, Unit, admin_map, key, marked_key
from pipeline.extract.text import fold
from schemas.doctypes import DocTypeSpec
from schemas.record import AddressUnits, Field

MERGER = date(2025, 7, 1)
_DATE_KEYS = ("issue_date", "registration_date")  # the paper's own date; a card carries none it prints

# Type words before a unit's name, as printed and abbreviated, on the folded text (same length as printed).
# (OCR puts specks between the words of a type, "Thành: phố", and reads the dot of "P." as ":")
_WARD_TYPES = r"(?:phuong|xa|thi\W{0,2}tran|dac\W{0,2}khu)\b|p[.:]|p(?=\d)|x[.:]|tt(?:[.:]|\b)|f\.?(?=\d)"
_DISTRICT_TYPES = r"(?:quan|huyen|thi\W{0,2}xa|thanh\W{0,2}pho)\b|q[.:]|q(?=\d)|h[.:]|tx(?:[.:]|\b)|tp(?:[.:]|\b)"
_PROVINCE_TYPES = r"(?:tinh|thanh\W{0,2}pho)\b|tp(?:[.:]|\b)|t[.:]"
_TYPE = {
    "ward": re.compile(rf"^\s*(?:{_WARD_TYPES})\s*", re.IGNORECASE),
    "district": re.compile(rf"^\s*(?:{_DISTRICT_TYPES})\s*", re.IGNORECASE),
    "province": re.compile(rf"^\s*(?:{_PROVINCE_TYPES})\s*", re.IGNORECASE),
}
_ANY_TYPE = re.compile(rf"^\s*(?:{_WARD_TYPES}|{_DISTRICT_TYPES}|{_PROVINCE_TYPES})\s*", re.IGNORECASE)
# a ward's type word at the end of what precedes its name (on the printed text: it keeps its marks)
_ANY_TYPE_END = re.compile(r"(?:phường|xã|thị trấn|P\.|X\.|TT\.)\W*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\D*\d+$")
_SEPARATORS = re.compile(r"[,;]")
# Where a part begins when OCR lost the commas: before a type word (on the folded text).
# (on the printed text, marks and all: "Xá" in "Điền Xá" is a name, "xã" a type word)
_TYPE_START = re.compile(
    r"\s(?=(?:phường|xã|thị trấn|quận|huyện|thị xã|thành phố|tỉnh)\s|(?:p|q|h|x|tx|tp|tt|t)\.\s?\w)", re.IGNORECASE
)
_TRAILING_SPECK = re.compile(r"(?:\s+[^\W\d_])+$")  # "Quảng Nam ị": a lone letter after the name
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
    by_keys: bool = False  # found by the units' names in the letters alone (commas and spaces lost)

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


def _slipped(k: str, marked: str, level: Level) -> Unit | None:
    """The one unit whose name is within the slips forgiven of `k` (OCR's "rn" for "m" undone first), and
    clearly nearer than any other name."""
    k = k.replace("rn", "m")
    if k in level.by_key:
        return level.by_key[k][0]
    found = process.extract(k, list(level.by_key), scorer=Levenshtein.distance, limit=4)
    if not found or found[0][1] > _allowed(k):
        return None
    tied = [name for name, dist, _ in found if dist == found[0][1]]
    if len(tied) == 1:
        return level.by_key[tied[0]][0]
    # as near in letters: the one whose marks are nearer, when clearly so ("Nghĩa Lạe": Lạc, not Lâm)
    scored = sorted(((fuzz.ratio(marked, u.marked), u) for t in tied for u in level.by_key[t][:1]), key=lambda x: -x[0])
    return scored[0][1] if scored[0][0] - scored[1][0] >= 5 else None


def _match(part: str, level: Level, what: str, names: set[str], *, fuzzy: bool = True) -> Match | None:
    if what == "ward" and _TYPE["district"].match(fold(part)):
        return None  # "TP. Việt Trì", "huyện Nam Đàn": a district or a city, never a ward
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
    if not prefix and any(_is_type_word(name, what) for what in _TYPE_WORDS):
        return None  # "…, thành phố" cut at the line's end: a type word alone names no unit ("Thanh Hóa" is near)
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
    if not fuzzy or valid or _NUMBERED.match(k):
        return None  # a real name of another unit, or a numbered one ("Phường 5"): never respelt
    unit = _slipped(k, marked, level)
    return Match(unit, "fuzzy", len(prefix), False) if unit is not None else None


def _unspecked(part: str) -> str:
    """The part without what OCR read in the specks around it: marks and signs before and after its words
    ("ˆ. Xã Sông Lô :" -> "Xã Sông Lô"); dots inside stay ("P.5")."""
    a, b = 0, len(part)
    while a < b and not _wordy(part[a]):
        a += 1
    while b > a and not _wordy(part[b - 1]):
        b -= 1
    return part[a:b]


def _wordy(ch: str) -> bool:
    return ch.isalnum() and unicodedata.category(ch) != "Lm"  # "ˆ" is a modifier letter, a speck here


def _parts(address: str) -> tuple[str, ...]:
    """The address's parts between commas (OCR reads some as ";"), without the specks OCR reads around them
    (".Xã Yên Thái", "Quảng Nam ị", a last part "."); dots inside a part stay ("P.5", "TP.HCM")."""
    pieces = _SEPARATORS.split(address)
    if len(pieces) < 2:  # no comma read: cut before the type words ("… xã Huy Giáp tỉnh Cao Bằng")
        cuts = [0, *(m.end() for m in _TYPE_START.finditer(address)), len(address)]
        pieces = [address[a:b] for a, b in itertools.pairwise(cuts)]
    parts = [_unspecked(p) for p in pieces]
    parts = [p for p in parts if any(c.isalnum() for c in p)]
    if parts:
        parts[-1] = _TRAILING_SPECK.sub("", parts[-1])
    return tuple(parts)


def _read(address: str, m: AdminMap, which: str) -> Reading | None:
    parts = _parts(address)
    if not parts:
        return None
    province = _match(parts[-1], m.provinces[which], "province", m.names[("any", "province")])
    words = parts[-1].split()
    for n in range(len(words) - 1, 0, -1) if province is None else ():
        # specks after the province read as words ("tỉnh Cao Bằng bể", "tỉnh Phú Thọ GÀ VấY D0 …"): the
        # longest run of words from the start that is a province
        province = _match(" ".join(words[:n]), m.provinces[which], "province", m.names[("any", "province")])
        if province is not None:
            parts = (*parts[:-1], " ".join(words[:n]))
            break
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


def _letters(address: str) -> tuple[str, list[int]]:
    """The folded letters and digits of the address, and where each is in the address."""
    out, where = [], []
    for i, ch in enumerate(unicodedata.normalize("NFC", address)):
        f = fold(ch)
        if f.isalnum():
            out.append(f)
            where.append(i)
    return "".join(out), where


_TYPE_KEYS = ("phuong", "xa", "thitran", "dackhu", "quan", "huyen", "thixa", "thanhpho", "tinh",
              "p", "x", "tt", "q", "h", "tx", "tp", "t")  # fmt: skip
_NEXT_TYPE_KEYS = ("quan", "huyen", "thixa", "thanhpho", "tinh", "q", "h", "tx", "tp")  # what may follow a ward


def _rightmost(address: str, letters: str, where: list[int], end: int, level: Level) -> tuple[Unit, int] | None:
    """The unit of `level` whose name ends nearest `end` in `letters` (the longest there), and where it
    starts. A name counts only where it is a whole name: after a space, a sign or a type word ("XãTuân Chính")
    and before one (or the end), not inside a longer word ("Đông" in "ĐôngHòa")."""
    best: tuple[int, int, Unit] | None = None
    for k, units in level.by_key.items():
        if len(k) < 4:
            continue
        at = letters.rfind(k, 0, end)
        while at >= 0 and not _whole(address, letters, where, at, at + len(k)):
            at = letters.rfind(k, 0, at + len(k) - 1)
        if at < 0:
            continue
        cand = (at + len(k), len(k), units[0])
        if best is None or cand[:2] > best[:2]:
            best = cand
    return (best[2], best[0] - best[1]) if best else None


def _whole(address: str, letters: str, where: list[int], start: int, end: int) -> bool:
    before = start == 0 or not address[where[start] - 1].isalnum() or letters[:start].endswith(_TYPE_KEYS)
    after = (
        end == len(letters)
        or where[end - 1] + 1 >= len(address)
        or not address[where[end - 1] + 1].isalnum()
        or letters[end:].startswith(_NEXT_TYPE_KEYS)
    )
    return before and after


def _read_keys(address: str, m: AdminMap, which: str) -> Reading | None:
    """The units found by their names in the address's letters alone, right to left, as OCR gives an address
    whose commas and spaces it lost ("XãTuân Chính H.Vĩnh Tường, TỉnhVĩnhPhúc"). Exact names only."""
    address = unicodedata.normalize("NFC", address)
    letters, where = _letters(address)
    found = _rightmost(address, letters, where, len(letters), m.provinces[which])
    if found is None:
        return None
    province, end = found
    district: Match | None = None
    if which == LEGACY:
        d = _rightmost(address, letters, where, end, m.districts[province.code])
        if d is not None:
            district, end = Match(d[0], "marks", 0, True), d[1]
        wards = (
            m.legacy_wards.get((province.code, district.unit.code), Level())
            if district
            else m.legacy_province_wards.get(province.code, Level())
        )
    else:
        wards = m.wards_2025.get(province.code, Level())
    w = _rightmost(address, letters, where, end, wards)
    ward = Match(w[0], "marks", 0, True) if w else None
    if ward is not None and which == LEGACY and district is None:
        district = Match(m.district_of[ward.unit.code], "inferred", 0, True)
    street = address[: where[w[1]]] if w else ""
    street = _unspecked(_ANY_TYPE_END.sub("", street))
    return Reading(which, Match(province, "marks", 0, True), district, ward, street, (), by_keys=True)


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
    printed_district = old.district_part is not None or (
        old.by_keys and old.district and old.district.how != "inferred"
    )
    if printed_district and old.district is not None and old.ward is not None:
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
    if reading.by_keys:
        return ""  # read without the parts: nothing to respell in place
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
    if reading is None or (reading.ward is None and not reading.ward_outside):
        # commas or spaces lost: the names in the letters alone
        by_keys = [r for r in (_read_keys(address, m, MAP_2025), _read_keys(address, m, LEGACY)) if r is not None]
        found = _choose([r for r in by_keys if r.ward is not None], issued)
        reading = found or reading
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


def document_units(spec: DocTypeSpec, fields: Mapping[str, Field]) -> dict[str, Field]:
    """`with_units` for a document of type `spec`: its address fields read as units."""
    if not any(f.kind == "address" and f.key in fields for f in spec.fields):
        return dict(fields)
    kinds = {f.key: f.kind for f in spec.fields}
    return with_units(fields, kinds, {f.key: f.review_below for f in spec.fields})


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
