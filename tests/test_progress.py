"""The progress bar of `hoso process`."""

from __future__ import annotations

import threading

from workers.progress import ProgressBar


def test_progress_bar_starts_no_thread_so_the_page_workers_can_fork() -> None:
    # GIVEN the bar shown, WHEN pages are done THEN it redraws without a thread of its own
    before = threading.active_count()
    with ProgressBar(enabled=True) as bar:
        bar.update("pages", 0, 3)
        bar.update("pages", 1, 3)
        assert threading.active_count() == before
        assert bar._progress.tasks[0].completed == 1
