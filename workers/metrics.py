"""Prometheus metrics of the cluster: pages done, failures, time per stage, queue wait, re-sends.

`hoso worker` runs several processes; their counts are added up with prometheus_client's multiprocess
mode. It is chosen when prometheus_client is first imported, from PROMETHEUS_MULTIPROC_DIR, so
`hoso worker` sets that variable (to a fresh folder) before this module is imported anywhere, and the
worker processes it starts inherit it. Imported without it (tests, `hoso process`), the metrics simply
count in the process.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client import multiprocess as _multiprocess

_SECONDS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 600)

PAGES_DONE = Counter("hoso_pages_done", "Pages read and recorded")
PAGES_FAILED = Counter("hoso_pages_failed", "Pages given up on (recorded as failed)", ["error"])
DOSSIERS_DONE = Counter("hoso_dossiers_done", "Dossiers whose record was completed", ["status"])
FAILURES = Counter("hoso_stage_failures", "Stage runs that raised, by stage and error kind", ["stage", "error"])
RETRIES = Counter("hoso_stage_retries", "Stage runs to be retried after a transient error", ["stage", "error"])
SKIPPED = Counter("hoso_messages_skipped", "Messages that found their work done or taken (repeats)", ["stage"])
STAGE_SECONDS = Histogram(
    "hoso_stage_seconds",
    "Time per stage: the actors (intake, page, dossier) and the page's own steps (load, geometry, straighten, "
    "orient, ocr, store)",
    ["stage"],
    buckets=_SECONDS,
)
QUEUE_WAIT = Histogram(
    "hoso_queue_wait_seconds", "Time from a message's sending to its processing", ["queue"], buckets=_SECONDS
)
RESENT = Counter("hoso_sweeper_resent", "Messages sent again by the sweeper", ["stage"])


def serve(port: int, multiprocess_dir: str | None) -> None:
    """Expose /metrics on the port, adding up every worker process's counts when given their folder."""
    if multiprocess_dir:
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry, path=multiprocess_dir)
        start_http_server(port, registry=registry)
    else:
        start_http_server(port)


def process_exited(pid: int) -> None:
    """Forget a dead worker process's live gauges (counters and histograms are kept)."""
    _multiprocess.mark_process_dead(pid)
