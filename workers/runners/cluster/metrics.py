"""Prometheus metrics of the cluster: pages done, failures, time per stage, queue wait, re-sends.

`hoso worker` runs several processes; their counts are added up with prometheus_client's multiprocess
mode, which `multiprocess(folder)` turns on (the worker processes it starts inherit the folder). Nothing
here is made at import: each metric is made on first use, in the mode chosen by then, so the import order
never matters. Used without `multiprocess` (tests, `hoso process`), the metrics count in the process.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

_SECONDS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 600)
_MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess(folder: str) -> None:
    """Count in files under `folder`, added up across processes (before any metric is first used)."""
    os.environ[_MULTIPROC_ENV] = folder  # for the worker processes started from here
    from prometheus_client import values

    values.ValueClass = values.get_value_class()
    _metrics.cache_clear()


@cache
def _metrics() -> dict[str, Any]:
    from prometheus_client import Counter, Histogram

    return {
        "PAGES_DONE": Counter("hoso_pages_done", "Pages read and recorded"),
        "PAGES_FAILED": Counter("hoso_pages_failed", "Pages given up on (recorded as failed)", ["error"]),
        "DOSSIERS_DONE": Counter("hoso_dossiers_done", "Dossiers whose record was completed", ["status"]),
        "FAILURES": Counter(
            "hoso_stage_failures", "Stage runs that raised, by stage and error kind", ["stage", "error"]
        ),
        "RETRIES": Counter(
            "hoso_stage_retries", "Stage runs to be retried after a transient error", ["stage", "error"]
        ),
        "SKIPPED": Counter(
            "hoso_messages_skipped", "Messages that found their work done or taken (repeats)", ["stage"]
        ),
        "STAGE_SECONDS": Histogram(
            "hoso_stage_seconds",
            "Time per stage: the actors (intake, page, dossier) and the page's own steps (load, geometry, "
            "straighten, orient, ocr, store)",
            ["stage"],
            buckets=_SECONDS,
        ),
        "QUEUE_WAIT": Histogram(
            "hoso_queue_wait_seconds", "Time from a message's sending to its processing", ["queue"], buckets=_SECONDS
        ),
        "RESENT": Counter("hoso_sweeper_resent", "Messages sent again by the sweeper", ["stage"]),
    }


def __getattr__(name: str) -> Any:
    """`metrics.PAGES_DONE` and the others: made on first use."""
    made = _metrics()
    if name in made:
        return made[name]
    raise AttributeError(name)


def serve(port: int, multiprocess_dir: str | None) -> None:
    """Expose /metrics on the port, adding up every worker process's counts when given their folder."""
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client import multiprocess as _multiprocess

    if multiprocess_dir:
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry, path=multiprocess_dir)
        start_http_server(port, registry=registry)
    else:
        start_http_server(port)


def process_exited(pid: int) -> None:
    """Forget a dead worker process's live gauges (counters and histograms are kept)."""
    from prometheus_client import multiprocess as _multiprocess

    _multiprocess.mark_process_dead(pid)
