"""The progress bar on stderr: pages done, the stage, the time left. Rich is imported only for a bar shown
(some 40 ms of a one-page run): `--no-progress` and scripts pay nothing."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import TaskID

_STAGES = {"intake": "reading files", "pages": "orient, deskew, OCR", "dossier": "assembling the record"}


class ProgressBar:
    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._task: TaskID | None = None
        self._progress: Any = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("pages"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            # Redrawn on each update, not by a refresh thread: a process with one thread forks its page
            # workers at once (workers/runners/embedded.py), where with two it starts a forkserver (0.7 s).
            auto_refresh=False,
        )

    def __enter__(self) -> ProgressBar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        description = _STAGES.get(stage, stage)
        if stage == "intake" or self._progress is None:
            return
        if self._task is None:
            self._task = self._progress.add_task(description, total=total, completed=done)
        else:
            self._progress.update(self._task, description=description, total=total, completed=done)
        self._progress.refresh()
