"""Provinces at the end of an address, to set right the province's name when OCR misspelt it.

An address on Vietnamese papers ends with its province ("…, Nam Đàn, Nghệ An"). The provinces are those of the
administrative-units dataset (`pipeline/extract/admin_map.py`), on both maps: the 63 before 1 July 2025 and the
34 since, and "Thừa Thiên Huế" for papers older than Huế's city status. A last part that is a province's name
with wrong marks ("Cấn Thơ", "Hà Ñjội") is that province; a name that is itself a province's ("Hà Nam",
"Huế", with or without "thành phố") is never respelt. Both tone mark placements ("Thanh Hóa", "Thanh Hoá")
are spellings and are left alone.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz

from pipeline.extract.admin_map import LEGACY, MAP_2025, RENAMED_PROVINCES, admin_map, key, marked_key
from pipeline.extract.text import fold

_PREFIX = re.compile(r"^((?:tp|thanh pho|tinh|t)\.\s*|(?:tp|thanh pho|tinh)\s+)", re.IGNORECASE)
# The word for a unit without its name: the line was cut after it ("…, phường Gia Định, thành phố" / "Hồ Chí
# Minh"), and "thành phố" is as near to "Thanh Hóa" as an OCR slip.
_UNIT_WORD = re.compile(r"^(?:thanh pho|thanh|tinh|tp|t\.?p|thi xa|quan|huyen|phuong|xa)\W*$", re.IGNORECASE)


@cache
def _provinces() -> tuple[dict[str, str], set[str]]:
    """Every province's folded name -> its name; and the marked names that are provinces as printed."""
    m = admin_map()
    by_key: dict[str, str] = {}
    marked: set[str] = set()
    for which, level in m.provinces.items():
        for k, units in level.by_key.items():
            if len(k) > 3:  # not the abbreviations ("hn", "hcm"): too short to respell towards
                by_key.setdefault(k, units[0].short)
        marked |= m.names[(which, "province")]
    by_key.update({key(old): old for old in RENAMED_PROVINCES})  # spelt as printed, not as renamed
    return by_key, marked


@cache
def _short_names() -> dict[str, str]:
    """The provinces of three letters or fewer ("Huế", "HN"), met only as they are: too short to respell towards."""
    m = admin_map()
    return {k: units[0].short for level in m.provinces.values() for k, units in level.by_key.items() if len(k) <= 3}


def province_of(part: str) -> str | None:
    """The province a name stands for: the one with the same letters without marks, else the one clearly
    nearest (OCR letter slips). None when no province is clearly meant. A type word before the name ("tỉnh",
    "thành phố", "TP.") is no part of it, and a type word alone ("thành phố", the line cut after it) is none."""
    by_key, _ = _provinces()
    folded = fold(part)
    if _UNIT_WORD.match(folded):
        return None
    m = _PREFIX.match(folded)
    if m and m.end() < len(part):
        part = part[m.end() :]
    k = key(part)
    if k in by_key:
        return by_key[k]
    if k in _short_names():
        return _short_names()[k]
    if len(k) < 3:
        return None
    scored = sorted(((fuzz.ratio(k, p), name) for p, name in by_key.items()), reverse=True)
    best, second = scored[0], scored[1]
    if best[0] >= 85 and best[0] - second[0] >= 8:
        return best[1]
    return None


def fix_province(address: str) -> tuple[str, bool]:
    """The address with its last part, when it is a misspelt province, spelt as the province is; and
    whether it changed. A prefix ("TP. ", "tỉnh ") stays as printed; a province's own name is never changed."""
    head, sep, last = address.rpartition(",")
    part = last.strip()
    m = _PREFIX.match(fold(part))
    prefix = part[: m.end()] if m and m.end() < len(part) else ""
    name = part[len(prefix) :]
    if len(fold(name).strip()) < 3 or _UNIT_WORD.match(fold(part)):
        return address, False
    _, valid = _provinces()
    if marked_key(name) in valid or marked_key(part) in valid:
        return address, False
    province = province_of(name)
    if province is None:
        return address, False
    lead = last[: len(last) - len(last.lstrip())]
    return f"{head}{sep}{lead}{prefix}{province}", True


def complete_province(address: str) -> tuple[str, bool]:
    """The address with its last part, when it is the start of a province's name and the rest was lost (the
    line cut under a photo or a seal: "…, Kim Long, Thừa"), completed to that province; and whether it
    changed. Several provinces start so ("Hà"): the one holding the part before it (the ward or district)
    is meant, when exactly one does. A part that is a province, or that names none, is left as it is."""
    head, sep, last = address.rpartition(",")
    part = last.strip()
    if not sep or not part:
        return address, False
    m = _PREFIX.match(fold(part))
    prefix = part[: m.end()] if m and m.end() < len(part) else ""
    name = part[len(prefix) :]
    words = fold(name).split()
    if not words or len(words) > 2 or province_of(name) is not None or _UNIT_WORD.match(fold(part)):
        return address, False
    starting = {n for n, w in _province_words().items() if len(w) > len(words) and w[: len(words)] == words}
    if len(starting) > 1:
        starting &= _provinces_holding(head.rpartition(",")[2])
    if len(starting) != 1:
        return address, False
    lead = last[: len(last) - len(last.lstrip())]
    return f"{head}{sep}{lead}{prefix}{starting.pop()}", True


@cache
def _province_words() -> dict[str, list[str]]:
    """Every province's name as the dataset spells it, on both maps, and the former names still printed; each
    with its words folded (made once: asked for every address the record takes)."""
    names = {u.short for level in admin_map().provinces.values() for u in level.units} | set(RENAMED_PROVINCES)
    return {n: fold(n).split() for n in names}


def _provinces_holding(unit: str) -> set[str]:
    """The provinces (by name) with a district or ward of this name, on either map."""
    m = admin_map()
    k = key(re.sub(r"^(?:phuong|xa|thi tran|quan|huyen|thi xa|thanh pho)\s+", "", fold(unit).strip()))
    if len(k) < 3:
        return set()
    names: set[str] = set()
    for which, levels in ((LEGACY, m.districts), (LEGACY, m.legacy_province_wards), (MAP_2025, m.wards_2025)):
        codes = {u.code: u.short for u in m.provinces[which].units}
        names |= {codes[pc] for pc, level in levels.items() if k in level.by_key and pc in codes}
    return names
