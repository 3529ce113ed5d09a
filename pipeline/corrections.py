"""Reviewers' corrections laid over the machine's record whenever it is read (pure: rows in, record out).

Corrections are stored apart from what the machine computed (table `corrections`: who, when, the old and the
new value) and are never written into the page results or the machine's documents. Reprocessing (the dossier
stage run again, a retrained classifier) recomputes the machine's part, and the reviewer's part still wins,
because `Records.dossier()` applies them on every read, in this order:

1. OCR text. `word` (key ``"page:index"``, the word's index in the page's machine words) and `line` (key
   ``"page:line"``) retype words; the page's text is rebuilt from its words. The dossier stage reads the
   record through this, so documents and fields are computed from the corrected text, and so are the search
   text and the searchable PDF.
2. Documents, oldest correction first: `document_type`, `split` (key: the page a new document starts at),
   `merge` (key: the first page of the document joined to the one before it). A document is found by a page
   it holds, never by its index: indexes move when documents are split, merged or computed again.
3. Field values (`field`, key: the field), onto the document that holds the first page the corrected
   document had. A value equal to the machine's is an acceptance; an empty value removes the field.

`status` corrections (marked reviewed) are kept for the audit only: the status lives in the dossier's row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pipeline.classify import TextClassifier, load_cached
from pipeline.documents import needs_review
from pipeline.extract import values as V
from pipeline.extract.resolve import extract_fields
from pipeline.extract.text import nfc, squash_spaces
from schemas.corrections import (  # STATUS, INCOMPLETE_REASON and TARGETS for callers
    DOCUMENT_TYPE,
    FIELD,
    INCOMPLETE_REASON,  # noqa: F401
    LINE,
    MERGE,
    SPLIT,
    STATUS,  # noqa: F401
    TARGETS,  # noqa: F401
    WORD,
    Correction,
)
from schemas.doctypes import DocTypeCatalog, DocTypeSpec, load_catalog
from schemas.record import AddressUnits, Document, Dossier, Field, Page, Word

_HUMAN_CONF = 100.0  # a word a reviewer typed is as sure as a word gets


def page_key(page: int, index: int) -> str:
    return f"{page}:{index}"


def parse_page_key(key: str | None) -> tuple[int, int] | None:
    if not key or ":" not in key:
        return None
    a, _, b = key.partition(":")
    try:
        return int(a), int(b)
    except ValueError:
        return None


def apply_corrections(
    dossier: Dossier,
    rows: Sequence[Correction],
    catalog: DocTypeCatalog | None = None,
    classifier: TextClassifier | None = None,  # for documents split off by a reviewer; default: the shipped one
) -> Dossier:
    """The record with the corrections applied (see the module's docstring for the order)."""
    catalog = catalog or load_catalog()
    text_rows = [r for r in rows if r.target in (WORD, LINE)]
    pages = apply_text(dossier.pages, text_rows) if text_rows else list(dossier.pages)
    doc_rows = [r for r in rows if r.target in (DOCUMENT_TYPE, SPLIT, MERGE, FIELD)]
    documents = list(dossier.documents)
    if doc_rows:
        documents = apply_documents(dossier.documents, pages, doc_rows, catalog, classifier)
    return dossier.model_copy(update={"pages": pages, "documents": documents})


# --- 1. OCR text ----------------------------------------------------------------------------------------------


def apply_text(pages: Sequence[Page], rows: Sequence[Correction]) -> list[Page]:
    by_page: dict[int, list[Correction]] = {}
    for r in rows:
        key = parse_page_key(r.key)
        if key is not None:
            by_page.setdefault(key[0], []).append(r)
    return [_retype(p, by_page[p.number]) if p.number in by_page else p for p in pages]


def retyped_words(page: Page, rows: Sequence[Correction]) -> list[tuple[str, bool]]:
    """(text, typed by a reviewer) for each of the page's machine words, by index; '' for a word removed."""
    texts: list[str] = [w.text for w in page.words]
    human = [False] * len(texts)
    for r in rows:
        key = parse_page_key(r.key)
        if key is None or key[0] != page.number:
            continue
        new = nfc(r.new or "").strip()
        if r.target == WORD:
            if 0 <= key[1] < len(texts):
                texts[key[1]] = squash_spaces(new)
                human[key[1]] = True
        elif r.target == LINE:
            idx = [i for i, w in enumerate(page.words) if w.line == key[1]]
            for i, text in zip(idx, spread(new, len(idx)), strict=True):
                texts[i] = text
                human[i] = True
    return list(zip(texts, human, strict=True))


def _retype(page: Page, rows: Sequence[Correction]) -> Page:
    words = [
        w.model_copy(update={"text": text, "conf": _HUMAN_CONF}) if human else w
        for w, (text, human) in zip(page.words, retyped_words(page, rows), strict=True)
        if text  # a word retyped as nothing is gone
    ]
    return page.model_copy(update={"words": words, "text": text_of(words)})


def spread(line_text: str, n: int) -> list[str]:
    """A retyped line's words onto the `n` words it replaces: one each, the rest on the last, or '' (gone)."""
    tokens = line_text.split()
    if n <= 0:
        return []
    if len(tokens) <= n:
        return tokens + [""] * (n - len(tokens))
    return [*tokens[: n - 1], " ".join(tokens[n - 1 :])]


def text_of(words: Sequence[Word]) -> str:
    """A page's text from its words: a line per line, a blank line between blocks (as Tesseract writes it)."""
    out: list[str] = []
    last_block: int | None = None
    last_line: int | None = None
    line: list[str] = []
    for w in words:
        if line and (w.line != last_line or w.block != last_block):
            out.append(" ".join(line))
            line = []
            if w.block != last_block:
                out.append("")
        line.append(w.text)
        last_line, last_block = w.line, w.block
    if line:
        out.append(" ".join(line))
    return "\n".join(out).strip()


# --- 2 and 3. documents and their fields ------------------------------------------------------------------------


def _holding(docs: Sequence[Document], page: int | None) -> int | None:
    if page is None:
        return None
    for i, d in enumerate(docs):
        if page in d.pages:
            return i
    return None


def anchor(docs: Sequence[Document], r: Correction) -> int | None:
    """The document a correction is about: the one holding the first page the document had then."""
    if r.pages:
        return _holding(docs, r.pages[0])
    if r.document is not None and 0 <= r.document < len(docs):
        return r.document
    return None


def _spec(catalog: DocTypeCatalog, key: str) -> DocTypeSpec | None:
    try:
        return catalog.get(key)
    except KeyError:
        return None


def _fields(spec: DocTypeSpec, pages: Sequence[Page]) -> dict[str, Field]:
    from pipeline.extract.address import document_units  # imported by the dossier stage, not at start-up

    return document_units(spec, extract_fields(spec, pages)) if spec.fields else {}


def _address_units(spec: DocTypeSpec, key: str, value: str) -> AddressUnits | None:
    """A reviewer's address read as units too (today's ward beside it, search by ward names)."""
    if not any(f.key == key and f.kind == "address" for f in spec.fields):
        return None
    from pipeline.extract.address import read_address

    units = read_address(value).units
    return AddressUnits.model_validate(units) if units is not None else None


def apply_documents(
    documents: Sequence[Document],
    pages: Sequence[Page],
    rows: Sequence[Correction],
    catalog: DocTypeCatalog,
    classifier: TextClassifier | None = None,
) -> list[Document]:
    docs = list(documents)
    touched = [False] * len(docs)
    page_by_number = {p.number: p for p in pages}

    def doc_pages(numbers: Sequence[int]) -> list[Page]:
        return [page_by_number[n] for n in numbers if n in page_by_number]

    for r in rows:
        if r.target == DOCUMENT_TYPE:
            i = anchor(docs, r)
            spec = _spec(catalog, r.new or "")
            if i is None or spec is None:
                continue
            fields = docs[i].fields if docs[i].type == spec.key else _fields(spec, doc_pages(docs[i].pages))
            docs[i] = docs[i].model_copy(update={"type": spec.key, "type_confidence": 1.0, "fields": fields})
            touched[i] = True
        elif r.target == SPLIT:
            at = _int(r.key)
            i = _holding(docs, at)
            if at is None or i is None or docs[i].pages[0] == at:
                continue
            left = [n for n in docs[i].pages if n < at]
            right = [n for n in docs[i].pages if n >= at]
            left_spec = _spec(catalog, docs[i].type)
            if left_spec is None:
                continue
            right_spec, right_conf = _guess_type(doc_pages(right), catalog, classifier or load_cached())
            first = docs[i].model_copy(update={"pages": left, "fields": _fields(left_spec, doc_pages(left))})
            second = Document(
                type=right_spec.key,
                type_confidence=round(right_conf, 3),
                pages=right,
                fields=_fields(right_spec, doc_pages(right)),
            )
            docs[i : i + 1] = [first, second]
            touched[i : i + 1] = [True, True]
        elif r.target == MERGE:
            at = _int(r.key)
            i = next((k for k, d in enumerate(docs) if d.pages and d.pages[0] == at), None)
            if i is None or i == 0:
                continue
            spec = _spec(catalog, docs[i - 1].type)
            if spec is None:
                continue
            numbers = sorted({*docs[i - 1].pages, *docs[i].pages})
            docs[i - 1 : i + 1] = [
                docs[i - 1].model_copy(update={"pages": numbers, "fields": _fields(spec, doc_pages(numbers))})
            ]
            touched[i - 1 : i + 1] = [True]

    for r in rows:
        if r.target != FIELD or not r.key:
            continue
        i = anchor(docs, r)
        if i is None:
            continue
        spec = _spec(catalog, docs[i].type)
        if spec is None or r.key not in {f.key for f in spec.fields}:
            continue  # a field of the type the document had before a reviewer changed it
        fields = dict(docs[i].fields)
        if not r.new:
            fields.pop(r.key, None)
        else:
            prev = fields.get(r.key)
            fields[r.key] = Field(
                value=r.new,
                confidence=1.0,
                page=prev.page if prev else None,
                box=list(prev.box) if prev and prev.box else None,
                units=_address_units(spec, r.key, r.new),
            )
        docs[i] = docs[i].model_copy(update={"fields": fields})
        touched[i] = True

    out = []
    for doc, changed in zip(docs, touched, strict=True):
        spec = _spec(catalog, doc.type)
        if changed and spec is not None:
            doc = doc.model_copy(update={"needs_review": needs_review(spec, doc.type_confidence, doc.fields)})
        out.append(doc)
    return out


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _guess_type(pages: Sequence[Page], catalog: DocTypeCatalog, model: TextClassifier) -> tuple[DocTypeSpec, float]:
    """The type the classifier gives a run of pages split off by a reviewer (mean over its pages)."""
    texts = [p.text for p in pages if p.text.strip()]
    if not texts:
        return catalog.get("other"), 0.0
    probs = [model.predict_proba(t) for t in texts]
    mean = {k: float(np.mean([p.get(k, 0.0) for p in probs])) for k in model.labels}
    best = max(mean, key=lambda k: mean[k])
    spec = _spec(catalog, best) or catalog.get("other")
    return spec, mean[best]


# --- values as reviewers type them -------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def normalise_value(kind: str, text: str) -> str:
    """A value typed by a reviewer in the record's normal form for its kind (dates dd/mm/yyyy → YYYY-MM-DD).

    Raises ValueError when the text is not a value of that kind; an empty text stays empty (no value)."""
    text = squash_spaces(nfc(text))
    if not text:
        return ""
    if kind == "date":
        m = _ISO_DATE.match(text)
        parsed = V.parse_date(f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else text)
        if parsed is None:
            raise ValueError("not a date (dd/mm/yyyy)")
        return parsed.value
    if kind in ("id_number", "digits", "phone"):
        digits = re.sub(r"[\s.\-]", "", text)
        if not digits.isdigit():
            raise ValueError("not a number")
        return digits
    if kind == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError("not a year")
        return text
    if kind == "area":
        area = V.parse_area(text)
        if area is None:
            raise ValueError("not an area")
        return area.value
    if kind == "reg_number":
        reg = V.parse_reg_number(text)
        if reg is None or reg.span != (0, len(text)):
            raise ValueError("not a registration number (123, 229/2006)")
        return reg.value
    if kind in ("name", "serial"):
        return text.upper()  # a serial as printed, its space kept: "CS 823149"
    return text
