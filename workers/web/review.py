"""A reviewer's corrections, checked against the record as it is now, then stored apart from it.

What is stored (target, document, key, old, new, the document's pages, who, when) is laid over the machine's
record on every read (`pipeline/corrections.py`), so reprocessing never overwrites it. A corrected OCR word
also runs the dossier stage again (documents and fields from the corrected text) and rewrites the
searchable PDF.
"""

from __future__ import annotations

import logging

from pipeline import corrections as C
from schemas.doctypes import load_catalog
from schemas.errors import BadCorrection, DossierBusy, DossierIncomplete, StaleEdit
from schemas.record import Dossier, DossierStatus
from workers.stores.records import CorrectionRow, Records
from workers.usecases.dossier import finish_dossier
from workers.web.jobs import Runner
from workers.web.models import FieldFix, Fix, LineFix, MergeFix, SplitFix, TypeFix, WordFix

log = logging.getLogger("hoso.web")

CLAIM_S = 15 * 60.0  # a dossier opened from the queue is its reviewer's this long, renewed by each open and write
_FINISHED = (DossierStatus.processed, DossierStatus.needs_review, DossierStatus.reviewed)


def _ready(record: Dossier) -> None:
    if record.status not in _FINISHED:
        raise DossierBusy(f"dossier {record.code} is {record.status.value}: corrections wait until it is processed")


def _document(record: Dossier, index: int) -> int:
    if not 0 <= index < len(record.documents):
        raise BadCorrection(f"dossier {record.code} has no document {index} (it has {len(record.documents)})")
    return index


def correct(records: Records, runner: Runner, code: str, fix: Fix, *, who: str) -> CorrectionRow:
    """Check the correction against the record, store it (refused with StaleEdit when `fix.version` is given and
    the dossier has changed since: the field's current value and who set it are in the error)."""
    record = records.dossier(code)
    _ready(record)
    try:
        row = _correct(records, runner, code, record, fix, who=who)
    except StaleEdit as exc:
        if isinstance(fix, FieldFix) and 0 <= fix.document < len(record.documents):
            field = record.documents[fix.document].fields.get(fix.key)
            last = next(
                (r for r in reversed(records.corrections_of(code)) if r.target == C.FIELD and r.key == fix.key), None
            )
            exc.current = {"value": field.value if field else None, "who": last.who if last else None}
        raise
    if record.status == DossierStatus.reviewed:
        # changed after its review: back in the queue until someone marks it reviewed again (the change and the
        # status change both in the audit trail)
        records.reopen_after_review(code, who, claim_seconds=CLAIM_S)
    elif record.status == DossierStatus.needs_review:
        records.claim(code, who, seconds=CLAIM_S)  # still at work on it: the claim renewed (unless another has it)
    return row


def _correct(records: Records, runner: Runner, code: str, record: Dossier, fix: Fix, *, who: str) -> CorrectionRow:
    catalog = load_catalog()
    cid: int
    if isinstance(fix, FieldFix):
        doc = record.documents[_document(record, fix.document)]
        spec = catalog.get(doc.type)
        fspec = next((f for f in spec.fields if f.key == fix.key), None)
        if fspec is None:
            raise BadCorrection(f"a {doc.type} has no field {fix.key!r}")
        try:
            value = C.normalise_value(fspec.kind, fix.value)
        except ValueError as exc:
            raise BadCorrection(f"{fix.key}: {fix.value!r} is {exc}") from exc
        old = doc.fields[fix.key].value if fix.key in doc.fields else None
        cid = records.record_correction(
            code,
            target=C.FIELD,
            who=who,
            old=old,
            new=value,
            document=fix.document,
            key=fix.key,
            pages=doc.pages,
            version=fix.version,
        )
    elif isinstance(fix, TypeFix):
        doc = record.documents[_document(record, fix.document)]
        if fix.type not in catalog.keys:
            raise BadCorrection(f"no document type {fix.type!r} (one of {', '.join(catalog.keys)})")
        cid = records.record_correction(
            code,
            target=C.DOCUMENT_TYPE,
            who=who,
            old=doc.type,
            new=fix.type,
            document=fix.document,
            pages=doc.pages,
            version=fix.version,
        )
    elif isinstance(fix, WordFix | LineFix):
        raw = records.dossier(code, corrected=False)
        page = next((p for p in raw.pages if p.number == fix.page), None)
        if page is None:
            raise BadCorrection(f"dossier {code} has no processed page {fix.page}")
        rows = [r for r in records.corrections_of(code) if r.target in (C.WORD, C.LINE)]
        texts = C.retyped_words(page, rows)
        if isinstance(fix, WordFix):
            if not 0 <= fix.word < len(page.words):
                raise BadCorrection(f"page {fix.page} has no word {fix.word} (it has {len(page.words)})")
            cid = records.record_correction(
                code, target=C.WORD, who=who, version=fix.version, old=texts[fix.word][0], new=fix.text.strip(),
                key=C.page_key(fix.page, fix.word),
            )  # fmt: skip
        else:
            idx = [i for i, w in enumerate(page.words) if w.line == fix.line]
            if not idx:
                raise BadCorrection(f"page {fix.page} has no line {fix.line}")
            old_line = " ".join(texts[i][0] for i in idx if texts[i][0])
            cid = records.record_correction(
                code,
                target=C.LINE,
                who=who,
                old=old_line,
                new=fix.text.strip(),
                key=C.page_key(fix.page, fix.line),
                version=fix.version,
            )
        _after_text_change(records, runner, code, record.status)
    elif isinstance(fix, SplitFix):
        i = next((k for k, d in enumerate(record.documents) if fix.page in d.pages), None)
        if i is None or record.documents[i].pages[0] == fix.page:
            raise BadCorrection(f"page {fix.page} is not inside a document (after its first page)")
        cid = records.record_correction(
            code, target=C.SPLIT, who=who, version=fix.version, old=None, new=None, document=i, key=str(fix.page),
            pages=record.documents[i].pages,
        )  # fmt: skip
    elif isinstance(fix, MergeFix):
        i = _document(record, fix.document)
        first = record.documents[i].pages[0]
        cid = records.record_correction(
            code, target=C.MERGE, who=who, version=fix.version, old=None, new=None, document=i, key=str(first),
            pages=[*record.documents[i - 1].pages, *record.documents[i].pages],
        )  # fmt: skip
    else:  # pragma: no cover - the union is closed
        raise BadCorrection("unknown correction")
    row = next(r for r in records.corrections_of(code) if r.id == cid)
    log.info("correction", extra={"dossier": code, "stage": "review", "target": row.target, "who": who})
    return row


def _after_text_change(records: Records, runner: Runner, code: str, status: DossierStatus) -> None:
    if status in (DossierStatus.processed, DossierStatus.needs_review):
        finish_dossier(records, code, settings=runner.settings)  # fields are read again from the corrected words
    runner.refresh(code)  # the searchable PDF and the OCR TSV carry the corrected words


def mark_reviewed(
    records: Records, code: str, *, who: str, version: int | None = None, reason: str | None = None
) -> DossierStatus:
    """Mark the dossier reviewed (with `version`: only if nobody changed it since, else StaleEdit). A dossier that
    lacks a paper its procedure requires is refused (DossierIncomplete) unless `reason` says why; the reason is
    kept in the correction log beside the papers missing."""
    status = records.status(code)
    if status == DossierStatus.reviewed:
        return status
    if status not in _FINISHED:
        raise DossierBusy(f"dossier {code} is {status.value}: it can be marked reviewed once processed")
    done = records.dossier(code).completeness
    reason = " ".join((reason or "").split())
    if done is not None and not done.complete:
        missing = "; ".join(done.missing)
        if not reason:
            raise DossierIncomplete(f"Hồ sơ {code} còn thiếu: {missing}. Ghi lý do (reason) để vẫn đánh dấu đã duyệt.")
        records.record_correction(
            code, target=C.STATUS, key=C.INCOMPLETE_REASON, who=who, old=missing, new=reason, version=version
        )
        version = None if version is None else version + 1  # the reason itself raised it
    records.record_correction(
        code, target=C.STATUS, who=who, old=status.value, new=DossierStatus.reviewed.value, version=version
    )
    records.set_status(code, DossierStatus.reviewed)
    records.release(code, who)
    return DossierStatus.reviewed
