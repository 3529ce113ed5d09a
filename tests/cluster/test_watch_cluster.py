"""The watch folder on the cluster: a thin producer. Its pages are read by the workers, never by the
watcher; killed in the middle of a batch and started again, every page is read exactly once."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cluster.conftest import Worker, metric, metrics_text, page_rows, wait_for
from tests.cluster.servers import kill_group
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(400)


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    """Six generated pages at 150 dpi in one PDF, a receipt sheet at the fourth: two dossiers."""
    import synth

    pages = [synth.make_page(kind, seed=70 + i, dpi=150) for i, kind in enumerate(["cccd", "birth_certificate",
                                                                                    "cccd"])]  # fmt: skip
    sheet = synth.make_receipt_sheet("000.00.21.H46-250101-0077", seed=77, dpi=150)
    more = [synth.make_page("birth_certificate", seed=80 + i, dpi=150) for i in range(2)]
    path = tmp_path / "stack.pdf"
    synth.write_pdf([*pages, sheet, *more], path)
    return path


def _watch(env: dict[str, str], inbox: Path, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "-v", "watch", str(inbox), "--once"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def test_the_watcher_on_the_cluster_does_no_ocr_itself_and_after_a_kill_every_page_is_read_once(
    worker_factory: Callable[..., Worker], cluster_env: dict[str, str], stack: Path, records: Any, tmp_path: Path
) -> None:
    # GIVEN one worker process and a watch folder holding a stack of two dossiers
    worker = worker_factory("--processes", "1")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "stack.pdf").write_bytes(stack.read_bytes())
    env = {**cluster_env, "HOSO_WATCH_STABLE_SECONDS": "0.2", "HOSO_WATCH_POLL_SECONDS": "0.5"}
    log = tmp_path / "watch.log"
    # WHEN the watcher is killed (SIGKILL) once the workers have read some pages and not others
    proc = _watch(env, inbox, log)

    def some_done() -> list[tuple[str, int]]:
        codes = [c for (c,) in _dossier_codes(records)]
        done = [(c, r["number"]) for c in codes for r in page_rows(records, c) if r["state"] == "done"]
        return done if done else []

    try:
        done_before = wait_for(some_done, 180, "a page read by the workers", worker)
    finally:
        kill_group(proc, signal.SIGKILL)
        proc.wait(10)
    assert (inbox / "stack.pdf").exists()
    # AND started again
    again = _watch(env, inbox, log)
    assert again.wait(300) == 0, log.read_text()
    # THEN the file is let go, both dossiers finished, every page read exactly once, by the workers
    assert (inbox / "done" / "stack.pdf").exists()
    codes = [c for (c,) in _dossier_codes(records)]
    assert len(codes) == 2 and "000.00.21.H46-250101-0077" in codes
    rows = [r for c in codes for r in page_rows(records, c)]
    assert len(rows) == 6 and {r["state"] for r in rows} == {"done"}
    attempts = [r["attempts"] for r in rows]
    assert attempts == [1] * 6, attempts  # never claimed twice: no long lease, no page sent to two readers
    assert len(done_before) < 6
    assert metric(metrics_text(worker), "hoso_pages_done_total") == 6
    text = log.read_text(encoding="utf-8")
    assert "page done" not in text and "pages read by the cluster's workers" in text


def _dossier_codes(records: Any) -> list[tuple[str]]:
    import sqlalchemy as sa

    from workers.stores.records import dossiers

    with records.engine.begin() as conn:
        query = sa.select(dossiers.c.code).where(dossiers.c.meta["source"]["file"].as_string() == "stack.pdf")
        return [tuple(r) for r in conn.execute(query)]
