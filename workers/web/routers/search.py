"""API: find dossiers by any word of their text, with or without diacritics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from workers.web import search
from workers.web.deps import RecordsDep, Viewer
from workers.web.models import DossierSummary
from workers.web.views import row_confidence

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=list[DossierSummary], summary="Find dossiers by code, name or any word")
def find(
    records: RecordsDep,
    user: Viewer,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words; diacritics optional")],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DossierSummary]:
    return [
        DossierSummary.of(r, row_confidence(r))
        for r in search.search(records, q, limit=limit, centres=user.centre_filter)
    ]
