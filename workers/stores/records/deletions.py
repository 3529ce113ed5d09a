"""Deleting a dossier from the records: what its objects are, its rows removed, and the audit of the deletion
kept (who, when, which code, counts; never a name), with its corrections' audit moved beside it."""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from schemas.errors import DossierNotFound
from workers.stores.records.base import RecordsBase
from workers.stores.records.delivery_queue import DELETED, record_change
from workers.stores.records.tables import (
    corrections,
    deleted_corrections,
    deletion_audit,
    dossier_search,
    dossiers,
    files,
    originals,
    pages,
    watch_intake,
)


@dataclass(frozen=True)
class DossierContents:
    """What a dossier holds, read before its objects are removed."""

    code: str
    files: int
    pages: int
    own_originals: tuple[str, ...]  # SHA-256 of originals no other dossier holds: removed with it
    shared_originals: tuple[str, ...]  # held by another dossier too: kept


@dataclass(frozen=True)
class DeletionRow:
    id: int
    at: float
    who: str
    code: str
    files: int
    pages: int
    objects: int
    originals_removed: int
    originals_kept: int
    corrections: int


class Deletions(RecordsBase):
    def dossier_contents(self, code: str) -> DossierContents:
        with self._tx() as conn:
            if conn.execute(sa.select(dossiers.c.code).where(dossiers.c.code == code)).first() is None:
                raise DossierNotFound(f"no dossier with code {code!r}")
            shas = set(
                conn.execute(
                    sa.select(files.c.sha256).where(files.c.dossier_code == code, files.c.sha256.is_not(None))
                ).scalars()
            )
            shared = set(
                conn.execute(
                    sa.select(files.c.sha256)
                    .where(files.c.sha256.in_(list(shas)), files.c.dossier_code != code)
                    .distinct()
                ).scalars()
            )
            file_count = conn.execute(sa.select(sa.func.count()).where(files.c.dossier_code == code)).scalar_one()
            page_count = conn.execute(sa.select(sa.func.count()).where(pages.c.dossier_code == code)).scalar_one()
        return DossierContents(
            code=code,
            files=int(file_count),
            pages=int(page_count),
            own_originals=tuple(sorted(shas - shared)),
            shared_originals=tuple(sorted(shared)),
        )

    def forget_dossier(self, contents: DossierContents, *, who: str, objects: int) -> int:
        """Remove the dossier's rows, the rows of the originals removed with it and the watch folder's journal
        of those files (their names), and the name a shared original was first stored under when it was this
        dossier's; keep the audit of the deletion and of its corrections. The deletion audit row's id."""
        code = contents.code
        with self._tx() as conn:
            if conn.execute(sa.select(dossiers.c.code).where(dossiers.c.code == code)).first() is None:
                raise DossierNotFound(f"no dossier with code {code!r}")
            fixes = conn.execute(sa.select(corrections).where(corrections.c.dossier_code == code)).mappings().all()
            inserted = conn.execute(
                deletion_audit.insert().values(
                    at=time.time(),
                    who=who[:100],
                    dossier_code=code,
                    files=contents.files,
                    pages=contents.pages,
                    objects=objects,
                    originals_removed=len(contents.own_originals),
                    originals_kept=len(contents.shared_originals),
                    corrections=len(fixes),
                )
            )
            deletion_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
            if fixes:
                conn.execute(
                    deleted_corrections.insert(),
                    [
                        {
                            "id": f["id"],
                            "deletion_id": deletion_id,
                            "dossier_code": code,
                            "target": f["target"],
                            "document": f["document"],
                            "key": f["key"],
                            "who": f["who"],
                            "at": f["at"],
                        }
                        for f in fixes
                    ],
                )
            own_names = set(conn.execute(sa.select(files.c.name).where(files.c.dossier_code == code)).scalars())
            # The dossier's row locked first (as every status change does), so this change is numbered after any
            # other of the dossier's; the portal hears of it in order.
            now = time.time()
            conn.execute(dossiers.update().where(dossiers.c.code == code).values(updated_at=now))
            record_change(conn, code, DELETED, at=now)
            for table in (dossier_search, corrections, pages, files):
                conn.execute(table.delete().where(table.c.dossier_code == code))
            conn.execute(dossiers.delete().where(dossiers.c.code == code))
            if contents.own_originals:
                own = list(contents.own_originals)
                conn.execute(originals.delete().where(originals.c.sha256.in_(own)))
                settled = watch_intake.c.settled.is_(True)  # a file the watcher still handles keeps its row
                conn.execute(watch_intake.delete().where(watch_intake.c.sha256.in_(own), settled))
            for sha in contents.shared_originals:  # the name it was first stored under may be this dossier's
                first = conn.execute(sa.select(originals.c.first_name).where(originals.c.sha256 == sha)).scalar()
                if first in own_names:
                    other = conn.execute(
                        sa.select(files.c.name).where(files.c.sha256 == sha).order_by(files.c.dossier_code).limit(1)
                    ).scalar()
                    conn.execute(originals.update().where(originals.c.sha256 == sha).values(first_name=other or ""))
        return int(deletion_id)

    def deletions(self, *, code: str | None = None, limit: int = 100) -> list[DeletionRow]:
        """The audit of deleted dossiers, newest first."""
        query = sa.select(deletion_audit).order_by(deletion_audit.c.id.desc()).limit(limit)
        if code is not None:
            query = query.where(deletion_audit.c.dossier_code == code)
        with self._tx() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            DeletionRow(
                id=r["id"],
                at=float(r["at"]),
                who=r["who"],
                code=r["dossier_code"],
                files=r["files"],
                pages=r["pages"],
                objects=r["objects"],
                originals_removed=r["originals_removed"],
                originals_kept=r["originals_kept"],
                corrections=r["corrections"],
            )
            for r in rows
        ]

    def deleted_corrections_count(self, deletion_id: int) -> int:
        with self._tx() as conn:
            query = sa.select(sa.func.count()).where(deleted_corrections.c.deletion_id == deletion_id)
            return int(conn.execute(query).scalar_one())
