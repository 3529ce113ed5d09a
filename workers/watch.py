"""The watch folder: `hoso watch DIR` takes every scan that lands in DIR, and never loses one.

Finding files. A file is taken once complete: the same size, modification time and inode for
`stable_seconds` (scanners write in chunks). Temporary and hidden names are never taken. Files are found by
inotify events where the file system gives them (watchdog) and by a full scan of the folder at start and every
`poll_seconds` (SMB and NFS shares give no events); `DIR/done/`, `DIR/failed/` and hidden folders are skipped.

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
it came from (`source`: channel, subfolder, file, pages). The files taken together share one pool of page
processes (`embedded.run_pages`), then each dossier is finished as `hoso process` finishes one.

Logs name intake rows, dossier codes and counts, never file names (they may hold a citizen's name); the
journal and `DIR/failed/*.reason.txt` say which file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import logging
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline import raster
from pipeline.ocr import ensure_language
from pipeline.separators import read_qr, separator_code, split_at_separators
from schemas import errors
from schemas.errors import (
    DuplicateFile,
    HosoError,
    InputError,
    MissingFile,
    PagesNotRead,
    WatchFolderBusy,
    WatchFolderMissing,
)
from schemas.record import DossierStatus
from workers.artifacts import write_artifacts
from workers.dossier import finish_dossier
from workers.embedded import run_pages
from workers.records import IntakeRow, Records
from workers.settings import Settings
from workers.storage import ObjectStore, make_store, original_key, write_atomic

log = logging.getLogger("hoso.watch")

DONE = "done"
FAILED = "failed"
LOCK_NAME = ".hoso-watch.lock"

_TEMP_SUFFIXES = (
    ".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".filepart", ".swp", ".lock", "~",
)  # fmt: skip
_SYSTEM_NAMES = frozenset({"thumbs.db", "desktop.ini"})
_CHUNK = 1 << 20
_RETRY_SECONDS = 60.0


def ignored_name(name: str) -> bool:
    """Hidden, temporary and system files: never taken (a scanner or a copy renames them when complete)."""
    low = name.lower()
    return name.startswith((".", "~")) or low.endswith(_TEMP_SUFFIXES) or low in _SYSTEM_NAMES


def _display(rel: str) -> str:
    """A file name as text a database takes (undecodable bytes of odd file systems replaced)."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass(frozen=True)
class Found:
    """A candidate file and its signature when seen."""

    rel: str  # path inside the watch folder, '/'-separated
    path: Path
    size: int
    mtime_ns: int
    ino: int

    @property
    def sig(self) -> tuple[int, int, int]:
        return (self.size, self.mtime_ns, self.ino)

    @property
    def name(self) -> str:
        return _display(PurePosixPath(self.rel).name)

    @property
    def folder(self) -> str:
        parent = str(PurePosixPath(self.rel).parent)
        return "" if parent == "." else _display(parent)


def _stat(root: Path, rel: str) -> Found | None:
    path = root / rel
    try:
        st = path.stat(follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):  # regular files only: no links, devices, pipes
        return None
    return Found(rel=rel, path=path, size=st.st_size, mtime_ns=st.st_mtime_ns, ino=st.st_ino)


def scan_folder(root: Path, skip: Sequence[Path] = ()) -> dict[str, Found]:
    """Every candidate file under `root`: not hidden or temporary, not in done/, failed/ or `skip`."""
    skipped = {root / DONE, root / FAILED, *skip}
    found: dict[str, Found] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "@")) and here / d not in skipped)
        for name in filenames:
            if ignored_name(name):
                continue
            rel = (here / name).relative_to(root).as_posix()
            f = _stat(root, rel)
            if f is not None:
                found[rel] = f
    return found


class Stability:
    """Which files have kept the same size, mtime and inode for `seconds` (by the watcher's clock)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._seen: dict[str, tuple[tuple[int, int, int], float]] = {}

    def update(self, found: dict[str, Found]) -> list[Found]:
        """Observe the files now present; the ones complete, in name order."""
        now = self.clock()
        for rel in list(self._seen):
            if rel not in found:
                del self._seen[rel]
        stable = []
        for rel in sorted(found):
            f = found[rel]
            seen = self._seen.get(rel)
            if seen is None or seen[0] != f.sig:
                self._seen[rel] = (f.sig, now)
                if self.seconds > 0:
                    continue
            elif now - seen[1] < self.seconds:
                continue
            stable.append(f)
        return stable

    def forget(self, rel: str) -> None:
        self._seen.pop(rel, None)

    @property
    def tracked(self) -> list[str]:
        return sorted(self._seen)


@dataclass
class FileSummary:
    """One file (a batch from the scanner) after intake: what it made."""

    intake: int
    folder: str
    state: str
    dossiers: list[str] = field(default_factory=list)
    pages: int = 0
    blanks: int = 0
    separators: int = 0
    failed_pages: int = 0
    seconds: float = 0.0
    error: str | None = None  # the kind of error, for a failed or duplicate file


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
    def exit_code(self) -> int:
        if self.retry_later:
            return 75
        return 2 if self.count("failed") else 0


class Watcher:
    """Takes the files of one watch folder. One watcher per folder (a lock file says so)."""

    def __init__(self, root: Path, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not root.is_dir():
            raise WatchFolderMissing(f"the watch folder {root} does not exist or is not a folder")
        self.root = root.resolve()
        self.key = str(self.root)
        self.settings = settings
        self.opts = settings.watch
        self.clock = clock
        self.stability = Stability(self.opts.stable_seconds, clock)
        self.report = WatchReport()
        self._wake = threading.Event()
        self._retry_at: dict[str, float] = {}  # rel -> when to try again after a transient failure
        self._records: Records | None = None
        self._store: ObjectStore | None = None
        self._skip = [p for p in (settings.data_dir.resolve(),) if p.is_relative_to(self.root)]
        self._tmp = settings.data_dir / "tmp" / "watch"

    @property
    def records(self) -> Records:
        assert self._records is not None, "the watcher is not running"
        return self._records

    @property
    def store(self) -> ObjectStore:
        assert self._store is not None, "the watcher is not running"
        return self._store

    # --- the loop -----------------------------------------------------------------------------------------------

    def run(self, *, once: bool = False, stop: threading.Event | None = None) -> WatchReport:
        """Take files until `stop` is set; with `once`, until the folder holds nothing more to take."""
        stop = stop or threading.Event()
        ensure_language(self.settings.pipeline.lang, self.settings.pipeline.tessdata)
        with self._locked(), self._open(), self._events() as inotify:
            log.info(
                "watching %s (%s, complete after %.1f s unchanged, rescan every %.1f s)",
                self.root,
                "inotify and polling" if inotify else "polling",
                self.opts.stable_seconds,
                self.opts.poll_seconds,
                extra={"stage": "watch"},
            )
            self._resume()
            tick = max(0.05, min(1.0, self.opts.stable_seconds / 4))
            next_scan = last_scan = 0.0
            while not stop.is_set():
                now = self.clock()
                # Events rescan at most once a tick (a scanner writing in chunks sends many); --once ends on a
                # full scan that finds nothing, so make one as soon as nothing is left in view.
                woken = self._wake.is_set() and now - last_scan >= tick
                full = now >= next_scan or woken or (once and not self.stability.tracked)
                if full:
                    self._wake.clear()
                    next_scan, last_scan = now + self.opts.poll_seconds, now
                    found = scan_folder(self.root, self._skip)
                else:
                    found = {r: f for r in self.stability.tracked if (f := _stat(self.root, r)) is not None}
                waiting = {r: f for r, f in found.items() if self._retry_at.get(r, 0.0) <= now}
                stable = self.stability.update(waiting)
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
                if once and full and not waiting:
                    break
                pause = max(0.0, min(tick, next_scan - self.clock()))
                if self._wake.is_set():
                    stop.wait(pause)  # events came in since the last scan: the next tick scans
                else:
                    self._wake.wait(pause)
        return self.report

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
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._tmp.mkdir(parents=True, exist_ok=True)
        for sub in (DONE, FAILED):
            (self.root / sub).mkdir(exist_ok=True)
        self._records = Records(self.settings.db_url)
        self._store = make_store(self.settings)
        try:
            yield
        finally:
            self._records.close()
            self._records = None

    @contextlib.contextmanager
    def _events(self) -> Iterator[bool]:
        """inotify (through watchdog) wakes the loop early; polling goes on regardless."""
        observer = None
        if self.opts.inotify:
            try:
                from watchdog.events import FileSystemEvent, FileSystemEventHandler
                from watchdog.observers import Observer

                wake, root = self._wake, self.root

                class _Wake(FileSystemEventHandler):
                    def on_any_event(self, event: FileSystemEvent) -> None:
                        # Reading a file (ours included) is no news; moves into done/ and failed/ neither.
                        if event.event_type in ("opened", "closed_no_write"):
                            return
                        path = Path(os.fsdecode(event.src_path))
                        if path.is_relative_to(root / DONE) or path.is_relative_to(root / FAILED):
                            return
                        wake.set()

                observer = Observer()
                observer.schedule(_Wake(), str(self.root), recursive=True)
                observer.start()
            except Exception as exc:  # no inotify here (limits, file system): polling alone still finds all
                log.warning("no file system events (%s); polling only", type(exc).__name__, extra={"stage": "watch"})
                observer = None
        try:
            yield observer is not None
        finally:
            if observer is not None:
                observer.stop()
                observer.join(timeout=5)

    # --- one round: the complete files taken together ---------------------------------------------------------

    def _take(self, files: Sequence[Found]) -> None:
        rows: list[tuple[IntakeRow, Found | None]] = []
        for f in files:
            try:
                row = self._admit(f)
            except HosoError as exc:
                if not exc.retry:
                    raise
                self._later(f.rel, exc)
                continue
            except Exception as exc:  # a fault of ours on this file must not stop the others: it stays, logged
                log.exception("file not taken", extra={"stage": "watch", "error": type(exc).__name__})
                self._later(f.rel, exc)
                continue
            if row is not None:
                rows.append((row, f))
        self._process(rows)

    def _resume(self) -> None:
        """Carry on with the files a previous watcher left unfinished (killed, or a transient failure)."""
        rows: list[tuple[IntakeRow, Found | None]] = []
        for row in self.records.intake_rows(self.key, unsettled_only=True):
            found = _stat(self.root, row.path)
            if found is not None and (found.size, found.mtime_ns) != (row.size, row.mtime_ns):
                found = None  # another file under that name now: it will be taken on its own
            if row.state == "received":
                if self.store.exists(original_key(row.sha256)):
                    self.records.add_original(row.sha256, row.size, original_key(row.sha256), row.path)
                    row = self.records.intake_update(row.id, state="stored")
                elif found is not None:
                    continue  # the scan takes it again from the file
                else:
                    err = MissingFile("the file went away before its original was stored", file=row.path)
                    self._fail(row, err, settled_as="vanished")
                    continue
            log.info("resuming file #%d (%s)", row.id, row.state, extra={"stage": "watch", "status": row.state})
            rows.append((self._advance(row), found))
        if rows:
            self._process(rows)

    def _later(self, rel: str, exc: Exception) -> None:
        kind = type(exc).__name__
        log.warning("will try again: %s", kind, extra={"stage": "watch", "error": kind})
        self._retry_at[rel] = self.clock() + _RETRY_SECONDS
        self.stability.forget(rel)
        self.report.retry_later += 1

    # --- received → stored → split ----------------------------------------------------------------------------

    def _admit(self, f: Found) -> IntakeRow | None:
        """Copy the complete file aside and hash it, and find or open its journal row."""
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="in-")
        tmp = Path(tmp_name)
        try:
            try:
                sha = _copy_hashing(f.path, fd)
            except FileNotFoundError:
                self.stability.forget(f.rel)
                return None
            except OSError as exc:
                return self._unreadable(f, exc)
            now = _stat(self.root, f.rel)
            if now is None or now.sig != f.sig:
                self.stability.forget(f.rel)  # written to while we read it: not complete after all
                return None
            rel = _display(f.rel)
            row = self.records.intake_open(self.key, sha)
            if row is not None and (row.path == rel or _stat(self.root, row.path) is None):
                if row.path != rel:  # renamed while the watcher was down
                    row = self.records.intake_update(row.id, path=rel, folder=f.folder)
            elif (first := self.records.intake_first(sha)) is not None or self.records.has_original(sha):
                return self._duplicate(f, sha, first)
            else:
                row = self._journal(f, sha, "received")
            if row.state == "received":
                key = original_key(sha)
                if not self.store.exists(key):
                    self.store.put_file(key, tmp)
                self.records.add_original(sha, f.size, key, rel)
                row = self.records.intake_update(row.id, state="stored")
            return self._advance(row)
        finally:
            tmp.unlink(missing_ok=True)

    def _journal(
        self, f: Found, sha: str, state: str, error_kind: str | None = None, error_message: str | None = None
    ) -> IntakeRow:
        return self.records.intake_add(
            root=self.key,
            path=_display(f.rel),
            folder=f.folder,
            sha256=sha,
            size=f.size,
            mtime_ns=f.mtime_ns,
            state=state,
            error_kind=error_kind,
            error_message=error_message,
        )

    def _duplicate(self, f: Found, sha: str, first: IntakeRow | None) -> IntakeRow:
        if first is not None and first.state == "failed":  # the same bytes failed before: the same reason holds
            why = f"the same content as an earlier file that failed: {first.error_message}"
            return self._journal(f, sha, "failed", first.error_kind, why)
        holders = self.records.dossiers_with_file(sha)
        err = DuplicateFile(
            f"the same content (SHA-256 {sha[:12]}…) was taken before, in dossier(s) {', '.join(holders) or '-'}",
            file=_display(f.rel),
        )
        log.warning("duplicate file", extra={"stage": "watch", "error": err.kind, "dossier": ",".join(holders)})
        return self._journal(f, sha, "duplicate", err.kind, err.message)

    def _unreadable(self, f: Found, exc: OSError) -> IntakeRow:
        """A file we may not even read: no original can be stored; it is kept by moving it to failed/."""
        err = MissingFile(f"the file cannot be read ({exc.strerror or exc})", file=_display(f.rel))
        return self._journal(f, "", "failed", err.kind, err.message)

    def _advance(self, row: IntakeRow) -> IntakeRow:
        """stored → split (its dossiers and their page rows made) or failed (unreadable)."""
        if row.state != "stored":
            return row
        path = self.store.local_path(original_key(row.sha256))
        name = PurePosixPath(row.path).name
        try:
            info = raster.inspect(path, self.settings.pipeline, name=name)
        except InputError as exc:
            return self.records.intake_update(row.id, state="failed", error_kind=exc.kind, error_message=exc.message)
        codes = self._receipt_codes(path, info, name)
        segments = []
        for qr_code, first, last in split_at_separators(codes):
            source = {
                "channel": "watch",
                "folder": row.folder,
                "file": row.path,
                "sha256": row.sha256,
                "first_page": first,
                "last_page": last,
            }
            code = self._claim(qr_code or _file_code(row), source)
            self.records.add_file(code, 1, name, sha256=row.sha256, kind=info.kind, page_count=last - first + 1)
            self.records.add_page_range(code, 1, 1, first, last - first + 1)
            self.records.set_status(code, DossierStatus.processing)
            segments.append({"code": code, "first": first, "last": last, "receipt": qr_code})
        return self.records.intake_update(row.id, state="split", segments=segments)

    def _receipt_codes(self, path: Path, info: raster.SourceInfo, name: str) -> list[str | None]:
        """Each page's receipt-sheet code, from its QR alone (a few ms a page beside its decoding)."""
        codes: list[str | None] = []
        for index in range(info.pages):
            try:
                image = raster.load_page(path, info.kind, index, self.settings.pipeline, name=name)
            except InputError:
                codes.append(None)  # the page stage records why
                continue
            codes.append(separator_code(read_qr(image.pixels, image.dpi), None))
        return codes

    def _claim(self, candidate: str, source: dict[str, Any]) -> str:
        """The dossier code for this part of the file: `candidate`, or `candidate_2`… when another dossier
        has it (the same dossier scanned again). Ours already, after a restart, when its source is this part."""
        for n in range(1, 1000):
            code = candidate if n == 1 else f"{candidate}_{n}"
            if self.records.create_dossier(code, {"source": source}):
                if n > 1:
                    log.warning("dossier code taken; renamed", extra={"stage": "watch", "dossier": code})
                return code
            theirs = (self.records.dossier_meta(code) or {}).get("source") or {}
            if (theirs.get("sha256"), theirs.get("first_page")) == (source["sha256"], source["first_page"]):
                return code
        raise HosoError(f"no free dossier code like {candidate}")

    # --- split → done → settled ---------------------------------------------------------------------------------

    def _process(self, rows: Sequence[tuple[IntakeRow, Found | None]]) -> None:
        started = time.perf_counter()
        split = [row for row, _ in rows if row.state == "split"]
        tasks = []
        for row in split:
            for code in row.codes:
                # Pages left running belong to a watcher that died (this folder has one watcher at a time).
                for stale in self.records.page_tasks(code, states=("running",)):
                    self.records.release_page(code, stale.number, "the watcher stopped while it ran")
                tasks.extend(self.records.page_tasks(code, states=("pending", "failed")))
        problems: list[HosoError] = []
        if tasks:
            problems, _timings = run_pages(self.records, self.settings, "watch", tasks, lambda *_: None, len(tasks), 0)
        transient = any(p.retry for p in problems)
        per_file = (time.perf_counter() - started) / max(1, len(rows))
        settled: list[tuple[IntakeRow, Found | None, FileSummary]] = []
        for row, found in rows:
            summary = FileSummary(intake=row.id, folder=row.folder, state=row.state, seconds=per_file)
            if row.state == "split":
                row, summary = self._finish(row, summary, transient)
                if row.state == "split":  # pages to try again: the file stays
                    if found is not None:
                        self._later(found.rel, next(p for p in problems if p.retry))
                    continue
            settled.append((row, found, summary))
        if settled:
            self.records.make_durable()
        for row, found, summary in settled:
            self._settle(row, found)
            summary.state = row.state
            summary.error = row.error_kind
            self.report.files.append(summary)
            self._log_summary(summary)

    def _finish(self, row: IntakeRow, summary: FileSummary, transient: bool) -> tuple[IntakeRow, FileSummary]:
        errors: list[str] = []
        for code in row.codes:
            failed = self.records.page_errors(code)
            if failed and transient:
                return row, summary
            errors.extend(f"{code} page {n}: {e}" for n, e in failed)
        for code in row.codes:
            dossier = finish_dossier(self.records, code, settings=self.settings)
            write_artifacts(self.store, dossier)
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
            row = self.records.intake_update(row.id, state="failed", error_kind=err.kind, error_message=err.message)
            return row, summary
        return self.records.intake_update(row.id, state="done"), summary

    def _fail(self, row: IntakeRow, err: HosoError, *, settled_as: str) -> IntakeRow:
        return self.records.intake_update(
            row.id, state="failed", error_kind=err.kind, error_message=err.message, settled=True, settled_as=settled_as
        )

    def _settle(self, row: IntakeRow, found: Found | None) -> None:
        """Let the file go: into done/ (or deleted) when recorded, into failed/ with its reason."""
        rel = found.rel if found is not None else row.path  # the name on disk, undecodable bytes and all
        current = _stat(self.root, rel)
        if current is None or (current.size, current.mtime_ns) != (row.size, row.mtime_ns):
            # Gone already (moved before a restart: a move keeps size and mtime), or a new file under the
            # same name, which is taken on its own: leave it be.
            moved = [
                f"{sub}/{rel}"
                for sub in (DONE, FAILED)
                if (f := _stat(self.root, f"{sub}/{rel}")) is not None
                and (f.size, f.mtime_ns) == (row.size, row.mtime_ns)
            ]
            self.records.intake_update(row.id, settled=True, settled_as=_display(moved[0]) if moved else "gone")
            return
        src = current.path
        try:
            if row.state == "failed":
                dest = _free_name(self.root / FAILED / rel)
                _write_atomic(_reason_path(dest), _reason_text(row))
                os.replace(src, dest)
                where = dest.relative_to(self.root).as_posix()
            elif self.opts.delete:
                src.unlink()
                where = "deleted"
            else:
                dest = _free_name(self.root / DONE / rel)
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dest)
                where = dest.relative_to(self.root).as_posix()
        except OSError as exc:  # the folder is read-only or full: recorded all the same; try again later
            log.error("cannot move the file: %s", type(exc).__name__, extra={"stage": "watch", "error": "OSError"})
            self._retry_at[rel] = self.clock() + _RETRY_SECONDS
            return
        self.records.intake_update(row.id, settled=True, settled_as=_display(where))
        self.stability.forget(rel)

    def _log_summary(self, s: FileSummary) -> None:
        folder = f" in {s.folder}/" if s.folder else ""
        if s.state == "duplicate":
            log.warning("file #%d%s: duplicate, not processed again", s.intake, folder, extra={"stage": "watch"})
            return
        if s.state == "failed" and not s.dossiers:
            log.warning(
                "file #%d%s: failed (%s), moved to %s/",
                s.intake,
                folder,
                s.error,
                FAILED,
                extra={"stage": "watch", "error": s.error},
            )
            return
        log.info(
            "file #%d%s: %s, %d dossier(s) %s, %d page(s), %d blank, %d receipt sheet(s), %d failed page(s), %.1f s",
            s.intake,
            folder,
            s.state,
            len(s.dossiers),
            " ".join(s.dossiers),
            s.pages,
            s.blanks,
            s.separators,
            s.failed_pages,
            s.seconds,
            extra={"stage": "watch", "pages": s.pages, "count": len(s.dossiers), "status": s.state},
        )


# --- helpers --------------------------------------------------------------------------------------------------


def _copy_hashing(src: Path, fd: int) -> str:
    """Copy `src` into the open file `fd` and return the SHA-256 of what was copied (one read)."""
    h = hashlib.sha256()
    with os.fdopen(fd, "wb") as fout, src.open("rb") as fin:
        while chunk := fin.read(_CHUNK):
            h.update(chunk)
            fout.write(chunk)
    return h.hexdigest()


def _file_code(row: IntakeRow) -> str:
    """The code of a dossier without a receipt sheet: stable across restarts (date taken, the file's hash)."""
    day = datetime.fromtimestamp(row.created_at, UTC)
    return f"HS-{day:%Y%m%d}-{row.sha256[:6].upper()}"


def _free_name(dest: Path) -> Path:
    """`dest`, or `name (2).ext`… when a file of that name is there already."""
    if not dest.exists() and not _reason_path(dest).exists():
        return dest
    for n in range(2, 10_000):
        alt = dest.with_name(f"{dest.stem} ({n}){dest.suffix}")
        if not alt.exists() and not _reason_path(alt).exists():
            return alt
    raise FileExistsError(dest)


def _reason_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".reason.txt")


def _reason_text(row: IntakeRow) -> str:
    kind = getattr(errors, row.error_kind or "", None)
    advice = kind.advice if isinstance(kind, type) and issubclass(kind, HosoError) else HosoError.advice
    lines = [
        f"file: {row.path}",
        f"sha256: {row.sha256 or '-'}",
        f"error: {row.error_kind}",
        f"reason: {row.error_message}",
        f"what to do: {advice}",
    ]
    if row.codes:
        lines.append(f"recorded in dossier(s): {', '.join(row.codes)}")
    if row.sha256:
        lines.append(f"the original is kept in the object store: {original_key(row.sha256)}")
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, io.BytesIO(text.encode("utf-8")))
