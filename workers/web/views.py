"""The record as the pages show it: documents with named fields, pages with word boxes, the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline import corrections as C
from schemas.doctypes import DocTypeSpec, load_catalog
from schemas.errors import advice_of
from schemas.record import Document, Dossier, DossierStatus, Field, FileProblem, Page
from workers.stores.records import CorrectionRow, DossierRow
from workers.web.i18n import doc_type_name, field_label, fmt_time, fmt_value, has_message, t

LOW_WORD_CONF = 60.0  # Tesseract word confidence below which a word is highlighted for the reviewer


@dataclass(frozen=True)
class FieldView:
    key: str
    label: str
    kind: str
    value: str  # as stored (the record's normal form)
    shown: str  # as staff read and type it (dd/mm/yyyy)
    confidence: float | None
    page: int | None
    box: list[int] | None
    low: bool
    missing: bool
    corrected: bool
    today: str = ""  # an address on the legacy map: today's ward and province, shown beside it


@dataclass(frozen=True)
class DocView:
    index: int
    type: str
    type_name: str
    type_confidence: float
    pages: list[int]
    needs_review: bool
    fields: list[FieldView]
    type_corrected: bool

    @property
    def pages_label(self) -> str:
        if not self.pages:
            return ""
        if self.pages == list(range(self.pages[0], self.pages[-1] + 1)) and len(self.pages) > 1:
            return f"{self.pages[0]}–{self.pages[-1]}"
        return ", ".join(str(n) for n in self.pages)


@dataclass(frozen=True)
class WordView:
    index: int  # in the page's machine words: what a word correction names
    text: str
    box: list[int]
    conf: float
    line: int
    low: bool
    human: bool


@dataclass(frozen=True)
class PageView:
    number: int
    width: int
    height: int
    words: list[WordView]
    document: int | None
    blank: bool
    has_image: bool

    @property
    def low_count(self) -> int:
        return sum(1 for w in self.words if w.low)


@dataclass(frozen=True)
class PageTab:
    """A page in the review page's strip: enough to label it, without its words."""

    number: int
    document: int | None
    blank: bool
    low_count: int


@dataclass(frozen=True)
class AuditView:
    id: int
    who: str
    when: str
    what: str
    old: str
    new: str


@dataclass(frozen=True)
class ProblemView:
    """A refused file or a failed page, as a clerk reads it: the reason and what to do, in the page's language."""

    file: str
    reason: str
    advice: str
    page: int | None = None  # a failed page; None: the whole file was refused (it can be replaced)


def problem_views(lang: str, problems: Sequence[FileProblem]) -> list[ProblemView]:
    out = []
    for p in problems:
        reason_key = f"problem_{p.error}" if has_message(lang, f"problem_{p.error}") else "problem_default"
        if lang == "en":
            advice = advice_of(p.error) if p.error != "PageFailed" else t(lang, "advice_PageFailed")
        else:
            advice_key = f"advice_{p.error}" if has_message(lang, f"advice_{p.error}") else "advice_default"
            advice = t(lang, advice_key)
        out.append(ProblemView(file=p.file, reason=t(lang, reason_key, page=p.page or ""), advice=advice, page=p.page))
    return out


@dataclass
class DossierView:
    code: str
    status: str
    meta: dict[str, object]
    created: str
    documents: list[DocView]
    pages: list[PageTab] = field(default_factory=list)
    problems: list[ProblemView] = field(default_factory=list)


def _spec(key: str) -> DocTypeSpec | None:
    try:
        return load_catalog().get(key)
    except KeyError:
        return None


def doc_views(lang: str, record: Dossier, rows: Sequence[CorrectionRow]) -> list[DocView]:
    fixed_fields: set[tuple[int, str]] = set()
    fixed_types: set[int] = set()
    for r in rows:
        i = C.anchor(record.documents, r) if r.target in (C.FIELD, C.DOCUMENT_TYPE) else None
        if i is None:
            continue
        if r.target == C.FIELD and r.key:
            fixed_fields.add((i, r.key))
        elif r.target == C.DOCUMENT_TYPE:
            fixed_types.add(i)
    return [_doc_view(lang, i, d, fixed_fields, i in fixed_types) for i, d in enumerate(record.documents)]


def today_unit(got: Field | None) -> str:
    """Today's ward and province of an address printed on the legacy map ("Phường Thuận Hóa, Thành phố
    Huế"); empty for other fields and for addresses already on today's map."""
    if got is None or got.units is None or got.units.printed_map != "legacy":
        return ""
    return ", ".join(n for n in (got.units.current.ward, got.units.current.province) if n)


def _doc_view(lang: str, index: int, doc: Document, fixed: set[tuple[int, str]], type_fixed: bool) -> DocView:
    spec = _spec(doc.type)
    fields: list[FieldView] = []
    specs = spec.fields if spec else []
    known = {f.key for f in specs}
    for f in specs:
        got = doc.fields.get(f.key)
        fields.append(
            FieldView(
                key=f.key,
                label=field_label(lang, f.key, doc.type),
                kind=f.kind,
                value=got.value if got else "",
                shown=fmt_value(f.kind, got.value) if got else "",
                confidence=got.confidence if got else None,
                page=got.page if got else None,
                box=list(got.box) if got and got.box else None,
                low=bool(got and got.confidence < f.review_below),
                missing=got is None,
                corrected=(index, f.key) in fixed,
                today=today_unit(got),
            )
        )
    for key, got in doc.fields.items():  # a field the type does not name (should not happen): still shown
        if key not in known:
            fields.append(
                FieldView(
                    key=key,
                    label=field_label(lang, key, doc.type),
                    kind="text",
                    value=got.value,
                    shown=got.value,
                    confidence=got.confidence,
                    page=got.page,
                    box=list(got.box) if got.box else None,
                    low=False,
                    missing=False,
                    corrected=(index, key) in fixed,
                )
            )
    return DocView(
        index=index,
        type=doc.type,
        type_name=doc_type_name(lang, doc.type),
        type_confidence=doc.type_confidence,
        pages=list(doc.pages),
        needs_review=doc.needs_review,
        fields=fields,
        type_corrected=type_fixed,
    )


def page_tabs(raw: Dossier, record: Dossier, rows: Sequence[CorrectionRow]) -> list[PageTab]:
    """The strip of pages: each page's document and how many low-confidence words it still has."""
    text_rows = [r for r in rows if r.target in (C.WORD, C.LINE)]
    retyped = {key[0] for r in text_rows if (key := C.parse_page_key(r.key)) is not None}
    doc_of = {n: i for i, d in enumerate(record.documents) for n in d.pages}
    tabs = []
    for page in raw.pages:
        if page.number in retyped:
            low = page_view(page, text_rows, None).low_count
        else:
            low = sum(1 for w in page.words if w.conf < LOW_WORD_CONF)
        tabs.append(PageTab(page.number, doc_of.get(page.number), page.blank, low))
    return tabs


def page_view(page: Page, text_rows: Sequence[CorrectionRow], document: int | None) -> PageView:
    retyped = C.retyped_words(page, text_rows) if text_rows else [(w.text, False) for w in page.words]
    words = [
        WordView(
            index=i,
            text=text,
            box=list(w.box),
            conf=100.0 if human else w.conf,
            line=w.line,
            low=not human and w.conf < LOW_WORD_CONF,
            human=human,
        )
        for i, (w, (text, human)) in enumerate(zip(page.words, retyped, strict=True))
        if text
    ]
    return PageView(
        number=page.number,
        width=page.width,
        height=page.height,
        words=words,
        document=document,
        blank=page.blank,
        has_image=page.image_key is not None,
    )


def audit_views(lang: str, rows: Sequence[CorrectionRow], record: Dossier) -> list[AuditView]:
    out = []
    for r in reversed(rows):  # newest first
        what = t(lang, f"t_{r.target}")
        old, new = r.old or "", r.new or ""
        if r.target == C.FIELD:
            i = C.anchor(record.documents, r)
            doc_type = record.documents[i].type if i is not None else None
            doc = doc_type_name(lang, doc_type) if doc_type else ""
            name = field_label(lang, r.key or "", doc_type)
            what = f"{doc} · {name}" if doc else name
            spec = _spec(record.documents[i].type) if i is not None else None
            kind = next((f.kind for f in spec.fields if f.key == r.key), "text") if spec else "text"
            old, new = fmt_value(kind, old), fmt_value(kind, new)
            if r.old == r.new:
                new = f"{new} ({t(lang, 'accepted')})"
        elif r.target == C.DOCUMENT_TYPE:
            old, new = doc_type_name(lang, old), doc_type_name(lang, new)
        elif r.target in (C.WORD, C.LINE):
            key = C.parse_page_key(r.key)
            if key is not None:
                unit = "#" if r.target == C.WORD else ("dòng " if lang == "vi" else "line ")
                what = f"{what} · {t(lang, 'page')} {key[0]}, {unit}{key[1]}"
        elif r.target in (C.SPLIT, C.MERGE):
            what = f"{what} · {t(lang, 'page')} {r.key}"
        elif r.target == C.STATUS and r.key == C.INCOMPLETE_REASON:
            what = t(lang, "audit_incomplete", missing=old or "", reason=new or "")
        elif r.target == C.STATUS:
            old = t(lang, f"st_{old}") if old else ""
            new = t(lang, f"st_{new}") if new else ""
        out.append(AuditView(id=r.id, who=r.who, when=fmt_time(r.at), what=what, old=old, new=new))
    return out


def dossier_view(lang: str, row: DossierRow, record: Dossier, rows: Sequence[CorrectionRow]) -> DossierView:
    documents = doc_views(lang, record, rows)
    if record.status == DossierStatus.reviewed:  # a reviewer has seen every field: no "needs review" flags remain
        documents = [
            replace(d, needs_review=False, fields=[replace(f, low=False) for f in d.fields]) for d in documents
        ]
    return DossierView(
        code=record.code,
        status=record.status.value,
        meta=row.meta,
        created=fmt_time(row.created_at),
        documents=documents,
        problems=problem_views(lang, record.problems),
    )


def row_confidence(row: DossierRow) -> float:
    """The weakest confidence of a dossier's documents: its type's or any field's (0-1); 0 with none."""
    values: list[float] = []
    for d in row.documents:
        values.append(float(d.get("type_confidence", 0.0)))
        values += [float(f.get("confidence", 0.0)) for f in (d.get("fields") or {}).values()]
    return min(values) if values else 0.0


def queue_rows(rows: Sequence[DossierRow]) -> list[DossierRow]:
    """The dossiers that need review, lowest confidence first (then oldest first)."""
    waiting = [r for r in rows if r.status == DossierStatus.needs_review.value]
    return sorted(waiting, key=lambda r: (row_confidence(r), r.created_at))
