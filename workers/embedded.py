"""The embedded runner: one machine, no broker. Intake, then pages on every core, then the dossier.

The same record rows and the same page work as the cluster; only the transport differs (a process pool
instead of Dramatiq). Pages already done are never redone, so re-running a dossier resumes it.
"""

from __future__ import annotations

import logging
import multiprocessing
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline import raster
from pipeline.ocr import ensure_language
from schemas.errors import HosoError, InputError, MissingFile
from schemas.record import Dossier, DossierStatus
from workers.artifacts import write_artifacts
from workers.dossier import finish_dossier
from workers.pagework import PageOutcome, PageWorker
from workers.records import PageTask, Records
from workers.settings import Settings
from workers.storage import ObjectStore, make_store, original_key, sha256_file

log = logging.getLogger("hoso.embedded")

Progress = Callable[[str, int, int], None]

_LEASE_SECONDS = 600.0


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def new_code() -> str:
    return f"HS-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(3).upper()}"


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files in the order given; a folder counts as its files sorted by name (hidden files skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted((c for c in p.iterdir() if c.is_file() and not c.name.startswith(".")), key=lambda c: c.name)
            )
        else:
            out.append(p)
    return out


@dataclass
class IntakeReport:
    code: str
    pages: int = 0
    problems: list[HosoError] = field(default_factory=list)


def intake(records: Records, store: ObjectStore, settings: Settings, code: str, inputs: Sequence[Path]) -> IntakeReport:
    """Store each original unchanged under its SHA-256, check it, and create its page rows.

    A bad file is recorded with its reason and skipped; the others go on.
    """
    report = IntakeReport(code=code)
    number = 1
    for position, path in enumerate(inputs, start=1):
        name = path.name
        err: HosoError | None = None
        sha = ""
        if not path.is_file():
            err = MissingFile("no such file", file=str(path))
        else:
            try:
                sha = sha256_file(path)
            except OSError as exc:
                err = MissingFile(f"the file cannot be read ({exc.strerror or exc})", file=str(path))
        if err is not None:
            records.add_file(code, position, name, sha256=None, error_kind=err.kind, error_message=err.message)
            report.problems.append(err)
            continue
        key = original_key(sha)
        if not store.exists(key):
            store.put_file(key, path)
        records.add_original(sha, path.stat().st_size, key, name)
        try:
            info = raster.inspect(store.local_path(key), settings.pipeline, name=name)
        except InputError as exc:
            records.add_file(code, position, name, sha256=sha, error_kind=exc.kind, error_message=exc.message)
            report.problems.append(exc)
            log.warning("file refused", extra={"dossier": code, "stage": "intake", "error": exc.kind})
            continue
        records.add_file(code, position, name, sha256=sha, kind=info.kind, page_count=info.pages)
        records.add_pages(code, position, number, info.pages)
        number += info.pages
        report.pages += info.pages
    return report


# --- the process pool ------------------------------------------------------------------------------------

_worker: PageWorker | None = None


def _init_pool(settings: Settings) -> None:
    global _worker
    _worker = PageWorker(settings)


def _run_in_pool(task: PageTask) -> PageOutcome:
    assert _worker is not None
    return _worker.run(task)


@dataclass
class RunResult:
    dossier: Dossier
    problems: list[HosoError]
    timings: dict[str, float]


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork when this process runs one thread (the CLI): its workers start at once, where a forkserver
    first spends 0.7 s importing the page stage, 4 % of a 20-page dossier. A process with threads (the
    watch folder, the web app) must not fork: a lock held by another thread would stay held in the child."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["workers.pagework"])
    return ctx


def run_pages(
    records: Records,
    settings: Settings,
    code: str,
    tasks: Sequence[PageTask],
    progress: Progress,
    total: int,
    already: int,
) -> tuple[list[HosoError], dict[str, float]]:
    problems: list[HosoError] = []
    timings: dict[str, float] = {}
    done = already

    def record(task: PageTask, outcome: PageOutcome | None, error: BaseException | None) -> None:
        nonlocal done
        if outcome is not None:
            records.finish_page(task.code, task.number, outcome.page)
            for k, v in outcome.timings.items():
                timings[k] = timings.get(k, 0.0) + v
        else:
            msg = str(error)
            records.fail_page(task.code, task.number, msg)
            if isinstance(error, HosoError):
                problems.append(error)
            else:
                problems.append(HosoError(f"page {task.source_page}: {error!r}", file=task.file_name))
            log.error("page failed", extra={"dossier": task.code, "page": task.number, "stage": "page"})
        done += 1
        progress("pages", done, total)

    # Each task names its dossier: the watch folder runs the pages of several dossiers in one pool.
    claimed = [t for t in tasks if records.claim_page(t.code, t.number, _LEASE_SECONDS)]
    workers = min(settings.workers, len(claimed))
    if workers <= 1:
        worker = PageWorker(settings)
        for task in claimed:
            try:
                record(task, worker.run(task), None)
            except Exception as exc:  # recorded per page; the others go on
                record(task, None, exc)
        return problems, timings

    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_pool_context(), initializer=_init_pool, initargs=(settings,)
    ) as pool:
        pending: dict[Future[PageOutcome], PageTask] = {pool.submit(_run_in_pool, t): t for t in claimed}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                task = pending.pop(fut)
                error = fut.exception()
                record(task, None if error else fut.result(), error)
    return problems, timings


def process(
    settings: Settings,
    inputs: Sequence[Path],
    *,
    code: str | None = None,
    meta: dict[str, object] | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    """Take the inputs as one dossier, in the order given, and return its record."""
    t0 = time.perf_counter()
    ensure_language(settings.pipeline.lang, settings.pipeline.tessdata)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    records = Records(settings.db_url)
    store = make_store(settings)
    try:
        code = code or new_code()
        records.create_dossier(code, dict(meta or {}))
        files = expand_inputs(inputs)
        progress("intake", 0, len(files))
        report = intake(records, store, settings, code, files)
        t_intake = time.perf_counter() - t0
        records.set_status(code, DossierStatus.processing)
        counts = records.page_counts(code)
        total = sum(counts.values())
        tasks = records.page_tasks(code, states=("pending", "running", "failed"))
        progress("pages", counts.get("done", 0), total)
        page_problems, timings = run_pages(records, settings, code, tasks, progress, total, counts.get("done", 0))
        progress("dossier", total, total)
        dossier = finish_dossier(records, code, settings=settings)
        write_artifacts(store, dossier)
        timings["intake"] = t_intake
        timings["wall"] = time.perf_counter() - t0
        return RunResult(dossier=dossier, problems=report.problems + page_problems, timings=timings)
    finally:
        records.close()
