"""The watch folder: `hoso watch DIR` takes every scan that lands in DIR, and never loses one.

Finding files. A file is taken once complete: the same size, modification time and inode for `stable_seconds`
(scanners write in chunks; counted from its last change, its ctime, when first seen, so a file left there
before the watcher started is taken at once), and no process has it open for writing (Linux: `/proc/*/fd`; a
scanner that pauses mid-file keeps it open). One that still reads as cut short or empty (a writer that closed
it and paused, or one on another machine) is taken again `incomplete_tries` times, `incomplete_wait_seconds`
apart, before it goes to `DIR/failed/`. Temporary and hidden names are never taken; symbolic links, FIFOs,
sockets and devices are never opened or followed: they go to `DIR/failed/` with a reason. Files are found by
inotify events where the file system gives them (watchdog) and by a full scan of the folder at start and every
`poll_seconds` (SMB and NFS shares give no events); `DIR/done/`, `DIR/failed/` and hidden folders are skipped.

The watcher is a thin producer, in four parts: `folder` (scanning, stability, events), `journal` (the
intake journal, and the one intake of workers/usecases/intake.py), the runner the settings name
(workers/runners/__init__.py: the embedded process pool kept for the watcher's life, or the cluster's
workers, which then read the pages: the watcher does no OCR and claims no page), and `settle` (letting the
files go).

The intake journal. Each file goes through steps recorded in the record database (`watch_intake`), each
step safe to repeat, so a watcher killed anywhere and started again resumes where it was:

    received   the file is copied aside and hashed in one read; the row is keyed by its SHA-256
    stored     the original is durable in the object store (`originals/<sha256>`) and recorded
    split      its dossiers exist with their page rows (a file with receipt sheets makes several)
    done       its pages are processed and its dossiers finished
    settled    the file has left the folder: moved to `DIR/done/` (or deleted, if configured)
    duplicate  same content as a stored original: recorded, reported, settled, not processed again
    failed     unreadable: settled in `DIR/failed/` with a `.reason.txt`; the original is kept

A file is only let go (settled) after its original is stored, its record exists and the database has
been made durable; before moving it, its size and mtime are checked again, so a file the scanner wrote anew
under the same name is never moved away untaken.

Dossiers. A receipt sheet (pipeline.separators) starts a new dossier whose code is its QR's; the sheet is a
page of that dossier (`separator: true`, in no document). Pages before the first sheet, or a file without
sheets, make one dossier, coded `HS-<date>-<first 6 hex of the file's SHA-256>`. Each dossier records where
it came from (`source`: channel, subfolder, file, pages). The files taken together go to the runner at once
(embedded: they share its pool), and each file is let go once all its dossiers are finished.

Logs name intake rows, dossier codes and counts, never file names (they may hold a citizen's name); the
journal and `DIR/failed/*.reason.txt` say which file.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import queue
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.errors import HosoError, PagesNotRead, WatchFolderBusy, WatchFolderMissing
from workers.private import make_dir
from workers.runners import Begun, Runner, RunReport, finished, make_runner
from workers.settings import Settings, WatchSettings
from workers.stores.objects import ObjectStore, make_store
from workers.stores.records import IntakeRow, Records
from workers.usecases.outbox import delivering
from workers.watch.folder import (
    DONE,
    FAILED,
    LOCK_NAME,
    Found,
    Stability,
    file_events,
    ignored_name,
    on_network_fs,
    open_for_writing,
    scan_folder,
    stat_file,
)
from workers.watch.journal import Incomplete, Journal
from workers.watch.settle import FileSummary, Settler, log_summary

__all__ = ["DONE", "FAILED", "FileSummary", "Found", "Stability", "WatchReport", "Watcher", "ignored_name",
           "on_network_fs", "scan_folder", "window"]  # fmt: skip

log = logging.getLogger("hoso.watch")

_RETRY_SECONDS = 60.0


@dataclass
class WatchReport:
    files: list[FileSummary] = field(default_factory=list)
    retry_later: int = 0  # files left in the folder after a transient failure

    @property
    def dossiers(self) -> list[str]:
        return [c for f in self.files for c in f.dossiers]

    def count(self, state: str) -> int:
        return sum(1 for f in self.files if f.state == state)

    @property
    def failed(self) -> bool:
        return bool(self.count("failed"))


@dataclass
class _InFlight:
    row: IntakeRow
    found: Found | None
    started: float


@dataclass
class _Batch:
    """Files handed to the runner (one taken in; those a previous watcher left), seen through in a thread of
    their own (`see_through`) while the watcher takes the next files in: the pool never waits for a batch's
    last dossier stage to get work, and each file is let go once its own dossiers are finished."""

    rows: Sequence[tuple[IntakeRow, Found | None]]
    begun: Sequence[Begun]
    started: float
    reports: list[RunReport] = field(default_factory=list)
    error: BaseException | None = None

    def see_through(self, done: queue.Queue[_Batch]) -> None:
        try:
            self.reports = [b.wait() for b in self.begun]
        except BaseException as exc:  # handed back to the watcher's thread, which decides (`_collect`)
            self.error = exc
        finally:
            done.put(self)


def window(opts: WatchSettings, network_fs: str | None) -> float:
    """How long a file must stay unchanged to be taken: longer on a network share, where no local writer
    can be seen holding it open."""
    return max(opts.stable_seconds, opts.network_stable_seconds) if network_fs else opts.stable_seconds


class Watcher:
    """Takes the files of one watch folder. One watcher per folder (a lock file says so)."""

    def __init__(self, root: Path, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not root.is_dir():
            raise WatchFolderMissing(f"the watch folder {root} does not exist or is not a folder")
        self.root = root.resolve()
        self.settings = settings
        self.opts = settings.watch
        self.clock = clock
        # On a network share the size-and-time wait is all there is, so it is longer (see `window`)
        self.network_fs = on_network_fs(self.root)
        self.stability = Stability(window(self.opts, self.network_fs), clock, by_age=self.network_fs is None)
        self.report = WatchReport()
        self._wake = threading.Event()
        self._retry_at: dict[str, float] = {}  # rel -> when to try again after a transient failure
        self._incomplete: dict[str, tuple[tuple[int, int, int], int]] = {}  # rel -> (signature, tries) cut short
        self._refused: set[str] = set()  # links and special files journalled (moved, or left in a read-only folder)
        self._skip = [p for p in (settings.data_dir.resolve(),) if p.is_relative_to(self.root)]
        self._in_flight: list[_InFlight] = []
        self._batches: list[tuple[_Batch, threading.Thread]] = []  # handed over, their runs not seen through
        self._seen_through: queue.Queue[_Batch] = queue.Queue()
        self._records: Records | None = None
        self._store: ObjectStore | None = None
        self._journal: Journal | None = None
        self._settler: Settler | None = None
        self._runner: Runner | None = None

    @property
    def records(self) -> Records:
        assert self._records is not None, "the watcher is not running"
        return self._records

    @property
    def journal(self) -> Journal:
        assert self._journal is not None, "the watcher is not running"
        return self._journal

    # --- the loop -----------------------------------------------------------------------------------------------

    def run(self, *, once: bool = False, stop: threading.Event | None = None) -> WatchReport:
        """Take files until `stop` is set; with `once`, until the folder holds nothing more to take."""
        stop = stop or threading.Event()
        if not self.settings.broker_url:  # the pages are read here: the engine must be there
            from pipeline.ocr import ensure_language

            ensure_language(self.settings.pipeline.lang, self.settings.pipeline.tessdata)
        with self._locked(), self._open(), file_events(self.root, self._wake, self.opts.inotify) as inotify:
            log.info(
                "watching %s (%s, complete after %.1f s unchanged, rescan every %.1f s, pages read by %s)",
                self.root,
                f"a {self.network_fs} share: polling"
                if self.network_fs
                else "inotify and polling"
                if inotify
                else "polling",
                self.stability.seconds,
                self.opts.poll_seconds,
                "the cluster's workers" if self.settings.broker_url else "this machine",
                extra={"stage": "watch"},
            )
            self._resume()
            tick = max(0.05, min(1.0, self.opts.stable_seconds / 4))
            next_scan = last_scan = 0.0
            while not stop.is_set():
                self._settle_finished()
                now = self.clock()
                # Events rescan at most once a tick (a scanner writing in chunks sends many); --once ends on a
                # full scan that finds nothing, so make one as soon as nothing is left in view.
                woken = self._wake.is_set() and now - last_scan >= tick
                full = now >= next_scan or woken or (once and not self.stability.tracked)
                if full:
                    self._wake.clear()
                    next_scan, last_scan = now + self.opts.poll_seconds, now
                    special: list[str] = []
                    found = scan_folder(self.root, self._skip, special)
                    self._refuse_special(special)
                else:
                    found = {r: f for r in self.stability.tracked if (f := stat_file(self.root, r)) is not None}
                busy = {i.row.path for i in self._in_flight} | {
                    row.path for b, _ in self._batches for row, _found in b.rows
                }
                waiting = {r: f for r, f in found.items() if self._retry_at.get(r, 0.0) <= now and r not in busy}
                stable = self._not_being_written(self.stability.update(waiting))
                if stable:
                    batch = stable[: self.opts.batch_files]
                    try:
                        self._take(batch)
                    except HosoError as exc:
                        if not exc.retry:
                            raise
                        for f in batch:  # every step is safe to repeat: try these files again later
                            self._later(f.rel, exc)
                    continue
                if (
                    once
                    and full
                    and not waiting
                    and not self._in_flight
                    and not self._batches
                    and not (self._incomplete.keys() & found)
                ):
                    break
                pause = max(0.0, min(tick, next_scan - self.clock()))
                if self._batches:
                    self._collect(block=pause)  # a batch seen through wakes the loop at once
                elif self._wake.is_set() or self._in_flight:
                    stop.wait(pause)  # events came in since the last scan, or dossiers are being read
                else:
                    self._wake.wait(pause)
            self._see_through_all()  # stopped: the files in hand are seen through first, then let go
        return self.report

    def _see_through_all(self) -> None:
        for _batch, thread in list(self._batches):
            thread.join()
        self._settle_finished()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.root / LOCK_NAME, "a+b") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise WatchFolderBusy(f"another watcher holds {self.root / LOCK_NAME}") from exc
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _open(self) -> Iterator[None]:
        make_dir(self.settings.data_dir)
        for sub in (DONE, FAILED):
            if not (self.root / sub).is_dir():  # as open as the folder the scanners save to: its owner's choice
                (self.root / sub).mkdir()
                (self.root / sub).chmod(stat.S_IMODE(self.root.stat().st_mode))
        self._records = Records(self.settings.db_url)
        self._store = make_store(self.settings)
        self._journal = Journal(self.root, self._records, self._store, self.settings, forget=self.stability.forget)
        self._settler = Settler(self.root, self._records, delete=self.opts.delete)
        self._runner = make_runner(self.settings, self._records, self._store)
        self._runner.warm()  # the pool's engines load while the first files become complete
        try:
            with delivering(self._records, self.settings.portal) as deliverer:  # status changes to the portal
                yield
                if deliverer is not None:
                    deliverer.drain(budget_s=self.settings.portal.timeout_seconds)  # the last ones, before exiting
        finally:
            self._runner.close()
            self._records.close()
            self._records = None

    # --- one round: the complete files taken together ---------------------------------------------------------

    def _not_being_written(self, stable: list[Found]) -> list[Found]:
        """The files no process has open for writing; the others watched again from scratch."""
        if not stable or self.network_fs:  # a share's writer is on another machine: not in this /proc
            return stable
        writing = open_for_writing(f.path for f in stable)
        for f in stable:
            if f.path in writing:
                self.stability.forget(f.rel)
        return [f for f in stable if f.path not in writing]

    def _refuse_special(self, rels: Sequence[str]) -> None:
        assert self._settler is not None
        self._refused &= set(rels)  # one gone (moved, removed) may come back under its name: refused again then
        for rel in rels:
            if rel in self._refused:
                continue
            self._refused.add(rel)
            row = self._settler.refuse_special(rel, self.journal.key)
            if row is not None:
                summary = FileSummary(intake=row.id, folder=row.folder, state="failed", error=row.error_kind)
                self.report.files.append(summary)
                log_summary(summary)

    def _patient(self, f: Found) -> bool:
        sig, tries = self._incomplete.get(f.rel, (f.sig, 0))
        return sig != f.sig or tries < self.opts.incomplete_tries

    def _not_yet(self, f: Found, exc: Incomplete) -> None:
        """Cut short or empty: perhaps the scanner paused; tried again later (counted while the file is unchanged)."""
        sig, tries = self._incomplete.get(f.rel, (f.sig, 0))
        tries = tries + 1 if sig == f.sig else 1
        self._incomplete[f.rel] = (f.sig, tries)
        wait = self.opts.incomplete_wait_seconds
        log.warning("file looks incomplete (%s): taken again in %.0f s (try %d of %d)", exc.error.kind, wait, tries,
                    self.opts.incomplete_tries, extra={"stage": "watch", "error": exc.error.kind})  # fmt: skip
        self._retry_at[f.rel] = self.clock() + wait
        self.stability.forget(f.rel)

    def _take(self, files: Sequence[Found]) -> None:
        for f in files:
            try:
                taken = self._take_one(f)
            except Incomplete as exc:
                self._not_yet(f, exc)
                continue
            except HosoError as exc:
                if not exc.retry:
                    self._see_through_all()  # the files begun are seen through first
                    raise
                self._later(f.rel, exc)
                continue
            except Exception as exc:  # a bug on this file must not stop the others: it stays, logged
                log.exception("file not taken", extra={"stage": "watch", "error": type(exc).__name__})
                self._later(f.rel, exc)
                continue
            if taken is not None:
                # each file seen through on its own: let go as soon as its own dossiers are finished
                self._hand_over([(taken[0], f)], list(taken[1:]))

    def _take_one(self, f: Found) -> tuple[IntakeRow] | tuple[IntakeRow, Begun] | None:
        """The file admitted; its dossiers' pages handed to the runner at once (the pool reads them while the
        next files are taken in), with the run begun for them."""
        row = self.journal.admit(f, patient=self._patient(f))
        self._incomplete.pop(f.rel, None)
        if row is None:
            return None
        if row.state == "split" and row.codes:
            return row, self._begin(row.codes)
        return (row,)

    def _resume(self) -> None:
        """Carry on with the files a previous watcher left unfinished (killed, or a transient failure)."""
        rows: list[tuple[IntakeRow, Found | None]] = []
        for row in self.records.intake_rows(self.journal.key, unsettled_only=True):
            found = stat_file(self.root, row.path)
            if found is not None and (found.size, found.mtime_ns) != (row.size, row.mtime_ns):
                found = None  # another file under that name now: it will be taken on its own
            resumed = self.journal.resume(row, found)
            if resumed is not None:
                rows.append((resumed, found))
        if rows:
            self._hand_over(rows)

    def _later(self, rel: str, exc: Exception) -> None:
        kind = type(exc).__name__
        log.warning("will try again: %s", kind, extra={"stage": "watch", "error": kind})
        self._retry_at[rel] = self.clock() + _RETRY_SECONDS
        self.stability.forget(rel)
        self.report.retry_later += 1

    # --- split → (the runner) → done → settled --------------------------------------------------------------

    def _begin(self, codes: Sequence[str]) -> Begun:
        assert self._runner is not None
        return self._runner.begin(codes, lane=self)  # one turn for all the folder's files

    def _hand_over(self, rows: Sequence[tuple[IntakeRow, Found | None]], begun: Sequence[Begun] | None = None) -> None:
        """Give the split files' dossiers to the runner (embedded: read by its pool; cluster: sent to the
        workers); `begun`: the runs already begun for them (else begun here). They are seen through in a
        thread while the watcher goes on taking files (`_collect` takes the outcome)."""
        started = time.perf_counter()
        if begun is None:
            codes = [c for row, _ in rows if row.state == "split" for c in row.codes]
            begun = [self._begin(codes)] if codes else []
        batch = _Batch(rows, begun, started)
        if not begun:  # nothing to read (a duplicate, a file refused): settled at once
            batch.see_through(self._seen_through)
        else:
            thread = threading.Thread(target=batch.see_through, args=(self._seen_through,), daemon=True,
                                      name="hoso-watch-batch")  # fmt: skip
            self._batches.append((batch, thread))
            thread.start()
        self._settle_finished()

    def _collect(self, block: float = 0.0) -> None:
        """Take the batches seen through (waiting up to `block` seconds for one): their files in flight until
        their dossiers are finished, or left to try again when pages failed for a transient reason."""
        while True:
            try:
                batch = self._seen_through.get(timeout=block) if block > 0 else self._seen_through.get_nowait()
            except queue.Empty:
                return
            block = 0.0
            self._batches = [(b, t) for b, t in self._batches if b is not batch]
            if batch.error is not None:
                if not isinstance(batch.error, HosoError) or not batch.error.retry:
                    raise batch.error
                for _row, found in batch.rows:  # every step is safe to repeat: try these files again later
                    if found is not None:
                        self._later(found.rel, batch.error)
                continue
            unfinished = {c for r in batch.reports for c in r.unfinished}
            for row, found in batch.rows:
                if row.state == "split" and unfinished & set(row.codes):
                    if found is not None:  # pages to try again: the file stays
                        problem = next((p for r in batch.reports for p in r.problems if p.retry), None)
                        self._later(found.rel, problem or HosoError("pages to try again"))
                    continue
                self._in_flight.append(_InFlight(row, found, batch.started))

    def _settle_finished(self) -> None:
        """Let go of the files whose dossiers are all finished (at once embedded; when the workers are done)."""
        self._collect()
        ready: list[tuple[IntakeRow, Found | None, FileSummary]] = []
        for item in list(self._in_flight):
            row = item.row
            if row.state == "split" and not finished(self.records, row.codes):
                continue
            self._in_flight.remove(item)
            summary = FileSummary(intake=row.id, folder=row.folder, state=row.state,
                                  seconds=time.perf_counter() - item.started)  # fmt: skip
            if row.state == "split":
                row = self._finish(row, summary)
            ready.append((row, item.found, summary))
        if not ready:
            return
        self.records.make_durable()
        assert self._settler is not None
        for row, found, summary in ready:
            if self._settler.settle(row, found):
                self.stability.forget(found.rel if found is not None else row.path)
            else:  # the folder is read-only or full: recorded all the same; try again later
                self._retry_at[found.rel if found is not None else row.path] = self.clock() + _RETRY_SECONDS
            summary.state = row.state
            summary.error = row.error_kind
            self.report.files.append(summary)
            log_summary(summary)

    def _finish(self, row: IntakeRow, summary: FileSummary) -> IntakeRow:
        errors: list[str] = []
        for code in row.codes:
            errors.extend(f"{code} page {n}: {e}" for n, e in self.records.page_errors(code))
            dossier = self.records.dossier(code)
            summary.dossiers.append(code)
            summary.pages += len(dossier.pages)
            summary.blanks += sum(p.blank for p in dossier.pages)
            summary.separators += sum(p.separator for p in dossier.pages)
            late = [p.number for p in dossier.pages[1:] if p.separator]
            if late:  # a sheet read from its text only: the pre-scan saw no QR there
                log.warning(
                    "receipt sheet inside a dossier; not split there",
                    extra={"stage": "watch", "dossier": code, "page": late[0]},
                )
        summary.failed_pages = len(errors)
        if errors:
            err = PagesNotRead("pages could not be processed: " + "; ".join(errors), file=row.path)
            return self.journal.fail(row, err)
        return self.records.intake_update(row.id, state="done")
