"""Status changes to the portal under failures (issue 17): 1,000 changes over many dossiers, delivered by two
deliverers (as two processes would: each its own connection to the records) to a receiver on 127.0.0.1 that
fails 30 % of requests for a while (500s, and some answers too late: the change taken, the acknowledgement lost);
then it recovers. The changes are made while the deliverers run.

Checked, as the receiver saw it: none lost (every change in the outbox taken), none out of order per dossier
(no change sent before the previous one was acknowledged), none taken twice (an idempotent receiver drops a
repeated key; a change under two keys would count twice). Prints PASS/FAIL and the time it took.

    .venv/bin/python bench/outbox.py [--quick] [--changes N] [--dossiers N] [--postgres]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.record import DossierStatus as S
from tests.portal_receiver import Receiver
from workers.settings import PortalSettings
from workers.stores.records import Records
from workers.usecases.outbox import Deliverer

SECRET = "bench-secret"
LIFE = (S.processing, S.needs_review, S.reviewed, S.received, S.processing, S.processed, S.failed)


def make_changes(records: Records, dossiers: int, changes: int, seed: int) -> None:
    """`changes` status changes over `dossiers` dossiers (creation counts as one), in a random order."""
    rng = random.Random(seed)
    codes = [f"HS-B{i:04d}" for i in range(dossiers)]
    steps = {c: 0 for c in codes}
    order = codes + [rng.choice(codes) for _ in range(changes - dossiers)]
    rng.shuffle(order)
    created: set[str] = set()
    for code in order:
        if code not in created:  # its first change is its creation
            records.create_dossier(code, {"procedure": "dang_ky_khai_sinh"})
            created.add(code)
            continue
        records.set_status(code, LIFE[steps[code] % len(LIFE)])
        steps[code] += 1
        if rng.random() < 0.05:
            time.sleep(0.002)  # changes come over time, not all at once


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="200 changes")
    ap.add_argument("--changes", type=int, default=1000)
    ap.add_argument("--dossiers", type=int, default=120)
    ap.add_argument("--fail-share", type=float, default=0.30, help="share of requests failed while failing")
    ap.add_argument(
        "--fail-for", type=float, default=5.0, help="the receiver fails while the changes are made and this long after"
    )
    ap.add_argument("--postgres", action="store_true", help="on a throw-away PostgreSQL (tests/cluster/servers.py)")
    args = ap.parse_args()
    logging.getLogger("hoso.outbox").setLevel(logging.ERROR)  # a warning per failed attempt: hundreds here
    changes = 200 if args.quick else args.changes
    dossiers = min(args.dossiers, changes) if not args.quick else 30

    server = None
    if args.postgres:
        from tests.cluster.servers import start_postgres

        server = start_postgres()
        url = f"postgresql+psycopg://hoso@127.0.0.1:{server.port}/postgres"
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='hoso-bench-outbox-')) / 'hoso.db'}"

    rng = random.Random(17)
    lock = threading.Lock()
    healthy_at = [float("inf")]  # set once the changes are written

    def flaky(n: int, payload: dict[str, object]) -> str:
        if time.monotonic() >= healthy_at[0]:
            return "ok"
        with lock:
            r = rng.random()
        if r < args.fail_share * 2 / 3:
            return "fail"
        return "late" if r < args.fail_share else "ok"

    settings = PortalSettings(
        secret=SECRET,
        timeout_seconds=0.3,
        backoff_seconds=0.05,
        max_backoff_seconds=1.0,
        max_attempts=10_000,  # none given up: the point is that every change arrives
        max_age_hours=24.0,
        poll_seconds=0.05,
        concurrency=4,
    )
    writer = Records(url)
    stores = [Records(url), Records(url)]
    cpu0 = time.process_time()
    with Receiver(SECRET, decide=flaky, late_s=0.6) as receiver:
        portal = replace(settings, url=receiver.url)
        deliverers = [Deliverer(r, portal) for r in stores]
        for d in deliverers:
            d.start()
        t_start = time.monotonic()
        make_changes(writer, dossiers, changes, seed=17)
        t_written = time.monotonic() - t_start
        healthy_at[0] = time.monotonic() + args.fail_for
        deadline = time.monotonic() + 300
        while writer.delivery_counts()["pending"] and time.monotonic() < deadline:
            time.sleep(0.05)
        t_done = time.monotonic() - t_start
        for d in deliverers:
            d.stop()
        time.sleep(0.7)  # answers still in flight ("late") reach the receiver's books
        cpu = time.process_time() - cpu0
        rows = writer.deliveries(limit=changes + 10)
        counts = writer.delivery_counts()
        expected: dict[str, list[str]] = {}
        for row in rows:
            expected.setdefault(row.code, []).append(row.key)
        taken = receiver.taken_per_dossier()
        problems = receiver.out_of_order(expected)
        seen = list(receiver.seen)
    for r in [writer, *stores]:
        r.close()
    if server is not None:
        server.stop()

    fails = sum(s.action == "fail" for s in seen)
    lates = sum(s.action == "late" for s in seen)
    failing = [s for s in seen if s.started < healthy_at[0]]
    share = sum(s.action in ("fail", "late") for s in failing) / max(1, len(failing))
    taken_keys = [k for keys in taken.values() for k in keys]
    lost = sum(len(set(keys) - set(taken.get(code, []))) for code, keys in expected.items())
    written = {k for keys in expected.values() for k in keys}
    twice = len(taken_keys) - len(set(taken_keys) & written)  # a change taken under a second key, or again
    in_order = sum(1 for code, keys in expected.items() if taken.get(code) == keys)
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; {len(rows)} changes over {len(expected)} dossiers")
    print(f"requests: {len(seen)}; while the changes were made and {args.fail_for:g} s after, {len(failing)}, of which "
          f"{fails} answered 500 and {lates} taken but answered too late ({share:.0%}); "
          f"the receiver dropped {receiver.duplicates} repeated key(s)")  # fmt: skip
    print(f"outbox: {counts}")
    print(f"changes written in {t_written:.2f} s; all delivered {t_done:.2f} s after the start "
          f"({t_done - t_written - args.fail_for:.2f} s after the failures ended); "
          f"CPU {cpu:.2f} s")  # fmt: skip
    print(f"lost {lost}, taken twice {twice}, dossiers in order {in_order}/{len(expected)}, "
          f"order violations {len(problems)}")  # fmt: skip
    for p in problems[:5]:
        print("  ", p)
    checks = {
        f"{changes} changes written": len(rows) == changes,
        "none lost": lost == 0 and counts["pending"] == 0 and counts["failed"] == 0,
        "none out of order per dossier": not problems and in_order == len(expected),
        "none taken twice": twice == 0,
        "the receiver failed 30 % of requests for a while": len(failing) >= 0.2 * changes and share >= 0.25,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    ok = all(checks.values())
    print(f"{'PASS' if ok else 'FAIL'}: {len(rows)} status changes delivered in {t_done:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
