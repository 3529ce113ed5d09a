"""The progress bar on stderr: pages done, the stage, the time left."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

_STAGES = {"intake": "reading files", "pages": "orient, deskew, OCR", "dossier": "assembling the record"}


class ProgressBar:
    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("[bold]{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("pages"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
            # Redrawn on each update, not by a refresh thread: a process with one thread forks its page
            # workers at once (workers/embedded.py), where with two it starts a forkserver (0.7 s).
            auto_refresh=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        description = _STAGES.get(stage, stage)
        if stage == "intake":
            return
        if self._task is None:
            self._task = self._progress.add_task(description, total=total, completed=done)
        else:
            self._progress.update(self._task, description=description, total=total, completed=done)
        self._progress.refresh()
