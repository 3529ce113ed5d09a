"""Letting a file go: into `DIR/done/` (or deleted) once its original is stored and its record exists, into
`DIR/failed/` with a `.reason.txt` when it cannot be read. Before moving it, its size and mtime are checked
again, so a file the scanner wrote anew under the same name is never moved away untaken."""

from __future__ import annotations

import io
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from schemas import errors
from schemas.errors import HosoError, NotARegularFile
from workers.stores.objects import original_key, write_atomic
from workers.stores.records import IntakeRow, Records
from workers.watch.folder import DONE, FAILED, Found, display, stat_file

log = logging.getLogger("hoso.watch")


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


class Settler:
    """Moves the files whose intake is over out of the watch folder, and notes where in the journal."""

    def __init__(self, root: Path, records: Records, *, delete: bool) -> None:
        self.root = root
        self.records = records
        self.delete = delete

    def settle(self, row: IntakeRow, found: Found | None) -> bool:
        """Let the file go: into done/ (or deleted) when recorded, into failed/ with its reason."""
        rel = found.rel if found is not None else row.path  # the name on disk, undecodable bytes and all
        current = stat_file(self.root, rel)
        if current is None or (current.size, current.mtime_ns) != (row.size, row.mtime_ns):
            # Gone already (moved before a restart: a move keeps size and mtime), or a new file under the
            # same name, which is taken on its own: leave it be.
            moved = [
                f"{sub}/{rel}"
                for sub in (DONE, FAILED)
                if (f := stat_file(self.root, f"{sub}/{rel}")) is not None
                and (f.size, f.mtime_ns) == (row.size, row.mtime_ns)
            ]
            self.records.intake_update(row.id, settled=True, settled_as=display(moved[0]) if moved else "gone")
            return True
        src = current.path
        try:
            if row.state == "failed":
                dest = _free_name(self.root / FAILED / rel)
                _write_atomic(_reason_path(dest), _reason_text(row))
                os.replace(src, dest)
                where = dest.relative_to(self.root).as_posix()
            elif self.delete:
                src.unlink()
                where = "deleted"
            else:
                dest = _free_name(self.root / DONE / rel)
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dest)
                where = dest.relative_to(self.root).as_posix()
        except OSError as exc:  # the folder is read-only or full: recorded all the same; try again later
            log.error("cannot move the file: %s", type(exc).__name__, extra={"stage": "watch", "error": "OSError"})
            return False
        self.records.intake_update(row.id, settled=True, settled_as=display(where))
        return True

    def refuse_special(self, rel: str, key: str) -> IntakeRow | None:
        """A symbolic link, FIFO, socket or device in the folder: never opened, never followed; moved into
        failed/ (the link or node itself) beside a reason, and journalled as failed."""
        path = self.root / rel
        try:
            st = path.lstat()
        except OSError:
            return None  # gone already
        what = _SPECIAL.get(stat.S_IFMT(st.st_mode), "not a regular file")
        err = NotARegularFile(f"{what}: hoso takes regular files only, and never reads through a link",
                              file=display(rel))  # fmt: skip
        parent = str(PurePosixPath(rel).parent)
        row = self.records.intake_add(root=key, path=display(rel), folder="" if parent == "." else display(parent),
                                      sha256="", size=0, mtime_ns=st.st_mtime_ns, state="failed",
                                      error_kind=err.kind, error_message=err.message)  # fmt: skip
        try:
            dest = _free_name(self.root / FAILED / rel)
            _write_atomic(_reason_path(dest), _reason_text(row))
            os.replace(path, dest)  # a rename moves the link or node, never what it points to
        except OSError as exc:
            log.error("cannot move the file: %s", type(exc).__name__, extra={"stage": "watch", "error": "OSError"})
            return row
        where = dest.relative_to(self.root).as_posix()
        return self.records.intake_update(row.id, settled=True, settled_as=display(where))


_SPECIAL = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def log_summary(s: FileSummary) -> None:
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
