"""Files and folders private to hoso's user: they hold citizens' names and ID numbers.

The umask (workers/__init__.py) makes every new file 0600 and folder 0700; these helpers give the mode
explicitly where hoso makes its files, tighten the record database a release before this one left 0644, and
warn at start when the data directory is open to other users.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("hoso.private")

FILE_MODE = 0o600
DIR_MODE = 0o700
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def make_dir(path: Path) -> Path:
    """`path` and its missing parents, made 0700."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return path


def create_file(path: Path) -> None:
    """An empty file made 0600 if there is none; an existing one made 0600 if others could read it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        if os.fstat(fd).st_mode & _OTHERS:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def write_text(path: Path, text: str) -> None:
    """`text` written to `path` through a 0600 temporary file renamed over it."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), FILE_MODE)  # an old .tmp left by a crash keeps its mode otherwise
        out.write(text)
    tmp.replace(path)


def private_sqlite(db: Path) -> None:
    """The SQLite database and its -wal/-shm made 0600 before SQLite opens them (SQLite gives the -wal and
    -shm the mode of the database file)."""
    make_dir(db.parent)
    create_file(db)
    for side in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if side.exists():
            create_file(side)


def warn_if_shared(data_dir: Path) -> bool:
    """Log a WARNING naming the data directory when other users may read or enter it; True if so."""
    try:
        mode = data_dir.stat().st_mode
    except OSError:
        return False  # not made yet: it will be made 0700
    if not mode & (stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH):
        return False
    log.warning(
        "the data directory %s is open to other users (mode %03o): it holds citizens' data; run chmod 700 %s",
        data_dir,
        stat.S_IMODE(mode),
        data_dir,
    )
    return True
