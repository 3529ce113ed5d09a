"""The cluster's actors: intake → page (fanned out on the "ocr" queue) → dossier.

Import this module only after `workers.broker.build_broker`: the actors are declared on that broker.

Messages carry a dossier code and page numbers, never bytes; the record database says what is done.
Every actor is idempotent:

- intake: reads the dossier's submitted originals (already in object storage), counts their pages and
  creates the page rows (keyed by dossier and number, so twice is once), then sends a message per page
  still pending. A file that cannot be read is recorded with its reason and skipped.
- page: claims the page (`Records.claim_page`: not if done, not if leased to a live worker), runs
  `PageWorker` (orient, deskew, OCR, the straightened image stored), records the result
  (`finish_page`: only the first result counts). When no page of the dossier is pending or running any
  more, it sends the dossier message.
- dossier: documents, fields and status (`finish_dossier`), then the artifacts (TSV per page, the
  searchable PDF). A dossier already finished is left as it is (its artifacts written if missing).

Errors are translated here and only here: a transient error (storage or database away) becomes a Dramatiq
`Retry`, retried with exponential backoff (the page is handed back first, so the retry can claim it);
bad input (`InputError`) is recorded and never retried (`throws`); anything else is retried a couple of
times, then the page is recorded as failed so that the dossier can still finish.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import dramatiq
from dramatiq.middleware import CurrentMessage

from pipeline import raster
from schemas.errors import (
    ConfigError,
    DossierNotFound,
    HosoError,
    InputError,
    MissingFile,
    MissingLanguage,
    TransientError,
)
from schemas.record import DossierStatus
from workers import broker as _broker_module
from workers import metrics
from workers.artifacts import pdf_key, write_artifacts
from workers.dossier import finish_dossier
from workers.pagework import PageWorker
from workers.records import Records
from workers.settings import Settings
from workers.storage import ObjectStore, make_store, original_key

log = logging.getLogger("hoso.actors")

P = ParamSpec("P")
R = TypeVar("R")

_broker, _options = _broker_module.current()

OCR_QUEUE = "ocr"
DOSSIER_QUEUE = "dossiers"
# Permanent errors: the message fails at once, logged by kind only (no traceback, no message text).
_PERMANENT = (InputError, ConfigError, DossierNotFound, MissingLanguage)


# --- what a worker process holds ------------------------------------------------------------------------


class Context:
    """The record database, the object store and the page worker (OCR engine) of one worker process.

    Made on first use, so that a worker starts while the database or storage is still away."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def records(self) -> Records:
        return Records(self.settings.db_url)

    @cached_property
    def store(self) -> ObjectStore:
        return make_store(self.settings)

    @cached_property
    def page_worker(self) -> PageWorker:
        return PageWorker(self.settings, store=self.store)


_context: Context | None = None


def configure(settings: Settings, *, warm: bool = False) -> Context:
    """Set this process's context; with `warm`, load the OCR engine now rather than on the first page."""
    global _context
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract single-threaded: one page per core
    _context = Context(settings)
    if warm:
        _ = _context.page_worker.engine
    return _context


def context() -> Context:
    if _context is None:
        raise RuntimeError("workers.actors.configure(settings) was not called in this process")
    return _context


# --- retry policy ---------------------------------------------------------------------------------------


def should_retry(retries: int, exc: BaseException) -> bool:
    """Dramatiq's `retry_when`: transient errors (raised as Retry) for long, others a couple of times."""
    if isinstance(exc, dramatiq.Retry):
        return retries < _options.transient_retries
    if isinstance(exc, HosoError) and not exc.retry:
        return False
    return retries < _options.other_retries


def _retries_so_far() -> int:
    message = CurrentMessage.get_current_message()
    return int(message.options.get("retries", 0)) if message is not None else 0


def _transient_as_retry(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except TransientError as exc:
            raise dramatiq.Retry(exc.kind) from exc

    return wrapper


_RETRY_OPTIONS: dict[str, Any] = {
    "retry_when": should_retry,
    "min_backoff": _options.min_backoff_ms,
    "max_backoff": _options.max_backoff_ms,
    "throws": _PERMANENT,
}


# --- the stages ---------------------------------------------------------------------------------------------


def run_intake(ctx: Context, code: str) -> None:
    records, store, settings = ctx.records, ctx.store, ctx.settings
    status = records.status(code)
    if status == DossierStatus.reviewed:
        return  # a reviewer's verdict stands
    t0 = time.perf_counter()
    number = 1
    for f in records.files(code):
        if f.error_kind or f.sha256 is None:
            continue
        count = f.pages
        if f.kind is None or count is None:
            try:
                path = store.local_path(original_key(f.sha256))
                info = raster.inspect(path, settings.pipeline, name=f.name)
            except FileNotFoundError:
                missing = MissingFile("the original is not in object storage", file=f.name)
                records.add_file(code, f.position, f.name, sha256=f.sha256, error_kind=missing.kind,
                                 error_message=missing.message)  # fmt: skip
                log.warning("file refused", extra={"dossier": code, "stage": "intake", "error": missing.kind})
                continue
            except InputError as exc:
                records.add_file(code, f.position, f.name, sha256=f.sha256, error_kind=exc.kind,
                                 error_message=exc.message)  # fmt: skip
                log.warning("file refused", extra={"dossier": code, "stage": "intake", "error": exc.kind})
                continue
            records.add_file(code, f.position, f.name, sha256=f.sha256, kind=info.kind, page_count=info.pages)
            count = info.pages
        records.add_pages(code, f.position, number, count)
        number += count
    counts = records.page_counts(code)
    if status == DossierStatus.received or counts.get("pending", 0):
        records.set_status(code, DossierStatus.processing)
    pending = records.page_tasks(code, states=("pending",))
    for task in pending:
        page.send(code, task.number)
    if not counts.get("pending", 0) and not counts.get("running", 0):
        dossier.send(code)  # nothing to read (every file refused), or every page read already
    log.info(
        "dossier taken in",
        extra={"dossier": code, "stage": "intake", "pages": number - 1, "count": len(pending),
               "seconds": round(time.perf_counter() - t0, 3)},
    )  # fmt: skip


def _maybe_finish(ctx: Context, code: str) -> None:
    counts = ctx.records.page_counts(code)
    if not counts.get("pending", 0) and not counts.get("running", 0):
        dossier.send(code)


def run_page(ctx: Context, code: str, number: int) -> None:
    records = ctx.records
    if not records.claim_page(code, number, _options.lease_s):
        metrics.SKIPPED.labels(stage="page").inc()
        log.info("page skipped: done or taken", extra={"dossier": code, "page": number, "stage": "page"})
        # A repeat, or the retry of a run whose last step failed: make sure the dossier stage follows.
        _maybe_finish(ctx, code)
        return
    try:
        task = records.page_task(code, number)
        if task is None:
            raise DossierNotFound(f"no page {number} in dossier {code}")
        outcome = ctx.page_worker.run(task)
        finished = records.finish_page(code, number, outcome.page)
    except TransientError as exc:
        _release(ctx, code, number, exc)
        raise
    except InputError as exc:  # the page cannot be read: recorded, never retried
        _give_up(ctx, code, number, exc)
        raise
    except BaseException as exc:  # also Dramatiq's time limit (an Interrupt)
        if should_retry(_retries_so_far(), exc):
            _release(ctx, code, number, exc)
        else:
            _give_up(ctx, code, number, exc)
        raise
    if finished:
        metrics.PAGES_DONE.inc()
        for step, seconds in outcome.timings.items():
            metrics.STAGE_SECONDS.labels(stage=step).observe(seconds)
    else:
        metrics.SKIPPED.labels(stage="page").inc()
    _maybe_finish(ctx, code)


def _release(ctx: Context, code: str, number: int, exc: BaseException) -> None:
    # When the database is away too, the lease runs out and the sweeper sends the page again.
    with contextlib.suppress(TransientError):
        ctx.records.release_page(code, number, f"{type(exc).__name__}: {exc}")


def _give_up(ctx: Context, code: str, number: int, exc: BaseException) -> None:
    kind = type(exc).__name__
    ctx.records.fail_page(code, number, f"{kind}: {exc}")
    metrics.PAGES_FAILED.labels(error=kind).inc()
    log.error("page failed", extra={"dossier": code, "page": number, "stage": "page", "error": kind})
    _maybe_finish(ctx, code)


def run_dossier(ctx: Context, code: str) -> None:
    records, store = ctx.records, ctx.store
    counts = records.page_counts(code)
    if counts.get("pending", 0) or counts.get("running", 0):
        log.info("dossier waits for its pages", extra={"dossier": code, "stage": "dossier"})
        return  # the last page to finish sends this message again
    status = records.status(code)
    if status == DossierStatus.received:
        return  # not taken in yet: the intake sends this message when it has nothing left to do
    if status == DossierStatus.processing:
        record = finish_dossier(records, code, settings=ctx.settings)
        metrics.DOSSIERS_DONE.labels(status=record.status.value).inc()
        log.info("dossier finished", extra={"dossier": code, "stage": "dossier", "status": record.status.value,
                                            "pages": len(record.pages)})  # fmt: skip
    elif counts.get("done", 0) and not store.exists(pdf_key(code)):
        record = records.dossier(code)  # finished before, but its artifacts were not written
    else:
        metrics.SKIPPED.labels(stage="dossier").inc()
        return
    write_artifacts(store, record)


# --- submitting (for the web app and the watch folder) ------------------------------------------------------


def submit(settings: Settings, code: str, paths: Sequence[Path]) -> None:
    """Store the originals, record the dossier's files (in the order given) and send its intake message."""
    from workers.submit import submit as record_submission

    records = Records(settings.db_url)
    try:
        submitted = record_submission(records, make_store(settings), paths, code=code)
    finally:
        records.close()
    intake.send(submitted.code)


# --- the actors ---------------------------------------------------------------------------------------------


@dramatiq.actor(actor_name="intake", queue_name=DOSSIER_QUEUE, priority=0, broker=_broker, **_RETRY_OPTIONS)
@_transient_as_retry
def intake(code: str) -> None:
    run_intake(context(), code)


@dramatiq.actor(
    actor_name="page",
    queue_name=OCR_QUEUE,
    priority=10,
    broker=_broker,
    time_limit=int(_options.page_time_limit_s * 1000),
    **_RETRY_OPTIONS,
)
@_transient_as_retry
def page(code: str, number: int) -> None:
    run_page(context(), code, number)


@dramatiq.actor(actor_name="dossier", queue_name=DOSSIER_QUEUE, priority=0, broker=_broker, **_RETRY_OPTIONS)
@_transient_as_retry
def dossier(code: str) -> None:
    run_dossier(context(), code)


QUEUES = (DOSSIER_QUEUE, OCR_QUEUE)
