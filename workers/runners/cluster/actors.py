"""The cluster's actors: intake → page (fanned out on the "ocr" queue) → dossier.

Importing this module builds nothing: `build_actors(broker, options)` declares the actors on the broker it is
given (`workers.runners.cluster.broker.build_broker` makes it); `current()` builds them once on the process's broker.

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
bad input (`InputError`) is recorded and never retried (`throws`); anything else is a bug: logged with its
traceback, retried a couple of times, then the page is recorded as failed so that the dossier can still
finish.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ParamSpec, TypeVar

import dramatiq
from dramatiq.middleware import CurrentMessage

from schemas.errors import (
    ConfigError,
    DossierNotFound,
    HosoError,
    InputError,
    MissingLanguage,
    TransientError,
)
from schemas.record import DossierStatus
from workers.runners.cluster import metrics
from workers.runners.cluster.broker import ClusterOptions
from workers.settings import Settings
from workers.stores.objects import ObjectStore, make_store
from workers.stores.records import Records
from workers.usecases.artifacts import pdf_key, write_artifacts
from workers.usecases.dossier import finish_dossier
from workers.usecases.intake import prepare
from workers.usecases.pages import PageWorker

log = logging.getLogger("hoso.actors")

P = ParamSpec("P")
R = TypeVar("R")

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
    _context = Context(settings)
    if warm:
        _ = _context.page_worker.engine
    return _context


def context() -> Context:
    if _context is None:
        raise RuntimeError("workers.runners.cluster.actors.configure(settings) was not called in this process")
    return _context


# --- retry policy ---------------------------------------------------------------------------------------


def should_retry(retries: int, exc: BaseException, options: ClusterOptions | None = None) -> bool:
    """Dramatiq's `retry_when`: transient errors (raised as Retry) for long, others a couple of times."""
    options = options or current().options
    if isinstance(exc, dramatiq.Retry):
        return retries < options.transient_retries
    if isinstance(exc, HosoError) and not exc.retry:
        return False
    return retries < options.other_retries


def _retries_so_far() -> int:
    message = CurrentMessage.get_current_message()
    return int(message.options.get("retries", 0)) if message is not None else 0


def _translated(fn: Callable[P, R]) -> Callable[P, R]:
    """The actors' one translation of errors: transient → Retry; a bug logged with its traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except TransientError as exc:
            raise dramatiq.Retry(exc.kind) from exc
        except HosoError:
            raise
        except Exception:
            log.exception("bug in stage %s", fn.__name__, extra={"stage": fn.__name__})
            raise

    return wrapper


# --- the stages ---------------------------------------------------------------------------------------------


def run_intake(ctx: Context, code: str) -> None:
    records = ctx.records
    if records.status(code) == DossierStatus.reviewed:
        return  # a reviewer's verdict stands
    t0 = time.perf_counter()
    prepared = prepare(records, ctx.store, ctx.settings.pipeline, code)
    sent = 0
    for part in prepared.codes:
        counts = records.page_counts(part)
        for task in records.page_tasks(part, states=("pending",)):
            current().page.send(part, task.number)
            sent += 1
        if not counts.get("pending", 0) and not counts.get("running", 0):
            current().dossier.send(part)  # nothing to read (every file refused), or every page read already
    log.info(
        "dossier taken in",
        extra={"dossier": code, "stage": "intake", "pages": prepared.pages, "count": sent,
               "seconds": round(time.perf_counter() - t0, 3)},
    )  # fmt: skip


def _maybe_finish(ctx: Context, code: str) -> None:
    counts = ctx.records.page_counts(code)
    if not counts.get("pending", 0) and not counts.get("running", 0):
        current().dossier.send(code)


def run_page(ctx: Context, code: str, number: int) -> None:
    records = ctx.records
    if not records.claim_page(code, number, current().options.lease_s):
        metrics.SKIPPED.labels(stage="page").inc()
        log.info("page skipped: done, taken, or its dossier in the trash (said on the page)",
                 extra={"dossier": code, "page": number, "stage": "page"})  # fmt: skip
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
    log.error("page failed", extra={"dossier": code, "page": number, "stage": "page", "error": kind})  # no text
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


# --- the actors, declared on a broker ------------------------------------------------------------------------


@dataclass(frozen=True)
class Actors:
    """The three actors declared on one broker, with the cluster options they were declared with."""

    broker: dramatiq.Broker
    options: ClusterOptions
    intake: dramatiq.Actor[[str], None]
    page: dramatiq.Actor[[str, int], None]
    dossier: dramatiq.Actor[[str], None]


def build_actors(broker: dramatiq.Broker, options: ClusterOptions) -> Actors:
    """Declare the actors on `broker` (nothing is declared at import)."""
    retry: dict[str, Any] = {
        "retry_when": lambda retries, exc: should_retry(retries, exc, options),
        "min_backoff": options.min_backoff_ms,
        "max_backoff": options.max_backoff_ms,
        "throws": _PERMANENT,
    }

    @_translated
    def intake(code: str) -> None:
        run_intake(context(), code)

    @_translated
    def page(code: str, number: int) -> None:
        run_page(context(), code, number)

    @_translated
    def dossier(code: str) -> None:
        run_dossier(context(), code)

    return Actors(
        broker=broker,
        options=options,
        intake=dramatiq.actor(actor_name="intake", queue_name=DOSSIER_QUEUE, priority=0, broker=broker, **retry)(
            intake
        ),
        page=dramatiq.actor(
            actor_name="page",
            queue_name=OCR_QUEUE,
            priority=10,
            broker=broker,
            time_limit=int(options.page_time_limit_s * 1000),
            **retry,
        )(page),
        dossier=dramatiq.actor(actor_name="dossier", queue_name=DOSSIER_QUEUE, priority=0, broker=broker, **retry)(
            dossier
        ),
    )


_actors: Actors | None = None


def current() -> Actors:
    """The actors on this process's broker (`workers.runners.cluster.broker.build_broker`), declared on first use."""
    global _actors
    if _actors is None:
        from workers.runners.cluster import broker as broker_module

        broker, options = broker_module.current()
        _actors = build_actors(broker, options)
    return _actors


def __getattr__(name: str) -> Any:
    """`actors.intake`, `actors.page`, `actors.dossier`: the actors on this process's broker."""
    if name in ("intake", "page", "dossier"):
        return getattr(current(), name)
    raise AttributeError(name)


QUEUES = (DOSSIER_QUEUE, OCR_QUEUE)
