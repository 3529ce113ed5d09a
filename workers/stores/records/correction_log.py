"""Reviewers' corrections: stored apart from the machine's values, read back for the record and for training."""

from __future__ import annotations

import time

import sqlalchemy as sa

from schemas.corrections import STATUS
from schemas.errors import DossierNotFound, StaleEdit
from schemas.record import DossierStatus, Page
from workers.stores.records.base import RecordsBase
from workers.stores.records.delivery_queue import record_change
from workers.stores.records.review_claims import claim_free
from workers.stores.records.rows import CorrectionRow, _correction_row
from workers.stores.records.tables import corrections, dossiers, pages


class CorrectionLog(RecordsBase):
    # --- for training: the types reviewers gave documents --------------------------------------------------------

    def type_corrections(self) -> list[tuple[str, str]]:
        """(text of a corrected document's page, the type a reviewer gave the document), latest first.

        Only the latest type given to a document counts (a type corrected twice teaches the second), and the
        text is the page's with the words reviewers retyped, not the machine's reading."""
        from pipeline.corrections import apply_text  # the record's overlay, as the dossier() read applies it

        with self._tx() as conn:
            rows = conn.execute(
                sa.select(corrections.c.dossier_code, corrections.c.pages, corrections.c.new)
                .where(corrections.c.target == "document_type")
                .order_by(corrections.c.at.desc(), corrections.c.id.desc())
            ).all()
        out: list[tuple[str, str]] = []
        seen: set[tuple[str, tuple[int, ...]]] = set()
        fixes: dict[str, list[CorrectionRow]] = {}
        for code, page_numbers, new in rows:
            numbers = tuple(sorted(page_numbers or []))
            if (code, numbers) in seen:
                continue
            seen.add((code, numbers))
            with self._tx() as conn:
                results = conn.execute(
                    sa.select(pages.c.result)
                    .where(pages.c.dossier_code == code, pages.c.number.in_(numbers))
                    .order_by(pages.c.number)
                ).all()
            read = [Page.model_validate(r) for (r,) in results if r]
            if code not in fixes:
                fixes[code] = self.corrections_of(code)
            out.extend((page.text, str(new)) for page in apply_text(read, fixes[code]) if page.text)
        return out

    # --- as the web app reads and writes them --------------------------------------------------------------------

    def record_correction(
        self,
        code: str,
        *,
        target: str,
        who: str,
        old: str | None,
        new: str | None,
        document: int | None = None,
        key: str | None = None,
        pages: list[int] | None = None,
        version: int | None = None,
    ) -> int:
        """Store a correction and mark the dossier changed (its search text is then rebuilt); its id.

        Every correction raises the dossier's version. With `version` (the one the writer's page was made
        from) the correction is stored only if the dossier is still at it: else StaleEdit, nothing stored."""
        now = time.time()
        with self._tx() as conn:
            bump = dossiers.update().where(dossiers.c.code == code)
            if version is not None:
                bump = bump.where(dossiers.c.version == version)
            if conn.execute(bump.values(version=dossiers.c.version + 1, updated_at=now)).rowcount == 0:
                stored = conn.execute(sa.select(dossiers.c.version).where(dossiers.c.code == code)).scalar()
                if stored is None:
                    raise DossierNotFound(f"no dossier with code {code!r}")
                raise StaleEdit(
                    f"dossier {code} is at version {stored}, the correction was made from version {version}",
                    version=int(stored),
                )
            res = conn.execute(
                corrections.insert().values(
                    dossier_code=code,
                    target=target,
                    document=document,
                    key=key,
                    old=old,
                    new=new,
                    pages=pages,
                    who=who,
                    at=now,
                )
            )
            key = res.inserted_primary_key
            assert key is not None
            return int(key[0])

    def reopen_after_review(self, code: str, who: str, *, claim_seconds: float) -> bool:
        """A reviewed dossier changed by `who`: back to needs review, the status change in the audit and the
        outbox, and the dossier claimed by `who` (unless another reviewer holds it), all in one transaction;
        False when it was no longer reviewed (nothing written)."""
        now = time.time()
        reviewed, again = DossierStatus.reviewed.value, DossierStatus.needs_review.value
        with self._tx() as conn:
            free = claim_free(who, now)
            back = conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code, dossiers.c.status == reviewed)
                .values(
                    status=again,
                    updated_at=now,
                    version=dossiers.c.version + 1,
                    claimed_by=sa.case((free, who), else_=dossiers.c.claimed_by),
                    claimed_until=sa.case((free, now + claim_seconds), else_=dossiers.c.claimed_until),
                )
            ).rowcount
            if not back:
                return False
            record_change(conn, code, again, at=now)
            conn.execute(corrections.insert().values(dossier_code=code, target=STATUS, old=reviewed, new=again,
                                                     who=who, at=now))  # fmt: skip
        return True

    def version(self, code: str) -> int:
        """The dossier's version: raised by every correction."""
        with self._tx() as conn:
            value = conn.execute(sa.select(dossiers.c.version).where(dossiers.c.code == code)).scalar()
        if value is None:
            raise DossierNotFound(f"no dossier with code {code!r}")
        return int(value)

    def corrections_of(self, code: str) -> list[CorrectionRow]:
        """The dossier's corrections, oldest first (the order they are applied in)."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(corrections).where(corrections.c.dossier_code == code).order_by(corrections.c.id)
            ).mappings()
            return [_correction_row(r) for r in rows]
