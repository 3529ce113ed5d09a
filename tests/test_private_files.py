"""What hoso writes holds citizens' names and ID numbers: no other local user may read it."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.conftest import ROOT

_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def _hoso(*args: str, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    """`hoso` as its own process, started by a shell with the usual umask (files 0644 unless hoso says)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run([sys.executable, "-m", "workers.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600, umask=umask)  # fmt: skip


def _open_to_others(root: Path) -> list[str]:
    return sorted(
        f"{p.relative_to(root)} {stat.S_IMODE(p.lstat().st_mode):03o}"
        for p in [root, *root.rglob("*")]
        if p.lstat().st_mode & _OTHERS
    )


def test_hoso_process_leaves_nothing_under_the_data_dir_or_in_its_json_that_others_can_read(tmp_path: Path) -> None:
    # GIVEN a scan, and a shell whose umask would make files 0644 and folders 0755
    scan = tmp_path / "CCCD Nguyễn Văn An.png"
    Image.new("L", (850, 1100), 255).save(scan, dpi=(100, 100))
    data = tmp_path / "data"
    out = tmp_path / "record.json"
    # WHEN processed
    proc = _hoso("process", str(scan), "--data-dir", str(data), "--json", str(out), "--no-progress")
    # THEN the database (and its -wal/-shm), the objects and every folder are private to hoso's user
    assert proc.returncode == 0, proc.stderr
    assert (data / "hoso.db").exists() and any((data / "objects").rglob("*"))
    assert _open_to_others(data) == []
    # AND so is the record written with --json
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "open to other users" not in proc.stderr


def test_a_data_dir_others_can_read_is_named_in_a_warning_and_an_old_database_is_made_private(tmp_path: Path) -> None:
    # GIVEN a data directory made 0755 with a database made 0644 by an earlier release
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    db = data / "hoso.db"
    sqlite3.connect(db).close()
    db.chmod(0o644)
    # WHEN any command starts on it
    proc = _hoso("show", "HS-NONE", "--data-dir", str(data))
    # THEN a warning names the directory, and the database is 0600 from now on
    assert proc.returncode == 3, proc.stderr
    assert "WARNING" in proc.stderr and f"{data} is open to other users" in proc.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
