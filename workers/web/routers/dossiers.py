"""API: dossiers — create with scans, read the record and its status, page images, searchable PDF, delete."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import secrets
import shutil
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from pipeline.pdf import PdfPage, write_searchable_pdf
from schemas.codes import checked_centres, checked_code
from schemas.errors import (
    DossierExists,
    DossierNotFound,
    DuplicateUpload,
    NotAllowed,
    NotARefusedFile,
    PageLimitReached,
)
from schemas.record import Dossier, DossierStatus
from workers.stores.objects import ObjectStore, sha256_file
from workers.stores.records import DossierFilter, Records
from workers.usecases import deletion, intake, page_quota, procedures
from workers.usecases.intake import Channel, new_code
from workers.web.deps import Admin, RecordsDep, StateDep, Uploader, User, Viewer
from workers.web.i18n import day_start
from workers.web.models import Created, DossierStatusOut, DossierSummary, PageState
from workers.web.uploads import save_uploads
from workers.web.views import row_confidence

log = logging.getLogger("hoso.web")
router = APIRouter(prefix="/api/dossiers", tags=["dossiers"])

_MAX_WAIT_S = 25.0
_POLL_S = 0.15


def _json(record: Dossier) -> Response:
    return Response(record.model_dump_json(), media_type="application/json")


@router.post("", status_code=201, response_model=Created, summary="Create a dossier from its scans")
async def create_dossier(
    request: Request,
    state: StateDep,
    user: Uploader,
    response: Response,
    files: Annotated[list[UploadFile], File(description="the scans, in page order: PDF, TIFF, JPEG or PNG")],
    code: Annotated[str | None, Form(description="the dossier code; empty: a new one")] = None,
    citizen_name: Annotated[str | None, Form(max_length=200)] = None,
    procedure: Annotated[
        str | None, Form(max_length=300, description="the procedure's key (schemas/procedures.json) or name")
    ] = None,
    centre: Annotated[str | None, Form(max_length=64, description="the receiving centre; empty: the user's")] = None,
    check_duplicates: Annotated[
        bool, Form(description="refuse (409 DuplicateUpload) files other dossiers hold: the counter page asks first")
    ] = False,
) -> Created:
    """The scans are checked by content and stored, and processing starts in the background; the dossier's
    progress is at `GET /api/dossiers/{code}/status`."""
    records = state.records
    centre = receiving_centre(user, centre)
    code = checked_code(code.strip()) if code and code.strip() else new_code()  # the one pattern (schemas/codes.py)
    if await run_in_threadpool(records.exists, code):
        raise DossierExists(f"dossier {code} exists already")
    named = procedures.of_form(state.settings, procedure)  # a key or a name; an unknown key: 422 with the keys
    incoming = state.uploads_dir / f".incoming-{secrets.token_hex(8)}"
    paths = await save_uploads(files, incoming, max_bytes=state.max_upload_bytes)
    hashes: dict[Path, str] = {}  # hashed once, by the duplicate check, for the intake too
    if check_duplicates:
        try:
            hashes = await run_in_threadpool(_refuse_duplicates, records, user, paths)
        except BaseException:  # refused, or the check failed: the upload is not left behind
            shutil.rmtree(incoming, ignore_errors=True)
            raise
    try:  # the page limit per user per hour
        limit = state.settings.web.max_pages_per_hour
        pages = await run_in_threadpool(
            page_quota.check_upload, records, state.settings.pipeline, user.name, paths, limit
        )
    except PageLimitReached:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    # the API is called with a token; the counter's upload page with its session
    channel = Channel.api if request.headers.get("authorization") else Channel.counter
    meta = {
        "channel": channel.value,
        "citizen_name": unicodedata.normalize("NFC", (citizen_name or "").strip()),
        "procedure": named.name_vi if named else unicodedata.normalize("NFC", (procedure or "").strip()),
        "received_by": user.name,
        "centre": centre,
        "pages": pages,
        "files": [p.name for p in paths],
    }
    if not await run_in_threadpool(records.create_dossier, code, meta):
        shutil.rmtree(incoming, ignore_errors=True)
        raise DossierExists(f"dossier {code} exists already")
    if named is not None:
        await run_in_threadpool(records.set_procedure, code, named)
    dest = state.uploads_dir / code
    shutil.rmtree(dest, ignore_errors=True)
    incoming.rename(dest)
    moved = {p: dest / p.relative_to(incoming) for p in paths}
    paths = list(moved.values())
    hashes = {moved[p]: sha for p, sha in hashes.items()}
    await run_in_threadpool(lambda: state.runner.submit(code, paths, dest, channel=channel, hashes=hashes))
    log.info("dossier received", extra={"dossier": code, "stage": "web", "count": len(paths), "who": user.name})
    response.headers["Location"] = f"/api/dossiers/{code}"
    return Created(code=code)


class ListQuery:
    """The filters of a dossier list (the API's and the page's): status, days received, procedure, clerk, type."""

    def __init__(
        self,
        status: Annotated[list[str] | None, Query(description="only these statuses")] = None,
        since: Annotated[str, Query(max_length=10, description="received on or after this day (yyyy-mm-dd)")] = "",
        until: Annotated[str, Query(max_length=10, description="received on or before this day (yyyy-mm-dd)")] = "",
        procedure: Annotated[str, Query(max_length=64, description="the procedure's key")] = "",
        received_by: Annotated[str, Query(max_length=100, description="the user who received it")] = "",
        type: Annotated[str, Query(max_length=64, description="holds a document of this type")] = "",
    ) -> None:
        self.status = [s for s in status or [] if s]
        self.since, self.until = since, until
        self.procedure, self.received_by, self.type = procedure.strip(), received_by.strip(), type.strip()

    def where(self, user: User) -> DossierFilter:
        end = day_start(self.until)
        return DossierFilter(
            statuses=tuple(self.status) or None,
            received_from=day_start(self.since),
            received_until=None if end is None else end + 86400,
            procedure=self.procedure or None,
            received_by=self.received_by or None,
            doc_type=self.type or None,
            centres=user.centre_filter,
        )


ListFilters = Annotated[ListQuery, Depends()]


@router.get("", response_model=list[DossierSummary], summary="List dossiers, newest first (filters, paging)")
def list_dossiers(
    records: RecordsDep,
    user: Viewer,
    filters: ListFilters,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[DossierSummary]:
    rows, total = records.dossier_page(filters.where(user), offset=offset, limit=limit)
    response.headers["X-Total-Count"] = str(total)  # all the filters select, for paging
    return [DossierSummary.of(r, row_confidence(r)) for r in rows]


@router.get(
    "/{code}",
    response_model=None,
    responses={200: {"model": Dossier, "description": "the dossier record (schemas/dossier.schema.json)"}},
    summary="The dossier record",
)
def get_dossier(
    code: str,
    records: RecordsDep,
    user: Viewer,
    corrected: Annotated[bool, Query(description="with reviewers' corrections (false: as the machine read it)")] = True,
) -> Response:
    record = records.dossier(code, corrected=corrected)
    records.audit_read(who=user.name, code=code, what="record")
    return _json(record)


def _status(records: Records, code: str) -> DossierStatusOut:
    status = records.status(code)
    states = records.page_states(code)
    counts: dict[str, int] = {}
    for _n, s in states:
        counts[s] = counts.get(s, 0) + 1
    version = ".".join(
        [status.value, str(len(states)), *(str(counts.get(s, 0)) for s in ("done", "failed", "running"))]
    )
    return DossierStatusOut(
        code=code,
        status=status.value,
        pages_done=counts.get("done", 0),
        pages_total=len(states),
        pages_failed=counts.get("failed", 0),
        pages=[PageState(number=n, state=s) for n, s in states],  # type: ignore[arg-type]
        version=version,
    )


@router.get("/{code}/status", response_model=DossierStatusOut, summary="Where the dossier is")
async def get_status(
    code: str,
    state: StateDep,
    _user: Viewer,
    wait: Annotated[float, Query(ge=0, le=_MAX_WAIT_S, description="seconds to wait for a change")] = 0,
    since: Annotated[str | None, Query(description="the `version` last seen: answer when it changes")] = None,
) -> DossierStatusOut:
    """`{"code", "status", "pages_done", "pages_total"}` (and each page's state). With `wait` and `since`, the
    answer comes as soon as something changes, or after `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        out = await run_in_threadpool(_status, state.records, code)
        if not wait or out.version != since or time.monotonic() >= deadline:
            return out
        await asyncio.sleep(_POLL_S)


@router.get(
    "/{code}/pages/{number}/image",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
    summary="A page as straightened (word boxes refer to it)",
)
def page_image(code: str, number: int, state: StateDep, user: Viewer) -> Response:
    page = state.records.page(code, number)
    if page is None or page.image_key is None:
        raise DossierNotFound(f"dossier {code} has no image of page {number}")
    data = state.store.get_bytes(page.image_key)
    state.records.audit_read(who=user.name, code=code, what="image", page=number)
    return Response(data, media_type="image/jpeg")  # Cache-Control: no-store (workers/web/headers.py)


def searchable_pdf(store: ObjectStore, record: Dossier) -> bytes:
    """The pages' images with the corrected text as an invisible layer (made now, so it follows corrections)."""
    with_image = [p for p in record.pages if p.image_key]
    if not with_image:
        raise DossierNotFound(f"dossier {record.code} has no processed page yet")

    def pages() -> Iterator[PdfPage]:
        for p in with_image:
            assert p.image_key is not None
            yield PdfPage(jpeg=store.get_bytes(p.image_key), width=p.width, height=p.height, dpi=p.dpi, words=p.words)

    out = io.BytesIO()
    write_searchable_pdf(pages(), out)
    return out.getvalue()


@router.get(
    "/{code}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    summary="The searchable PDF: page images with the (corrected) text layer",
)
def get_pdf(code: str, state: StateDep, user: Viewer) -> Response:
    data = searchable_pdf(state.store, state.records.dossier(code))
    state.records.audit_read(who=user.name, code=code, what="pdf")
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": pdf_disposition(code)})


def _refuse_duplicates(records: Records, user: User, paths: list[Path]) -> dict[Path, str]:
    """`DuplicateUpload` naming each file that dossiers the user can see already hold (the same scan sent twice);
    else the files' SHA-256 (the intake uses them rather than reading the files again)."""
    found: list[dict[str, object]] = []
    hashes = {path: sha256_file(path) for path in paths}
    for path in paths:
        holders = records.dossiers_with_file(hashes[path])
        seen = [r.code for r in records.dossier_rows(codes=holders, limit=20) if user.sees(r.centre)] if holders else []
        if seen:
            found.append({"file": path.name, "dossiers": seen})
    if found:
        names = ", ".join(str(d["file"]) for d in found)
        raise DuplicateUpload(f"already received: {names}", duplicates=found)
    return hashes


@router.post("/{code}/files", status_code=202, response_model=Created, summary="Add files to a dossier")
async def add_files(
    code: str,
    state: StateDep,
    user: Uploader,
    files: Annotated[list[UploadFile], File(description="PDF, TIFF, JPEG or PNG scans")],
    replace: Annotated[str | None, Form(max_length=255, description="the refused file these replace")] = None,
) -> Created:
    """Papers brought later, or a readable scan for one that was refused: stored and read after the dossier's own
    files; the dossier is read again (its documents and completeness) and a replaced file's problem goes."""
    records = state.records
    # told before the upload is read; checked again, with the dossier reopened in the same update, by the intake
    status = await run_in_threadpool(records.status, code)
    if status in (DossierStatus.received, DossierStatus.processing, DossierStatus.reviewed):
        raise intake.not_open_to_files(code, status)
    name = (replace or "").strip() or None
    if name is not None and name not in await run_in_threadpool(intake.refused_names, records, code):
        raise NotARefusedFile(f"dossier {code} has no refused file named {name!r} to replace")
    incoming = state.uploads_dir / f".incoming-{secrets.token_hex(8)}"
    paths = await save_uploads(files, incoming, max_bytes=state.max_upload_bytes)
    limit = state.settings.web.max_pages_per_hour
    try:
        await run_in_threadpool(page_quota.check_upload, records, state.settings.pipeline, user.name, paths, limit)
    except PageLimitReached:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    await run_in_threadpool(
        lambda: state.runner.submit(code, paths, incoming, channel=Channel.counter, append=True, replaces=name)
    )
    log.info("files added", extra={"dossier": code, "stage": "web", "count": len(paths), "who": user.name})
    return Created(code=code)


@router.get("/{code}/qr.svg", response_class=Response, summary="The dossier's code as a QR code (the slip's)")
def qr_code(code: str, records: RecordsDep, _user: Viewer) -> Response:
    """The code (and the procedure's key, `CODE|KEY`, as receipt sheets carry it): printed on the citizen's slip,
    which can then lead the dossier's pages through a scanner."""
    import zxingcpp

    rows = records.dossier_rows(codes=[code], limit=1)
    if not rows:
        raise DossierNotFound(f"no dossier with code {code!r}")
    procedure = records.procedure_of(code)
    text = f"{code}|{procedure.key}" if procedure else code
    svg = zxingcpp.write_barcode_to_svg(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode), scale=4)
    return Response(svg, media_type="image/svg+xml")


def receiving_centre(user: User, asked: str | None) -> str | None:
    """The centre a new dossier belongs to: the one asked for, if the user serves it, else the user's first;
    None for a user of every centre who names none."""
    asked = (asked or "").strip() or None
    if not user.centres:
        return checked_centres([asked])[0] if asked else None
    if asked is None:
        return user.centres[0]
    if asked not in user.centres:
        raise NotAllowed(f"{user.name} does not serve centre {asked!r}")
    return asked


def pdf_disposition(code: str) -> str:
    """`inline; filename=…` for the dossier's PDF, whatever its code holds (see `content_disposition`)."""
    return content_disposition(f"{code}.pdf")


def content_disposition(name: str, kind: str = "inline") -> str:
    """`inline; filename=…` (or `attachment`): an ASCII fallback with anything but letters, digits and `._-`
    replaced, and the name itself percent-encoded (RFC 6266, `filename*`)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.delete("/{code}", status_code=204, response_class=Response, summary="Delete a dossier (admin)")
def delete_dossier(code: str, state: StateDep, user: Admin) -> Response:
    """For good at once (objects, rows; the audit kept), or to the trash for HOSO_DELETE_GRACE_DAYS."""
    grace = state.settings.delete_grace_days
    deletion.delete_in_app(state.records, state.store, code, who=user.name, grace_days=grace)
    return Response(status_code=204)
