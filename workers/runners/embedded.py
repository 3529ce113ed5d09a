"""The embedded runner: one machine, no broker. The dossiers' pages on every core, then the dossier stage.

The same record rows and the same page work as the cluster; only the transport differs (a process pool
instead of Dramatiq). The pool lives as long as the runner (the watch folder and the web app keep one, not
one per batch). Pages already done are never redone, so running a dossier again resumes it.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from schemas.errors import INTERNAL_EXIT_CODE, HosoError, TransientError
from schemas.record import Dossier
from workers.private import make_dir
from workers.settings import Settings
from workers.stores.objects import ObjectStore, make_store
from workers.stores.records import PageTask, Records
from workers.usecases.artifacts import write_artifacts
from workers.usecases.dossier import finish_dossier, warm
from workers.usecases.intake import Channel, Submission, prepare, receive

if TYPE_CHECKING:
    from workers.runners.head_start import HeadStart
    from workers.usecases.pages import PageOutcome, PageWorker

log = logging.getLogger("hoso.embedded")

Progress = Callable[[str, int, int], None]

# A page handed to the pool is leased to this process meanwhile; nothing sweeps embedded pages, the lease
# keeps another process on the same records (a second `hoso process`) off it.
_LEASE_SECONDS = 600.0


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class RunReport:
    """What a run did: the dossiers finished (in order), the problems, the dossiers left unfinished because a
    page failed for a transient reason (storage or database away: try again), the page stages' time sums."""

    dossiers: list[Dossier] = field(default_factory=list)
    problems: list[HosoError] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # handed to the cluster's workers, not finished yet
    timings: dict[str, float] = field(default_factory=dict)


# --- the process pool ------------------------------------------------------------------------------------

_worker: PageWorker | None = None


def _init_pool(settings: Settings) -> None:
    global _worker
    from workers.usecases.pages import PageWorker

    _worker = PageWorker(settings)


def _run_in_pool(task: PageTask) -> PageOutcome:
    assert _worker is not None
    return _worker.run(task)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork when this process runs one thread (the CLI): its workers start at once, where a forkserver
    first spends 0.7 s importing the page stage, 4 % of a 20-page dossier. A process with threads (the
    watch folder, the web app) must not fork: a lock held by another thread would stay held in the child."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["workers.usecases.pages"])
    return ctx


class EmbeddedRunner:
    """Runs dossiers' pages in a process pool kept for the runner's life, then their dossier stage."""

    mode = "embedded"

    def __init__(
        self, settings: Settings, records: Records, store: ObjectStore, *, head_start: HeadStart | None = None
    ) -> None:
        self.settings = settings
        self.records = records
        self.store = store
        self.head_start = head_start  # `hoso process` on one page: the page read ahead in another process
        self._pool: ProcessPoolExecutor | None = None
        self._local: PageWorker | None = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> EmbeddedRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _local_worker(self) -> PageWorker:
        if self._local is None:
            from workers.usecases.pages import PageWorker

            self._local = PageWorker(self.settings, store=self.store)
        return self._local

    def _pool_for(self, pages: int) -> ProcessPoolExecutor | None:
        """The pool, started on first need; None when one process does (one page, or one core)."""
        if self._pool is not None and getattr(self._pool, "_broken", False):  # a page process died: a new pool
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._pool is None and (self.settings.workers <= 1 or pages <= 1):
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.settings.workers,
                mp_context=_pool_context(),
                initializer=_init_pool,
                initargs=(self.settings,),
            )
        return self._pool

    # --- the run -----------------------------------------------------------------------------------------------

    def run(self, codes: Sequence[str], progress: Progress = _no_progress) -> RunReport:
        """Take in each received dossier (split at its receipt sheets), run every page not done, then finish
        each dossier (documents, status, artifacts)."""
        report = RunReport()
        all_codes: list[str] = []
        for code in codes:
            prepared = prepare(self.records, self.store, self.settings.pipeline, code)
            report.problems.extend(prepared.problems)
            all_codes.extend(c for c in prepared.codes if c not in all_codes)
        tasks: list[PageTask] = []
        total = done = 0
        for code in all_codes:
            # Pages left running belong to an embedded run that stopped (this process runs its own pages).
            for stale in self.records.page_tasks(code, states=("running",)):
                self.records.release_page(code, stale.number, "the run stopped while it ran")
            counts = self.records.page_counts(code)
            total += sum(counts.values())
            done += counts.get("done", 0)
            tasks.extend(self.records.page_tasks(code, states=("pending", "failed")))
        progress("pages", done, total)
        if self.head_start is not None and tasks:
            warm(self.settings)  # the page is being read elsewhere meanwhile
        transient: set[str] = set()

        def record(task: PageTask, outcome: PageOutcome | None, error: BaseException | None) -> None:
            nonlocal done
            if outcome is not None:
                self.records.finish_page(task.code, task.number, outcome.page)
                for k, v in outcome.timings.items():
                    report.timings[k] = report.timings.get(k, 0.0) + v
            else:
                assert error is not None
                self.records.fail_page(task.code, task.number, f"{type(error).__name__}: {error}")
                if isinstance(error, HosoError):
                    report.problems.append(error)
                    if error.retry:
                        transient.add(task.code)
                    log.error("page failed", extra={"dossier": task.code, "page": task.number, "stage": "page",
                                                    "error": error.kind})  # fmt: skip
                else:  # a bug: logged with its traceback, reported as the page that failed
                    log.error("page failed", exc_info=error,
                              extra={"dossier": task.code, "page": task.number, "stage": "page"})  # fmt: skip
                    report.problems.append(_PageBug(task, error))
            done += 1
            progress("pages", done, total)

        self._run_tasks(tasks, record)
        progress("dossier", total, total)
        for code in all_codes:
            if code in transient:
                report.unfinished.append(code)
                continue
            dossier = finish_dossier(self.records, code, settings=self.settings)
            write_artifacts(self.store, dossier)
            report.dossiers.append(dossier)
        return report

    def _run_tasks(
        self, tasks: Sequence[PageTask], record: Callable[[PageTask, PageOutcome | None, BaseException | None], None]
    ) -> None:
        pool = self._pool_for(len(tasks))
        if pool is None:
            worker = self._local_worker() if tasks else None
            for task in tasks:
                if not self.records.claim_page(task.code, task.number, _LEASE_SECONDS):
                    continue
                try:
                    first = self.head_start.take(task) if self.head_start is not None else None
                    if first is not None:
                        outcome = worker.finish(task, first)  # type: ignore[union-attr]
                    else:
                        outcome = worker.run(task)  # type: ignore[union-attr]
                except Exception as exc:  # recorded per page; the others go on
                    record(task, None, exc)
                else:
                    record(task, outcome, None)
            return
        # Pages are claimed as they are handed over, a few ahead of the processes, not all up front.
        ahead = 2 * self.settings.workers
        queue = list(tasks)
        pending: dict[Future[PageOutcome], PageTask] = {}
        while queue or pending:
            while queue and len(pending) < ahead:
                task = queue.pop(0)
                if self.records.claim_page(task.code, task.number, _LEASE_SECONDS):
                    pending[pool.submit(_run_in_pool, task)] = task
            if not pending:
                continue
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                task = pending.pop(fut)
                error = fut.exception()
                record(task, None if error else fut.result(), error)


class _PageBug(HosoError):
    """A page that failed on an unexpected exception (a bug, logged with its traceback)."""

    def __init__(self, task: PageTask, error: BaseException) -> None:
        super().__init__(f"page {task.source_page} could not be processed ({type(error).__name__})",
                         file=task.file_name)  # fmt: skip

    exit_code = INTERNAL_EXIT_CODE  # a bug, not a user's error: recorded with the page, never advice to rescan
    advice = "This is a bug in hoso: the log has its traceback; the other pages were recorded."


# --- `hoso process`: one stack in, its records out -----------------------------------------------------------


@dataclass
class RunResult:
    dossier: Dossier  # the dossier asked for (the stack's first part)
    problems: list[HosoError]
    timings: dict[str, float]
    dossiers: list[Dossier] = field(default_factory=list)  # every dossier made (more when split)


def process(
    settings: Settings,
    inputs: Sequence[Path],
    *,
    code: str | None = None,
    meta: dict[str, object] | None = None,
    progress: Progress = _no_progress,
    channel: Channel = Channel.process,
    head_start: HeadStart | None = None,
) -> RunResult:
    """Take the inputs as one stack, in the order given, split at its receipt sheets; return the records.
    `head_start`: the first page already being read in another process (`workers.runners.head_start`)."""
    from pipeline.ocr import ensure_language

    t0 = time.perf_counter()
    ensure_language(settings.pipeline.lang, settings.pipeline.tessdata)
    make_dir(settings.data_dir)
    records = Records(settings.db_url)
    store = make_store(settings)
    try:
        progress("intake", 0, len(inputs))
        received = receive(records, store, Submission(tuple(inputs), channel, code, dict(meta or {})))
        t_intake = time.perf_counter() - t0
        with EmbeddedRunner(settings, records, store, head_start=head_start) as runner:
            report = runner.run([received.code], progress)
        if report.unfinished:
            raise next((p for p in report.problems if isinstance(p, TransientError)), report.problems[0])
        first = next(d for d in report.dossiers if d.code == received.code)
        timings = {**report.timings, "intake": t_intake, "wall": time.perf_counter() - t0}
        problems = [*received.problems, *report.problems]
        return RunResult(dossier=first, problems=problems, timings=timings, dossiers=report.dossiers)
    finally:
        records.close()
