"""Label variants reviewers teach: the printed text beside the values they fill in or move.

When a reviewer fills a field the machine missed, or gives it another value, the text printed beside that
value on the page (before it on its line, the cell to its left, the line above: `resolve.printed_label`) is a
label the type's data may not know ("Đương sự" for an applicant). `hoso train` gathers these from every
dossier's corrections (`sightings`), keeps a variant seen in at least `MIN_DOSSIERS` dossiers that is not
already a label of any field of the type (`learn`), and writes them to `<data dir>/models/labels.json` —
{type: {field: [{"label", "corrections", "dossiers"}]}} — and, on the cluster, to object storage under
`models/labels.json`. The dossier stage extracts with `current_catalog()`: the shipped catalogue with those
variants after each field's own labels, read again only when the file (inode, mtime, size) or the object's
ETag (looked up at most every `CHECK_EVERY_S` seconds) has changed, so running processes use them without a
restart.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.corrections import FIELD
from pipeline.extract.places import province_of
from pipeline.extract.resolve import printed_label
from pipeline.extract.text import fold, squash_spaces
from schemas.doctypes import DocTypeCatalog, load_catalog
from schemas.errors import StorageUnavailable
from schemas.record import Document
from workers.settings import Settings
from workers.stores.objects import ObjectStore, make_store, write_atomic
from workers.stores.records import Records

log = logging.getLogger(__name__)

LABELS_KEY = "models/labels.json"
MIN_DOSSIERS = 2  # a variant is learned when reviewers met it in this many dossiers
CHECK_EVERY_S = 5.0

# {type: {field: [{"label": printed text, "corrections": n, "dossiers": m}]}}
Learned = dict[str, dict[str, list[dict[str, object]]]]


@dataclass(frozen=True)
class Sighting:
    """One reviewer's field correction and the text printed beside the value they gave."""

    doc_type: str
    field: str
    label: str  # as printed
    dossier: str


def labels_path(settings: Settings) -> Path:
    return settings.data_dir / "models" / "labels.json"


# --- what reviewers taught ----------------------------------------------------------------------------------


def _holding(documents: Iterable[Document], page: int) -> Document | None:
    return next((d for d in documents if page in d.pages), None)


def sightings(records: Records, catalog: DocTypeCatalog | None = None) -> list[Sighting]:
    """The label beside each value a reviewer filled in or changed, over all dossiers: the latest correction of
    a document's field counts; an acceptance (the machine's value), an emptied field, a value not found on the
    pages or with nothing printed beside it teach nothing."""
    catalog = catalog or load_catalog()
    out: list[Sighting] = []
    for row in records.dossier_rows(limit=10**9):
        rows = [r for r in records.corrections_of(row.code) if r.target == FIELD and r.key and r.new and r.pages]
        if not rows:
            continue
        corrected = records.dossier(row.code)
        machine = records.dossier(row.code, corrected=False)
        seen: set[tuple[int, str]] = set()
        for r in reversed(rows):  # latest first
            assert r.pages is not None and r.key is not None and r.new is not None
            first = r.pages[0]
            if (first, r.key) in seen:
                continue
            seen.add((first, r.key))
            doc = _holding(corrected.documents, first)
            if doc is None or doc.type not in catalog.keys:
                continue
            spec = catalog.get(doc.type)
            fspec = next((f for f in spec.fields if f.key == r.key), None)
            if fspec is None:
                continue
            was = _holding(machine.documents, first)
            if was is not None and was.type == doc.type and r.key in was.fields and was.fields[r.key].value == r.new:
                continue  # the machine had it right: an acceptance
            pages = [p for p in corrected.pages if p.number in doc.pages]
            label = printed_label(spec, fspec, pages, r.new)
            if label:
                out.append(Sighting(doc.type, r.key, label, row.code))
    return out


def _key(label: str) -> str:
    return squash_spaces(fold(label)).strip(" :")


def _label_like(folded: str) -> bool:
    """Words a label could be: letters, no digits (a value printed before on the line: a date, a number),
    at most 10 words, and not a province's name (the place of a place-and-date line, "Hà Nội, ngày …")."""
    return (
        any(c.isalpha() for c in folded)
        and not any(c.isdigit() for c in folded)
        and len(folded.split()) <= 10
        and province_of(folded) is None
    )


def learn(
    found: Iterable[Sighting], catalog: DocTypeCatalog | None = None, *, min_dossiers: int = MIN_DOSSIERS
) -> Learned:
    """The variants to learn: seen in at least `min_dossiers` dossiers, not a label of any field of the type
    (compared without marks or case), label-like (`_label_like`), and taught for one field only (else the field
    with the most dossiers)."""
    catalog = catalog or load_catalog()
    dossiers: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    count: Counter[tuple[str, str, str]] = Counter()
    printed: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for s in found:
        k = (s.doc_type, s.field, _key(s.label))
        dossiers[k].add(s.dossier)
        count[k] += 1
        printed[k][s.label] += 1
    known = {t.key: {_key(lab) for f in t.fields for lab in f.labels} for t in catalog.types}
    best: dict[tuple[str, str], tuple[int, str | None]] = {}  # (type, variant) -> (dossiers, field or None: a tie)
    for (t, f, v), codes in dossiers.items():
        if len(codes) < min_dossiers or v in known.get(t, set()) or not _label_like(v):
            continue
        n = best.get((t, v), (0, None))[0]
        if len(codes) > n:
            best[(t, v)] = (len(codes), f)
        elif len(codes) == n:
            best[(t, v)] = (n, None)
    out: Learned = {}
    for (t, v), (n, holder) in sorted(best.items()):
        if holder is None:
            continue  # two fields taught the same words as often: neither learns them
        k = (t, holder, v)
        label = printed[k].most_common(1)[0][0]
        out.setdefault(t, {}).setdefault(holder, []).append({"label": label, "corrections": count[k], "dossiers": n})
    return out


def variants(learned: Mapping[str, Mapping[str, Iterable[Mapping[str, object]]]]) -> dict[str, dict[str, list[str]]]:
    """{type: {field: [label]}} for `DocTypeCatalog.with_learned`."""
    return {t: {f: [str(v["label"]) for v in vs] for f, vs in fields.items()} for t, fields in learned.items()}


def publish(settings: Settings, learned: Learned, *, out: Path | None = None) -> list[str]:
    """Write the learned variants where every process finds them; the places written."""
    data = json.dumps(learned, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    dest = out or labels_path(settings)
    write_atomic(dest, io.BytesIO(data))
    places = [str(dest)]
    if out is None and settings.s3 is not None:
        make_store(settings).put_bytes(LABELS_KEY, data, "application/json")
        places.append(f"s3://{settings.s3.bucket}/{LABELS_KEY}")
    return places


# --- the catalogue to extract with ----------------------------------------------------------------------------


def _parse(data: bytes) -> DocTypeCatalog:
    return load_catalog().with_learned(variants(json.loads(data.decode("utf-8"))))


@lru_cache(maxsize=4)
def _from_file(path: str, _version: tuple[int, int, int]) -> DocTypeCatalog:
    return _parse(Path(path).read_bytes())


@dataclass
class _StoredLabels:
    """The object store's variants as last seen: their ETag, when that was looked up, the catalogue built."""

    store: ObjectStore
    etag: str | None = None
    checked_at: float = float("-inf")
    catalog: DocTypeCatalog | None = field(default=None, repr=False)

    def get(self) -> DocTypeCatalog | None:
        now = time.monotonic()
        if now - self.checked_at < CHECK_EVERY_S:
            return self.catalog
        try:
            etag = self.store.version(LABELS_KEY)
            if etag is not None and etag != self.etag:
                self.catalog = _parse(self.store.get_bytes(LABELS_KEY))
                log.info("learned labels loaded from object storage (ETag %s)", etag)
            elif etag is None:
                self.catalog = None
            self.etag = etag
        except (StorageUnavailable, FileNotFoundError) as exc:
            log.warning("object storage did not answer (%s): the labels loaded before are kept", exc)
        self.checked_at = now
        return self.catalog


_stored: dict[tuple[object, ...], _StoredLabels] = {}


def current_catalog(settings: Settings | None, *, store: ObjectStore | None = None) -> DocTypeCatalog:
    """The catalogue to extract with now: the shipped one with the variants `hoso train` learned (object
    storage on the cluster, else the data directory); the shipped one alone without settings or variants."""
    if settings is None:
        return load_catalog()
    if settings.s3 is not None or store is not None:
        key = (settings.s3, id(store))
        stored = _stored.get(key)
        if stored is None:
            stored = _stored[key] = _StoredLabels(store or make_store(settings))
        catalog = stored.get()
        if catalog is not None:
            return catalog
    path = labels_path(settings)
    try:
        st = path.stat()
    except FileNotFoundError:
        return load_catalog()
    try:
        return _from_file(str(path), (st.st_ino, st.st_mtime_ns, st.st_size))
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
    ) as exc:  # a hand-edited file gone wrong: extract without it
        log.warning("%s is not a learned-labels file (%s): the shipped labels are used", path, exc)
        return load_catalog()
