"""The pages: sign-in, the counter (receive a dossier, watch it processed), dossier, search, review queue and
the review workspace. Rendered on the server; fragments (`_*.html`) are fetched by the pages' JavaScript."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pipeline.completeness import completeness
from pipeline.corrections import apply_corrections
from pipeline.documents import type_documents
from schemas.errors import DossierNotFound, NotAllowed
from schemas.record import Dossier, DossierStatus
from workers.stores.records import CorrectionRow, DossierRow
from workers.usecases import classifier as classifiers
from workers.usecases import labels, procedures
from workers.usecases.sign_in import Verdict
from workers.web import review, search, views
from workers.web.auth import LANG_COOKIE, SESSION_COOKIE
from workers.web.deps import OptionalUser, Reviewer, StateDep, Uploader, User, Viewer, page_lang
from workers.web.i18n import LANGS, doc_type_choices, fmt_day, fmt_time, t
from workers.web.routers.dossiers import ListFilters
from workers.web.state import WebState

router = APIRouter(include_in_schema=False)

_FINAL = ("processed", "needs_review", "reviewed", "failed")
_TARPIT_S = 1.0  # a refused sign-in is answered after this long (or its wait, if shorter): no thread held


def render(
    state: WebState, request: Request, name: str, user: User | None, *, status_code: int = 200, **ctx: Any
) -> HTMLResponse:
    lang = page_lang(request, user)

    def tr(key: str, **values: object) -> str:
        return t(lang, key, **values)

    context = {
        "user": user,
        "lang": lang,
        "tr": tr,
        "csrf": user.csrf if user else "",
        "max_mb": state.settings.web.max_upload_mb,
        "fmt_time": fmt_time,
        "fmt_day": fmt_day,
        "path": request.url.path,
        **ctx,
    }
    return state.templates.TemplateResponse(request, name, context, status_code=status_code)


def _safe_next(target: str | None, default: str = "/") -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _home(user: User) -> str:
    return "/review" if user.role == "reviewer" else "/"


# --- signing in and out, language ---------------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, state: StateDep, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next, _home(user)), status_code=303)
    return render(state, request, "login.html", None, next=_safe_next(next, ""), failed=False)


@router.post("/login")
async def login(
    request: Request,
    state: StateDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "",
) -> Response:
    """Sign in: refused at once when throttled or locked; else the password checked when a check slot is
    free (waited for on the event loop, holding no thread, so signed-in users keep theirs)."""
    name = username.strip()
    address = request.client.host if request.client else "unknown"
    gate = state.sign_in
    verdict = await asyncio.wrap_future(gate.books.submit(gate.screen, name, address))
    if verdict is not None:
        await asyncio.sleep(min(verdict.retry_after_s or 1.0, _TARPIT_S))  # one client: one try a second at most
    elif not await _take_slot(gate.slots, state.settings.web.login_wait_seconds):
        verdict = Verdict("busy", retry_after_s=2.0)
        await asyncio.wrap_future(gate.books.submit(gate.audit, name, address, "busy"))
    else:
        try:
            verdict = await asyncio.wrap_future(gate.pool.submit(gate.check, name, password, address))
        finally:
            gate.slots.release()
    if verdict.outcome != "ok" or verdict.user is None:
        status = {"wrong": 401, "throttled": 429, "locked": 429, "busy": 503}[verdict.outcome]
        page = render(
            state,
            request,
            "login.html",
            None,
            status_code=status,
            next=_safe_next(next, ""),
            failed="failed" if verdict.outcome == "wrong" else verdict.outcome,
            retry_after=math.ceil(verdict.retry_after_s),
        )
        if verdict.retry_after_s:
            page.headers["Retry-After"] = str(math.ceil(verdict.retry_after_s))
        return page
    row = verdict.user
    user = User(row.name, row.role, row.lang, "session")
    response = RedirectResponse(_safe_next(next, _home(user)), status_code=303)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await run_in_threadpool(state.sessions.end, old)  # a new id at every sign-in
    cookie = await run_in_threadpool(state.sessions.issue, row.name)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=state.sessions.max_age_s,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


async def _take_slot(slots: threading.BoundedSemaphore, wait_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    while not slots.acquire(blocking=False):
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.05)
    return True


@router.post("/logout")
def logout(request: Request, state: StateDep, csrf: Annotated[str, Form()] = "") -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and not state.sessions.csrf_ok(cookie, csrf):
        raise NotAllowed("sign out from the pages (a CSRF token is missing)")
    if cookie:
        state.sessions.end(cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{lang}")
def choose_lang(lang: str, request: Request, state: StateDep, user: OptionalUser, next: str | None = None) -> Response:
    """The pages' language: the user's setting when signed in, a cookie before. A GET that changes a setting:
    taken only from our own pages or a typed address, not from a link or image on another site (the browser
    says where a request comes from in Sec-Fetch-Site)."""
    lang = lang if lang in LANGS else "vi"
    if request.headers.get("sec-fetch-site", "none") not in ("same-origin", "none"):
        return RedirectResponse(_safe_next(next), status_code=303)
    if user is not None:
        state.records.update_user(user.name, lang=lang)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


# --- the counter: receive a dossier, watch it processed ----------------------------------------------------------


@router.get("/")
def counter_page(request: Request, state: StateDep, user: Uploader) -> Response:
    recent = state.records.dossier_rows(centres=user.centre_filter, limit=12)
    lang = page_lang(request, user)
    to_complete = [
        (r, views.problem_views(lang, state.records.dossier(r.code, corrected=False).problems))
        for r in state.records.dossiers_to_complete(centres=user.centre_filter, limit=20)
    ]
    choices = procedures.catalog(state.settings).procedures
    return render(state, request, "counter.html", user, recent=recent, to_complete=to_complete, procedures=choices)


_PER_PAGE = 50


@router.get("/dossiers")
def dossier_list(
    request: Request,
    state: StateDep,
    user: Viewer,
    filters: ListFilters,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Every dossier the user may see, newest first, 50 a page: by status, days received, procedure, clerk, type."""
    rows, total = state.records.dossier_page(filters.where(user), offset=(page - 1) * _PER_PAGE, limit=_PER_PAGE)
    lang = page_lang(request, user)
    pages = max(1, math.ceil(total / _PER_PAGE))
    asked = {k: v for k, v in request.query_params.multi_items() if k != "page" and v}
    link = lambda n: "/dossiers?" + urlencode([*asked.items(), ("page", str(n))])  # noqa: E731
    names = {
        d.key: d.name_vi if lang == "vi" else (d.name_en or d.name_vi)
        for d in procedures.catalog(state.settings).procedures
    }
    return render(
        state, request, "dossiers.html", user, rows=rows, total=total, page=page, pages=pages, f=filters,
        prev_link=link(page - 1) if page > 1 else None, next_link=link(page + 1) if page < pages else None,
        procedures=names, types=doc_type_choices(lang), clerks=[u.name for u in state.records.users_list()],
        statuses=[s.value for s in DossierStatus], confidence=views.row_confidence,
    )  # fmt: skip


def _dossier_parts(state: WebState, code: str) -> tuple[DossierRow, Dossier, Dossier, list[CorrectionRow]]:
    rows = state.records.dossier_rows(codes=[code], limit=1)
    if not rows:
        raise DossierNotFound(f"no dossier with code {code!r}")
    raw = state.records.dossier(code, corrected=False)
    fixes = state.records.corrections_of(code)
    record = apply_corrections(raw, fixes) if fixes else raw
    procedure = state.records.procedure_of(code) if record.procedure else None
    if procedure is not None:  # judged on the corrected documents (a type a reviewer fixed counts)
        record = record.model_copy(update={"completeness": completeness(procedure, record.documents)})
    return rows[0], raw, record, fixes


@router.get("/dossiers/{code}")
def dossier_page(code: str, request: Request, state: StateDep, user: Viewer) -> Response:
    row, _raw, record, fixes = _dossier_parts(state, code)
    state.records.audit_read(who=user.name, code=code, what="record")
    lang = page_lang(request, user)
    view = views.dossier_view(lang, row, record, fixes)
    audit = views.audit_views(lang, fixes, record)
    # the PDF link only where there is a PDF: a dossier whose every file failed has no page image
    final = record.status.value in _FINAL and any(p.image_key for p in record.pages)
    return render(state, request, "dossier.html", user, d=view, audit=audit, final=final, c=record.completeness)


@router.get("/dossiers/{code}/summary")
def dossier_summary(code: str, request: Request, state: StateDep, user: Viewer) -> Response:
    row, _raw, record, fixes = _dossier_parts(state, code)
    state.records.audit_read(who=user.name, code=code, what="record")
    view = views.dossier_view(page_lang(request, user), row, record, fixes)
    return render(state, request, "_summary.html", user, d=view)


@router.get("/dossiers/{code}/completeness")
def dossier_completeness(code: str, request: Request, state: StateDep, user: Viewer) -> Response:
    """The papers the dossier's procedure requires, found (with their pages) or missing: from the documents once
    the dossier is processed, before that from the pages read so far (typed, not yet read for fields)."""
    procedure = state.records.procedure_of(code)
    if procedure is None:
        state.records.status(code)  # 404 for an unknown dossier
        return render(state, request, "_completeness.html", user, c=None)
    record = state.records.dossier(code)
    provisional = record.status.value not in _FINAL
    documents = record.documents
    if provisional:
        model = classifiers.current(state.settings)
        documents = type_documents(record.pages, model, labels.current_catalog(state.settings))
    result = completeness(procedure, documents)
    return render(state, request, "_completeness.html", user, c=result, procedure=procedure, provisional=provisional)


@router.get("/search")
def search_page(
    request: Request, state: StateDep, user: Viewer, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    hits = search.find(state.records, q, centres=user.centre_filter) if q.strip() else []
    exact = [h.row for h in hits if h.row.code.lower() == q.strip().lower()]
    if len(exact) == 1:  # a code typed or scanned at the counter: straight to the dossier
        return RedirectResponse(f"/dossiers/{quote(exact[0].code)}", status_code=303)
    return render(state, request, "search.html", user, q=q, results=hits, searched=bool(q.strip()))


# --- review --------------------------------------------------------------------------------------------------------


def _claimed_by(row: DossierRow, user: User) -> str | None:
    """The other reviewer who has the dossier open, while their claim lasts."""
    if row.claimed_by and row.claimed_by != user.name and (row.claimed_until or 0) > time.time():
        return row.claimed_by
    return None


@router.get("/review")
def queue_page(request: Request, state: StateDep, user: Reviewer) -> Response:
    queue = views.queue_rows(
        state.records.dossier_rows(statuses=["needs_review"], centres=user.centre_filter, limit=5000)
    )
    items = [(r, views.row_confidence(r), _claimed_by(r, user)) for r in queue]
    return render(state, request, "queue.html", user, items=items)


@router.get("/review/next")
def next_in_queue(state: StateDep, user: Reviewer, after: str | None = None) -> Response:
    """The next dossier in the queue nobody else has open, claimed for this reviewer in the same step (so two
    reviewers pressing "next" at once get two different dossiers)."""
    rows = views.queue_rows(
        state.records.dossier_rows(statuses=["needs_review"], centres=user.centre_filter, limit=5000)
    )
    queue = [r.code for r in rows if _claimed_by(r, user) is None]
    if after in queue:
        i = queue.index(after)
        queue = queue[i + 1 :] + queue[:i]
    if after:
        state.records.release(after, user.name)
    for code in (c for c in queue if c != after):
        if state.records.claim(code, user.name, seconds=review.CLAIM_S) == user.name:
            return RedirectResponse(f"/review/{quote(code)}", status_code=303)
    return RedirectResponse("/review", status_code=303)


def _start_page(record: Dossier) -> int:
    for doc in record.documents:
        if doc.needs_review and doc.pages:
            return doc.pages[0]
    return record.pages[0].number if record.pages else 1


@router.get("/review/{code}")
def review_page(
    code: str, request: Request, state: StateDep, user: Reviewer, page: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    row, raw, record, fixes = _dossier_parts(state, code)
    state.records.audit_read(who=user.name, code=code, what="record")
    holder = state.records.claim(code, user.name, seconds=review.CLAIM_S) if row.status == "needs_review" else user.name
    lang = page_lang(request, user)
    view = views.dossier_view(lang, row, record, fixes)
    view.pages = views.page_tabs(raw, record, fixes)
    current = page if page in [p.number for p in view.pages] else _start_page(record)
    shown_raw = next((p for p in raw.pages if p.number == current), None)
    doc = next((i for i, d in enumerate(record.documents) if current in d.pages), None)
    text_rows = [r for r in fixes if r.target in ("word", "line")]
    shown = views.page_view(shown_raw, text_rows, doc) if shown_raw is not None else None
    waiting = state.records.dossier_rows(statuses=["needs_review"], centres=user.centre_filter, limit=5000)
    queue = [r.code for r in views.queue_rows(waiting)]
    return render(
        state,
        request,
        "review.html",
        user,
        d=view,
        page=shown,
        audit=views.audit_views(lang, fixes, record),
        types=doc_type_choices(lang),
        queue_pos=(queue.index(code) + 1 if code in queue else 0, len(queue)),
        version=row.version,
        claimed_by=holder if holder != user.name else None,
        problems=views.problem_views(lang, record.problems),
        c=record.completeness,
    )


@router.get("/review/{code}/pages/{number}")
def review_page_fragment(code: str, number: int, request: Request, state: StateDep, user: Reviewer) -> Response:
    raw = state.records.page(code, number)
    if raw is None:
        raise DossierNotFound(f"dossier {code} has no processed page {number}")
    state.records.audit_read(who=user.name, code=code, what="page", page=number)
    fixes = [r for r in state.records.corrections_of(code) if r.target in ("word", "line")]
    record = state.records.dossier(code)
    doc = next((i for i, d in enumerate(record.documents) if number in d.pages), None)
    return render(state, request, "_page.html", user, code=code, page=views.page_view(raw, fixes, doc))


@router.get("/review/{code}/documents")
def review_documents(code: str, request: Request, state: StateDep, user: Reviewer) -> Response:
    row, _raw, record, fixes = _dossier_parts(state, code)
    lang = page_lang(request, user)
    view = views.dossier_view(lang, row, record, fixes)
    return render(
        state,
        request,
        "_documents.html",
        user,
        d=view,
        types=doc_type_choices(lang),
        audit=views.audit_views(lang, fixes, record),
    )
