"""Search: the folded text of each dossier, rebuilt when the dossier changed, and the search over it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from workers.stores.records.base import RecordsBase
from workers.stores.records.rows import DossierRow, _dossier_row
from workers.stores.records.tables import dossier_search, dossiers


class SearchText(RecordsBase):
    def search_stale(self, limit: int = 100) -> list[str]:
        """Dossiers whose search text is missing or older than their last change."""
        s = dossier_search
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(dossiers.c.code)
                .select_from(dossiers.outerjoin(s, s.c.dossier_code == dossiers.c.code))
                .where(sa.or_(s.c.indexed_at.is_(None), s.c.indexed_at < dossiers.c.updated_at))
                .limit(limit)
            ).scalars()
            return list(rows)

    def set_search_text(self, code: str, folded: str, *, as_of: float, text: str = "") -> None:
        """Store the search text of the dossier as it was at `as_of` (read before the text was built): `folded`
        (what the filter reads) and `text`, the same with its diacritics (what results are ranked and quoted by)."""
        s = dossier_search
        try:
            with self._tx() as conn:
                conn.execute(s.delete().where(s.c.dossier_code == code))
                conn.execute(s.insert().values(dossier_code=code, folded=folded, text=text, indexed_at=as_of))
        except IntegrityError:
            pass  # indexed at the same moment by another request (or the dossier was just deleted)

    def search(
        self, folded_terms: Sequence[str], *, limit: int = 50, centres: Sequence[str] | None = None
    ) -> list[tuple[DossierRow, str, str]]:
        """Dossiers whose folded text holds every term (already folded), newest first, each with its search text
        as printed and folded. LIKE: the same SQL on SQLite and PostgreSQL."""
        query = (
            sa.select(
                dossiers, dossier_search.c.text.label("search_text"), dossier_search.c.folded.label("search_folded")
            )
            .join(dossier_search, dossier_search.c.dossier_code == dossiers.c.code)
            .order_by(dossiers.c.created_at.desc())
            .limit(limit)
        )
        query = query.where(dossiers.c.deleted_at.is_(None))
        if centres is not None:
            query = query.where(dossiers.c.centre.in_(list(centres)))
        for term in folded_terms:
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(dossier_search.c.folded.like(f"%{escaped}%", escape="\\"))
        with self._tx() as conn:
            rows = conn.execute(query).mappings()
            return [(_dossier_row(r), r["search_text"] or "", r["search_folded"] or "") for r in rows]
