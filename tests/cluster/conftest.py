"""The cluster tests' servers and workers, all started here: nothing is started by hand.

One set of servers for the session (Redis, PostgreSQL, moto's S3; see servers.py). Workers are real
`hoso worker` processes (process groups of their own, so a test can kill one outright), with short
leases and sweeps so that the fault tests finish in seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cluster.servers import Cluster, ServerMissing, free_port, kill_group, start_cluster
from tests.conftest import ROOT, shared

# Short timings for the tests: a page takes 1-3 s here (150 dpi), so a 20 s lease is never hit by a live
# worker, and a dead worker's page is sent again some 20 s later.
WORKER_ARGS = (
    "--page-time-limit", "20", "--lease", "20", "--sweep-every", "1", "--resend-after", "4",
    "--quiet-for", "3", "--max-backoff", "4",
)  # fmt: skip


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    try:
        servers = start_cluster()
    except ServerMissing as exc:
        pytest.skip(str(exc))
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def cluster_env(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, **cluster.env(tmp_path_factory.mktemp("cluster-data"))}


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    log: Path
    metrics_port: int

    def stop(self) -> None:
        if self.proc.poll() is None:
            kill_group(self.proc, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                kill_group(self.proc, signal.SIGKILL)
                self.proc.wait(5)

    def kill(self) -> None:
        kill_group(self.proc, signal.SIGKILL)
        self.proc.wait(10)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def start_worker(env: dict[str, str], log: Path, *args: str) -> Worker:
    port = free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "worker", "--metrics-port", str(port), *WORKER_ARGS, *args],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    return Worker(proc, log, port)


@pytest.fixture
def worker_factory(cluster_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def make(*args: str, env: dict[str, str] | None = None) -> Worker:
        w = start_worker(env or cluster_env, tmp_path / f"worker-{len(started) + 1}.log", *args)
        started.append(w)
        return w

    yield make
    for w in started:
        w.stop()


def hoso(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


@pytest.fixture(scope="session")
def small_dossier(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three small pages in two files: a 2-page PDF of generated papers at 150 dpi, and phototest.tif."""
    import shutil

    import synth

    folder = tmp_path_factory.mktemp("inputs")
    pages = [
        synth.make_page("cccd", seed=11, dpi=150),
        synth.make_page("birth_certificate", seed=12, dpi=150, skew_deg=1.5),
    ]
    pdf = folder / "01-giay-to.pdf"
    synth.write_pdf(pages, pdf)
    tif = folder / "02-phototest.tif"
    shutil.copy(shared("tesseract", "phototest.tif"), tif)
    return [pdf, tif]


def wait_for(check: Callable[[], Any], timeout_s: float, what: str, worker: Worker | None = None) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    detail = f"\n--- worker log ---\n{worker.tail()}" if worker else ""
    raise AssertionError(f"{what}: not within {timeout_s:g} s{detail}")


@pytest.fixture(scope="session")
def cluster_settings(cluster_env: dict[str, str]) -> Any:
    from workers.settings import from_env

    return from_env(cluster_env)


@pytest.fixture(scope="session")
def records(cluster_settings: Any) -> Iterator[Any]:
    from workers.stores.records import Records

    r = Records(cluster_settings.db_url)
    yield r
    r.close()


@pytest.fixture(scope="session")
def store(cluster_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from workers.stores.s3 import S3Store

    return S3Store(cluster_settings.s3, tmp_path_factory.mktemp("test-cache"))


def metrics_text(worker: Worker) -> str:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{worker.metrics_port}/metrics", timeout=5) as resp:
        return str(resp.read().decode("utf-8"))


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include those given."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name) or line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        sample = head.split("{")[0]
        if sample != name:
            continue
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            total += float(value)
    return total


def final_status(records: Any, code: str) -> str | None:
    from schemas.record import DossierStatus

    status = records.status(code)
    done = {DossierStatus.processed, DossierStatus.needs_review, DossierStatus.failed}
    return status.value if status in done else None


def page_rows(records: Any, code: str) -> list[dict[str, Any]]:
    import sqlalchemy as sa

    from workers.stores.records import pages

    with records.engine.begin() as conn:
        rows = conn.execute(sa.select(pages).where(pages.c.dossier_code == code).order_by(pages.c.number))
        return [dict(r._mapping) for r in rows]
