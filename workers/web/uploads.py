"""Uploaded scans to files on disk: limited in size and checked by their content, never by their name.

Each file is kept under its own name (the name the record shows) in a numbered folder, so that two files
with the same name stay apart and the order of the upload is the order of the pages.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.raster import sniff
from schemas.errors import EmptyFile, NotADocument, RequestError, UploadTooLarge

_CHUNK = 1 << 20
_HEAD = 2048
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_name(name: str | None, position: int) -> str:
    """The file's own name without folders or characters a file system refuses; NFC; never empty."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE.sub("_", base).strip(" .")[:200]
    return base or f"scan-{position:03d}"


async def save_uploads(files: Sequence[UploadFile], dest: Path, *, max_bytes: int) -> list[Path]:
    """Write the uploads under `dest` in order; refuse the lot if one is not a scan or they are too big."""
    if not files:
        raise RequestError("no files: send the scans as multipart form data under 'files'")
    saved: list[Path] = []
    total = 0
    try:
        for position, upload in enumerate(files, start=1):
            name = safe_name(upload.filename, position)
            head = await upload.read(_HEAD)
            if not head:
                raise EmptyFile("the file is empty", file=name)
            if sniff(head) is None:
                raise NotADocument("not a PDF, TIFF, JPEG or PNG scan (judged by its content)", file=name)
            path = dest / f"{position:03d}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as out:
                chunk = head
                while chunk:
                    total += len(chunk)
                    if total > max_bytes:
                        raise UploadTooLarge(f"the upload is larger than {max_bytes // (1 << 20)} MB", file=name)
                    await run_in_threadpool(out.write, chunk)  # the server goes on answering meanwhile
                    chunk = await upload.read(_CHUNK)
            saved.append(path)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return saved


class BodyLimit:
    """Refuses request bodies over the limit before they are read into temporary files (413)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, self.max_bytes)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, max_bytes: int) -> None:
    import json

    err = UploadTooLarge(f"the request is larger than {max_bytes // (1 << 20)} MB")
    body: dict[str, Any] = {"error": err.kind, "message": err.message, "advice": err.advice, "file": None}
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": err.http_status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})
