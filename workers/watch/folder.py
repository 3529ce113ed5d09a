"""The watch folder's files: which names are taken, a scan of the folder, when a file is complete, and the
file system's events that wake the loop early (inotify through watchdog; polling goes on regardless)."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

log = logging.getLogger("hoso.watch")

DONE = "done"
FAILED = "failed"
LOCK_NAME = ".hoso-watch.lock"

_TEMP_SUFFIXES = (
    ".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".filepart", ".swp", ".lock", "~",
)  # fmt: skip
_SYSTEM_NAMES = frozenset({"thumbs.db", "desktop.ini"})


def ignored_name(name: str) -> bool:
    """Hidden, temporary and system files: never taken (a scanner or a copy renames them when complete)."""
    low = name.lower()
    return name.startswith((".", "~")) or low.endswith(_TEMP_SUFFIXES) or low in _SYSTEM_NAMES


def display(rel: str) -> str:
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
    # Seconds since its last change (data or metadata, a rename too: its ctime) when seen, by the wall clock.
    age: float = 0.0

    @property
    def sig(self) -> tuple[int, int, int]:
        return (self.size, self.mtime_ns, self.ino)

    @property
    def name(self) -> str:
        return display(PurePosixPath(self.rel).name)

    @property
    def folder(self) -> str:
        parent = str(PurePosixPath(self.rel).parent)
        return "" if parent == "." else display(parent)


def stat_file(root: Path, rel: str) -> Found | None:
    path = root / rel
    try:
        st = path.stat(follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):  # regular files only: no links, devices, pipes
        return None
    return Found(rel=rel, path=path, size=st.st_size, mtime_ns=st.st_mtime_ns, ino=st.st_ino,
                 age=max(0.0, time.time() - st.st_ctime))  # fmt: skip


def scan_folder(root: Path, skip: Sequence[Path] = (), special: list[str] | None = None) -> dict[str, Found]:
    """Every candidate file under `root`: not hidden or temporary, not in done/, failed/ or `skip`. The
    symbolic links (to files or folders: never followed), FIFOs, sockets and devices met on the way are added
    to `special`, when given, by their paths inside `root`."""
    skipped = {root / DONE, root / FAILED, *skip}
    found: dict[str, Found] = {}
    for dirpath, dirnames, filenames in os.walk(root):  # never into a linked folder
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "@")) and here / d not in skipped)
        if special is not None:
            links = [d for d in dirnames if (here / d).is_symlink()]
            special.extend((here / d).relative_to(root).as_posix() for d in links)
            dirnames[:] = [d for d in dirnames if d not in links]
        for name in filenames:
            if ignored_name(name):
                continue
            rel = (here / name).relative_to(root).as_posix()
            f = stat_file(root, rel)
            if f is not None:
                found[rel] = f
            elif special is not None and _is_special(here / name):
                special.append(rel)
    return found


def _is_special(path: Path) -> bool:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False  # gone already
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def open_for_writing(paths: Iterable[Path]) -> set[Path]:
    """Which of `paths` some process has open for writing, by `/proc/*/fd` and its `fdinfo` flags (Linux; the
    processes this user may look into: a writer on another machine, through a share, is not seen, and the
    size-and-time wait is all there is for it). Empty where there is no /proc."""
    wanted = {os.fsdecode(os.path.abspath(p)): Path(p) for p in paths}
    busy: set[Path] = set()
    if not wanted or not os.path.isdir("/proc/self/fdinfo"):
        return busy
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        fd_dir = f"/proc/{pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:  # gone, or another user's
            continue
        for fd in fds:
            try:
                target = os.readlink(f"{fd_dir}/{fd}")
            except OSError:
                continue
            if target not in wanted:
                continue
            try:
                with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
                    flags = next((int(line.split()[1], 8) for line in info if line.startswith("flags:")), 0)
            except (OSError, ValueError, IndexError):
                continue
            if flags & os.O_ACCMODE in (os.O_WRONLY, os.O_RDWR):
                busy.add(wanted[target])
    return busy


# File systems whose writers may be on another machine: no local process to see in /proc, no inotify event
NETWORK_FSTYPES = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "ceph",
                             "glusterfs", "fuse.glusterfs", "afs", "fuse.rclone", "davfs", "fuse.davfs2"})  # fmt: skip


def _unescape_mount(field: str) -> str:
    """A mountinfo path field: spaces, tabs, newlines and backslashes written as octal escapes (\\040)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mount_fstype(path: Path, mountinfo: str) -> str | None:
    """The file system type of the mount `path` (absolute, resolved) is on, from a `/proc/self/mountinfo`
    text (the longest mount point that holds it; the last mounted there wins); None when none is found."""
    best: tuple[int, str] | None = None
    target = PurePosixPath(path)
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        point = PurePosixPath(_unescape_mount(fields[4]))
        after = line.split(" - ", 1)[1].split()
        if not after or not (target == point or point in target.parents):
            continue
        depth = len(point.parts)
        if best is None or depth >= best[0]:
            best = (depth, after[0])
    return best[1] if best else None


def on_network_fs(path: Path, mountinfo: str | None = None) -> str | None:
    """The network file system type `path` is on (nfs, cifs, smb3, fuse.sshfs, 9p…), or None for a local one
    (or where there is no /proc/self/mountinfo to tell)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    fstype = mount_fstype(path, mountinfo)
    return fstype if fstype in NETWORK_FSTYPES else None


class Stability:
    """Which files have kept the same size, mtime and inode for `seconds` (by the watcher's clock).

    With `by_age`, a file seen for the first time counts as unchanged since its last change (its ctime): one
    left complete before the watcher started, or dropped a while ago, is taken at once, not `seconds` later.
    Not on a network share, whose server's clock is not this machine's."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic, *, by_age: bool = False) -> None:
        self.seconds = seconds
        self.clock = clock
        self.by_age = by_age
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
                since = now - min(f.age, self.seconds) if seen is None and self.by_age else now
                self._seen[rel] = (f.sig, since)
                if self.seconds > 0 and now - since < self.seconds:
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


@contextlib.contextmanager
def file_events(root: Path, wake: threading.Event, enabled: bool) -> Iterator[bool]:
    """inotify (through watchdog) wakes the loop early; polling goes on regardless."""
    observer = None
    if enabled:
        try:
            from watchdog.events import FileSystemEvent, FileSystemEventHandler
            from watchdog.observers import Observer

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
            observer.schedule(_Wake(), str(root), recursive=True)
            observer.start()
        except (ImportError, OSError) as exc:  # no inotify here (limits, file system): polling alone finds all
            log.warning("no file system events (%s); polling only", type(exc).__name__, extra={"stage": "watch"})
            observer = None
    try:
        yield observer is not None
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
