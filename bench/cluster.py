"""The cluster (Redis + PostgreSQL + S3, `hoso worker`) against the embedded mode, on the same dossier.

    python bench/cluster.py [--quick] [--max-wait SECONDS]

The dossier: the 20-page benchmark PDF of bench/common.py (`dossier_pdf`, the one throughput.py uses; 4
pages with --quick): A4 at 300 dpi, doc types in turn, skewed, six pages turned.

Servers: Debian's redis-server and PostgreSQL and moto's S3 server, started on free ports by
tests/cluster/servers.py (as the cluster tests do). moto is a Python server running on a thread of this
process: it is slower than MinIO and takes CPU from the same 2 cores, so the storage figures are an upper
bound.

(a) Embedded: `workers.runners.embedded.process` with 2 page processes (SQLite, a local folder), wall time from
    the call to the record, the process pool's start included.
(b) Cluster: `hoso worker --processes N` for N = 2, 1, 4, started and warm (OCR engines loaded) before the
    clock starts; then from `submit` (the PDF stored in S3, the dossier recorded, the intake sent) to the
    final record and its searchable PDF in storage. From the workers' /metrics: the mean time of the page
    actor, and how busy the processes were (page time / (N x wall)).
(c) Per-page overhead of the cluster's transport, measured alone: a broker round trip (enqueue, fetch,
    ack on Redis), the record writes of one page on PostgreSQL (claim, task, result, counts), the page
    image put to S3 (vs the local folder), the original read through the worker's cache.

Target: with 2 worker processes, throughput >= 90 % of the embedded mode's.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Verdicts, dossier_pdf, fresh_dir, print_table, wait_for_idle

TARGET = 0.90


def _metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        if head.split("{")[0] != name:
            continue
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            total += float(value)
    return total


class ClusterRun:
    def __init__(self, env: dict[str, str], processes: int, log: Path) -> None:
        from tests.cluster.servers import free_port

        self.processes = processes
        self.port = free_port()
        self.log = log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "workers.cli", "worker", "--processes", str(processes),
                 "--metrics-port", str(self.port)],
                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def wait_ready(self, timeout_s: float = 180.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
            if text.count('"worker process ready"') >= self.processes:
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"hoso worker exited {self.proc.returncode}:\n{text[-3000:]}")
            time.sleep(0.2)
        raise RuntimeError("the worker processes did not start in time")

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as resp:
            return str(resp.read().decode("utf-8"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def run_embedded(pdf: Path, n_pages: int) -> dict[str, Any]:
    from workers.runners import embedded
    from workers.settings import Settings

    settings = Settings(data_dir=fresh_dir("cluster", "embedded-data"), jobs=2)
    t0 = time.perf_counter()
    result = embedded.process(settings, [pdf])
    wall = time.perf_counter() - t0
    assert len(result.dossier.pages) == n_pages, result.problems
    return {"wall": wall, "record": result.dossier}


def run_cluster(env: dict[str, str], settings: Any, pdf: Path, n_pages: int, processes: int) -> dict[str, Any]:
    from workers.runners.cluster import actors
    from workers.runners.cluster.submit import submit, wait
    from workers.stores.objects import make_store
    from workers.stores.records import Records

    run = ClusterRun(env, processes, fresh_dir("cluster", f"worker-{processes}") / "worker.log")
    try:
        run.wait_ready()
        records = Records(settings.db_url)
        store = make_store(settings)
        t0 = time.perf_counter()
        submitted = submit(records, store, [pdf])
        actors.intake.send(submitted.code)
        record = wait(records, store, submitted.code, poll_s=0.1, timeout_s=1800)
        wall = time.perf_counter() - t0
        records.close()
        assert len(record.pages) == n_pages, f"{len(record.pages)} pages of {n_pages}"
        text = run.metrics()
    finally:
        run.stop()
    page_sum = _metric(text, "hoso_stage_seconds_sum", stage="page")
    page_count = _metric(text, "hoso_stage_seconds_count", stage="page")
    # Intake and dossier messages find a worker idle (at the start, at the end): their wait is the hop.
    hop_sum = _metric(text, "hoso_queue_wait_seconds_sum", queue="dossiers")
    hop_count = _metric(text, "hoso_queue_wait_seconds_count", queue="dossiers")
    return {
        "hop": hop_sum / hop_count if hop_count else float("nan"),
        "wall": wall,
        "page_mean": page_sum / page_count if page_count else float("nan"),
        "busy": page_sum / (processes * wall),
        "record": record,
        "code": submitted.code,
    }


def _per_call(fn: Any, n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - t0) / n


def overheads(settings: Any, code: str, pdf: Path, hop_s: float) -> list[list[Any]]:
    """Milliseconds per page of each piece of the cluster's transport, measured alone."""
    import shutil

    from dramatiq import Message
    from dramatiq.brokers.redis import RedisBroker

    from workers.stores.objects import LocalStore, original_key, sha256_file
    from workers.stores.records import Records
    from workers.stores.s3 import S3Store

    rows: list[list[Any]] = []
    # broker: one message enqueued, fetched and acknowledged (what a page message costs Redis and the worker)
    broker = RedisBroker(url=settings.broker_url)
    consumer = broker.consume("bench", prefetch=1, timeout=1000)
    message: Message[Any] = Message(queue_name="bench", actor_name="page", args=(code, 1), kwargs={}, options={})

    def round_trip(_: int) -> None:
        broker.enqueue(message)
        got = None
        while got is None:
            got = next(consumer)
        consumer.ack(got)

    rt = _per_call(round_trip, 200)
    consumer.close()
    broker.close()
    rows.append(["broker round trip (Redis: enqueue, fetch, ack)", rt * 1000, "per message; 2 per page + 1 dossier"])
    rows.append(["message to an idle worker: sent -> started", hop_s * 1000,
                 "mean wait of intake/dossier messages (Redis polled every <= 100 ms)"])  # fmt: skip

    # records: what one page costs PostgreSQL
    records = Records(settings.db_url)
    done = records.dossier(code)
    scratch = f"BENCH-{int(time.time())}"
    records.create_dossier(scratch)
    files = records.files(code)
    records.add_file(scratch, 1, "bench.pdf", sha256=files[0].sha256, kind=files[0].kind, page_count=len(done.pages))
    records.add_pages(scratch, 1, 1, len(done.pages))

    def page_records(i: int) -> None:
        n = i + 1
        records.claim_page(scratch, n, 600)
        records.page_task(scratch, n)
        records.finish_page(scratch, n, done.pages[i])
        records.page_counts(scratch)

    db = _per_call(page_records, len(done.pages))
    records.close()
    rows.append(["record writes of one page (PostgreSQL)", db * 1000, "claim, task, result (words JSON), counts"])

    # storage: the page image stored, S3 (moto) vs the local folder
    assert settings.s3 is not None
    cache = fresh_dir("cluster", "bench-cache")
    s3 = S3Store(settings.s3, cache)
    jpegs = [s3.get_bytes(p.image_key) for p in done.pages if p.image_key]
    mean_kb = sum(map(len, jpegs)) / len(jpegs) / 1024
    put_s3 = _per_call(lambda i: s3.put_bytes(f"bench/{i:04d}.jpg", jpegs[i % len(jpegs)], "image/jpeg"), 20)
    local = LocalStore(fresh_dir("cluster", "bench-local"))
    put_local = _per_call(lambda i: local.put_bytes(f"bench/{i:04d}.jpg", jpegs[i % len(jpegs)], "image/jpeg"), 20)
    rows.append([f"page image put, S3/moto ({mean_kb:.0f} KB JPEG)", put_s3 * 1000, "per page"])
    rows.append(["page image put, local folder (fsync)", put_local * 1000, "per page, embedded mode"])
    # the original read through the cache: one download per worker process, then a cache hit per page
    key = original_key(sha256_file(pdf))
    t0 = time.perf_counter()
    s3.local_path(key)
    miss = time.perf_counter() - t0
    hit = _per_call(lambda _: s3.local_path(key), 50)
    shutil.rmtree(cache, ignore_errors=True)
    size_mb = pdf.stat().st_size / 1e6
    rows.append([f"original read, cache miss ({size_mb:.1f} MB PDF)", miss * 1000, "once per worker process"])
    rows.append(["original read, cache hit", hit * 1000, "per page"])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="4 pages instead of 20, 1 and 2 processes only")
    ap.add_argument("--max-wait", type=float, default=120.0,
                    help="seconds to wait for the machine to be idle before timing (default 120)")  # fmt: skip
    args = ap.parse_args()
    pdf, truth = dossier_pdf(args.quick)
    n = len(truth)
    print(f"dossier: {pdf.relative_to(ROOT)}, {n} pages; {os.cpu_count()} cores")

    from tests.cluster.servers import start_cluster
    from workers.runners.cluster.broker import build_broker
    from workers.settings import from_env

    servers = start_cluster()
    try:
        env = {**os.environ, **servers.env(fresh_dir("cluster", "worker-data"), bucket="hoso-bench")}
        settings = from_env(env, data_dir=fresh_dir("cluster", "client-data"))
        build_broker(settings)

        load = wait_for_idle(args.max_wait)
        print(f"load average before: {load:.2f}", flush=True)
        embedded = run_embedded(pdf, n)
        print(f"[bench] embedded, 2 processes: {embedded['wall']:.1f} s", flush=True)
        runs: dict[int, dict[str, Any]] = {}
        for processes in ((2, 1) if args.quick else (2, 1, 4)):
            runs[processes] = run_cluster(env, settings, pdf, n, processes)
            print(f"[bench] cluster, {processes} processes: {runs[processes]['wall']:.1f} s", flush=True)
        load_after = os.getloadavg()[0]

        base = n / embedded["wall"]
        rows: list[list[Any]] = [["embedded (hoso process), 2 processes", embedded["wall"], base, "1.00x", None, None]]
        for processes, r in sorted(runs.items()):
            pps = n / r["wall"]
            rows.append([f"cluster, {processes} worker process{'es' if processes > 1 else ''}", r["wall"], pps,
                         f"{pps / base:.2f}x", r["page_mean"], f"{100 * r['busy']:.0f}%"])  # fmt: skip
        print_table(
            f"Throughput on the same {n}-page dossier (A4, 300 dpi)",
            ["mode", "wall s", "pages/s", "vs embedded", "page actor s", "workers busy"],
            rows,
        )
        print(f"load average after: {load_after:.2f}")
        same = [p.text for p in embedded["record"].pages] == [p.text for p in runs[2]["record"].pages]
        print(f"same text on every page in both modes: {'yes' if same else 'NO'}")

        print_table("Per-page overhead of the cluster's transport, measured alone", ["piece", "ms", "note"],
                    overheads(settings, runs[2]["code"], pdf, runs[2]["hop"]))  # fmt: skip

        v = Verdicts()
        ratio = (n / runs[2]["wall"]) / base
        v.add("cluster with 2 processes vs embedded", ratio >= TARGET,
              f"{100 * ratio:.0f} % of the embedded throughput (target >= {100 * TARGET:.0f} %)")  # fmt: skip
        v.summary()
    finally:
        servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
