"""A worker process killed in the middle of a page: after its restart the dossier completes, every page once."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cluster.conftest import Worker, final_status, hoso, page_rows, wait_for
from tests.conftest import shared

pytestmark = pytest.mark.timeout(300)


def _children(pid: int) -> list[int]:
    """The worker processes `hoso worker` started (spawned Python processes whose parent is pid)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"spawn_main" in cmdline:
            out.append(int(entry))
    return out


@pytest.fixture
def slow_first_page(tmp_path: Path) -> list[Path]:
    """A 300 dpi page first (a few seconds to read: time to kill its worker in the middle), then phototest."""
    import synth

    pdf = tmp_path / "01-can-cuoc.pdf"
    synth.write_pdf([synth.make_page("cccd", seed=21, dpi=300)], pdf)
    tif = tmp_path / "02-phototest.tif"
    shutil.copy(shared("tesseract", "phototest.tif"), tif)
    return [pdf, tif]


def test_a_worker_killed_mid_page_is_restarted_and_the_dossier_completes_with_every_page_once(
    worker_factory: Callable[..., Worker], cluster_env: dict[str, str], slow_first_page: list[Path], records: Any
) -> None:
    # GIVEN one worker process, with a short lease, and a dossier of two pages submitted
    worker = worker_factory("--processes", "1", "--lease", "15", "--page-time-limit", "15")
    proc = hoso(cluster_env, "submit", *map(str, slow_first_page))
    assert proc.returncode == 0, proc.stderr
    code = proc.stdout.strip()

    # WHEN the worker process is killed (SIGKILL) while it reads a page
    running = wait_for(
        lambda: [r["number"] for r in page_rows(records, code) if r["state"] == "running"],
        90, "a page being read", worker,
    )  # fmt: skip
    [child] = wait_for(lambda: _children(worker.proc.pid), 10, "the worker process", worker)
    os.kill(child, signal.SIGKILL)
    killed_page = running[0]
    assert next(r for r in page_rows(records, code) if r["number"] == killed_page)["state"] == "running"

    # THEN `hoso worker` starts a new process, the sweeper sends the page again once its lease is over,
    # and the dossier completes
    wait_for(lambda: [p for p in _children(worker.proc.pid) if p != child], 30, "a new worker process", worker)
    wait_for(lambda: final_status(records, code), 120, "the dossier finished", worker)

    # AND every page is in the record once, done; the killed page was taken twice, the others once
    rows = page_rows(records, code)
    assert [(r["number"], r["state"]) for r in rows] == [(1, "done"), (2, "done")]
    assert [p.number for p in records.dossier(code).pages] == [1, 2]
    attempts = {r["number"]: r["attempts"] for r in rows}
    assert attempts[killed_page] == 2, attempts
    assert all(a == 1 for n, a in attempts.items() if n != killed_page), attempts
    in_documents = [p for d in records.dossier(code).documents for p in d.pages]
    assert len(in_documents) == len(set(in_documents))
    assert '"msg": "page sent again"' in worker.log.read_text(encoding="utf-8")
