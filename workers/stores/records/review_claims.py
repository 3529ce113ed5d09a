"""Claims on dossiers: a reviewer who opens a dossier from the queue has it for a while, so two never work on
the same one ("next" skips it; others are told who has it)."""

from __future__ import annotations

import time

import sqlalchemy as sa

from schemas.errors import DossierNotFound
from workers.stores.records.base import RecordsBase
from workers.stores.records.tables import dossiers


def claim_free(who: str, now: float) -> sa.ColumnElement[bool]:
    """A dossier `who` may claim: unclaimed, theirs already, or another's expired claim."""
    return sa.or_(dossiers.c.claimed_by.is_(None), dossiers.c.claimed_by == who, dossiers.c.claimed_until < now)


class ReviewClaims(RecordsBase):
    def claim(self, code: str, who: str, *, seconds: float) -> str:
        """Take the dossier for `who` for `seconds` (renewed if already theirs) unless another reviewer holds an
        unexpired claim. Returns who holds it afterwards: `who`, or the other reviewer."""
        now = time.time()
        with self._tx() as conn:
            free = claim_free(who, now)
            taken = conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code, free)
                .values(claimed_by=who, claimed_until=now + seconds)
            ).rowcount
            if taken:
                return who
            holder = conn.execute(sa.select(dossiers.c.claimed_by).where(dossiers.c.code == code)).scalar()
        if holder is None:
            raise DossierNotFound(f"no dossier with code {code!r}")
        return str(holder)

    def release(self, code: str, who: str) -> None:
        """End `who`'s claim on the dossier (a claim of another reviewer is left alone)."""
        with self._tx() as conn:
            conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code, dossiers.c.claimed_by == who)
                .values(claimed_by=None, claimed_until=None)
            )
