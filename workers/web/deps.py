"""Dependencies shared by the routers: the app's state, who is asking, and what their role lets them do.

Every endpoint names one of `Viewer`, `Uploader`, `Reviewer`, `Admin`: anonymous calls get 401, a role
without the permission gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request

from schemas.errors import DossierNotFound, NotAllowed, NotAuthenticated
from workers.stores.records import Records
from workers.usecases.users import may, sees, user_for_token
from workers.web.auth import CSRF_HEADER, LANG_COOKIE, SESSION_COOKIE
from workers.web.i18n import lang_or_default
from workers.web.state import WebState

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_WHAT = {
    "view": "see dossiers",
    "upload": "receive dossiers",
    "review": "correct dossiers",
    "delete": "delete dossiers",
    "users": "manage users",
    "outbox": "see or resend the status changes sent to the portal",
}


@dataclass(frozen=True)
class User:
    name: str
    role: str
    lang: str
    via: Literal["session", "token"]
    csrf: str = ""  # for the pages' JavaScript (session only)
    centres: tuple[str, ...] = ()  # the service centres served; () for every centre

    def may(self, permission: str) -> bool:
        return may(self.role, permission)

    def sees(self, centre: str | None) -> bool:
        return sees(self.centres, centre)

    @property
    def centre_filter(self) -> tuple[str, ...] | None:
        """For the lists: the centres whose dossiers this user sees, None for all."""
        return self.centres or None


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


StateDep = Annotated[WebState, Depends(get_state)]


def get_records(state: StateDep) -> Records:
    return state.records


RecordsDep = Annotated[Records, Depends(get_records)]


def _user(request: Request, state: WebState) -> User | None:
    """The user the request authenticates as; None when it carries nothing; 401 when what it carries is bad."""
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("send the API token as 'Authorization: Bearer TOKEN'")
        row = user_for_token(state.records, token.strip())
        if row is None:
            raise NotAuthenticated("unknown or revoked API token")
        return User(row.name, row.role, lang_or_default(row.lang), "token", centres=row.centres)
    cookie = request.cookies.get(SESSION_COOKIE)
    name = state.sessions.user_name(cookie)
    if cookie is None or name is None:
        return None
    row = state.records.user(name)
    if row is None or not row.active:
        return None
    if request.method not in _SAFE_METHODS and not state.sessions.csrf_ok(cookie, request.headers.get(CSRF_HEADER)):
        raise NotAllowed("a write from the pages must carry the X-CSRF-Token header")
    csrf = state.sessions.csrf_token(cookie)
    return User(row.name, row.role, lang_or_default(row.lang), "session", csrf, centres=row.centres)


def optional_user(request: Request, state: StateDep) -> User | None:
    try:
        return _user(request, state)
    except NotAuthenticated:
        return None


def current_user(request: Request, state: StateDep) -> User:
    user = _user(request, state)
    if user is None:
        raise NotAuthenticated("sign in, or send an API token")
    request.state.user = user  # for the error pages
    code = request.path_params.get("code")
    if code is not None:  # every route that names a dossier: not one in the trash, only the user's centres'
        gate = state.records.dossier_gate(code)  # one small query: (centre, in the trash), None for no dossier
        if gate is not None and (gate[1] or not user.sees(gate[0])):
            raise DossierNotFound(f"no dossier with code {code!r}")  # not 403: other centres' codes are not told
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]


def _require(permission: str):  # type: ignore[no-untyped-def]
    def check(user: CurrentUser) -> User:
        if not user.may(permission):
            raise NotAllowed(f"the {user.role} role may not {_WHAT[permission]}")
        return user

    return check


Viewer = Annotated[User, Depends(_require("view"))]
Uploader = Annotated[User, Depends(_require("upload"))]
Reviewer = Annotated[User, Depends(_require("review"))]
Admin = Annotated[User, Depends(_require("delete"))]
UserAdmin = Annotated[User, Depends(_require("users"))]
PortalAdmin = Annotated[User, Depends(_require("outbox"))]


def page_lang(request: Request, user: User | None) -> str:
    """The user's language; before sign-in, the one chosen on the sign-in page (cookie), else Vietnamese."""
    if user is not None:
        return user.lang
    return lang_or_default(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))
