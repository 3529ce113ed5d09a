"""The dossiers a counter clerk has to complete ("Cần bổ sung"): a file refused, a page failed, or nothing read."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from workers.stores.records.base import RecordsBase
from workers.stores.records.rows import DossierRow, _dossier_row
from workers.stores.records.tables import dossiers, files, pages


class ProblemList(RecordsBase):
    def dossiers_to_complete(self, *, limit: int = 50, centres: Sequence[str] | None = None) -> list[DossierRow]:
        """Dossiers not yet reviewed that failed, or have a refused file or a failed page; newest first."""
        refused = sa.select(files.c.dossier_code).where(files.c.error_kind.is_not(None))
        failed = sa.select(pages.c.dossier_code).where(pages.c.state == "failed")
        query = (
            sa.select(dossiers)
            .where(
                dossiers.c.status != "reviewed",
                sa.or_(dossiers.c.status == "failed", dossiers.c.code.in_(refused), dossiers.c.code.in_(failed)),
            )
            .order_by(dossiers.c.created_at.desc())
            .limit(limit)
        )
        query = query.where(dossiers.c.deleted_at.is_(None))
        if centres is not None:
            query = query.where(dossiers.c.centre.in_(list(centres)))
        with self._tx() as conn:
            return [_dossier_row(r) for r in conn.execute(query).mappings()]
