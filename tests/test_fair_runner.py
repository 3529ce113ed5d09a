"""The embedded runner is fair: pages go to the processes round-robin across the runs waiting (within a run,
the dossier with the fewest pages left first), and each dossier is finished as soon as its own pages are, so
a one-page dossier queued after a 40-page one is finished long before it, in one run and in two runs at once
(the web app's threads)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from workers.runners.embedded import EmbeddedRunner, _FairQueue
from workers.settings import Settings
from workers.stores.objects import LocalStore
from workers.stores.records import Records
from workers.usecases.intake import Channel, Submission, receive

BIG, SMALL = "HS-LON-1", "HS-NHO-1"


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 40-page stack of blank pages (a TIFF) and a one-page scan (a PNG): blank pages are not read by OCR."""
    folder = tmp_path_factory.mktemp("scans")
    big, small = folder / "lon.tif", folder / "nho.png"
    pages = [Image.new("L", (600, 800), 255) for _ in range(40)]
    pages[0].save(big, format="TIFF", save_all=True, append_images=pages[1:], dpi=(100, 100))
    Image.new("L", (600, 800), 255).save(small, format="PNG", dpi=(100, 100))
    return big, small


@pytest.fixture(params=[2, 1], ids=["pool", "one-process"])
def runner(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmbeddedRunner]:
    settings = Settings(data_dir=tmp_path / "data", jobs=request.param)
    settings.data_dir.mkdir(parents=True)
    records = Records(settings.db_url)
    with EmbeddedRunner(settings, records, LocalStore(settings.objects_dir)) as r:
        yield r
    records.close()


def receive_both(runner: EmbeddedRunner, scans: tuple[Path, Path]) -> None:
    for code, path in ((BIG, scans[0]), (SMALL, scans[1])):
        receive(runner.records, runner.store, Submission((path,), Channel.api, code))


def test_small_dossier_after_a_big_one_in_one_run_finishes_first(
    runner: EmbeddedRunner, scans: tuple[Path, Path]
) -> None:
    receive_both(runner, scans)

    report = runner.run([BIG, SMALL])

    assert [d.code for d in report.dossiers] == [SMALL, BIG]
    assert len(report.dossiers[1].pages) == 40


def test_small_dossier_submitted_during_a_big_run_finishes_long_before_it(
    runner: EmbeddedRunner, scans: tuple[Path, Path]
) -> None:
    receive_both(runner, scans)
    finished: dict[str, float] = {}
    t0 = time.monotonic()

    def run(code: str) -> None:
        runner.run([code])
        finished[code] = time.monotonic() - t0

    big = threading.Thread(target=run, args=(BIG,))
    big.start()
    deadline = time.monotonic() + 60
    while runner.records.page_counts(BIG).get("done", 0) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)  # the big dossier well under way
    run(SMALL)
    big.join()

    assert finished[SMALL] < finished[BIG]
    assert runner.records.page_counts(BIG).get("done", 0) == 40
    print(f"one page finished at {finished[SMALL]:.2f} s, 40 pages at {finished[BIG]:.2f} s")


def test_fair_queue_takes_one_page_of_each_run_in_turn() -> None:
    lanes: _FairQueue[str] = _FairQueue()
    for item in ("a1", "a2", "a3"):
        lanes.add("run a", "a", item)
    lanes.add("run b", "b", "b1")
    lanes.add("run c", "c", "c1")
    lanes.add("run b", "b", "b2")

    taken = [lanes.take() for _ in range(len(lanes))]

    assert taken == ["a1", "b1", "c1", "a2", "b2", "a3"] and lanes.take() is None


def test_fair_queue_reads_a_runs_dossiers_one_after_the_other_fewest_pages_first() -> None:
    """A watch-folder batch is one run: its dossiers read page after page (each finished early, not all at the
    end), the shortest first, equal ones in the order they came."""
    lanes: _FairQueue[str] = _FairQueue()
    for lane, pages in (("x", 3), ("y", 2), ("z", 2), ("w", 1)):
        for n in range(1, pages + 1):
            lanes.add("batch", lane, f"{lane}{n}")

    taken = [lanes.take() for _ in range(len(lanes))]

    assert taken == ["w1", "y1", "y2", "z1", "z2", "x1", "x2", "x3"]


def test_fair_queue_serves_a_large_dossier_passed_over_too_often_before_the_small_ones_behind_it() -> None:
    """Small files arriving without end behind a large one in the watch folder's lane do not keep it waiting:
    once passed over `PATIENCE` times it is served."""
    lanes: _FairQueue[str] = _FairQueue()
    for n in range(1, 4):
        lanes.add("watch", "big", f"big{n}")
    taken: list[str | None] = []
    for k in range(12):  # a one-page file arrives before each take
        lanes.add("watch", f"small{k}", f"small{k}")
        taken.append(lanes.take())

    first_big = taken.index("big1")
    assert first_big == _FairQueue.PATIENCE
    assert taken[first_big : first_big + 3] == ["big1", "big2", "big3"]


def test_web_app_runs_a_small_upload_before_a_big_one_queued_first(tmp_path: Path, scans: tuple[Path, Path]) -> None:
    from workers.web.jobs import Runner

    settings = Settings(data_dir=tmp_path / "data", jobs=2)
    settings.data_dir.mkdir(parents=True)
    records = Records(settings.db_url)
    finished: list[str] = []
    jobs = Runner(settings, records, on_done=finished.append)
    try:
        for code, path in ((BIG, scans[0]), (SMALL, scans[1])):
            receive(records, jobs.store, Submission((path,), Channel.api, code))
        jobs.start(BIG)
        jobs.start(SMALL)
        jobs.join()
    finally:
        jobs.close()
        records.close()

    assert finished == [SMALL, BIG]
