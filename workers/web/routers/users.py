"""Staff accounts for admins, in the app as on the command line (`hoso user`): the list, a new user (with their
first API token, shown once), a role, disabling and enabling (which ends sessions), a new password, tokens issued
and revoked. The page and its API; every change is in the log with who made it."""

from __future__ import annotations

import logging
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import Field as PydField

from schemas.errors import RequestError
from workers.usecases import users
from workers.web.deps import RecordsDep, StateDep, UserAdmin
from workers.web.i18n import fmt_time
from workers.web.models import _Body
from workers.web.routers.pages import render

log = logging.getLogger("hoso.web")

router = APIRouter(tags=["users"])
Name = Annotated[str, PathParam(max_length=100)]


class UserOut(_Body):
    name: str
    role: str
    lang: str
    active: bool
    created_at: float
    tokens: int = PydField(description="API tokens still valid")
    centres: list[str] = PydField(default_factory=list, description="the centres served; none: every centre")


class NewUser(_Body):
    name: str = PydField(max_length=100)
    role: Literal["counter", "reviewer", "admin"]
    password: str | None = PydField(None, max_length=200, description="for the pages; none: API token only")
    lang: Literal["vi", "en"] = "vi"
    centres: list[str] = PydField(default_factory=list, max_length=50)


class UserChange(_Body):
    role: Literal["counter", "reviewer", "admin"] | None = None
    active: bool | None = None
    centres: list[str] | None = PydField(None, max_length=50, description="[]: every centre")


class NewPassword(_Body):
    password: str = PydField(max_length=200)


class TokenOut(_Body):
    name: str
    token: str = PydField(description="shown once: only its SHA-256 is kept")


class Ended(_Body):
    name: str
    sessions_ended: int = 0
    tokens_revoked: int = 0


def _out(records: RecordsDep, name: str) -> UserOut:
    row = records.user(name)
    if row is None:
        raise RequestError(f"no user {name!r}")
    now = time.time()
    live = [t for t in records.tokens_of(name) if t.expires_at is None or t.expires_at > now]
    return UserOut(
        name=row.name, role=row.role, lang=row.lang, active=row.active, created_at=row.created_at, tokens=len(live),
        centres=list(row.centres),
    )  # fmt: skip


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, state: StateDep, user: UserAdmin) -> HTMLResponse:
    rows = [_out(state.records, u.name) for u in state.records.users_list()]
    return render(state, request, "users.html", user, users=rows, fmt_time=fmt_time)


@router.get("/api/users", response_model=list[UserOut], summary="Staff accounts (admin)")
def list_users(records: RecordsDep, _user: UserAdmin) -> list[UserOut]:
    return [_out(records, u.name) for u in records.users_list()]


@router.post("/api/users", response_model=TokenOut, status_code=201, summary="Add a user (admin)")
def add_user(body: NewUser, records: RecordsDep, user: UserAdmin) -> TokenOut:
    token = users.create_user(
        records, body.name, role=body.role, password=body.password or None, lang=body.lang, centres=body.centres
    )
    log.info("user added", extra={"stage": "users", "who": user.name, "user": body.name, "role": body.role})
    return TokenOut(name=body.name, token=token)


@router.patch("/api/users/{name}", response_model=Ended, summary="Change a user's role, or disable/enable (admin)")
def change_user(name: Name, body: UserChange, records: RecordsDep, user: UserAdmin) -> Ended:
    if name == user.name and (body.active is False or (body.role and body.role != "admin")):
        raise RequestError("an admin cannot disable themselves or drop their own admin role: ask another admin")
    ended = 0
    if body.role is not None:
        _out(records, name)
        records.update_user(name, role=body.role)  # read at every request: it applies at once
    if body.active is not None:
        ended += users.set_active(records, name, body.active)
    if body.centres is not None:
        users.set_centres(records, name, body.centres)  # read at every request: it applies at once
    log.info("user changed", extra={"stage": "users", "who": user.name, "user": name})
    return Ended(name=name, sessions_ended=ended)


@router.put("/api/users/{name}/password", response_model=Ended, summary="Set a user's password (admin)")
def set_password(name: Name, body: NewPassword, records: RecordsDep, user: UserAdmin) -> Ended:
    ended = users.set_password(records, name, body.password)
    log.info("password set", extra={"stage": "users", "who": user.name, "user": name})
    return Ended(name=name, sessions_ended=ended)


@router.post("/api/users/{name}/tokens", response_model=TokenOut, status_code=201, summary="Issue an API token")
def issue_token(name: Name, records: RecordsDep, user: UserAdmin) -> TokenOut:
    token = users.issue_token(records, name)
    log.info("token issued", extra={"stage": "users", "who": user.name, "user": name})
    return TokenOut(name=name, token=token)


@router.delete("/api/users/{name}/tokens", response_model=Ended, summary="Revoke all of a user's API tokens")
def revoke_tokens(name: Name, records: RecordsDep, user: UserAdmin) -> Ended:
    revoked = users.revoke_tokens(records, name, None)
    log.info("tokens revoked", extra={"stage": "users", "who": user.name, "user": name})
    return Ended(name=name, tokens_revoked=revoked)
