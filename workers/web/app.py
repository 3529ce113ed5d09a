"""The web app's factory: `create_app(settings)` builds everything; importing this module builds nothing."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import Scope

from schemas.errors import (
    INTERNAL_HTTP_STATUS,
    INTERNAL_MESSAGE,
    DuplicateUpload,
    HosoError,
    NotAuthenticated,
    RequestError,
    StaleEdit,
)
from schemas.record import DossierStatus
from workers.settings import Settings
from workers.stores.objects import make_store
from workers.stores.records import Records
from workers.usecases.deletion import purge_trash
from workers.usecases.outbox import delivering
from workers.usecases.retention import prune
from workers.usecases.sign_in import SignInGate
from workers.web import search
from workers.web.auth import Sessions, secret_key
from workers.web.deps import page_lang
from workers.web.headers import SecurityHeaders
from workers.web.i18n import t, t_or
from workers.web.jobs import Runner
from workers.web.routers import dossiers, export, me, outbox, pages, review, trash, users
from workers.web.routers import search as search_api
from workers.web.state import PACKAGE_DIR, WebState
from workers.web.uploads import BodyLimit

log = logging.getLogger("hoso.web")

DESCRIPTION = """\
Dossiers for the public-administration service centres: upload the scans of a citizen's dossier, follow
its processing, read its record, correct it, find it.

Authenticate with `Authorization: Bearer TOKEN` (`hoso user add NAME --role ROLE` prints a token). Roles:
`counter` (receive and read dossiers), `reviewer` (also correct them), `admin` (also delete).
Errors come as `{"error": kind, "message", "advice", "file"}` with the HTTP status of their kind.
"""


def create_app(settings: Settings, *, resume: bool = True) -> FastAPI:
    """The app, with its record database, object store and pipeline runner (started on first use)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    records = Records(settings.db_url)
    runner = Runner(settings, records, on_done=lambda code: search.reindex(records, code))
    state = WebState(
        settings=settings,
        records=records,
        store=make_store(settings),
        runner=runner,
        sessions=Sessions(
            records,
            secret_key(settings),
            lifetime_s=settings.web.session_hours * 3600.0,
            idle_s=settings.web.session_idle_minutes * 60.0,
        ),
        templates=_templates(),
        sign_in=SignInGate(records, hashes=settings.web.login_hashes, lock_after=settings.web.lock_after),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if resume:
            _resume(state)
        try:  # housekeeping: a failure is logged and retried at the next start, never a server that will not start
            prune(records, settings.audit_days)  # the audits past their retention
            purge_trash(records, state.store, settings.delete_grace_days)  # dossiers whose trash days are over
        except HosoError as exc:
            log.error("housekeeping at start failed: %s", exc.kind, extra={"stage": "web", "error": exc.kind})
        try:
            with delivering(records, settings.portal):  # status changes to the portal, on a thread
                yield
        finally:
            state.close()

    app = FastAPI(
        title="hoso",
        summary="Scanned Vietnamese dossiers to structured dossier records",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: /docs is served from here instead
        redoc_url=None,
    )
    app.state.web = state
    app.add_middleware(BodyLimit, max_bytes=state.max_upload_bytes + (1 << 20))  # + the form's other fields
    app.add_middleware(SecurityHeaders, hsts=settings.web.hsts)
    app.mount("/static", _Static(directory=PACKAGE_DIR / "static"), name="static")
    routers = (dossiers, export, review, search_api, me, users, outbox, trash, pages)
    for router in (r.router for r in routers):
        app.include_router(router)
    app.add_api_route("/docs", lambda: _api_docs(app), methods=["GET"], include_in_schema=False)
    app.add_exception_handler(HosoError, _error_handler)
    app.add_exception_handler(RequestValidationError, _invalid_request_handler)
    app.add_exception_handler(Exception, _error_handler)  # a bug: 500, logged with its traceback
    return app


class _Static(StaticFiles):
    """The pages' CSS and JavaScript, cached by browsers for a day: their URLs carry a hash of their content
    (`static()` in the templates), so a changed file is fetched at once."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=PACKAGE_DIR / "templates")
    templates.env.autoescape = True
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True
    versions = {
        f.name: hashlib.sha256(f.read_bytes()).hexdigest()[:12]
        for f in (PACKAGE_DIR / "static").iterdir()
        if f.is_file()
    }
    templates.env.globals["static"] = lambda name: f"/static/{name}?v={versions.get(name, '0')}"
    return templates


def _api_docs(app: FastAPI) -> HTMLResponse:
    """The API's reference, from its OpenAPI description, with nothing loaded from elsewhere (no Swagger UI: its
    files are not installed, and a CDN is no place to load a page that holds a token from)."""
    spec = app.openapi()
    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            rows.append(
                f"<tr><td><code>{escape(method.upper())}</code></td><td><code>{escape(path)}</code></td>"
                f"<td>{escape(str(op.get('summary', '')))}</td></tr>"
            )
    body = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>hoso API</title>'
        f'<link rel="stylesheet" href="/static/app.css"><main class="page"><h1>hoso API {escape(app.version)}</h1>'
        f"<p>{escape(app.description).replace(chr(10) + chr(10), '</p><p>')}</p>"
        '<p>The whole description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3).</p>'
        f"<table><tr><th>Method</th><th>Path</th><th>What</th></tr>{''.join(rows)}</table></main></html>"
    )
    return HTMLResponse(body)


def _resume(state: WebState) -> None:
    """Dossiers left received or processing by a stopped server go on (their uploads are kept until taken in)."""
    if state.runner.mode != "embedded":
        return  # the cluster's sweeper sees to them
    waiting = state.records.dossier_rows(statuses=[DossierStatus.received.value, DossierStatus.processing.value])
    for row in reversed(waiting):  # oldest first
        upload = state.uploads_dir / row.code
        log.info("resuming dossier", extra={"dossier": row.code, "stage": "web"})
        if upload.is_dir():  # stopped before its originals were stored
            state.runner.submit(row.code, sorted(p for p in upload.rglob("*") if p.is_file()), upload)
        else:
            state.runner.start(row.code)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


async def _error_handler(request: Request, exc: Exception) -> Response:
    """The one place errors become HTTP answers: JSON for the API, a page (or the sign-in) for the pages. A
    HosoError answers with its status and advice; anything else is a bug: its traceback in the log, and to the
    client a 500 with a generic message (nothing of the exception)."""
    if not isinstance(exc, HosoError):
        log.error("request failed: internal error", exc_info=exc, extra={"stage": "web", "error": "InternalError"})
        return _internal_error(request)
    if exc.http_status >= 500:
        # the kind and the route, not the message: it may name a file or a citizen
        log.error("request failed: %s on %s", exc.kind, request.url.path, extra={"stage": "web", "error": exc.kind})
    if _wants_html(request):
        if isinstance(exc, NotAuthenticated):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        user = getattr(request.state, "user", None)
        lang = page_lang(request, user)
        message = {404: t(lang, "not_found"), 403: t(lang, "forbidden")}.get(exc.http_status)
        message = message or t_or(lang, f"err_{exc.kind}", exc.message)
        # the advice in the page's language; the English text of the error family only on English pages
        advice = t_or(lang, f"advice_{exc.kind}", str(exc) if lang == "en" else "")
        return _error_page(request, message, advice, exc.http_status)
    body: dict[str, Any] = {"error": exc.kind, "message": exc.message, "advice": exc.advice, "file": exc.file}
    if isinstance(exc, StaleEdit):
        body |= {"version": exc.version, "current": exc.current}
    if isinstance(exc, DuplicateUpload):
        body |= {"duplicates": exc.duplicates}
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    return JSONResponse(body, status_code=exc.http_status, headers=headers)


def _error_page(request: Request, message: str, advice: str, status: int) -> Response:
    state: WebState = request.app.state.web
    user = getattr(request.state, "user", None)
    lang = page_lang(request, user)
    context = {
        "user": user,
        "lang": lang,
        "tr": lambda k, **v: t(lang, k, **v),
        "csrf": getattr(user, "csrf", ""),
        "message": message,
        "detail": advice,
        "path": request.url.path,
    }
    return state.templates.TemplateResponse(request, "error.html", context, status_code=status)


async def _invalid_request_handler(request: Request, exc: Exception) -> Response:
    """A query or form FastAPI could not validate (`?page=abc`, a 600-letter search): a page in the user's language
    naming the parameter, or for the API the error family's JSON (FastAPI's own `detail` list kept beside it)."""
    assert isinstance(exc, RequestValidationError)
    names = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
    if _wants_html(request):
        lang = page_lang(request, getattr(request.state, "user", None))
        return _error_page(
            request, t(lang, "err_bad_parameter", names=", ".join(names)), t(lang, "advice_bad_parameter"), 422
        )
    body = {
        "error": "RequestError",
        "message": f"invalid request parameter: {', '.join(names)}",
        "advice": RequestError.advice,
        "file": None,
        "detail": jsonable_encoder(exc.errors()),
    }
    return JSONResponse(body, status_code=422)


def _internal_error(request: Request) -> Response:
    message, advice = INTERNAL_MESSAGE.split(": ", 1)
    if _wants_html(request):
        return HTMLResponse(f"<!doctype html><title>500</title><p>{message}: {advice}</p>", INTERNAL_HTTP_STATUS)
    body = {"error": "InternalError", "message": message, "advice": advice, "file": None}
    return JSONResponse(body, status_code=INTERNAL_HTTP_STATUS)
