"""The watch folder on the cluster, killed mid-batch: is every page read exactly once?

    python bench/watch_cluster.py [--pages 12] [--processes 2]

Starts the cluster's servers on loopback as the cluster tests do (redis-server, PostgreSQL, moto's S3:
tests/cluster/servers.py), one `hoso worker`, and `hoso watch INBOX --once` on a stack of generated pages
(150 dpi, a receipt sheet in the middle: two dossiers). The watcher is killed (SIGKILL) once a third of the
pages are read, then started again. Printed: pages, how many times each page was claimed (`attempts`: a
claim is an OCR run), the workers' own count of pages read (`hoso_pages_done`), the wall time, and
PASS when every page was read exactly once and the file was let go.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, fresh_dir, load_synth
from tests.cluster.conftest import metric, metrics_text, start_worker
from tests.cluster.servers import kill_group, start_cluster


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args()
    work = fresh_dir("watch_cluster")
    synth = load_synth()
    kinds = ["cccd", "birth_certificate"]
    half = args.pages // 2
    pages = [synth.make_page(kinds[i % 2], seed=90 + i, dpi=150) for i in range(args.pages - 1)]  # type: ignore[attr-defined]
    pages.insert(half, synth.make_receipt_sheet("000.00.21.H46-250101-0099", seed=99, dpi=150))  # type: ignore[attr-defined]
    inbox = work / "inbox"
    inbox.mkdir()
    synth.write_pdf(pages, inbox / "stack.pdf")  # type: ignore[attr-defined]
    cluster = start_cluster()
    try:
        env = {**os.environ, **cluster.env(work / "data"), "HOSO_WATCH_STABLE_SECONDS": "0.2",
               "HOSO_WATCH_POLL_SECONDS": "0.5", "PYTHONPATH": str(ROOT)}  # fmt: skip
        worker = start_worker(env, work / "worker.log", "--processes", str(args.processes))
        from workers.settings import from_env
        from workers.stores.records import Records

        records = Records(from_env(env).db_url)
        cmd = [sys.executable, "-m", "workers.cli", "watch", str(inbox), "--once"]
        t0 = time.perf_counter()
        with open(work / "watch.log", "ab") as log:
            proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
            while _done(records) < max(1, args.pages // 3):
                time.sleep(0.2)
            kill_group(proc, signal.SIGKILL)
            proc.wait(10)
            killed_at = _done(records)
            rc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=log, stderr=log, timeout=900).returncode
        wall = time.perf_counter() - t0
        attempts = _attempts(records)
        read = metric(metrics_text(worker), "hoso_pages_done_total")
        worker.proc.send_signal(signal.SIGTERM)
        worker.proc.wait(60)
        records.close()
    finally:
        cluster.stop()
    once = len(attempts) == args.pages and all(a == 1 for a in attempts) and read == args.pages
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.processes} worker processes")
    print(f"pages: {args.pages}; read when the watcher was killed: {killed_at}; restarted watcher exit {rc}")
    print(f"claims per page (attempts): {attempts}")
    print(f"pages read by the workers (hoso_pages_done): {read:g}; wall {wall:.1f} s")
    left = (inbox / "stack.pdf").exists()
    verdict = "PASS" if once and rc == 0 and not left else "FAIL"
    print(f"{verdict}: every page read exactly once after the kill" + ("" if not left else " (file not let go)"))
    return 0 if verdict == "PASS" else 1


def _done(records: object) -> int:
    import sqlalchemy as sa

    from workers.stores.records import pages

    with records.engine.begin() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(sa.select(sa.func.count()).where(pages.c.state == "done")).scalar() or 0)


def _attempts(records: object) -> list[int]:
    import sqlalchemy as sa

    from workers.stores.records import pages

    with records.engine.begin() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(sa.select(pages.c.attempts).order_by(pages.c.dossier_code, pages.c.number))
        return [int(a) for (a,) in rows]


if __name__ == "__main__":
    sys.exit(main())
