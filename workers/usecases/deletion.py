"""Deleting a dossier for good: every object it owns, then its rows, the audit of the deletion kept.

Removed from object storage (local folder or S3, and S3's local cache): everything under `dossiers/<code>/`
(page images, OCR TSV, the searchable PDF) and each original (`originals/<sha256>`) that no other dossier
holds. Objects go first, rows last: a deletion cut short is repeated with the same code and finishes, as the
rows that name the objects are still there. The records keep the audit of the deletion (who, when, the code,
counts; never a name) and the audit of its corrections without their values.

Deleted in the app with `HOSO_DELETE_GRACE_DAYS` set, a dossier goes first to the trash: hidden from every list
and route, restorable by an admin, and removed for good as above once its days are over (`purge_trash`, at
every `hoso serve` start and by `hoso db prune`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from schemas.errors import DossierBusy
from schemas.record import DossierStatus
from workers.stores.objects import ObjectStore, original_key
from workers.stores.records import Records

log = logging.getLogger("hoso.deletion")


@dataclass(frozen=True)
class Deletion:
    code: str
    audit_id: int
    objects: int  # objects removed: the dossier's own, and its originals no other dossier holds
    originals_removed: int
    originals_kept: int


def dossier_prefix(code: str) -> str:
    return f"dossiers/{code}/"


def delete_dossier(records: Records, store: ObjectStore, code: str, *, who: str) -> Deletion:
    """Remove the dossier, its objects and its originals that no other dossier shares (DossierNotFound when
    there is no such dossier, DossierBusy while its pages are being read)."""
    contents = records.dossier_contents(code)
    running = records.page_counts(code).get("running", 0)
    if running:  # a page process would store its image after the deletion
        raise DossierBusy(f"dossier {code} has {running} page(s) being processed: it cannot be deleted now")
    removed = store.delete_prefix(dossier_prefix(code))
    for sha in contents.own_originals:
        removed += int(store.delete(original_key(sha)))
    audit_id = records.forget_dossier(contents, who=who, objects=removed)
    log.warning(
        "dossier deleted",
        extra={
            "dossier": code,
            "stage": "deletion",
            "who": who,
            "objects": removed,
            "originals_removed": len(contents.own_originals),
            "originals_kept": len(contents.shared_originals),
        },
    )
    return Deletion(
        code=code,
        audit_id=audit_id,
        objects=removed,
        originals_removed=len(contents.own_originals),
        originals_kept=len(contents.shared_originals),
    )


def delete_in_app(records: Records, store: ObjectStore, code: str, *, who: str, grace_days: int) -> bool:
    """An admin's deletion from the app: to the trash for `grace_days` (True), or for good at once (0: False)."""
    if grace_days <= 0:
        delete_dossier(records, store, code, who=who)
        return False
    status = records.status(code)  # DossierNotFound when there is none
    if status in (DossierStatus.received, DossierStatus.processing):  # as delete_dossier: not while being read
        raise DossierBusy(f"dossier {code} is being processed: it cannot be deleted now")
    records.trash(code, who=who)
    log.warning("dossier put in the trash", extra={"dossier": code, "stage": "deletion", "who": who})
    return True


def purge_trash(records: Records, store: ObjectStore, grace_days: int, *, now: float | None = None) -> list[Deletion]:
    """Remove for good the dossiers in the trash longer than `grace_days`; those removed (a busy one waits)."""
    before = (time.time() if now is None else now) - max(0, grace_days) * 86400.0
    done: list[Deletion] = []
    for row in records.dossier_rows(trashed=True, limit=10_000):
        if row.deleted_at is not None and row.deleted_at <= before:
            try:
                done.append(delete_dossier(records, store, row.code, who=f"trash:{row.deleted_by or ''}"))
            except DossierBusy:
                continue  # its pages are being read: the next purge takes it
    return done
