"""The message broker: built here, explicitly, before the actors are declared.

Dramatiq binds each actor to a broker when the actor is declared, and creates a hidden global broker
(RedisBroker on localhost) if none is set by then. To keep that from ever happening, `build_broker` makes
the broker from the settings (Redis at HOSO_BROKER_URL; the in-memory StubBroker for tests), sets it as
Dramatiq's broker and remembers it with the cluster's options; `workers.runners.cluster.actors` asks
`current()` for both and refuses to be imported before.

Also here: the middleware that does the bookkeeping every message shares (time per stage, queue wait,
failures by kind) and the options of a cluster run.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Middleware,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from schemas.errors import ConfigError
from workers.settings import Settings

log = logging.getLogger("hoso.broker")


@dataclass(frozen=True)
class ClusterOptions:
    """How the cluster's actors and sweeper behave; defaults for production, tests shorten them."""

    page_time_limit_s: float = 600.0  # one page's orient/deskew/OCR; beyond, it is stopped and retried
    lease_s: float = 660.0  # how long a claimed page is a worker's; past it the sweeper sends it again
    min_backoff_ms: int = 1_000  # retries after a transient error: 1 s, 2 s, 4 s … up to max_backoff
    max_backoff_ms: int = 60_000
    transient_retries: int = 120  # storage or database away: about two hours of retries, then the sweeper
    other_retries: int = 2  # unexpected errors: retried twice, then the page is recorded as failed
    sweep_every_s: float = 30.0
    resend_after_s: float = 600.0  # a pending page untouched this long has probably lost its message
    quiet_for_s: float = 60.0  # a dossier with no page moving for this long is checked by the sweeper

    def __post_init__(self) -> None:
        if self.lease_s < self.page_time_limit_s:
            raise ConfigError(
                f"the page lease ({self.lease_s:g} s) must be at least the page time limit "
                f"({self.page_time_limit_s:g} s), or a slow page would be taken twice"
            )


_lock = threading.Lock()
_current: tuple[dramatiq.Broker, ClusterOptions] | None = None


def build_broker(settings: Settings, options: ClusterOptions | None = None) -> dramatiq.Broker:
    """The broker the settings name (RedisBroker, or StubBroker with no broker URL), set for Dramatiq."""
    global _current
    options = options or ClusterOptions()
    middleware = [
        AgeLimit(),
        TimeLimit(),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(min_backoff=options.min_backoff_ms, max_backoff=options.max_backoff_ms),
        CurrentMessage(),
        StageBookkeeping(),  # after Retries: it sees whether a failed message is to be retried
    ]
    broker: dramatiq.Broker
    if settings.broker_url:
        if not settings.broker_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(f"HOSO_BROKER_URL must be a redis:// URL, not {settings.broker_url.split(':')[0]}:")
        broker = RedisBroker(url=settings.broker_url, middleware=middleware)
    else:
        broker = StubBroker(middleware=middleware)
    with _lock:
        if _current is not None:
            raise RuntimeError("the broker is built once per process")
        dramatiq.set_broker(broker)
        _current = (broker, options)
    return broker


def current() -> tuple[dramatiq.Broker, ClusterOptions]:
    """The broker built by `build_broker`, and the options; an error when it has not been built."""
    if _current is None:
        raise RuntimeError(
            "build the broker (workers.runners.cluster.broker.build_broker) before importing "
            "workers.runners.cluster.actors"
        )
    return _current


def error_kind(exc: BaseException | None) -> str:
    """The kind of error to count and log: the cause of a Retry, else the exception's class."""
    if isinstance(exc, dramatiq.Retry) and exc.__cause__ is not None:
        exc = exc.__cause__
    return type(exc).__name__ if exc is not None else ""


class StageBookkeeping(Middleware):
    """Time per actor, queue wait, failures and retries by error kind: counted once for every actor."""

    def __init__(self) -> None:
        self._started: dict[str, float] = {}

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        from workers.runners.cluster import metrics

        self._started[message.message_id] = time.perf_counter()
        if not message.options.get("retries"):  # a retry's timestamp is its first sending: backoff, not queue
            waited = time.time() - message.message_timestamp / 1000
            metrics.QUEUE_WAIT.labels(queue=message.queue_name.removesuffix(".DQ")).observe(max(waited, 0.0))

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        from workers.runners.cluster import metrics

        started = self._started.pop(message.message_id, None)
        stage = message.actor_name
        if started is not None:
            metrics.STAGE_SECONDS.labels(stage=stage).observe(time.perf_counter() - started)
        if exception is None:
            return
        kind = error_kind(exception)
        metrics.FAILURES.labels(stage=stage, error=kind).inc()
        if not message.failed:
            metrics.RETRIES.labels(stage=stage, error=kind).inc()
            attempt = message.options.get("retries")
            log.warning("stage retried", extra={"stage": stage, "error": kind, "attempt": attempt})

    def after_skip_message(self, broker: dramatiq.Broker, message: Any) -> None:
        self._started.pop(message.message_id, None)
