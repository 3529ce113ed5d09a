"""The runner seam: how received dossiers get their pages read and their record finished.

Two implementations, chosen once from the settings (`make_runner`):

- embedded (`workers.runners.embedded.EmbeddedRunner`, no broker): a process pool kept for the runner's life; `run`
  returns when the dossiers are finished.
- cluster (`ClusterRunner`, HOSO_BROKER_URL set): `run` sends each dossier's intake message (its code only)
  and returns at once; the workers take it in, read its pages and finish it; `finished` says when.

The channels (web app, watch folder, `hoso process`, `hoso submit`) receive the files first
(`workers.usecases.intake.receive`) and hand the dossier codes to the runner.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from schemas.errors import TransientError

if TYPE_CHECKING:
    from workers.runners.embedded import Begun, EmbeddedRunner, RunReport
    from workers.settings import Settings
    from workers.stores.objects import ObjectStore
    from workers.stores.records import Records

# Nothing heavy is imported with this package: `hoso process` imports `workers.runners.head_start` first thing
# to fork its page's process, and every module imported before that fork is imported before the page starts.
__all__ = [
    "Begun",
    "ClusterRunner",
    "EmbeddedRunner",
    "Progress",
    "RunReport",
    "Runner",
    "finished",
    "make_runner",
    "send",
]

log = logging.getLogger("hoso.runner")

Progress = Callable[[str, int, int], None]


def __getattr__(name: str) -> Any:
    if name in ("Begun", "EmbeddedRunner", "RunReport"):
        from workers.runners import embedded

        return getattr(embedded, name)
    if name == "FINAL":
        return _final()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _final() -> frozenset[Any]:
    from schemas.record import DossierStatus

    return frozenset(
        {DossierStatus.processed, DossierStatus.needs_review, DossierStatus.reviewed, DossierStatus.failed}
    )


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


class Runner(Protocol):
    mode: str

    def run(self, codes: Sequence[str], progress: Progress = ...) -> RunReport:
        """Start (cluster) or do (embedded) the work of received dossiers."""
        ...

    def begin(self, codes: Sequence[str], progress: Progress = ..., *, lane: object | None = None) -> Begun:
        """`run` begun, its `wait` to come: embedded, the pages are handed to the pool meanwhile. Runs given
        the same `lane` (the watch folder's) share a turn, their dossiers read the fewest pages first."""
        ...

    def warm(self) -> None:
        """Get ready for the first pages (embedded: the pool's processes started, their engines loaded)."""
        ...

    def close(self) -> None: ...


class ClusterRunner:
    """Sends dossiers to the cluster's workers: the intake message, which carries the dossier code only."""

    mode = "cluster"

    def __init__(self, settings: Settings, *, actors: Any = None) -> None:
        self.settings = settings
        self._actors = actors

    @property
    def actors(self) -> Any:
        if self._actors is None:
            from workers.runners.cluster import actors, broker

            try:
                broker.current()
            except RuntimeError:
                broker.build_broker(self.settings)
            self._actors = actors.current()
        return self._actors

    def run(self, codes: Sequence[str], progress: Progress = _no_progress) -> RunReport:
        from workers.runners.embedded import RunReport

        for code in codes:
            send(self.actors.intake, code)
        return RunReport(pending=list(codes))

    def begin(self, codes: Sequence[str], progress: Progress = _no_progress, *, lane: object | None = None) -> Begun:
        from workers.runners.embedded import Begun

        report = self.run(codes, progress)
        return Begun(lambda: report)

    def warm(self) -> None:
        return None  # the workers are elsewhere

    def close(self) -> None:
        return None


def send(actor: Any, *args: Any) -> None:
    """Send a message; the broker's client errors (Redis away) become a TransientError: what was recorded
    stays recorded, and the sweeper sends received dossiers again."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - no cluster extras installed: only the stub broker
        RedisError = OSError  # type: ignore[misc,assignment]
    try:
        actor.send(*args)
    except (RedisError, OSError) as exc:
        kind = type(exc).__name__
        raise TransientError(f"the broker did not take the message ({kind}); it will be sent again") from exc


def make_runner(settings: Settings, records: Records, store: ObjectStore) -> Runner:
    """The runner the settings name: the cluster with a broker URL, else the embedded process pool."""
    if settings.broker_url:
        return ClusterRunner(settings)
    from workers.runners.embedded import EmbeddedRunner

    return EmbeddedRunner(settings, records, store)


def finished(records: Records, codes: Sequence[str]) -> bool:
    """Whether every dossier is final (its pages read or given up, its record written)."""
    final = _final()
    for code in codes:
        if records.status(code) not in final:
            return False
        counts = records.page_counts(code)
        if counts.get("pending", 0) or counts.get("running", 0):
            return False
    return True
