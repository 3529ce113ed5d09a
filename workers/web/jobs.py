"""Uploaded dossiers to the pipeline, without blocking the web server.

Embedded (no broker): one background thread takes dossiers in turn and runs `workers.embedded.process` on
each: small dossiers in that thread, larger ones on a process per core. One dossier at a time, so that a
dossier gets every core and its pages come back in order; the pages' progress is in the record database,
where the pages poll it.

With a broker configured (HOSO_BROKER_URL), the dossier goes to the cluster's workers instead, as `hoso
submit` sends it: the originals stored and the files recorded (`workers.submit.submit`), then the intake
message (`workers.actors.intake`). The workers write the same record rows, so the pages poll it the same way.
"""

from __future__ import annotations

import importlib
import logging
import queue
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.errors import HosoError, TransientError
from schemas.record import DossierStatus
from workers.records import Records
from workers.settings import Settings

log = logging.getLogger("hoso.web")


@dataclass(frozen=True)
class Job:
    code: str
    paths: tuple[Path, ...]
    upload_dir: Path | None  # removed when the originals are stored
    refresh_only: bool = False  # the dossier stage and artifacts again, after an OCR correction


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
        self.on_done = on_done
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._refresh_waiting: set[str] = set()  # one refresh per dossier in the queue is enough
        # The cluster's actors module (its broker built first), when a broker is configured.
        self._actors: Any = (
            actors if actors is not None else (_cluster_actors(settings) if settings.broker_url else None)
        )

    @property
    def mode(self) -> str:
        return "cluster" if self._actors is not None else "embedded"

    def submit(self, code: str, paths: Sequence[Path], upload_dir: Path | None) -> None:
        if self._actors is not None:
            try:
                self._to_cluster(code, list(paths))
            finally:
                if upload_dir is not None:
                    shutil.rmtree(upload_dir, ignore_errors=True)
            return
        self._start()
        self._queue.put(Job(code, tuple(paths), upload_dir))

    def refresh(self, code: str) -> None:
        """Write the dossier's artifacts (searchable PDF, OCR TSV) again after its OCR text was corrected."""
        with self._lock:
            if code in self._refresh_waiting:
                return
            self._refresh_waiting.add(code)
        self._start()
        self._queue.put(Job(code, (), None, refresh_only=True))

    def idle(self) -> bool:
        return self._queue.unfinished_tasks == 0

    def join(self) -> None:
        self._queue.join()

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=30)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="hoso-pipeline", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                self._run(job)
            finally:
                self._queue.task_done()

    def _run(self, job: Job) -> None:
        from workers import embedded

        try:
            if job.refresh_only:
                with self._lock:
                    self._refresh_waiting.discard(job.code)  # a correction from now on queues another
                self._refresh(job.code)
            else:
                result = embedded.process(self.settings, list(job.paths), code=job.code)
                for problem in result.problems:
                    log.warning("dossier problem: %s", problem, extra={"dossier": job.code, "stage": "web"})
        except HosoError as exc:
            log.error("dossier failed: %s", exc, extra={"dossier": job.code, "stage": "web", "error": exc.kind})
            self._mark_failed(job.code)
        except Exception:
            log.exception("dossier failed", extra={"dossier": job.code, "stage": "web"})
            self._mark_failed(job.code)
        finally:
            if job.upload_dir is not None:
                shutil.rmtree(job.upload_dir, ignore_errors=True)
        if self.on_done is not None:
            try:
                self.on_done(job.code)
            except Exception:
                log.exception("after-processing hook failed", extra={"dossier": job.code, "stage": "web"})

    def _to_cluster(self, code: str, paths: list[Path]) -> None:
        direct = getattr(self._actors, "submit", None)
        if callable(direct):  # a one-call submission, should the cluster offer one
            direct(self.settings, code, paths)
            return
        from workers.storage import make_store
        from workers.submit import submit

        submitted = submit(self.records, make_store(self.settings), paths, code=code)
        for problem in submitted.problems:
            log.warning("dossier problem: %s", problem, extra={"dossier": code, "stage": "web"})
        try:
            self._actors.intake.send(code)
        except HosoError:
            raise
        except Exception as exc:  # the broker's client (redis) failed; the sweeper sends received dossiers again
            raise TransientError(f"the broker did not take dossier {code} ({type(exc).__name__})") from exc
        log.info("dossier sent to the cluster", extra={"dossier": code, "stage": "web"})

    def _refresh(self, code: str) -> None:
        from workers.artifacts import write_artifacts
        from workers.storage import make_store

        write_artifacts(make_store(self.settings), self.records.dossier(code))

    def _mark_failed(self, code: str) -> None:
        try:
            if self.records.status(code) in (DossierStatus.received, DossierStatus.processing):
                self.records.set_status(code, DossierStatus.failed)
        except HosoError:
            log.exception("could not mark the dossier failed", extra={"dossier": code, "stage": "web"})


def _cluster_actors(settings: Settings) -> Any:
    """The cluster's actors, declared on the broker the settings name (built here once per process)."""
    broker = importlib.import_module("workers.broker")
    try:
        broker.current()
    except RuntimeError:
        broker.build_broker(settings)
    return importlib.import_module("workers.actors")
