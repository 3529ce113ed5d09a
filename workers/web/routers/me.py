"""API: the signed-in user, and their language."""

from __future__ import annotations

from fastapi import APIRouter

from workers.web.deps import CurrentUser, RecordsDep
from workers.web.models import LangIn, Me

router = APIRouter(prefix="/api/me", tags=["me"])


@router.get("", response_model=Me, summary="Who the token or session belongs to")
def me(user: CurrentUser) -> Me:
    return Me(name=user.name, role=user.role, lang=user.lang)


@router.get("/csrf", summary="The session's CSRF token (pages; '' for a token)")
def csrf(user: CurrentUser) -> dict[str, str]:
    """A page that outlived its session, signed in again in another tab, takes the new session's token here
    before it sends (the counter keeps a clerk's form and files across a sign-in)."""
    return {"csrf": user.csrf}


@router.put("/lang", response_model=Me, summary="Choose the pages' language (vi or en)")
def set_lang(body: LangIn, user: CurrentUser, records: RecordsDep) -> Me:
    records.update_user(user.name, lang=body.lang)
    return Me(name=user.name, role=user.role, lang=body.lang)
