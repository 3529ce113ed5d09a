"""The embedded runner: one machine, no broker. The dossiers' pages on every core, then the dossier stage.

The same record rows and the same page work as the cluster; only the transport differs (a process pool
instead of Dramatiq). The pool lives as long as the runner (the watch folder and the web app keep one, not
one per batch). Pages already done are never redone, so running a dossier again resumes it.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from schemas.errors import INTERNAL_EXIT_CODE, HosoError, TransientError
from schemas.procedures import Procedure
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


def _warm_in_pool() -> None:
    assert _worker is not None
    _worker.engine  # noqa: B018 - loads the model


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork when this process runs one thread (the CLI): its workers start at once, where a forkserver
    first spends 0.7 s importing the page stage, 4 % of a 20-page dossier. A process with threads (the
    watch folder, the web app) must not fork: a lock held by another thread would stay held in the child."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["workers.usecases.pages"])
    return ctx


_Record = Callable[["PageTask", "PageOutcome | None", "BaseException | None"], None]


@dataclass(frozen=True)
class Begun:
    """A run begun (`EmbeddedRunner.begin`, `ClusterRunner.begin`): `wait` sees it through, returns its report."""

    _wait: Callable[[], RunReport]

    def wait(self) -> RunReport:
        return self._wait()


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
        self._lock = threading.Lock()
        self._local_lock = threading.Lock()
        self._dispatch: _Dispatch | None = None

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

    def warm(self) -> None:
        """Start the pool's processes and load their OCR engines now (the watch folder, at its start: they
        load while it waits for its files to be complete and takes them in), not when the first page comes."""
        with self._lock:
            if self._pool is None and self.settings.workers > 1:
                self._pool = self._pool_for(self.settings.workers)
            pool = self._pool
        if pool is not None:
            for _ in range(self.settings.workers):  # one each: every submit starts a process while none is idle
                pool.submit(_warm_in_pool)

    def run(self, codes: Sequence[str], progress: Progress = _no_progress) -> RunReport:
        """Take in each received dossier (split at its receipt sheets), run every page not done, and finish
        each dossier (documents, status, artifacts) as soon as its own pages are done.

        Pages go to the processes round-robin across this run and any other thread's run on this runner (the
        web app runs several dossiers at once), and within a run the dossier with the fewest pages left first
        (`_FairQueue`): a one-page dossier waits for a page of a 400-page one, not for all of it."""
        return self.begin(codes, progress).wait()

    def begin(self, codes: Sequence[str], progress: Progress = _no_progress, *, lane: object | None = None) -> Begun:
        """`run` in two halves: the dossiers taken in and their pages handed to the pool now; `wait` records
        the pages as they come back, finishes the dossiers and returns the report. The watch folder begins
        each file as soon as it has taken it in, so the pool reads the first file's pages while the next
        files are being taken in (with one process, or no pool yet, the pages are read in `wait`). Runs begun
        with the same `lane` share one turn in the pool's queue (the watch folder's files: their dossiers are
        read the fewest pages first); by default each run has its own."""
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
        waiting = Counter(t.code for t in tasks)

        def finish(code: str) -> None:
            if code in transient:
                report.unfinished.append(code)
                return
            gate = self.records.dossier_gate(code)
            if gate is not None and gate[1]:  # put in the trash meanwhile: its pages left unread, said on each
                log.warning("dossier not finished: in the trash", extra={"dossier": code, "stage": "dossier"})
                report.unfinished.append(code)
                return
            dossier = finish_dossier(self.records, code, settings=self.settings)
            write_artifacts(self.store, dossier)
            report.dossiers.append(dossier)

        def record(task: PageTask, outcome: PageOutcome | None, error: BaseException | None) -> None:
            nonlocal done
            if outcome is not None:
                self.records.finish_page(task.code, task.number, outcome.page)
                for k, v in outcome.timings.items():
                    report.timings[k] = report.timings.get(k, 0.0) + v
            elif error is not None:
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
            if outcome is not None or error is not None:  # neither: another process holds the page
                done += 1
                progress("pages", done, total)
            waiting[task.code] -= 1
            if waiting[task.code] == 0:
                finish(task.code)

        for code in all_codes:  # nothing left to read: finished at once
            if waiting[code] == 0:
                finish(code)
        drain = self._start_tasks(tasks, lane)

        def wait() -> RunReport:
            drain(record)
            progress("dossier", total, total)
            return report

        return Begun(wait)

    def _start_tasks(self, tasks: Sequence[PageTask], lane: object | None = None) -> Callable[[_Record], None]:
        """Hand the pages to the pool in their turn (`_FairQueue`; read in this process when there is no pool);
        the function returned `record`s each one as it comes back (with neither an outcome nor an error when
        another process holds it), in the thread that calls it."""
        with self._lock:
            pool = self._pool_for(len(tasks))
        if pool is None:

            def run_here(record: _Record) -> None:
                lanes: _FairQueue[PageTask] = _FairQueue()
                for t in tasks:
                    lanes.add(0, t.code, t)
                while (task := lanes.take()) is not None:
                    with self._local_lock:  # one page at a time in this process, whichever thread's run it is
                        outcome, error = self._run_local(task)
                    record(task, outcome, error)

            return run_here
        with self._lock:
            if self._dispatch is None or self._dispatch.pool is not pool:
                self._dispatch = _Dispatch(pool, self.records, ahead=2 * self.settings.workers)
            dispatch = self._dispatch
        replies: queue.Queue[_Reply] = queue.Queue()
        dispatch.add([_Item(task, replies, replies if lane is None else lane) for task in tasks])

        def collect(record: _Record) -> None:
            for _ in tasks:
                reply = replies.get()
                record(reply.task, reply.outcome, reply.error)

        return collect

    def _run_local(self, task: PageTask) -> tuple[PageOutcome | None, BaseException | None]:
        if not self.records.claim_page(task.code, task.number, _LEASE_SECONDS):
            return None, None
        worker = self._local_worker()
        try:
            first = self.head_start.take(task) if self.head_start is not None else None
            outcome = worker.finish(task, first) if first is not None else worker.run(task)
        except Exception as exc:  # recorded per page; the others go on
            return None, exc
        return outcome, None


T = TypeVar("T")


class _FairQueue(Generic[T]):
    """Work waiting, one lane per run and within it one per dossier (not thread-safe: its owner locks).

    The runs are served round-robin: one page of each run in turn, so a one-page upload waits for a page of a
    400-page one, not for all of it. Within a run the dossier with the fewest pages left goes first (ties: the
    first added): each dossier is finished, and its file let go, as soon as can be, and the dossier stages
    are spread over the run instead of all coming at its end, when every dossier read in turn would be
    finished at once while the page processes sit idle. A run's oldest dossier passed over `PATIENCE` times
    is served from then on: small files arriving without end behind a large one do not keep it waiting."""

    PATIENCE = 8

    def __init__(self) -> None:
        # in turn order: the next run to serve is the first; each run's dossiers in the order added
        self._runs: dict[object, dict[str, deque[T]]] = {}
        self._passed: dict[tuple[object, str], int] = {}  # a run's oldest dossier: how often passed over

    def add(self, run: object, lane: str, item: T) -> None:
        self._runs.setdefault(run, {}).setdefault(lane, deque()).append(item)

    def take(self) -> T | None:
        if not self._runs:
            return None
        run = next(iter(self._runs))
        lanes = self._runs.pop(run)
        oldest = next(iter(lanes))
        lane = min(lanes, key=lambda k: len(lanes[k]))  # min keeps the first of equals
        if lane != oldest:
            passed = self._passed.get((run, oldest), 0) + 1
            self._passed[(run, oldest)] = passed
            if passed > self.PATIENCE:
                lane = oldest
        items = lanes[lane]
        item = items.popleft()
        if not items:
            del lanes[lane]
            self._passed.pop((run, lane), None)
        if lanes:
            self._runs[run] = lanes  # to the back of the turn
        return item

    def __len__(self) -> int:
        return sum(len(items) for lanes in self._runs.values() for items in lanes.values())


@dataclass(frozen=True)
class _Reply:
    task: PageTask
    outcome: PageOutcome | None
    error: BaseException | None  # neither: another process holds the page


@dataclass(frozen=True)
class _Item:
    task: PageTask
    replies: queue.Queue[_Reply]  # the run waiting for the page
    turn: object  # whose turn in the queue it waits in: its run's, or the lane its run was begun in


class _Dispatch:
    """Hands the pages of every run on a runner to its pool, round-robin across runs, a few ahead of the
    processes (claimed as they are handed over, not all up front); each result goes back to its run."""

    def __init__(self, pool: ProcessPoolExecutor, records: Records, *, ahead: int) -> None:
        self.pool = pool
        self.records = records
        self.ahead = ahead
        self._lock = threading.RLock()  # a future already done calls back at once, in the thread that adds it
        self._waiting: _FairQueue[_Item] = _FairQueue()
        self._in_flight = 0

    def add(self, items: Sequence[_Item]) -> None:
        with self._lock:
            for item in items:
                self._waiting.add(item.turn, item.task.code, item)
            self._fill()

    def _fill(self) -> None:
        with self._lock:
            while self._in_flight < self.ahead and (item := self._waiting.take()) is not None:
                task = item.task
                try:
                    if not self.records.claim_page(task.code, task.number, _LEASE_SECONDS):
                        item.replies.put(_Reply(task, None, None))
                        continue
                    future = self.pool.submit(_run_in_pool, task)
                except Exception as exc:  # the database away, a broken pool: this page fails, the others go on
                    item.replies.put(_Reply(task, None, exc))
                    continue
                self._in_flight += 1
                future.add_done_callback(lambda f, item=item: self._done(item, f))  # type: ignore[misc]

    def _done(self, item: _Item, future: Future[PageOutcome]) -> None:
        error = RuntimeError("the runner was closed") if future.cancelled() else future.exception()
        item.replies.put(_Reply(item.task, None if error else future.result(), error))
        with self._lock:
            self._in_flight -= 1
            self._fill()


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
    procedure: Procedure | None = None,
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
        submission = Submission(tuple(inputs), channel, code, dict(meta or {}), procedure=procedure)
        received = receive(records, store, submission)
        t_intake = time.perf_counter() - t0
        with EmbeddedRunner(settings, records, store, head_start=head_start) as runner:
            report = runner.run([received.code], progress)
        if report.unfinished:
            raise next((p for p in report.problems if isinstance(p, TransientError)), report.problems[0])
        if settings.portal.url:  # the changes just made, to the portal (what is left goes with the next command)
            from workers.usecases.outbox import Deliverer

            Deliverer(records, settings.portal).drain(budget_s=settings.portal.timeout_seconds)
        first = next(d for d in report.dossiers if d.code == received.code)
        timings = {**report.timings, "intake": t_intake, "wall": time.perf_counter() - t0}
        problems = [*received.problems, *report.problems]
        return RunResult(dossier=first, problems=problems, timings=timings, dossiers=report.dossiers)
    finally:
        records.close()
