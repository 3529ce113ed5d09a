"""Find dossiers by any word of their text, with or without diacritics.

Each dossier has one folded text (lower case, diacritics removed: `pipeline.extract.text.fold`) of its code,
the citizen's name and procedure, its pages' corrected OCR text and its field values, kept in the
`dossier_search` table and rebuilt for the dossiers changed since it was made, just before a search. A query
matches a dossier when each of its folded words is in that text (`LIKE`, the same SQL on SQLite and
PostgreSQL). The dossiers found are ranked by how closely they hold the query as typed: the whole phrase with
its diacritics first, then the phrase without them, then the most words with their diacritics, newest first
among equals; each comes with a snippet of the text around what matched.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.admin_map import MAP_2025, admin_map
from pipeline.extract.text import fold, nfc
from schemas.record import AddressUnits, Dossier
from workers.stores.records import DossierRow, Records

_MAX_TERMS = 8
_CANDIDATES = 200  # dossiers ranked for one query (the filter's newest matches)
_SNIPPET = 60  # characters of context each side of the match


@dataclass(frozen=True)
class Hit:
    row: DossierRow
    score: int
    snippet: tuple[tuple[str, bool], ...]  # the text around the match as (part, matched) pieces, for <mark>


def plain_text(record: Dossier, meta: dict[str, object]) -> str:
    """What a dossier is found by, as printed (NFC), white space folded: its code, the
    citizen's name and procedure, its pages' corrected text and its field values."""
    parts: list[str] = [record.code]
    parts += [str(v) for v in meta.values() if isinstance(v, str | int)]
    parts += [p.text for p in record.pages]
    for doc in record.documents:
        parts += [f.value for f in doc.fields.values()]
        parts += [name for f in doc.fields.values() if f.units is not None for name in unit_names(f.units)]
    return " ".join(nfc(" \n".join(parts)).split())


def search_text(record: Dossier, meta: dict[str, object]) -> str:
    return fold(plain_text(record, meta))


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
    text = plain_text(records.dossier(code), rows[0].meta)
    records.set_search_text(code, fold(text), as_of=as_of, text=text)


def refresh(records: Records, *, limit: int = 500) -> int:
    """Rebuild the search text of dossiers changed since it was made; how many were rebuilt."""
    codes = records.search_stale(limit)
    for code in codes:
        reindex(records, code)
    return len(codes)


def terms(query: str) -> list[str]:
    return [t for t in fold(query).split() if t][:_MAX_TERMS]


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def score(text: str, query: str, folded: str | None = None) -> int:
    """How closely `text` (NFC) holds `query` as typed, case aside: 8 for the whole phrase with its diacritics,
    4 for the phrase without them, plus one for each word found whole with its diacritics. `folded`: `fold(text)`,
    when the caller has it (the search table keeps it)."""
    text = text.lower()
    phrase = " ".join(nfc(query).lower().split())
    if not phrase:
        return 0
    folded = fold(text) if folded is None else folded
    points = 8 if phrase in text else 4 if fold(phrase) in folded else 0
    return points + sum(1 for w in phrase.split() if _contains_word(text, w))


def snippet(text: str, query: str, folded: str | None = None) -> tuple[tuple[str, bool], ...]:
    """The text around the first place the query matched (the phrase, else its first word found; with or
    without diacritics: `fold` keeps one character for one), the matched words marked."""
    phrase = " ".join(nfc(query).lower().split())
    folded, fphrase = (fold(text) if folded is None or len(folded) != len(text) else folded), fold(phrase)
    at, length = text.lower().find(phrase), len(phrase)
    if at < 0:
        at = folded.find(fphrase)
    if at < 0:
        found = [(folded.find(w), len(w)) for w in fphrase.split() if w in folded]
        at, length = min(found) if found else (0, 0)
    start, end = max(0, at - _SNIPPET), min(len(text), at + length + _SNIPPET)
    window, fwindow = text[start:end], folded[start:end]
    marks = [False] * len(window)
    for w in set(fphrase.split()):
        for m in re.finditer(re.escape(w), fwindow):
            marks[m.start() : m.end()] = [True] * (m.end() - m.start())
    pieces: list[tuple[str, bool]] = []
    for ch, marked in zip(window, marks, strict=True):
        if pieces and pieces[-1][1] == marked:
            pieces[-1] = (pieces[-1][0] + ch, marked)
        else:
            pieces.append((ch, marked))
    if start > 0:
        pieces.insert(0, ("…", False))
    if end < len(text):
        pieces.append(("…", False))
    return tuple(pieces)


def find(records: Records, query: str, *, limit: int = 50, centres: Sequence[str] | None = None) -> list[Hit]:
    """The dossiers holding every word of `query` (diacritics optional), best match first, with snippets; with
    `centres`, only those the centres received."""
    words = terms(query)
    if not words:
        return []
    refresh(records)
    found = records.search(words, limit=max(limit, _CANDIDATES), centres=centres)
    scored = [(score(text, query, folded if len(folded) == len(text) else None), row, text, folded)
              for row, text, folded in found]  # fmt: skip
    scored.sort(key=lambda s: (-s[0], -s[1].created_at))  # stable: newest first among equals
    return [Hit(row, points, snippet(text, query, folded)) for points, row, text, folded in scored[:limit]]


def search(records: Records, query: str, *, limit: int = 50, centres: Sequence[str] | None = None) -> list[DossierRow]:
    return [h.row for h in find(records, query, limit=limit, centres=centres)]
