"""The page limit per user per hour: one account cannot queue pages without end (a 400,000-page upload).

An upload's pages are counted before the dossier is made (a file that cannot be read counts none: the
intake records why); the pages one user uploaded in the last hour are those of the dossiers received by
them since, as their meta records (`pages`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from schemas.errors import InputError, PageLimitReached
from workers.settings import PipelineSettings
from workers.stores.records import Records

HOUR_S = 3600.0


def upload_pages(paths: Sequence[Path], settings: PipelineSettings) -> int:
    """The pages of the uploaded files, as the intake will count them."""
    from pipeline import raster

    total = 0
    for path in paths:
        try:
            total += raster.inspect(path, settings).pages
        except InputError:
            continue  # refused by the intake, with its reason, and never read
    return total


def pages_in_last_hour(records: Records, user: str, *, now: float | None = None) -> int:
    since = (now if now is not None else time.time()) - HOUR_S
    rows = records.dossier_rows(received_since=since, limit=100_000)
    return sum(int(r.meta.get("pages") or 0) for r in rows if r.meta.get("received_by") == user)


def check_upload(records: Records, settings: PipelineSettings, user: str, paths: Sequence[Path], limit: int) -> int:
    """The upload's pages; PageLimitReached when they would take the user over `limit` pages in an hour."""
    pages = upload_pages(paths, settings)
    if limit <= 0:
        return pages
    before = pages_in_last_hour(records, user)
    if before + pages > limit:
        raise PageLimitReached(
            f"this upload has {pages} pages and {user} has uploaded {before} in the last hour: "
            f"over the limit of {limit} pages a user an hour"
        )
    return pages
