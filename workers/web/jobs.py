"""Uploaded dossiers to the pipeline, without blocking the web server.

Every upload goes through the one intake (`workers.usecases.intake.receive`: originals stored, duplicates found,
files recorded) in the request, then to the runner the settings name (`workers.runners`), made once for
the app's life:

- embedded (no broker): a few background threads hand dossiers to the embedded runner, whose process pool
  lives as long as the app; several dossiers run at once and the runner shares the pool among them
  round-robin, so a one-page upload is not held behind a 400-page one (one job at a time per dossier);
- cluster (HOSO_BROKER_URL): the intake message goes to the workers, as `hoso submit` sends it.

Either way the pages' progress is in the record database, where the pages poll it.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.errors import HosoError
from schemas.record import DossierStatus
from workers.runners import ClusterRunner, make_runner
from workers.runners import Runner as PageRunner
from workers.settings import Settings
from workers.stores.objects import make_store
from workers.stores.records import Records
from workers.usecases.intake import Channel, Submission, receive

log = logging.getLogger("hoso.web")

# Dossiers run side by side: their pages share the runner's processes round-robin. A dossier beyond these
# waits for one of them to finish.
DOSSIERS_AT_ONCE = 4


@dataclass(frozen=True)
class Job:
    code: str
    refresh_only: bool = False  # the dossier stage and artifacts again, after an OCR correction


@dataclass
class _Turn:
    lock: threading.Lock = field(default_factory=threading.Lock)
    users: int = 0


class Runner:
    def __init__(
        self,
        settings: Settings,
        records: Records,
        *,
        on_done: Callable[[str], None] | None = None,
        actors: Any = None,
    ) -> None:
        self.settings = settings
        self.records = records
        self.store = make_store(settings)
        self.on_done = on_done
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._running: dict[str, _Turn] = {}  # one job at a time per dossier
        self._refresh_waiting: set[str] = set()  # one refresh per dossier in the queue is enough
        self._runner: PageRunner = (
            ClusterRunner(settings, actors=actors) if actors is not None else make_runner(settings, records, self.store)
        )

    @property
    def mode(self) -> str:
        return self._runner.mode

    def submit(
        self,
        code: str,
        paths: Sequence[Path],
        upload_dir: Path | None,
        *,
        channel: Channel = Channel.api,
        meta: Mapping[str, Any] | None = None,
        append: bool = False,
        replaces: str | None = None,
        hashes: Mapping[Path, str] | None = None,
    ) -> None:
        """Receive the uploaded files into the dossier (the upload removed once stored), then run it. With
        `append`, files added after the dossier's own (`replaces`: the refused file they stand in for)."""
        try:
            submission = Submission(tuple(paths), channel, code, dict(meta or {}), append=append, replaces=replaces,
                                    hashes=dict(hashes or {}))  # fmt: skip
            with self._lock if append else contextlib.nullcontext():  # two additions at once: one after the other
                received = receive(self.records, self.store, submission)
        finally:
            if upload_dir is not None:
                shutil.rmtree(upload_dir, ignore_errors=True)
        for problem in received.problems:
            log.warning("dossier problem: %s", problem.kind, extra={"dossier": code, "stage": "web"})
        self.start(code)

    def start(self, code: str) -> None:
        """Run a received (or half-processed) dossier."""
        if self.mode == "cluster":
            self._runner.run([code])
            log.info("dossier sent to the cluster", extra={"dossier": code, "stage": "web"})
            return
        self._start()
        self._queue.put(Job(code))

    def refresh(self, code: str) -> None:
        """Write the dossier's artifacts (searchable PDF, OCR TSV) again after its OCR text was corrected."""
        with self._lock:
            if code in self._refresh_waiting:
                return
            self._refresh_waiting.add(code)
        self._start()
        self._queue.put(Job(code, refresh_only=True))

    def idle(self) -> bool:
        return self._queue.unfinished_tasks == 0

    def join(self) -> None:
        self._queue.join()

    def close(self) -> None:
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)
        for thread in threads:
            thread.join(timeout=30)
        self._runner.close()

    def _start(self) -> None:
        with self._lock:
            if not self._threads:
                self._threads = [
                    threading.Thread(target=self._loop, name=f"hoso-pipeline-{i}", daemon=True)
                    for i in range(DOSSIERS_AT_ONCE)
                ]
                for thread in self._threads:
                    thread.start()

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                self._run_alone(job)
            finally:
                self._queue.task_done()

    def _run_alone(self, job: Job) -> None:
        """Run the job once no other job of its dossier runs."""
        with self._lock:
            turn = self._running.setdefault(job.code, _Turn())
            turn.users += 1
        try:
            with turn.lock:
                self._run(job)
        finally:
            with self._lock:
                turn.users -= 1
                if turn.users == 0:
                    del self._running[job.code]

    def _run(self, job: Job) -> None:
        codes = [job.code]
        try:
            if job.refresh_only:
                with self._lock:
                    self._refresh_waiting.discard(job.code)  # a correction from now on queues another
                self._refresh(job.code)
            else:
                report = self._runner.run([job.code])
                codes = [d.code for d in report.dossiers] or codes
                for problem in report.problems:
                    log.warning("dossier problem: %s", problem.kind, extra={"dossier": job.code, "stage": "web"})
        except HosoError as exc:  # expected (storage away, bad input): the dossier is marked failed
            log.error("dossier failed: %s", exc.kind, extra={"dossier": job.code, "stage": "web", "error": exc.kind})
            self._mark_failed(job.code)
        except Exception:  # a bug: its traceback in the log
            log.exception("dossier failed", extra={"dossier": job.code, "stage": "web"})
            self._mark_failed(job.code)
        if self.on_done is not None:
            for code in codes:
                try:
                    self.on_done(code)
                except Exception:
                    log.exception("after-processing hook failed", extra={"dossier": code, "stage": "web"})

    def _refresh(self, code: str) -> None:
        from workers.usecases.artifacts import write_artifacts

        write_artifacts(self.store, self.records.dossier(code))

    def _mark_failed(self, code: str) -> None:
        try:
            if self.records.status(code) in (DossierStatus.received, DossierStatus.processing):
                self.records.set_status(code, DossierStatus.failed)
        except HosoError:
            log.exception("could not mark the dossier failed", extra={"dossier": code, "stage": "web"})
