"""The sweeper: finds work that stalled and sends its message again, so that nothing is lost.

Messages can be lost: a worker killed in the middle of a page takes its message with it (Redis gives an
unacknowledged message back only after the dead worker's heartbeat times out, and not at once), a retry
can run out while storage is away. The record database knows what is left, so every `sweep_every_s`
seconds `hoso worker` asks it:

- pages running with an expired lease (their worker died) or pending and untouched for `resend_after_s`
  seconds: their page message is sent again (and the rows marked, so that each is sent once a period);
- dossiers received but not taken in for `quiet_for_s` seconds: the intake message again;
- dossiers processing with no page pending or running and none touched for `quiet_for_s` seconds: the
  dossier message again.

Every actor being idempotent, a message sent again when the first was not lost after all changes nothing.
Several `hoso worker` on several machines each sweep; the page rows are marked in one UPDATE, so a page
is re-sent by one of them, and a dossier at worst twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from workers.runners.cluster.broker import ClusterOptions
from workers.stores.records import Records

log = logging.getLogger("hoso.sweeper")


@dataclass(frozen=True)
class Senders:
    intake: Callable[[str], object]
    page: Callable[[str, int], object]
    dossier: Callable[[str], object]


@dataclass
class SweepReport:
    pages: list[tuple[str, int]] = field(default_factory=list)
    intakes: list[str] = field(default_factory=list)
    dossiers: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.pages) + len(self.intakes) + len(self.dossiers)


class Sweeper:
    def __init__(self, records: Records, options: ClusterOptions, send: Senders) -> None:
        self.records = records
        self.options = options
        self.send = send
        # Dossier-level messages are not marked in the database: space them out here instead.
        self._last_sent: dict[tuple[str, str], float] = {}

    def _due(self, what: str, code: str, now: float) -> bool:
        last = self._last_sent.get((what, code))
        if last is not None and now - last < self.options.resend_after_s:
            return False
        self._last_sent[(what, code)] = now
        return True

    def sweep(self, now: float | None = None) -> SweepReport:
        from workers.runners.cluster import metrics

        now = time.time() if now is None else now
        report = SweepReport()
        for code, number in self.records.stalled_pages(now=now, resend_after=self.options.resend_after_s):
            self.send.page(code, number)
            report.pages.append((code, number))
            log.warning("page sent again", extra={"dossier": code, "page": number, "stage": "sweeper"})
        received, finishing = self.records.dossiers_due(now=now, quiet_for=self.options.quiet_for_s)
        for code in received:
            if self._due("intake", code, now):
                self.send.intake(code)
                report.intakes.append(code)
                log.warning("intake sent again", extra={"dossier": code, "stage": "sweeper"})
        for code in finishing:
            if self._due("dossier", code, now):
                self.send.dossier(code)
                report.dossiers.append(code)
                log.warning("dossier stage sent again", extra={"dossier": code, "stage": "sweeper"})
        # Forget old entries so the map does not grow for ever.
        horizon = now - 2 * self.options.resend_after_s
        self._last_sent = {k: t for k, t in self._last_sent.items() if t >= horizon}
        metrics.RESENT.labels(stage="page").inc(len(report.pages))
        metrics.RESENT.labels(stage="intake").inc(len(report.intakes))
        metrics.RESENT.labels(stage="dossier").inc(len(report.dossiers))
        return report
