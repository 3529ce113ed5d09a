"""The watch folder's intake journal: one row per file taken and how far its intake went, so a restarted
watcher resumes."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from workers.stores.records.base import RecordsBase
from workers.stores.records.rows import IntakeRow, _intake_row
from workers.stores.records.tables import watch_intake

_INTAKE_UPDATABLE = frozenset(
    {"path", "folder", "state", "segments", "error_kind", "error_message", "settled", "settled_as"}
)


class IntakeJournal(RecordsBase):
    def intake_add(
        self,
        *,
        root: str,
        path: str,
        folder: str,
        sha256: str,
        size: int,
        mtime_ns: int,
        state: str,
        error_kind: str | None = None,
        error_message: str | None = None,
    ) -> IntakeRow:
        now = time.time()
        values = {
            "root": root,
            "path": path,
            "folder": folder,
            "sha256": sha256,
            "size": size,
            "mtime_ns": mtime_ns,
            "state": state,
            "segments": [],
            "error_kind": error_kind,
            "error_message": error_message,
            "settled": False,
            "created_at": now,
            "updated_at": now,
        }
        with self._tx() as conn:
            key = conn.execute(watch_intake.insert().values(**values)).inserted_primary_key
            assert key is not None
            row = conn.execute(sa.select(watch_intake).where(watch_intake.c.id == key[0])).mappings().one()
        return _intake_row(row)

    def intake_update(self, intake_id: int, **values: Any) -> IntakeRow:
        unknown = set(values) - _INTAKE_UPDATABLE
        if unknown:
            raise ValueError(f"not journal columns: {sorted(unknown)}")
        with self._tx() as conn:
            conn.execute(
                watch_intake.update().where(watch_intake.c.id == intake_id).values(**values, updated_at=time.time())
            )
            row = conn.execute(sa.select(watch_intake).where(watch_intake.c.id == intake_id)).mappings().one()
        return _intake_row(row)

    def intake_open(self, root: str, sha256: str) -> IntakeRow | None:
        """The intake of this content from this folder that has not finished (its file not yet let go)."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    sa.select(watch_intake)
                    .where(
                        watch_intake.c.root == root,
                        watch_intake.c.sha256 == sha256,
                        watch_intake.c.settled.is_(False),
                    )
                    .order_by(watch_intake.c.id)
                )
                .mappings()
                .first()
            )
        return _intake_row(row) if row else None

    def intake_first(self, sha256: str) -> IntakeRow | None:
        """The first intake of this content (any folder), other than duplicates."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    sa.select(watch_intake)
                    .where(watch_intake.c.sha256 == sha256, watch_intake.c.state != "duplicate")
                    .order_by(watch_intake.c.id)
                )
                .mappings()
                .first()
            )
        return _intake_row(row) if row else None

    def intake_rows(self, root: str, *, unsettled_only: bool = False) -> list[IntakeRow]:
        query = sa.select(watch_intake).where(watch_intake.c.root == root).order_by(watch_intake.c.id)
        if unsettled_only:
            query = query.where(watch_intake.c.settled.is_(False))
        with self._tx() as conn:
            return [_intake_row(r) for r in conn.execute(query).mappings()]
