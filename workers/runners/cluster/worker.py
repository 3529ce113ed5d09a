"""`hoso worker`: worker processes consuming the queues, the sweeper, and the metrics endpoint.

The parent process starts N worker processes (spawned, so each builds its own broker connection and loads
its own OCR engine), restarts any that dies, runs the sweeper every few seconds and serves /metrics with
the counts of all of them. Each worker process runs one Dramatiq worker thread: Tesseract is
single-threaded (OMP_THREAD_LIMIT=1), so one process per core is what keeps the cores busy.

A worker process fetches one message ahead per queue at most (Dramatiq's default is two per thread), so
that the last pages of a dossier are not held by a busy process while another is idle, and polls Redis
every 100 ms when idle, so that the hop between stages stays short.

With HOSO_PORTAL_URL set, the parent also runs the outbox's deliverer on a thread (status changes to the
portal, workers/usecases/outbox.py): every `hoso worker` host runs one, and the outbox's leases keep them from
sending the same change at once.

SIGTERM or Ctrl-C stops it: each worker process finishes the page in hand (up to `stop_timeout_s`),
gives back what it prefetched, and exits.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import TYPE_CHECKING

from schemas.errors import ConfigError, TransientError
from workers.runners.cluster.broker import ClusterOptions
from workers.settings import Settings

if TYPE_CHECKING:
    from workers.stores.records import Records
    from workers.usecases.outbox import Deliverer

log = logging.getLogger("hoso.worker")

_IDLE_POLL_MS = 100
_RESTART_DELAY_S = 2.0


@dataclass(frozen=True)
class WorkerConfig:
    settings: Settings
    options: ClusterOptions
    processes: int
    queues: tuple[str, ...] | None = None  # None: every queue
    metrics_port: int = 0  # 0: no /metrics
    verbose: bool = False
    stop_timeout_s: float = 30.0


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def worker_process(config: WorkerConfig, index: int) -> None:
    """One worker process: its broker, its actors' context, one Dramatiq worker thread."""
    stop = threading.Event()
    _stop_on_signals(stop)
    from workers import logs

    logs.setup(verbose=config.verbose)
    import dramatiq

    from workers.runners.cluster.broker import build_broker

    broker = build_broker(config.settings, config.options)
    from workers.runners.cluster import actors

    actors.current()  # the actors declared on this process's broker, before the worker consumes
    actors.configure(config.settings, warm=True)
    worker = dramatiq.Worker(
        broker,
        queues=set(config.queues) if config.queues else None,
        worker_threads=1,
        worker_timeout=_IDLE_POLL_MS,
    )
    worker.queue_prefetch = 1
    worker.start()
    log.info("worker process ready", extra={"worker": index})
    parent = os.getppid()
    while not stop.wait(2.0):
        if os.getppid() != parent:  # `hoso worker` itself was killed: do not run on alone
            break
    worker.stop(timeout=int(config.stop_timeout_s * 1000))
    log.info("worker process stopped", extra={"worker": index})


def run(config: WorkerConfig) -> int:
    """The parent: start and watch the worker processes, sweep, serve metrics; until SIGTERM/SIGINT."""
    if not config.settings.broker_url:
        raise ConfigError("hoso worker needs a broker: set HOSO_BROKER_URL (redis://host:6379/0)")
    if config.processes < 1:
        raise ConfigError("--processes must be at least 1")
    stop = threading.Event()
    _stop_on_signals(stop)
    # Counts added up across this process and the worker processes (they inherit the folder).
    metrics_dir = tempfile.mkdtemp(prefix="hoso-metrics-")
    from workers.runners.cluster import metrics

    metrics.multiprocess(metrics_dir)
    from workers.runners.cluster.broker import build_broker

    build_broker(config.settings, config.options)
    from workers.runners.cluster import actors
    from workers.runners.cluster.sweeper import Senders, Sweeper
    from workers.stores.records import Records

    if config.metrics_port:
        try:
            metrics.serve(config.metrics_port, metrics_dir)
        except OSError as exc:  # the port is taken (another `hoso worker` on this host): work on without
            log.error("metrics not served", extra={"stage": "metrics", "error": type(exc).__name__})
    ctx = multiprocessing.get_context("spawn")
    slots: list[BaseProcess | None] = [None] * config.processes
    started_at = [0.0] * config.processes

    def start(i: int) -> None:
        proc = ctx.Process(target=worker_process, args=(config, i + 1), name=f"hoso-worker-{i + 1}", daemon=False)
        proc.start()
        slots[i] = proc
        started_at[i] = time.monotonic()

    for i in range(config.processes):
        start(i)
    log.info("workers started", extra={"count": config.processes})

    from workers.runners import send as send_message

    on = actors.current()
    send = Senders(
        intake=lambda code: send_message(on.intake, code),
        page=lambda code, number: send_message(on.page, code, number),
        dossier=lambda code: send_message(on.dossier, code),
    )
    records: Records | None = None
    sweeper: Sweeper | None = None
    next_sweep = time.monotonic() + config.options.sweep_every_s
    portal: Deliverer | None = None  # status changes to the portal: a thread here, beside the sweeper
    try:
        while not stop.wait(0.5):
            for i, proc in enumerate(slots):
                if proc is not None and not proc.is_alive():
                    log.error("worker process died; restarting", extra={"worker": i + 1, "count": proc.exitcode})
                    if proc.pid is not None:
                        metrics.process_exited(proc.pid)
                    slots[i] = None
                if slots[i] is None and time.monotonic() - started_at[i] >= _RESTART_DELAY_S:
                    start(i)
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + config.options.sweep_every_s
                try:
                    if sweeper is None:
                        records = Records(config.settings.db_url)
                        sweeper = Sweeper(records, config.options, send)
                    if portal is None and records is not None and config.settings.portal.url:
                        portal = _portal_thread(config.settings, records)
                    sweeper.sweep()
                except TransientError as exc:  # the database or the broker away: sweep again later
                    log.warning("sweep skipped", extra={"stage": "sweeper", "error": exc.kind})
                except Exception:  # a bug: its traceback logged; the workers go on, the next sweep tries again
                    log.exception("sweep failed", extra={"stage": "sweeper"})
    finally:
        if portal is not None:
            portal.stop()
        _stop_all([p for p in slots if p is not None], config.stop_timeout_s + 5)
        if records is not None:
            records.close()
        shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def _portal_thread(settings: Settings, records: Records) -> Deliverer:
    """The deliverer of status changes to the portal, on a thread of this parent process. Every worker host
    runs one: the outbox's leases keep them from sending the same change."""
    from workers.usecases.outbox import Deliverer

    deliverer = Deliverer(records, settings.portal)
    deliverer.start()
    return deliverer


def _stop_all(procs: Sequence[BaseProcess], timeout_s: float) -> None:
    for proc in procs:
        if proc.is_alive() and proc.pid is not None:
            os.kill(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(5)
