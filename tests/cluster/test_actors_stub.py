"""The actors in this process on Dramatiq's StubBroker, with a local folder and SQLite: no servers needed.

Quick checks of the stage logic the server tests exercise for real: the stages in order, repeated
messages changing nothing, a transient storage failure handed back and retried.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dramatiq
import pytest

from schemas.errors import StorageUnavailable
from tests.conftest import shared
from workers.runners.cluster.broker import ClusterOptions, build_broker
from workers.settings import Settings
from workers.stores.objects import LocalStore
from workers.stores.records import Records

pytestmark = pytest.mark.timeout(180)


@dataclass
class Stub:
    broker: Any
    settings: Settings
    actors: Any

    def drain(self) -> None:
        for _ in range(4):  # messages send messages: intake -> page -> dossier
            for queue in ("dossiers", "ocr"):
                self.broker.join(queue, timeout=120_000)


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stub]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("stub-data"), jobs=1)  # no broker URL: StubBroker
    broker = build_broker(settings, ClusterOptions(page_time_limit_s=120, lease_s=120, min_backoff_ms=100))
    from workers.runners.cluster import actors  # declared on that broker, after it was built

    actors.configure(settings)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        yield Stub(broker, settings, actors)
    finally:
        worker.stop()


def _submit(stub: Stub, files: list[Path]) -> str:
    from workers.runners.cluster.submit import submit

    ctx = stub.actors.context()
    submitted = submit(ctx.records, ctx.store, files)
    stub.actors.intake.send(submitted.code)
    return submitted.code


def _attempts(records: Records, code: str) -> dict[int, tuple[str, int]]:
    import sqlalchemy as sa

    from workers.stores.records import pages

    with records.engine.begin() as conn:
        query = sa.select(pages.c.number, pages.c.state, pages.c.attempts).where(pages.c.dossier_code == code)
        rows = conn.execute(query)
        return {n: (state, attempts) for n, state, attempts in rows}


def test_stages_in_order_then_repeated_messages_change_nothing(stub: Stub, tmp_path: Path) -> None:
    # GIVEN a scan and an empty file, submitted and taken through every stage
    scan = tmp_path / "a.tif"
    shutil.copy(shared("tesseract", "phototest.tif"), scan)
    empty = tmp_path / "b.png"
    empty.write_bytes(b"")
    code = _submit(stub, [scan, empty])
    stub.drain()
    ctx = stub.actors.context()
    first = ctx.records.dossier(code)
    assert [p.number for p in first.pages] == [1]
    assert "quick brown dog" in first.pages[0].text
    assert [p.error for p in first.problems] == ["EmptyFile"]
    assert first.status.value in ("processed", "needs_review")
    assert ctx.store.exists(f"dossiers/{code}/searchable.pdf") and ctx.store.exists(f"dossiers/{code}/ocr/0001.tsv")

    # WHEN every message is delivered twice more
    for _ in range(2):
        stub.actors.intake.send(code)
        stub.actors.page.send(code, 1)
        stub.actors.dossier.send(code)
    stub.drain()

    # THEN the record is the same and the page was claimed once
    assert ctx.records.dossier(code) == first
    assert _attempts(ctx.records, code) == {1: ("done", 1)}


class FlakyStore(LocalStore):
    """Refuses the first `failures` page images, as object storage away would."""

    def __init__(self, root: Path, failures: int) -> None:
        super().__init__(root)
        self.failures = failures

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        if "/pages/" in key and self.failures > 0:
            self.failures -= 1
            raise StorageUnavailable(f"cannot store {key}: connection refused")
        super().put_bytes(key, data, content_type)


def test_a_transient_storage_failure_hands_the_page_back_and_the_retry_completes_it(stub: Stub, tmp_path: Path) -> None:
    # GIVEN storage that refuses the next page image
    ctx = stub.actors.context()
    flaky = FlakyStore(stub.settings.objects_dir, failures=1)
    saved = ctx.__dict__.copy()
    ctx.__dict__["store"] = flaky
    ctx.__dict__.pop("page_worker", None)
    try:
        scan = tmp_path / "c.png"
        shutil.copy(shared("tesseract", "phototest-rotated-R.png"), scan)
        # WHEN a dossier is processed
        code = _submit(stub, [scan])
        stub.drain()
    finally:
        ctx.__dict__.clear()
        ctx.__dict__.update(saved)
    # THEN the failure was retried: the page was claimed twice and is done once, the dossier finished
    assert flaky.failures == 0
    assert _attempts(ctx.records, code) == {1: ("done", 2)}
    record = ctx.records.dossier(code)
    assert record.status.value in ("processed", "needs_review") and [p.rotation for p in record.pages] == [270]
