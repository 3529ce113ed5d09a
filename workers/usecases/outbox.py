"""Delivering the outbox: every change of a dossier's status to the portal, at least once, in order per dossier.

A deliverer claims the oldest undelivered change of each dossier that is due (a lease: other deliverers, in
this process or another, on this machine or another, leave it alone while it lasts), sends it
(`workers.portal`, the one HTTP module), and on an acknowledgement goes straight on to that dossier's next
change. Dossiers are sent to side by side (`PortalSettings.concurrency`), so one that fails or hangs holds
up only itself. A change not acknowledged is tried again after a wait that doubles each time (from
`backoff_seconds` to `max_backoff_seconds`, each drawn at random between half and all of it, so that
deliverers do not retry in step); after `max_attempts`, or `max_age_hours` after its first attempt, it is
failed: listed for admins (the web app's outbox page, `hoso outbox list`) and sent again when they say
(`hoso outbox resend`). Until then the dossier's later changes wait: the portal never sees them out of order.

Where it runs: a thread beside `hoso serve`, `hoso watch` and `hoso worker` (the cluster; every worker host
may run one, the leases keep them apart), a last pass at the end of `hoso process`, and `hoso outbox deliver`.
Without HOSO_PORTAL_URL nothing is sent and the changes are kept: once it is set, they go, oldest first.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from schemas.errors import ConfigError, HosoError, TransientError
from workers.portal import post_change
from workers.settings import PortalSettings
from workers.stores.records import Delivery, Records

log = logging.getLogger("hoso.outbox")

Send = Callable[..., int]  # post_change's signature: (url, secret, *, key, body, timeout_s) -> HTTP status
_CHAIN = 50  # a dossier's changes sent one after the other in one turn, at most, before others get theirs


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0  # attempts that failed and will be tried again
    failed: int = 0  # given up: shown to admins

    def add(self, other: DeliveryReport) -> None:
        self.delivered += other.delivered
        self.retried += other.retried
        self.failed += other.failed

    @property
    def attempts(self) -> int:
        return self.delivered + self.retried + self.failed


class Deliverer:
    def __init__(
        self,
        records: Records,
        portal: PortalSettings,
        *,
        send: Send = post_change,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if not portal.url or not portal.secret:
            raise ConfigError("no portal to deliver to: set HOSO_PORTAL_URL and HOSO_PORTAL_SECRET")
        self.records = records
        self.portal = portal
        self.send = send
        self.clock = clock
        self.jitter = jitter
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def lease_s(self) -> float:
        # longer than any request can take: a live deliverer's change is never taken from it
        return 2 * self.portal.timeout_seconds + 30.0

    def backoff(self, attempts: int) -> float:
        """The wait after the `attempts`-th failed attempt: doubling, capped, with jitter (half to all of it)."""
        full = min(self.portal.max_backoff_seconds, self.portal.backoff_seconds * 2 ** max(0, attempts - 1))
        return full * (0.5 + 0.5 * self.jitter())

    # --- one pass ----------------------------------------------------------------------------------------------

    def deliver_once(self) -> DeliveryReport:
        """Send what is due now: the head of each dossier's queue, and each dossier's next change as soon as the
        previous one is acknowledged."""
        # no more than are sent at once: a change claimed is sent at once, well within its lease
        limit = max(1, self.portal.concurrency)
        heads = self.records.claim_deliveries(now=self.clock(), lease_s=self.lease_s, limit=limit)
        report = DeliveryReport()
        if not heads:
            return report
        if len(heads) == 1 or self.portal.concurrency <= 1:
            for head in heads:
                report.add(self._chain(head))
            return report
        with ThreadPoolExecutor(max_workers=min(len(heads), self.portal.concurrency)) as pool:
            for done in pool.map(self._chain, heads):
                report.add(done)
        return report

    def _chain(self, delivery: Delivery) -> DeliveryReport:
        report = DeliveryReport()
        current: Delivery | None = delivery
        for _ in range(_CHAIN):
            if current is None or not self._attempt(current, report):
                break
            following = self.records.claim_deliveries(
                now=self.clock(), lease_s=self.lease_s, limit=1, code=current.code
            )
            current = following[0] if following else None
        return report

    def _attempt(self, delivery: Delivery, report: DeliveryReport) -> bool:
        """Send one change; True when acknowledged."""
        extra = {"dossier": delivery.code, "stage": "outbox", "status": delivery.status, "count": delivery.attempts}
        assert self.portal.url is not None and self.portal.secret is not None
        try:
            self.send(
                self.portal.url,
                self.portal.secret,
                key=delivery.key,
                body=delivery.body,
                timeout_s=self.portal.timeout_seconds,
            )
        except HosoError as exc:
            error = exc.message
        except Exception:  # a bug: logged with its traceback; the change is kept and tried again
            log.exception("status change not sent: internal error", extra=extra)
            error = "internal error (see the log)"
        else:
            self.records.mark_delivered(delivery, now=self.clock())
            report.delivered += 1
            return True
        now = self.clock()
        give_up = (
            delivery.attempts >= self.portal.max_attempts or now - delivery.since >= self.portal.max_age_hours * 3600
        )
        if give_up:
            self.records.mark_attempt_failed(delivery, error=error, retry_at=None)
            report.failed += 1
            log.error("status change failed, kept for an admin to resend: %s", error, extra=extra)
        else:
            self.records.mark_attempt_failed(delivery, error=error, retry_at=now + self.backoff(delivery.attempts))
            report.retried += 1
            log.warning("status change not acknowledged, sent again later: %s", error, extra=extra)
        return False

    # --- over time ----------------------------------------------------------------------------------------------

    def drain(self, budget_s: float) -> DeliveryReport:
        """Passes until nothing is due now, or `budget_s` seconds have gone (the end of `hoso process`)."""
        report = DeliveryReport()
        deadline = time.monotonic() + budget_s
        while time.monotonic() < deadline:
            done = self.deliver_once()
            report.add(done)
            if done.attempts == 0:
                break
        return report

    def run(self, stop: threading.Event) -> None:
        """Pass after pass until `stop`; a pause of `poll_seconds` after a pass with nothing to send."""
        while not stop.is_set():
            try:
                busy = self.deliver_once().attempts > 0
            except TransientError as exc:  # the record database away: later
                log.warning("outbox not read", extra={"stage": "outbox", "error": exc.kind})
                busy = False
            except Exception:  # a bug: logged; the thread goes on
                log.exception("outbox pass failed", extra={"stage": "outbox"})
                busy = False
            if not busy:
                stop.wait(self.portal.poll_seconds)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, args=(self._stop,), name="hoso-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.portal.timeout_seconds + 5.0)
            self._thread = None


@contextmanager
def delivering(records: Records, portal: PortalSettings) -> Iterator[Deliverer | None]:
    """A deliverer on a thread of its own for the block's time; none when no portal is configured."""
    if not portal.url or not portal.secret:
        yield None
        return
    deliverer = Deliverer(records, portal)
    deliverer.start()
    try:
        yield deliverer
    finally:
        deliverer.stop()
