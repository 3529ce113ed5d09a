"""The cluster's commands: `hoso worker` and `hoso submit` (registered by workers/cli/__init__.py).

Configuration comes from the environment (workers/settings.py): HOSO_BROKER_URL (redis://…),
HOSO_DATABASE_URL (postgresql://…), HOSO_S3_ENDPOINT, HOSO_S3_ACCESS_KEY, HOSO_S3_SECRET_KEY,
HOSO_S3_BUCKET, HOSO_S3_SECURE. Both commands need the broker; without the database or S3 settings they
use SQLite and a folder under --data-dir, which works for workers on the same machine.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemas.errors import ConfigError, TransientError


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    w = sub.add_parser("worker", help="run worker processes for the cluster (needs HOSO_BROKER_URL)")
    w.add_argument("--processes", type=int, help="worker processes (default: one per core)")
    w.add_argument("--queues", help="comma-separated queues to take work from (default: all, i.e. dossiers,ocr)")
    w.add_argument("--metrics-port", type=int, default=9464, help="port of the Prometheus /metrics (0: none)")
    w.add_argument("--lang", help="Tesseract language (default vie)")
    w.add_argument("--page-time-limit", type=float, default=600.0, help="seconds one page may take (default 600)")
    w.add_argument("--lease", type=float, help="seconds a claimed page stays a worker's (default: time limit + 60)")
    w.add_argument("--sweep-every", type=float, default=30.0, help="seconds between sweeps for stalled work")
    w.add_argument("--resend-after", type=float, default=600.0,
                   help="seconds after which a pending page untouched is sent again (default 600)")  # fmt: skip
    w.add_argument("--quiet-for", type=float, default=60.0,
                   help="seconds with no page moving before a dossier is checked by the sweeper")  # fmt: skip
    w.add_argument("--max-backoff", type=float, default=60.0, help="longest wait between retries, seconds")
    common(w)
    w.set_defaults(handler=cmd_worker)

    s = sub.add_parser("submit", help="submit files as one dossier to the cluster (needs HOSO_BROKER_URL)")
    s.add_argument("files", nargs="+", type=Path, help="PDF, TIFF, JPEG or PNG files, or folders of them")
    s.add_argument("--code", help="the dossier code (default: a new one)")
    s.add_argument("--procedure", metavar="KEY", help="the procedure (schemas/procedures.json): its papers are checked")
    s.add_argument("--centre", help="the service centre receiving it (its staff alone see it in the web app)")
    s.add_argument("--wait", action="store_true", help="show progress and write the record when it is done")
    s.add_argument("--json", dest="json_path", help="write the record to this file instead of stdout")
    s.add_argument("--timeout", type=float, help="with --wait: give up after this many seconds (exit 75)")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    common(s)
    s.set_defaults(handler=cmd_submit)


def cmd_worker(args: argparse.Namespace) -> int:
    from workers import logs
    from workers.cli import settings_from_args
    from workers.runners.cluster.broker import ClusterOptions
    from workers.runners.cluster.worker import WorkerConfig, run

    logs.setup(verbose=bool(getattr(args, "verbose", False)))
    settings = settings_from_args(args)
    options = ClusterOptions(
        page_time_limit_s=args.page_time_limit,
        lease_s=args.lease if args.lease is not None else args.page_time_limit + 60.0,
        max_backoff_ms=int(args.max_backoff * 1000),
        sweep_every_s=args.sweep_every,
        resend_after_s=args.resend_after,
        quiet_for_s=args.quiet_for,
    )
    queues = tuple(q.strip() for q in args.queues.split(",") if q.strip()) if args.queues else None
    if settings.s3 is None and settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    config = WorkerConfig(
        settings=settings,
        options=options,
        processes=args.processes or settings.workers,
        queues=queues,
        metrics_port=args.metrics_port,
        verbose=bool(getattr(args, "verbose", False)),
    )
    return run(config)


def cmd_submit(args: argparse.Namespace) -> int:
    from workers.cli import problems_exit_code, settings_from_args, write_record
    from workers.progress import ProgressBar
    from workers.runners.cluster.submit import submit, wait
    from workers.stores.objects import make_store
    from workers.stores.records import Records

    settings = settings_from_args(args)
    if not settings.broker_url:
        raise ConfigError("hoso submit needs a broker: set HOSO_BROKER_URL (or run `hoso process` here)")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    records = Records(settings.db_url)
    try:
        store = make_store(settings)
        from schemas.codes import checked_centres
        from workers.usecases.procedures import resolve

        procedure = resolve(settings, args.procedure) if args.procedure else None
        meta: dict[str, object] | None = {"centre": checked_centres([args.centre])[0]} if args.centre else None
        submitted = submit(records, store, args.files, code=args.code, meta=meta, procedure=procedure)
        _send_intake(settings, submitted.code)
        if not args.wait:
            if args.json_path:
                write_record(records.dossier(submitted.code), args.json_path)
            else:
                print(submitted.code)
            return problems_exit_code(submitted.problems)
        with ProgressBar(enabled=not args.no_progress) as bar:
            try:
                record = wait(records, store, submitted.code, progress=bar.update, timeout_s=args.timeout)
            except TimeoutError as exc:
                raise TransientError(str(exc)) from exc
        write_record(record, args.json_path)
        code = 0
        for p in record.problems:
            print(f"hoso: error: {p.file}: {p.message} ({p.error})", file=sys.stderr)
            code = max(code, 2)
        failed = records.page_counts(submitted.code).get("failed", 0)
        if failed:
            print(f"hoso: error: {failed} page(s) could not be read; see the workers' log", file=sys.stderr)
            code = max(code, 1)
        return code
    finally:
        records.close()


def _send_intake(settings: Any, code: str) -> None:
    from workers.runners import ClusterRunner

    ClusterRunner(settings).run([code])  # the broker away: a TransientError (the dossier is stored)
