"""The status changes sent to the portal, for admins: the API (`/api/outbox`) and the page (`/admin/outbox`)
listing what failed, with a button to send it again (the delivery itself: workers/usecases/outbox.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from workers.stores.records import DeliveryRow
from workers.web.deps import PortalAdmin, RecordsDep, StateDep
from workers.web.routers.pages import render

router = APIRouter(tags=["outbox"])


class OutboxEntry(BaseModel):
    id: int
    key: str  # the idempotency key the portal received it under
    code: str
    centre: str | None
    status: str
    at: float
    state: Literal["pending", "delivered", "failed"]
    attempts: int
    next_at: float
    last_error: str | None
    delivered_at: float | None

    @classmethod
    def of(cls, row: DeliveryRow) -> OutboxEntry:
        return cls.model_validate(row, from_attributes=True)


class OutboxList(BaseModel):
    counts: dict[str, int]  # pending, delivered, failed, waiting (pending behind a failed change)
    entries: list[OutboxEntry]


class Resent(BaseModel):
    resent: int


@router.get("/api/outbox", response_model=OutboxList, summary="Status changes for the portal (admin)")
def list_outbox(
    records: RecordsDep,
    user: PortalAdmin,
    state: Literal["pending", "delivered", "failed"] | None = None,
    code: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> OutboxList:
    """The outbox, oldest first: every change of a dossier's status and whether the portal has taken it (of the
    dossiers of the user's centres)."""
    centres = user.centre_filter
    rows = records.deliveries(states=[state] if state else None, code=code, centres=centres, limit=limit)
    return OutboxList(counts=records.delivery_counts(centres=centres), entries=[OutboxEntry.of(r) for r in rows])


@router.post("/api/outbox/{change_id}/resend", response_model=Resent, summary="Send a failed change again (admin)")
def resend_one(change_id: int, records: RecordsDep, user: PortalAdmin) -> Resent:
    """Put a failed change back in the queue (404 unknown, 409 not failed); its dossier's later changes follow."""
    return Resent(resent=records.resend([change_id], centres=user.centre_filter))


@router.post("/api/outbox/resend", response_model=Resent, summary="Send every failed change again (admin)")
def resend_all(records: RecordsDep, user: PortalAdmin) -> Resent:
    return Resent(resent=records.resend_failed(centres=user.centre_filter))


@router.get("/admin/outbox", include_in_schema=False)
def outbox_page(request: Request, state: StateDep, user: PortalAdmin) -> HTMLResponse:
    records = state.records
    centres = user.centre_filter
    retrying = [r for r in records.deliveries(states=["pending"], centres=centres, limit=500) if r.attempts]
    return render(
        state,
        request,
        "outbox.html",
        user,
        failed=records.deliveries(states=["failed"], centres=centres, limit=500),
        retrying=retrying,
        counts=records.delivery_counts(centres=centres),
        configured=state.settings.portal.url is not None,
    )
