"""Dossiers, their originals and files, status and documents, lists of dossiers, and the dossier record
built from them (`dossier()`, reviewers' corrections applied)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pipeline.completeness import completeness
from pipeline.documents import no_text_problems
from schemas.errors import DossierNotFound
from schemas.procedures import Procedure
from schemas.record import Document, Dossier, DossierStatus, FileProblem, Page
from workers.stores.records.base import RecordsBase
from workers.stores.records.delivery_queue import TRASHED, record_change
from workers.stores.records.rows import DossierFilter, DossierRow, FileRow, _correction_row, _dossier_row
from workers.stores.records.tables import corrections, dossiers, files, originals, pages


class DossierStore(RecordsBase):
    # --- dossiers ------------------------------------------------------------------------------------------------

    def create_dossier(self, code: str, meta: dict[str, Any] | None = None) -> bool:
        """Create the dossier; False when it already exists (a repeated request)."""
        now = time.time()
        try:
            with self._tx() as conn:
                conn.execute(
                    dossiers.insert().values(
                        code=code,
                        status=DossierStatus.received.value,
                        meta=meta or {},
                        documents=[],
                        created_at=now,
                        updated_at=now,
                        centre=(meta or {}).get("centre") or None,
                    )
                )
                record_change(conn, code, DossierStatus.received.value, at=now)  # the portal hears of it
        except IntegrityError:
            return False
        return True

    def exists(self, code: str) -> bool:
        with self._tx() as conn:
            return conn.execute(sa.select(dossiers.c.code).where(dossiers.c.code == code)).first() is not None

    def status(self, code: str) -> DossierStatus:
        with self._tx() as conn:
            value = conn.execute(sa.select(dossiers.c.status).where(dossiers.c.code == code)).scalar()
        if value is None:
            raise DossierNotFound(f"no dossier with code {code!r}")
        return DossierStatus(value)

    def set_status(self, code: str, status: DossierStatus) -> None:
        """Set the status; a change (not the same status again) is written to the outbox in the same
        transaction, for the portal (workers/stores/records/delivery_queue.py)."""
        now = time.time()
        mine = dossiers.c.code == code
        with self._tx() as conn:
            change = dossiers.update().where(mine, dossiers.c.status != status.value)
            changed = conn.execute(change.values(status=status.value, updated_at=now)).rowcount
            if changed:
                record_change(conn, code, status.value, at=now)
            else:
                conn.execute(dossiers.update().where(mine).values(updated_at=now))

    def reopen_for_files(self, code: str) -> DossierStatus | None:
        """Put a finished dossier (processed, needs review, failed) back to `received` for files added to it, in
        one conditional update, so that no processing can start between the check and the change; None when
        reopened, else the status that keeps it from taking files (received, processing, reviewed)."""
        now = time.time()
        open_to_files = [s.value for s in (DossierStatus.processed, DossierStatus.needs_review, DossierStatus.failed)]
        with self._tx() as conn:
            reopen = dossiers.update().where(dossiers.c.code == code, dossiers.c.status.in_(open_to_files))
            if conn.execute(reopen.values(status=DossierStatus.received.value, updated_at=now)).rowcount:
                record_change(conn, code, DossierStatus.received.value, at=now)
                return None
            status = conn.execute(sa.select(dossiers.c.status).where(dossiers.c.code == code)).scalar()
        return DossierStatus(status) if status else DossierStatus.received

    def set_documents(self, code: str, documents: Sequence[Document]) -> None:
        with self._tx() as conn:
            conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code)
                .values(documents=[d.model_dump(mode="json") for d in documents], updated_at=time.time())
            )

    def set_procedure(self, code: str, procedure: Procedure) -> None:
        """Name the dossier's procedure; its definition as it applies now is kept with it (meta), so that the
        dossier is judged by the list of papers it was received under."""
        with self._tx() as conn:
            meta = conn.execute(sa.select(dossiers.c.meta).where(dossiers.c.code == code)).scalar()
            conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code)
                .values(
                    procedure=procedure.key,
                    meta={**(meta or {}), "procedure_definition": procedure.model_dump(mode="json")},
                    updated_at=time.time(),
                )
            )

    def procedure_of(self, code: str) -> Procedure | None:
        """The dossier's procedure as it applied when it was named (None when the dossier names none)."""
        definition = (self.dossier_meta(code) or {}).get("procedure_definition")
        return Procedure.model_validate(definition) if definition else None

    def dossier_meta(self, code: str) -> dict[str, Any] | None:
        with self._tx() as conn:
            meta = conn.execute(sa.select(dossiers.c.meta).where(dossiers.c.code == code)).first()
        return None if meta is None else dict(meta[0] or {})

    def merge_meta(self, code: str, **values: Any) -> None:
        """Set keys of the dossier's meta, keeping the others."""
        with self._tx() as conn:
            meta = conn.execute(sa.select(dossiers.c.meta).where(dossiers.c.code == code)).scalar()
            conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code)
                .values(meta={**(meta or {}), **values}, updated_at=time.time())
            )

    # --- originals and files -------------------------------------------------------------------------------------

    def add_original(self, sha256: str, size: int, object_key: str, name: str) -> bool:
        """Record a stored original; False when the same content was stored before."""
        try:
            with self._tx() as conn:
                conn.execute(
                    originals.insert().values(
                        sha256=sha256, size=size, object_key=object_key, first_name=name, created_at=time.time()
                    )
                )
        except IntegrityError:
            return False
        return True

    def has_original(self, sha256: str) -> bool:
        with self._tx() as conn:
            return conn.execute(sa.select(originals.c.sha256).where(originals.c.sha256 == sha256)).first() is not None

    def trash(self, code: str, *, who: str, at: float | None = None) -> None:
        """Put the dossier in the trash: hidden from every list and route, kept until it is purged or restored;
        the portal is told (`trashed`, in the outbox, in the same transaction)."""
        when = time.time() if at is None else at
        with self._tx() as conn:
            moved = conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code, dossiers.c.deleted_at.is_(None))
                .values(deleted_at=when, deleted_by=who)
            )
            if moved.rowcount:
                record_change(conn, code, TRASHED, at=when)

    def restore(self, code: str) -> bool:
        """Take the dossier out of the trash; False when it was not in it. The portal is told its status again
        (in the outbox, in the same transaction): it is back as it was."""
        now = time.time()
        with self._tx() as conn:
            done = conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code, dossiers.c.deleted_at.is_not(None))
                .values(deleted_at=None, deleted_by=None, updated_at=now)
            )
            if done.rowcount:
                status = conn.execute(sa.select(dossiers.c.status).where(dossiers.c.code == code)).scalar()
                record_change(conn, code, str(status), at=now)
            return bool(done.rowcount)

    def dossier_gate(self, code: str) -> tuple[str | None, bool] | None:
        """What decides who may open the dossier: its centre, and whether it is in the trash; None: no dossier."""
        with self._tx() as conn:
            row = conn.execute(
                sa.select(dossiers.c.centre, dossiers.c.deleted_at).where(dossiers.c.code == code)
            ).first()
        return None if row is None else (row[0], row[1] is not None)

    def remove_refused_file(self, code: str, name: str) -> bool:
        """Forget a file that was refused (it has no pages), replaced by the clerk with a good one; False when the
        dossier has no refused file of that name."""
        with self._tx() as conn:
            gone = conn.execute(
                files.delete().where(
                    files.c.dossier_code == code, files.c.name == name, files.c.error_kind.is_not(None)
                )
            )
            return bool(gone.rowcount)

    def add_file(
        self,
        code: str,
        position: int,
        name: str,
        *,
        sha256: str | None,
        kind: str | None = None,
        page_count: int | None = None,
        error_kind: str | None = None,
        error_message: str | None = None,
    ) -> None:
        values = {
            "name": name,
            "sha256": sha256,
            "kind": kind,
            "pages": page_count,
            "error_kind": error_kind,
            "error_message": error_message,
        }
        with self._tx() as conn:
            found = conn.execute(
                sa.select(files.c.position).where(files.c.dossier_code == code, files.c.position == position)
            ).first()
            if found:
                conn.execute(
                    files.update().where(files.c.dossier_code == code, files.c.position == position).values(**values)
                )
            else:
                conn.execute(files.insert().values(dossier_code=code, position=position, **values))

    def files(self, code: str) -> list[FileRow]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(files).where(files.c.dossier_code == code).order_by(files.c.position)
            ).mappings()
            return [
                FileRow(
                    position=r["position"],
                    name=r["name"],
                    sha256=r["sha256"],
                    kind=r["kind"],
                    pages=r["pages"],
                    error_kind=r["error_kind"],
                    error_message=r["error_message"],
                )
                for r in rows
            ]

    def dossiers_with_file(self, sha256: str) -> list[str]:
        """Codes of the dossiers that hold a file with this content."""
        with self._tx() as conn:
            query = sa.select(files.c.dossier_code).where(files.c.sha256 == sha256).distinct()
            return list(conn.execute(query.order_by(files.c.dossier_code)).scalars())

    # --- dossiers as lists ---------------------------------------------------------------------------------------

    def dossier_rows(
        self,
        *,
        statuses: Sequence[str] | None = None,
        codes: Sequence[str] | None = None,
        received_since: float | None = None,
        centres: Sequence[str] | None = None,
        limit: int = 200,
        trashed: bool = False,
    ) -> list[DossierRow]:
        """Dossiers without their pages, newest first; with `centres`, only those the centres received. Those in
        the trash are left out (with `trashed`: only those)."""
        query = sa.select(dossiers).order_by(dossiers.c.created_at.desc()).limit(limit)
        query = query.where(dossiers.c.deleted_at.is_not(None) if trashed else dossiers.c.deleted_at.is_(None))
        if centres is not None:
            query = query.where(dossiers.c.centre.in_(list(centres)))
        if received_since is not None:
            query = query.where(dossiers.c.created_at >= received_since)
        if statuses is not None:
            query = query.where(dossiers.c.status.in_(list(statuses)))
        if codes is not None:
            query = query.where(dossiers.c.code.in_(list(codes)))
        with self._tx() as conn:
            return [_dossier_row(r) for r in conn.execute(query).mappings()]

    def dossier_page(self, where: DossierFilter, *, offset: int = 0, limit: int = 50) -> tuple[list[DossierRow], int]:
        """One page of the dossiers `where` selects, newest first, and how many it selects in all."""
        c = dossiers.c
        conditions: list[Any] = [c.deleted_at.is_(None)]
        if where.statuses is not None:
            conditions.append(c.status.in_(list(where.statuses)))
        if where.received_from is not None:
            conditions.append(c.created_at >= where.received_from)
        if where.received_until is not None:
            conditions.append(c.created_at < where.received_until)
        if where.procedure is not None:
            conditions.append(c.procedure == where.procedure)
        if where.received_by is not None:
            conditions.append(c.meta["received_by"].as_string() == where.received_by)
        if where.doc_type is not None:
            # the documents' JSON as stored: '"type": "cccd"' (SQLite, as written) or '"type":"cccd"'
            text = sa.cast(c.documents, sa.Text)
            t = where.doc_type.replace("\\", "").replace('"', "").replace("%", "").replace("_", "\\_")
            conditions.append(
                sa.or_(text.like(f'%"type": "{t}"%', escape="\\"), text.like(f'%"type":"{t}"%', escape="\\"))
            )
        if where.centres is not None:
            conditions.append(c.centre.in_(list(where.centres)))
        query = sa.select(dossiers).where(*conditions).order_by(c.created_at.desc()).offset(offset).limit(limit)
        count = sa.select(sa.func.count()).select_from(dossiers).where(*conditions)
        with self._tx() as conn:
            rows = [_dossier_row(r) for r in conn.execute(query).mappings()]
            return rows, int(conn.execute(count).scalar() or 0)

    # --- the record ----------------------------------------------------------------------------------------------

    def dossier(self, code: str, *, corrected: bool = True) -> Dossier:
        """The dossier record; with `corrected` (the default), reviewers' corrections applied over the machine's
        values (they are stored apart, so reprocessing never overwrites them)."""
        with self._tx() as conn:
            row = conn.execute(sa.select(dossiers).where(dossiers.c.code == code)).mappings().first()
            if row is None:
                raise DossierNotFound(f"no dossier with code {code!r}")
            page_rows = conn.execute(
                sa.select(pages.c.result)
                .where(pages.c.dossier_code == code, pages.c.state == "done")
                .order_by(pages.c.number)
            ).all()
            fixes = (
                [
                    _correction_row(r)
                    for r in conn.execute(
                        sa.select(corrections).where(corrections.c.dossier_code == code).order_by(corrections.c.id)
                    ).mappings()
                ]
                if corrected
                else []
            )
            failed = conn.execute(
                sa.select(pages.c.number, pages.c.source_page, pages.c.error, files.c.name, files.c.sha256)
                .join(
                    files,
                    sa.and_(files.c.dossier_code == pages.c.dossier_code, files.c.position == pages.c.file_position),
                )
                .where(pages.c.dossier_code == code, pages.c.state == "failed")
                .order_by(pages.c.number)
            ).all()
        problems = [
            FileProblem(file=f.name, sha256=f.sha256, error=f.error_kind, message=f.error_message or "")
            for f in self.files(code)
            if f.error_kind
        ] + [
            FileProblem(
                file=name,
                sha256=sha,
                page=number,
                error="PageFailed",
                message=f"page {source_page} of the file could not be processed: {error or 'unknown error'}",
            )
            for number, source_page, error, name, sha in failed
        ]
        record_pages = [Page.model_validate(r) for (r,) in page_rows]
        problems += no_text_problems(record_pages)
        meta = row["meta"] or {}
        record = Dossier(
            code=row["code"],
            status=DossierStatus(row["status"]),
            pages=record_pages,
            documents=[Document.model_validate(d) for d in row["documents"] or []],
            problems=problems,
            source=meta.get("source"),
            procedure=row["procedure"],
        )
        if fixes:
            from pipeline.corrections import apply_corrections  # the pipeline's extraction, only when needed

            record = apply_corrections(record, fixes)
        if meta.get("procedure_definition"):
            procedure = Procedure.model_validate(meta["procedure_definition"])
            record = record.model_copy(update={"completeness": completeness(procedure, record.documents)})
        return record
