"""The trash (admins): dossiers deleted in the app while HOSO_DELETE_GRACE_DAYS keeps them, with when they go for
good; restore one. The path names a dossier as `{dossier}`, not `{code}`: the routes that take `{code}` refuse
dossiers in the trash."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from schemas.errors import DossierNotFound
from workers.web.deps import Admin, StateDep
from workers.web.models import _Body
from workers.web.routers.pages import render

log = logging.getLogger("hoso.web")
router = APIRouter(tags=["trash"])
Code = Annotated[str, PathParam(max_length=64)]


class Trashed(_Body):
    code: str
    citizen_name: str | None = None
    deleted_at: float
    deleted_by: str | None = None
    purge_at: float  # when it goes for good


def _trashed(state: StateDep, user: Admin) -> list[Trashed]:
    grace = state.settings.delete_grace_days * 86400.0
    rows = state.records.dossier_rows(trashed=True, centres=user.centre_filter, limit=1000)
    return [
        Trashed(
            code=r.code,
            citizen_name=r.meta.get("citizen_name") or None,
            deleted_at=r.deleted_at or 0.0,
            deleted_by=r.deleted_by,
            purge_at=(r.deleted_at or 0.0) + grace,
        )
        for r in rows
        if user.sees(r.centre)
    ]


@router.get("/admin/trash", response_class=HTMLResponse, include_in_schema=False)
def trash_page(request: Request, state: StateDep, user: Admin) -> HTMLResponse:
    return render(
        state, request, "trash.html", user, items=_trashed(state, user), days=state.settings.delete_grace_days
    )


@router.get("/api/trash", response_model=list[Trashed], summary="Dossiers in the trash (admin)")
def list_trash(state: StateDep, user: Admin) -> list[Trashed]:
    return _trashed(state, user)


@router.post("/api/trash/{dossier}/restore", status_code=204, summary="Take a dossier out of the trash (admin)")
def restore(dossier: Code, state: StateDep, user: Admin) -> None:
    records = state.records
    rows = records.dossier_rows(codes=[dossier], limit=1, trashed=True)
    if not rows or not user.sees(rows[0].centre) or not records.restore(dossier):
        raise DossierNotFound(f"no dossier {dossier!r} in the trash")
    log.warning("dossier restored from the trash", extra={"dossier": dossier, "stage": "deletion", "who": user.name})
    if records.page_counts(dossier).get("pending", 0):  # pages left unread while it was in the trash
        state.runner.start(dossier)
