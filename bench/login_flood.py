"""The sign-in flood of issue 13 replayed on loopback against a real `hoso serve`.

    python bench/login_flood.py [--parallel 40] [--seconds 8] [--serve-pythonpath DIR]

A fresh data folder with an admin and a counter; `hoso serve` on 127.0.0.1. The counter signs in first; then
`--parallel` clients fire wrong sign-ins at once, in three rounds:
  (a) one burst of wrong admin passwords, all at the same moment (the issue's 40 parallel wrong logins);
  (b) for `--seconds`, each client again and again, wrong admin passwords;
  (c) for `--seconds`, each attempt a new user name from a new address (X-Forwarded-For, which uvicorn trusts
      from loopback): no throttle applies, only the bound on argon2 checks protects the server.
Meanwhile the signed-in counter loads its page (GET /) every 100 ms. Printed: the server's peak memory (the
sum of the RSS of its process tree, sampled every 20 ms), the signed-in page's latency (median, max) in each
round, and the answers the flood got. Targets: peak <= 400 MB, signed-in request <= 300 ms.

`--serve-pythonpath` runs another checkout's `hoso serve` (e.g. the commit before the fix, extracted with
`git archive`), for the figure before.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEAK_MB_TARGET = 400.0
SIGNED_IN_MS_TARGET = 300.0
PASSWORD = "bench-mat-khau-dai"


class TreeRss:
    """Samples the summed RSS of a process and its descendants; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        import psutil

        self._root = psutil.Process(pid)
        self._psutil = psutil
        self.interval = interval
        self.peak = 0
        self.window_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def now(self) -> int:
        total = 0
        try:
            procs = [self._root, *self._root.children(recursive=True)]
        except self._psutil.Error:
            return 0
        for p in procs:
            with contextlib.suppress(self._psutil.Error):
                total += p.memory_info().rss
        return total

    def _loop(self) -> None:
        while not self._stop.is_set():
            rss = self.now()
            self.peak = max(self.peak, rss)
            self.window_peak = max(self.window_peak, rss)
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hoso(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    cwd = env["PYTHONPATH"]  # `python -m` looks in the current folder first
    out = subprocess.run(
        [sys.executable, "-m", "workers.cli", *args], env=env, input=stdin, capture_output=True, text=True, cwd=cwd
    )
    if out.returncode != 0:
        raise RuntimeError(f"hoso {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out.stdout


def wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hoso serve exited {proc.returncode}")
        try:
            httpx.get(f"{base}/login", timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("hoso serve did not answer in time")


class SignedIn:
    """The counter, signed in, loading its page every 100 ms; latencies per round."""

    def __init__(self, base: str) -> None:
        import httpx

        self.client = httpx.Client(base_url=base, timeout=60.0)
        r = self.client.post("/login", data={"username": "counter", "password": PASSWORD}, follow_redirects=True)
        if r.status_code != 200 or "hoso_session" not in self.client.cookies:
            raise RuntimeError(f"the counter could not sign in: {r.status_code}")
        self.samples: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_during(self, work: Callable[[], None]) -> list[float]:
        self.samples = []
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        try:
            work()
        finally:
            self._stop.set()
            self._thread.join()
        return self.samples

    def _loop(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            r = self.client.get("/")
            elapsed = (time.perf_counter() - started) * 1000
            if r.status_code == 200:
                self.samples.append(elapsed)
            else:
                self.failures += 1
            self._stop.wait(0.1)


def flood(base: str, parallel: int, seconds: float, *, spread: bool, burst: bool) -> Counter[str]:
    """`parallel` clients firing wrong sign-ins: one each at the same moment (burst), else for `seconds`."""
    import httpx

    answers: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(parallel)
    deadline = [0.0]

    def client(i: int) -> None:
        with httpx.Client(base_url=base, timeout=120.0) as c:
            start.wait()
            n = 0
            while True:
                n += 1
                name, headers = "admin", {}
                if spread:  # a new name from a new address each time: nothing to throttle on
                    name = f"u{i}-{n}"
                    headers = {"X-Forwarded-For": f"10.{i}.{n // 250 % 250}.{n % 250 + 1}"}
                try:
                    r = c.post(
                        "/login",
                        data={"username": name, "password": secrets.token_hex(8)},
                        headers=headers,
                        follow_redirects=False,
                    )
                    key = str(r.status_code)
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                with lock:
                    answers[key] += 1
                if burst or time.monotonic() > deadline[0]:
                    return

    deadline[0] = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(i,)) for i in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def ms(values: list[float]) -> str:
    if not values:
        return "no sample"
    return f"median {statistics.median(values):6.0f} ms, max {max(values):6.0f} ms ({len(values)} requests)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parallel", type=int, default=40)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--serve-pythonpath", type=Path, help="run this checkout's hoso serve instead")
    args = ap.parse_args()

    data = Path(tempfile.mkdtemp(prefix="hoso-login-flood-"))
    env = {**os.environ, "PYTHONPATH": str(args.serve_pythonpath or ROOT), "HOSO_DATA_DIR": str(data)}
    env["OMP_THREAD_LIMIT"] = "1"
    for name, role in (("admin", "admin"), ("counter", "counter")):
        hoso(["user", "add", name, "--role", role, "--password-stdin"], env, stdin=PASSWORD + "\n")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--jobs", "1"],
        env=env,
        cwd=env["PYTHONPATH"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_up(base, proc)
        rss = TreeRss(proc.pid)
        user = SignedIn(base)
        idle = user.run_during(lambda: time.sleep(2.0))
        start_mb = rss.now() / 2**20
        rows = []
        rounds = (
            ("burst: wrong admin passwords at once", False, True),
            (f"{args.seconds:.0f} s: wrong admin passwords", False, False),
            (f"{args.seconds:.0f} s: new name + address each time", True, False),
        )
        for title, spread, burst in rounds:
            rss.window_peak = 0
            got: Counter[str] = Counter()

            def work(spread: bool = spread, burst: bool = burst, got: Counter[str] = got) -> None:
                got.update(flood(base, args.parallel, args.seconds, spread=spread, burst=burst))

            lat = user.run_during(work)
            rows.append((title, rss.window_peak / 2**20, lat, got))
        rss.stop()
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    print(f"hoso serve ({args.serve_pythonpath or 'this checkout'}), {args.parallel} parallel clients")
    print(f"  at rest: {start_mb:.0f} MB; signed-in page {ms(idle)}")
    worst_ms = 0.0
    for title, peak_mb, lat, got in rows:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(got.items()))
        print(f"  {title}")
        print(f"    peak {peak_mb:5.0f} MB; signed-in page {ms(lat)}; flood answers {answers}")
        worst_ms = max([worst_ms, *lat])
    if user.failures:
        print(f"  the signed-in page failed {user.failures} times")
    peak = rss.peak / 2**20
    ok_mem, ok_lat = peak <= PEAK_MB_TARGET, worst_ms <= SIGNED_IN_MS_TARGET and not user.failures
    print(f"peak memory {peak:.0f} MB (target <= {PEAK_MB_TARGET:.0f}): {'PASS' if ok_mem else 'FAIL'}")
    verdict = "PASS" if ok_lat else "FAIL"
    print(f"signed-in request, worst {worst_ms:.0f} ms (target <= {SIGNED_IN_MS_TARGET:.0f}): {verdict}")
    return 0 if ok_mem and ok_lat else 1


if __name__ == "__main__":
    sys.exit(main())
