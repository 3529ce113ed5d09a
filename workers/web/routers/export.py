"""API: a dossier exported as the portal takes it (`GET /api/dossiers/{code}/export`): a zip of its documents
as PDF/A-2b files, signed by the centre when a certificate is configured, and a manifest
(workers/usecases/export.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from workers.extras import require
from workers.web.deps import StateDep, Viewer
from workers.web.routers.dossiers import content_disposition

router = APIRouter(prefix="/api/dossiers", tags=["dossiers"])

_CHUNK = 1 << 20
_IN_MEMORY = 32 << 20  # a larger zip is spooled to a temporary file while it is sent


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(_CHUNK):
            yield chunk
    finally:
        spool.close()


@router.get(
    "/{code}/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/zip": {}}}},
    summary="The dossier as the portal takes it: one signed PDF/A-2b per document and a manifest, in a zip",
)
def get_export(code: str, state: StateDep, user: Viewer) -> StreamingResponse:
    """`manifest.json` in the zip names each file's component, document type, pages, SHA-256 and fields, and
    says whether the files are signed (`signed`, `signed_by`) or why not (`unsigned_reason`)."""
    require("export", "the export")
    from workers.usecases.export import export_dossier

    record = state.records.dossier(code)  # 404 before anything is made
    spool = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY, prefix="hoso-export-")  # noqa: SIM115 (closed by _chunks)
    try:
        export_dossier(state.settings, state.store, record, spool)  # type: ignore[arg-type]
    except BaseException:
        spool.close()
        raise
    state.records.audit_read(who=user.name, code=code, what="export")
    disposition = content_disposition(f"{code}.zip", "attachment")
    return StreamingResponse(_chunks(spool), media_type="application/zip", headers={"Content-Disposition": disposition})
