"""The per-dossier stage, run once its last page is done: documents, then the dossier's status."""

from __future__ import annotations

from functools import lru_cache

from pipeline.classify import TextClassifier
from pipeline.documents import build_documents
from schemas.doctypes import load_catalog
from schemas.record import Dossier, DossierStatus
from workers.records import Records


def dossier_status(dossier: Dossier) -> DossierStatus:
    if not dossier.pages:
        return DossierStatus.failed
    if any(d.needs_review for d in dossier.documents):
        return DossierStatus.needs_review
    return DossierStatus.processed


@lru_cache(maxsize=1)
def _classifier() -> TextClassifier:
    return TextClassifier.load()


def finish_dossier(records: Records, code: str) -> Dossier:
    """Split the pages into documents, name and fill them, set the dossier's status; return its record.

    Safe to run twice: the documents are computed from the pages (with corrected OCR words) again and replace
    the machine's previous ones; reviewers' corrections are kept apart and win; a dossier a reviewer has
    marked reviewed keeps its documents and status.
    """
    dossier = records.dossier(code)
    if dossier.status == DossierStatus.reviewed:
        return dossier  # a reviewer's verdict stands
    documents = build_documents(dossier.pages, _classifier(), load_catalog())
    records.set_documents(code, documents)
    dossier = dossier.model_copy(update={"documents": documents})
    status = dossier_status(dossier)
    records.set_status(code, status)
    # Read back: reviewers' corrections (stored apart) are laid over the machine's documents just set.
    return records.dossier(code)
