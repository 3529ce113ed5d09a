"""The outbox: every change of a dossier's status, written in the transaction that makes the change, then
claimed under a lease by a deliverer (workers/usecases/outbox.py), acknowledged or failed, listed and resent.

A row per change, numbered in the order the changes were committed for its dossier: a change first locks
the dossier's row (its UPDATE, INSERT or DELETE) and only then writes its outbox row, so of two changes of
one dossier the later one always has the higher id. A dossier's next change is handed out only once every
earlier one is delivered, so the portal sees a dossier's changes in order; other dossiers go on meanwhile.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemas.errors import DeliveryNotFailed, DeliveryNotFound
from workers.stores.records.base import RecordsBase
from workers.stores.records.tables import dossiers, outbox

DELETED = "deleted"  # the status a deletion sends: the dossier is gone (not one of DossierStatus)
TRASHED = "trashed"  # put in the trash (restorable): a restore sends the dossier's status again
STATES = ("pending", "delivered", "failed")


def new_key() -> str:
    return str(uuid.uuid4())


def _facts(conn: Connection, code: str) -> tuple[str | None, str | None]:
    """The dossier's procedure (its key; else what its meta names, e.g. a counter's free text) and centre."""
    query = sa.select(dossiers.c.meta, dossiers.c.centre, dossiers.c.procedure).where(dossiers.c.code == code)
    row = conn.execute(query).first()
    if row is None:
        return None, None
    procedure = row[2] or (row[0] or {}).get("procedure")
    return (str(procedure) if procedure else None), row[1]


def record_change(conn: Connection, code: str, status: str, *, at: float) -> None:
    """Write the change's outbox row in the caller's transaction (after it has written the dossier's row; for
    a deletion, before its row goes, so that its procedure and centre are still known)."""
    key = new_key()
    procedure, centre = _facts(conn, code)
    payload = {
        "key": key,
        "code": code,
        "status": status,
        "at": datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds"),
        "procedure": procedure,
        "centre": centre,
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    conn.execute(
        outbox.insert().values(
            key=key,
            dossier_code=code,
            centre=centre,
            status=status,
            at=at,
            body=body,
            state="pending",
            attempts=0,
            next_at=at,
        )
    )


@dataclass(frozen=True)
class Delivery:
    """A change claimed for sending: the deliverer's until `lease_until`."""

    id: int
    key: str
    code: str
    status: str
    body: str
    attempts: int  # this one included
    since: float  # the first attempt since it was written or resent
    lease: str


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    key: str
    code: str
    centre: str | None
    status: str
    at: float
    state: str  # pending | delivered | failed
    attempts: int
    next_at: float
    last_error: str | None
    delivered_at: float | None


def _row(r: sa.RowMapping) -> DeliveryRow:
    return DeliveryRow(
        id=int(r["id"]),
        key=r["key"],
        code=r["dossier_code"],
        centre=r["centre"],
        status=r["status"],
        at=float(r["at"]),
        state=r["state"],
        attempts=int(r["attempts"]),
        next_at=float(r["next_at"]),
        last_error=r["last_error"],
        delivered_at=r["delivered_at"],
    )


def _of(centres: Sequence[str] | None) -> sa.ColumnElement[bool]:
    """The changes of these centres' dossiers; None: every change."""
    return sa.true() if centres is None else outbox.c.centre.in_(list(centres))


def _earlier_not_delivered() -> sa.Exists:
    before = outbox.alias("before")
    return (
        sa.select(before.c.id)
        .where(before.c.dossier_code == outbox.c.dossier_code, before.c.id < outbox.c.id, before.c.state != "delivered")
        .exists()
    )


class Outbox(RecordsBase):
    # --- the deliverer's side: claim, acknowledge, fail ---------------------------------------------------------

    def claim_deliveries(self, *, now: float, lease_s: float, limit: int, code: str | None = None) -> list[Delivery]:
        """Claim up to `limit` changes due now, each the oldest undelivered change of its dossier (of `code`
        only, when given), for `lease_s` seconds: while the lease lasts no other deliverer takes them."""
        free = sa.or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now)
        query = (
            sa.select(outbox.c.id)
            .where(outbox.c.state == "pending", outbox.c.next_at <= now, free, ~_earlier_not_delivered())
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if code is not None:
            query = query.where(outbox.c.dossier_code == code)
        claimed: list[Delivery] = []
        with self._tx() as conn:
            for (row_id,) in conn.execute(query).all():
                lease = uuid.uuid4().hex
                taken = conn.execute(
                    outbox.update()
                    .where(outbox.c.id == row_id, outbox.c.state == "pending", free)
                    .values(
                        lease=lease,
                        lease_until=now + lease_s,
                        attempts=outbox.c.attempts + 1,
                        since=sa.func.coalesce(outbox.c.since, now),
                    )
                ).rowcount
                if not taken:
                    continue  # another deliverer was quicker
                r = conn.execute(sa.select(outbox).where(outbox.c.id == row_id)).mappings().one()
                claimed.append(
                    Delivery(
                        id=int(r["id"]),
                        key=r["key"],
                        code=r["dossier_code"],
                        status=r["status"],
                        body=r["body"],
                        attempts=int(r["attempts"]),
                        since=float(r["since"]),
                        lease=lease,
                    )
                )
        return claimed

    def mark_delivered(self, delivery: Delivery, *, now: float) -> bool:
        """The portal acknowledged it. False when the lease was lost meanwhile and another deliverer has it (it
        was sent twice: the portal drops the second by its key); a row delivered stays delivered."""
        with self._tx() as conn:
            res = conn.execute(
                outbox.update()
                .where(outbox.c.id == delivery.id, outbox.c.state == "pending", outbox.c.lease == delivery.lease)
                .values(state="delivered", delivered_at=now, lease=None, lease_until=None, last_error=None)
            )
            return bool(res.rowcount)

    def mark_attempt_failed(self, delivery: Delivery, *, error: str, retry_at: float | None) -> bool:
        """Not acknowledged: tried again at `retry_at`, or, with None, given up (failed: shown to admins, the
        dossier's later changes wait until it is resent). False when the lease was lost meanwhile."""
        values: dict[str, object] = {"lease": None, "lease_until": None, "last_error": error[:1000]}
        if retry_at is None:
            values["state"] = "failed"
        else:
            values["next_at"] = retry_at
        with self._tx() as conn:
            res = conn.execute(
                outbox.update()
                .where(outbox.c.id == delivery.id, outbox.c.state == "pending", outbox.c.lease == delivery.lease)
                .values(**values)
            )
            return bool(res.rowcount)

    # --- admins' side: what is there, resending ----------------------------------------------------------------

    def deliveries(
        self,
        *,
        states: Sequence[str] | None = None,
        code: str | None = None,
        centres: Sequence[str] | None = None,
        limit: int = 100,
    ) -> list[DeliveryRow]:
        """Changes in the outbox, oldest first; with `centres`, only those of the centres' dossiers."""
        query = sa.select(outbox).where(_of(centres)).order_by(outbox.c.id).limit(limit)
        if states is not None:
            query = query.where(outbox.c.state.in_(list(states)))
        if code is not None:
            query = query.where(outbox.c.dossier_code == code)
        with self._tx() as conn:
            return [_row(r) for r in conn.execute(query).mappings()]

    def delivery_counts(self, *, centres: Sequence[str] | None = None) -> dict[str, int]:
        """How many changes are pending, delivered, failed; and `waiting`: pending behind a failed change of
        their dossier (they go once it is resent and delivered)."""
        mine = _of(centres)
        with self._tx() as conn:
            rows = conn.execute(sa.select(outbox.c.state, sa.func.count()).where(mine).group_by(outbox.c.state)).all()
            failed = sa.select(outbox.c.dossier_code).where(outbox.c.state == "failed")
            waiting = conn.execute(
                sa.select(sa.func.count()).where(mine, outbox.c.state == "pending", outbox.c.dossier_code.in_(failed))
            ).scalar_one()
        counts = dict.fromkeys(STATES, 0) | {str(s): int(n) for s, n in rows}
        return counts | {"waiting": int(waiting)}

    def resend(self, ids: Sequence[int], *, centres: Sequence[str] | None = None, now: float | None = None) -> int:
        """Put failed changes back in the queue, their attempts counted afresh (DeliveryNotFound for an unknown
        id, or one of a centre not in `centres`; DeliveryNotFailed for one that is not failed; nothing is changed
        then). How many."""
        now = time.time() if now is None else now
        wanted = sorted(set(ids))
        with self._tx() as conn:
            found = dict(
                conn.execute(sa.select(outbox.c.id, outbox.c.state).where(outbox.c.id.in_(wanted), _of(centres))).all()
            )
            missing = [i for i in wanted if i not in found]
            if missing:
                raise DeliveryNotFound(f"no change numbered {', '.join(map(str, missing))} in the outbox")
            busy = [f"{i} ({found[i]})" for i in wanted if found[i] != "failed"]
            if busy:
                raise DeliveryNotFailed(f"only a failed change is sent again: {', '.join(busy)}")
            return self._requeue(conn, outbox.c.id.in_(wanted), now)

    def resend_failed(self, *, centres: Sequence[str] | None = None, now: float | None = None) -> int:
        """Every failed change (of the centres' dossiers, with `centres`) back in the queue; how many."""
        with self._tx() as conn:
            return self._requeue(conn, _of(centres), time.time() if now is None else now)

    @staticmethod
    def _requeue(conn: Connection, which: sa.ColumnElement[bool], now: float) -> int:
        res = conn.execute(
            outbox.update()
            .where(which, outbox.c.state == "failed")
            .values(state="pending", attempts=0, since=None, next_at=now, lease=None, lease_until=None)
        )
        return int(res.rowcount)
