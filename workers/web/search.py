"""Find dossiers by any word of their text, with or without diacritics.

Each dossier has one folded text (lower case, diacritics removed: `pipeline.extract.text.fold`) of its code,
the citizen's name and procedure, its pages' corrected OCR text and its field values, kept in the
`dossier_search` table and rebuilt for the dossiers changed since it was made, just before a search. A query
matches a dossier when each of its folded words is in that text (`LIKE`, the same SQL on SQLite and
PostgreSQL).
"""

from __future__ import annotations

import time

from pipeline.extract.admin_map import MAP_2025, admin_map
from pipeline.extract.text import fold
from schemas.record import AddressUnits, Dossier
from workers.stores.records import DossierRow, Records

_MAX_TERMS = 8


def search_text(record: Dossier, meta: dict[str, object]) -> str:
    parts: list[str] = [record.code]
    parts += [str(v) for v in meta.values() if isinstance(v, str | int)]
    parts += [p.text for p in record.pages]
    for doc in record.documents:
        parts += [f.value for f in doc.fields.values()]
        parts += [name for f in doc.fields.values() if f.units is not None for name in unit_names(f.units)]
    return fold(" \n".join(parts))


def unit_names(units: AddressUnits) -> list[str]:
    """An address's units by every name a clerk may search it by: as printed, today's, and for a ward of the
    2025 map the old wards merged into it (a dossier printed "phường Thuận Hóa" is found by "Vĩnh Ninh")."""
    names = [n for n in (units.ward, units.district, units.province, units.current.ward, units.current.province) if n]
    names += units.current.also
    ward_code = units.current.codes.get("ward")
    if units.printed_map == MAP_2025 and ward_code:
        names += [w.name for w in admin_map().former_wards(ward_code)]
    return names


def reindex(records: Records, code: str) -> None:
    as_of = time.time()
    rows = records.dossier_rows(codes=[code], limit=1)
    if not rows:
        return
    records.set_search_text(code, search_text(records.dossier(code), rows[0].meta), as_of=as_of)


def refresh(records: Records, *, limit: int = 500) -> int:
    """Rebuild the search text of dossiers changed since it was made; how many were rebuilt."""
    codes = records.search_stale(limit)
    for code in codes:
        reindex(records, code)
    return len(codes)


def terms(query: str) -> list[str]:
    return [t for t in fold(query).split() if t][:_MAX_TERMS]


def search(records: Records, query: str, *, limit: int = 50) -> list[DossierRow]:
    words = terms(query)
    if not words:
        return []
    refresh(records)
    return records.search(words, limit=limit)
