"""The per-dossier stage, run once its last page is done: documents, then the dossier's status."""

from __future__ import annotations

import logging

from pipeline.classify import TextClassifier, load_cached
from pipeline.documents import build_documents
from pipeline.extract.admin_map import admin_map
from pipeline.extract.resolve import load_model
from schemas.record import Dossier, DossierStatus
from workers.settings import Settings
from workers.stores.records import Records
from workers.usecases import classifier as classifiers
from workers.usecases import labels
from workers.usecases import procedures as procs

log = logging.getLogger("hoso.dossier")


def dossier_status(dossier: Dossier) -> DossierStatus:
    if not dossier.pages:
        return DossierStatus.failed
    # a refused file or a failed page is never a clean dossier: the problem reaches a person (the review
    # queue, the counter's "Cần bổ sung" list)
    if dossier.problems or any(d.needs_review for d in dossier.documents):
        return DossierStatus.needs_review
    return DossierStatus.processed


def warm(settings: Settings) -> None:
    """Load what the dossier stage needs (the current classifier, the catalogue) ahead of its first dossier:
    a one-page `hoso process` does it while its page is read in another process."""
    classifiers.current(settings)
    labels.current_catalog(settings)
    load_model()  # the field scorer
    admin_map()  # the administrative units' two maps, 0.3 s to read, for the first address read


def finish_dossier(
    records: Records, code: str, *, settings: Settings | None = None, classifier: TextClassifier | None = None
) -> Dossier:
    """Split the pages into documents, name and fill them, set the dossier's status; return its record.

    Safe to run twice: the documents are computed from the pages (with corrected OCR words) again and replace
    the machine's previous ones; reviewers' corrections are kept apart and win; a dossier a reviewer has
    marked reviewed keeps its documents and status. The classifier is the one given, else the current one for
    `settings` (a retrained model is picked up: workers/usecases/classifier.py), else the shipped one; fields are read
    with the labels reviewers taught (`hoso train`: workers/usecases/labels.py) when there are `settings`.
    """
    dossier = records.dossier(code)
    if dossier.status == DossierStatus.reviewed:
        return dossier  # a reviewer's verdict stands
    if dossier.procedure is None and settings is not None:
        name_procedure(records, settings, dossier)
    if classifier is None:
        classifier = classifiers.current(settings) if settings is not None else load_cached()
    documents = build_documents(dossier.pages, classifier, labels.current_catalog(settings))
    records.set_documents(code, documents)
    dossier = dossier.model_copy(update={"documents": documents})
    status = dossier_status(dossier)
    records.set_status(code, status)
    # Read back: reviewers' corrections (stored apart) are laid over the machine's documents just set.
    return records.dossier(code)


def name_procedure(records: Records, settings: Settings, dossier: Dossier) -> None:
    """A dossier that came without a procedure takes the one its receipt sheet names (the key its QR carries after
    the code, else the name or code it prints), else the one its watch subfolder is named after."""
    from pipeline.separators import printed_procedure

    catalog = procs.catalog(settings)
    found = None
    for page in dossier.pages:
        if not page.separator:
            continue
        if page.separator_procedure:
            found = catalog.find(page.separator_procedure)
            if found is None:
                log.warning(
                    "the receipt sheet names an unknown procedure",
                    extra={"dossier": dossier.code, "stage": "dossier", "page": page.number},
                )
        key = printed_procedure(page.text, catalog) if found is None else None
        found = found or (catalog.find(key) if key else None)
        if found is not None:
            break
    if found is None and dossier.source is not None:
        found = procs.of_folder(settings, dossier.source.folder)
    if found is not None:
        records.set_procedure(dossier.code, found)
