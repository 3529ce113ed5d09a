"""The watch folder's intake journal: each file's steps recorded in the record database (`watch_intake`),
each safe to repeat, so a watcher killed anywhere and started again resumes where it was.

    received   the file is copied aside and hashed in one read; the row is keyed by its SHA-256
    stored     the original is durable in the object store (`originals/<sha256>`) and recorded
    split      its dossiers exist with their page rows (a file with receipt sheets makes several):
               the one intake's `take_in` (workers/usecases/intake.py)
    done       its pages are processed and its dossiers finished
    settled    the file has left the folder (workers/watch/settle.py)
    duplicate  same content as a stored original: recorded, reported, settled, not processed again
    failed     unreadable: settled in `DIR/failed/` with a `.reason.txt`; the original is kept
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from schemas.errors import DuplicateFile, EmptyFile, HosoError, InputError, MissingFile, TruncatedFile
from workers.private import make_dir
from workers.settings import Settings
from workers.stores.objects import ObjectStore, original_key
from workers.stores.records import FileRow, IntakeRow, Records
from workers.usecases.intake import Channel, store_original, take_in
from workers.watch.folder import Found, display, stat_file

log = logging.getLogger("hoso.watch")

_CHUNK = 1 << 20


class Incomplete(Exception):
    """The file read as cut short or empty: perhaps the scanner paused mid-file; take it again later."""

    def __init__(self, error: InputError) -> None:
        super().__init__(error.message)
        self.error = error


class Journal:
    """Takes complete files into the journal and through the one intake, up to `split`."""

    def __init__(
        self,
        root: Path,
        records: Records,
        store: ObjectStore,
        settings: Settings,
        *,
        forget: Callable[[str], None],
    ) -> None:
        self.root = root
        self.key = str(root)
        self.records = records
        self.store = store
        self.settings = settings
        self.forget = forget  # the file is not complete after all: watch it again from scratch
        self.tmp = settings.data_dir / "tmp" / "watch"
        make_dir(self.tmp)

    # --- received → stored → split ----------------------------------------------------------------------------

    def admit(self, f: Found, *, patient: bool = False) -> IntakeRow | None:
        """Copy the complete file aside and hash it, find or open its journal row, and take it in.
        `patient`: a copy that reads as cut short or empty raises `Incomplete`, and nothing is recorded."""
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="in-")
        tmp = Path(tmp_name)
        try:
            try:
                sha = _copy_hashing(f.path, fd)
            except FileNotFoundError:
                self.forget(f.rel)
                return None
            except OSError as exc:
                return self._unreadable(f, exc)
            now = stat_file(self.root, f.rel)
            if now is None or now.sig != f.sig:
                self.forget(f.rel)  # written to while we read it: not complete after all
                return None
            if patient:
                _check_complete(tmp, self.settings, f.name)
            rel = display(f.rel)
            row = self.records.intake_open(self.key, sha)
            if row is not None and (row.path == rel or stat_file(self.root, row.path) is None):
                if row.path != rel:  # renamed while the watcher was down
                    row = self.records.intake_update(row.id, path=rel, folder=f.folder)
            elif (first := self.records.intake_first(sha)) is not None or self.records.has_original(sha):
                return self._duplicate(f, sha, first)
            else:
                row = self._journal(f, sha, "received")
            if row.state == "received":
                store_original(self.records, self.store, tmp, rel, sha, f.size)
                row = self.records.intake_update(row.id, state="stored")
            return self.advance(row)
        finally:
            tmp.unlink(missing_ok=True)

    def resume(self, row: IntakeRow, found: Found | None) -> IntakeRow | None:
        """A row a previous watcher left unfinished, carried on (None: the scan takes it again from the file)."""
        if row.state == "received":
            if self.store.exists(original_key(row.sha256)):
                self.records.add_original(row.sha256, row.size, original_key(row.sha256), row.path)
                row = self.records.intake_update(row.id, state="stored")
            elif found is not None:
                return None
            else:
                err = MissingFile("the file went away before its original was stored", file=row.path)
                self.records.intake_update(row.id, state="failed", error_kind=err.kind, error_message=err.message,
                                           settled=True, settled_as="vanished")  # fmt: skip
                return None
        log.info("resuming file #%d (%s)", row.id, row.state, extra={"stage": "watch", "status": row.state})
        return self.advance(row)

    def advance(self, row: IntakeRow) -> IntakeRow:
        """stored → split (its dossiers and their page rows made by the one intake) or failed (unreadable)."""
        if row.state != "stored":
            return row
        from pipeline import raster

        name = PurePosixPath(row.path).name
        try:
            info = raster.inspect(self.store.local_path(original_key(row.sha256)), self.settings.pipeline, name=name)
        except InputError as exc:
            return self.records.intake_update(row.id, state="failed", error_kind=exc.kind, error_message=exc.message)
        stack = [FileRow(1, name, row.sha256, info.kind, info.pages, None, None)]
        source = {"channel": Channel.watch.value, "folder": row.folder, "file": row.path}
        parts = take_in(self.records, self.store, self.settings.pipeline, stack, first_code=None,
                        fallback_code=_file_code(row), source=source)  # fmt: skip
        segments = [{"code": p.code, "first": p.first, "last": p.last, "receipt": p.receipt} for p in parts]
        return self.records.intake_update(row.id, state="split", segments=segments)

    # --- rows -----------------------------------------------------------------------------------------------

    def _journal(
        self, f: Found, sha: str, state: str, error_kind: str | None = None, error_message: str | None = None
    ) -> IntakeRow:
        return self.records.intake_add(
            root=self.key,
            path=display(f.rel),
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
            file=display(f.rel),
        )
        log.warning("duplicate file", extra={"stage": "watch", "error": err.kind, "dossier": ",".join(holders)})
        return self._journal(f, sha, "duplicate", err.kind, err.message)

    def _unreadable(self, f: Found, exc: OSError) -> IntakeRow:
        """A file we may not even read: no original can be stored; it is kept by moving it to failed/."""
        err = MissingFile(f"the file cannot be read ({exc.strerror or exc})", file=display(f.rel))
        return self._journal(f, "", "failed", err.kind, err.message)

    def fail(self, row: IntakeRow, err: HosoError) -> IntakeRow:
        return self.records.intake_update(row.id, state="failed", error_kind=err.kind, error_message=err.message)


def _check_complete(path: Path, settings: Settings, name: str) -> None:
    from pipeline import raster

    try:
        raster.inspect(path, settings.pipeline, name=name)
    except (TruncatedFile, EmptyFile) as exc:
        raise Incomplete(exc) from exc
    except InputError:
        pass  # any other fault is recorded as the file is taken in


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
