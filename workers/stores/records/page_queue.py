"""The page work queue: page rows created per file, claimed under a lease, finished, failed or given back;
stalled pages and the dossiers whose next stage is due, for the sweeper; pages as the web app reads them."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import sqlalchemy as sa

from schemas.record import DossierStatus, Page
from workers.stores.records.base import RecordsBase
from workers.stores.records.rows import PageTask
from workers.stores.records.tables import dossiers, files, pages

IN_THE_TRASH = "not read: its dossier is in the trash (restore it to have the page read)"


class PageQueue(RecordsBase):
    # --- pages ---------------------------------------------------------------------------------------------------

    def add_pages(self, code: str, file_position: int, first_number: int, count: int) -> None:
        """Create pending page rows for a whole file (idempotent: existing rows are left as they are)."""
        self.add_page_range(code, file_position, first_number, 1, count)

    def add_page_range(
        self, code: str, file_position: int, first_number: int, first_source_page: int, count: int
    ) -> None:
        """Pending page rows numbered from `first_number` for the file's pages `first_source_page`…
        (1-based), the part of a file that makes this dossier. Idempotent: existing rows are left as they are."""
        now = time.time()
        with self._tx() as conn:
            have = {
                n
                for (n,) in conn.execute(
                    sa.select(pages.c.number).where(
                        pages.c.dossier_code == code,
                        pages.c.number >= first_number,
                        pages.c.number < first_number + count,
                    )
                )
            }
            rows = [
                {
                    "dossier_code": code,
                    "number": first_number + i,
                    "file_position": file_position,
                    "source_page": first_source_page + i,
                    "state": "pending",
                    "attempts": 0,
                    "updated_at": now,
                }
                for i in range(count)
                if first_number + i not in have
            ]
            if rows:
                conn.execute(pages.insert(), rows)

    def page_tasks(self, code: str, states: Sequence[str] = ("pending",)) -> list[PageTask]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.number, pages.c.source_page, files.c.name, files.c.sha256, files.c.kind)
                .join(
                    files,
                    sa.and_(files.c.dossier_code == pages.c.dossier_code, files.c.position == pages.c.file_position),
                )
                .where(pages.c.dossier_code == code, pages.c.state.in_(list(states)))
                .order_by(pages.c.number)
            ).all()
        return [
            PageTask(code=code, number=n, file_name=name, sha256=sha, kind=kind, source_page=sp)
            for n, sp, name, sha, kind in rows
        ]

    def claim_page(self, code: str, number: int, lease_seconds: float) -> bool:
        """Take a page for processing unless it is done, leased by a live worker, or its dossier is in the trash
        (then it stays pending, the reason on it: a restore lets it be read)."""
        now = time.time()
        trashed = sa.exists().where(dossiers.c.code == code, dossiers.c.deleted_at.is_not(None))
        with self._tx() as conn:
            res = conn.execute(
                pages.update()
                .where(
                    pages.c.dossier_code == code,
                    pages.c.number == number,
                    pages.c.state != "done",
                    sa.or_(pages.c.state != "running", pages.c.lease_until < now),
                    ~trashed,
                )
                .values(state="running", lease_until=now + lease_seconds, attempts=pages.c.attempts + 1, updated_at=now)
            )
            if not res.rowcount:
                conn.execute(
                    pages.update()
                    .where(pages.c.dossier_code == code, pages.c.number == number, pages.c.state == "pending", trashed)
                    .values(error=IN_THE_TRASH, updated_at=now)
                )
            return bool(res.rowcount)

    def finish_page(self, code: str, number: int, page: Page) -> bool:
        """Store a page's result; False (and nothing changed) when it was already done."""
        with self._tx() as conn:
            res = conn.execute(
                pages.update()
                .where(pages.c.dossier_code == code, pages.c.number == number, pages.c.state != "done")
                .values(
                    state="done",
                    result=json.loads(page.model_dump_json()),
                    error=None,
                    lease_until=None,
                    updated_at=time.time(),
                )
            )
            return bool(res.rowcount)

    def fail_page(self, code: str, number: int, error: str) -> None:
        with self._tx() as conn:
            conn.execute(
                pages.update()
                .where(pages.c.dossier_code == code, pages.c.number == number, pages.c.state != "done")
                .values(state="failed", error=error, lease_until=None, updated_at=time.time())
            )

    def page_counts(self, code: str) -> dict[str, int]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.state, sa.func.count()).where(pages.c.dossier_code == code).group_by(pages.c.state)
            ).all()
        return {state: int(n) for state, n in rows}

    # --- the cluster: one page's task, leases given back, stalled work for the sweeper ---------------------------

    def page_task(self, code: str, number: int) -> PageTask | None:
        with self._tx() as conn:
            row = conn.execute(
                sa.select(pages.c.source_page, files.c.name, files.c.sha256, files.c.kind)
                .join(
                    files,
                    sa.and_(files.c.dossier_code == pages.c.dossier_code, files.c.position == pages.c.file_position),
                )
                .where(pages.c.dossier_code == code, pages.c.number == number)
            ).first()
        if row is None:
            return None
        sp, name, sha, kind = row
        return PageTask(code=code, number=number, file_name=name, sha256=sha, kind=kind, source_page=sp)

    def release_page(self, code: str, number: int, error: str) -> None:
        """Give a running page back (pending, no lease) after a transient failure, so a retry can claim it."""
        with self._tx() as conn:
            conn.execute(
                pages.update()
                .where(pages.c.dossier_code == code, pages.c.number == number, pages.c.state == "running")
                .values(state="pending", error=error, lease_until=None, updated_at=time.time())
            )

    def stalled_pages(self, *, now: float, resend_after: float) -> list[tuple[str, int]]:
        """Pages whose message may be lost: running with an expired lease (a worker died), or pending and
        untouched for `resend_after` seconds. They are marked touched, so each is re-sent once per period."""
        with self._tx() as conn:
            rows = conn.execute(
                pages.update()
                .where(
                    pages.c.updated_at < now - resend_after,
                    sa.or_(
                        pages.c.state == "pending",
                        sa.and_(pages.c.state == "running", pages.c.lease_until < now),
                    ),
                )
                .values(updated_at=now)
                .returning(pages.c.dossier_code, pages.c.number)
            ).all()
        return sorted((code, int(n)) for code, n in rows)

    def dossiers_due(self, *, now: float, quiet_for: float) -> tuple[list[str], list[str]]:
        """(dossiers received but not taken in for `quiet_for` seconds: their intake is due;
        dossiers processing with no page pending or running nor any page touched for `quiet_for` seconds:
        their dossier stage is due)."""
        busy = (
            sa.select(pages.c.number)
            .where(
                pages.c.dossier_code == dossiers.c.code,
                sa.or_(pages.c.state.in_(["pending", "running"]), pages.c.updated_at >= now - quiet_for),
            )
            .exists()
        )
        with self._tx() as conn:
            received = conn.execute(
                sa.select(dossiers.c.code).where(
                    dossiers.c.status == DossierStatus.received.value, dossiers.c.updated_at < now - quiet_for
                )
            ).scalars()
            received_codes = sorted(received)
            finishing = conn.execute(
                sa.select(dossiers.c.code).where(
                    dossiers.c.status == DossierStatus.processing.value,
                    dossiers.c.updated_at < now - quiet_for,
                    ~busy,
                )
            ).scalars()
            finishing_codes = sorted(finishing)
        return received_codes, finishing_codes

    # --- a dossier's pages as the web app and the watch folder read them -----------------------------------------

    def page_states(self, code: str) -> list[tuple[int, str]]:
        """(page number, pending | running | done | failed) for each page taken in so far."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.number, pages.c.state).where(pages.c.dossier_code == code).order_by(pages.c.number)
            ).all()
        return [(int(n), str(s)) for n, s in rows]

    def page(self, code: str, number: int) -> Page | None:
        """One processed page as the machine read it (no corrections), or None."""
        with self._tx() as conn:
            result = conn.execute(
                sa.select(pages.c.result).where(
                    pages.c.dossier_code == code, pages.c.number == number, pages.c.state == "done"
                )
            ).scalar()
        return Page.model_validate(result) if result else None

    def page_errors(self, code: str) -> list[tuple[int, str]]:
        """(page number, error) of the dossier's failed pages."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.number, pages.c.error)
                .where(pages.c.dossier_code == code, pages.c.state == "failed")
                .order_by(pages.c.number)
            ).all()
        return [(int(n), str(e or "")) for n, e in rows]
