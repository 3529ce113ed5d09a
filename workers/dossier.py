"""The per-dossier stage, run once its last page is done: documents, then the dossier's status."""

from __future__ import annotations

from schemas.record import Dossier, DossierStatus
from workers.records import Records


def dossier_status(dossier: Dossier) -> DossierStatus:
    if not dossier.pages:
        return DossierStatus.failed
    if any(d.needs_review for d in dossier.documents):
        return DossierStatus.needs_review
    return DossierStatus.processed


def finish_dossier(records: Records, code: str) -> Dossier:
    """Set the dossier's status from its pages and documents, and return its record."""
    dossier = records.dossier(code)
    if dossier.status == DossierStatus.reviewed:
        return dossier  # a reviewer's verdict stands
    status = dossier_status(dossier)
    records.set_status(code, status)
    return dossier.model_copy(update={"status": status})
