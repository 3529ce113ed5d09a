"""The watch folder: seconds from a file being complete to its record; files per minute at steady state.

    python bench/watch.py [--quick] [--stable-seconds 2] [--max-wait SECONDS]

`hoso watch INBOX` runs as a real process (inotify and polling, default options except the stability wait),
on a fresh data dir. The files are generated scans: one page each, doc types in turn, A4 at 200 dpi, skew
within ±2°, saved as JPEG (quality 80) as a sheet-fed scanner saves them.

(a) Latency: files dropped one at a time (written under a hidden name, then renamed: the moment of the
    rename is when the file is complete). Measured until its dossier is finished (status processed or
    needs_review) and until the file is let go (moved to done/). The stability wait (`--stable-seconds`)
    is part of it by design; the table shows the rest apart.
(b) Steady state: N files dropped at once (16; 4 with --quick), taken together (they share one pool of
    page processes, as files arriving faster than they are read do); files per minute from the first file
    taken to the last record finished, and from the drop (the stability wait included).
(c) Intake alone: 200 tiny blank pages at once (no OCR): what the journal, the object store and the moves
    cost per file.
(d) The receipt-sheet check that runs on every page (pipeline.separators.read_qr): milliseconds a page on
    the six doc types and on receipt sheets (skewed, upside down), at 200 and 300 dpi, in this process.

No target in the issue; the figures go in the closing note. A check that every file made exactly one
dossier and left the folder is a PASS/FAIL.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Verdicts, fresh_dir, load_synth, print_table, wait_for_idle


def _scan_jpeg(synth: object, kind: str, seed: int) -> bytes:
    import random

    rng = random.Random(seed)
    page = synth.make_page(kind, seed=seed, dpi=200, skew_deg=round(rng.uniform(-2, 2), 2))  # type: ignore[attr-defined]
    buf = io.BytesIO()
    page.image.convert("RGB").save(buf, "JPEG", quality=80, dpi=(200, 200))
    return buf.getvalue()


def _blank_png(n: int) -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("n", str(n))
    buf = io.BytesIO()
    Image.new("L", (120, 170), 255).save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


def _drop(inbox: Path, name: str, data: bytes) -> float:
    """Write under a hidden name, then rename: complete at the rename. Returns that moment (time.time)."""
    tmp = inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, inbox / name)
    return time.time()


class Db:
    def __init__(self, path: Path) -> None:
        self.path = path

    def query(self, sql: str, *args: object) -> list[tuple]:
        if not self.path.exists():
            return []
        try:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10) as conn:
                return conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError:
            return []

    def finished(self, path: str) -> tuple[float, float | None] | None:
        """(when its dossier was finished, when the file was let go) for a file, once finished."""
        rows = self.query(
            "SELECT w.segments, w.settled, w.updated_at FROM watch_intake w WHERE w.path = ? ORDER BY w.id", path
        )
        if not rows:
            return None
        import json

        segments, settled, updated = rows[-1]
        codes = [s["code"] for s in json.loads(segments or "[]")]
        if not codes:
            return None
        done = self.query(
            f"SELECT max(updated_at), count(*) FROM dossiers WHERE code IN ({','.join('?' * len(codes))}) "
            "AND status IN ('processed', 'needs_review')",
            *codes,
        )
        if not done or done[0][1] != len(codes):
            return None
        return float(done[0][0]), (float(updated) if settled else None)

    def taken(self, path: str) -> float | None:
        rows = self.query("SELECT created_at FROM watch_intake WHERE path = ? ORDER BY id", path)
        return float(rows[-1][0]) if rows else None


def _wait(cond, timeout: float, proc: subprocess.Popen[bytes]):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hoso watch exited with {proc.returncode}")
        value = cond()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError("timed out")


def qr_cost(synth: object, kinds: list[str], quick: bool) -> list[list[object]]:
    import statistics

    import numpy as np

    from pipeline.separators import read_qr

    rows: list[list[object]] = []
    for dpi in (200, 300):
        sets = {
            "papers without receipt QR": [
                np.asarray(synth.make_page(k, seed=5, dpi=dpi).image)  # type: ignore[attr-defined]
                for k in (kinds[:2] if quick else kinds)
            ],
            "receipt sheets (skewed, 180)": [
                np.asarray(
                    synth.make_receipt_sheet(  # type: ignore[attr-defined]
                        "000.00.28.H57-250338-1306", seed=s, dpi=dpi, skew_deg=4 - s, rotation=180
                    ).image
                )
                for s in range(2 if quick else 4)
            ],
        }
        for label, pages in sets.items():
            times = []
            for pixels in pages:
                for _ in range(3):
                    t0 = time.perf_counter()
                    read_qr(pixels, dpi)
                    times.append((time.perf_counter() - t0) * 1000)
            rows.append([f"{label}, {dpi} dpi", len(pages), statistics.median(times), max(times)])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--stable-seconds", type=float, default=2.0)
    ap.add_argument("--max-wait", type=float, default=600.0)
    args = ap.parse_args()
    synth = load_synth(("make_page", "make_receipt_sheet"))
    kinds = ["application_form", "cccd", "birth_certificate", "land_use_certificate", "diploma", "other"]
    n_latency = 2 if args.quick else 4
    n_steady = 4 if args.quick else 16
    n_tiny = 40 if args.quick else 200
    scans = [_scan_jpeg(synth, kinds[i % len(kinds)], 900 + i) for i in range(n_latency + n_steady)]

    work = fresh_dir("watch")
    inbox, data = work / "inbox", work / "data"
    inbox.mkdir()
    db = Db(data / "hoso.db")
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        "HOSO_DATA_DIR": str(data),
        "HOSO_WATCH_STABLE_SECONDS": str(args.stable_seconds),
    }
    load = wait_for_idle(args.max_wait)
    log = (work / "watch.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "watch", str(inbox)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    verdicts = Verdicts()
    try:
        time.sleep(3)  # start-up (imports, the database), not part of any figure
        # (a) one at a time
        lat_rows = []
        for i in range(n_latency):
            name = f"latency {i:02d}.jpg"
            t_complete = _drop(inbox, name, scans[i])
            t_record, t_gone = _wait(lambda n=name: db.finished(n), 600, proc)
            t_gone = t_gone or _wait(lambda n=name: (db.finished(n) or (0, None))[1], 60, proc)
            t_taken = db.taken(name) or t_record
            lat_rows.append(
                [
                    name,
                    t_taken - t_complete,
                    t_record - t_complete,
                    t_record - t_complete - args.stable_seconds,
                    t_gone - t_complete,
                ]
            )
        print_table(
            f"(a) Latency, one file at a time (stability wait {args.stable_seconds:g} s)",
            ["file", "taken after s", "record after s", "record minus wait s", "let go after s"],
            lat_rows,
        )
        # (b) many at once
        names = [f"steady {i:02d}.jpg" for i in range(n_steady)]
        t0 = time.time()
        for i, name in enumerate(names):
            _drop(inbox, name, scans[n_latency + i])
        ends = []
        for name in names:
            t_record, _ = _wait(lambda n=name: db.finished(n), 1800, proc)
            ends.append(t_record)
        ends.sort()
        first_taken = min(db.taken(n) or ends[0] for n in names)
        steady = len(ends) / (ends[-1] - first_taken) * 60
        overall = len(ends) / (ends[-1] - t0) * 60
        # (c) intake alone
        tiny = [f"tiny/{i:04d}.png" for i in range(n_tiny)]
        (inbox / "tiny").mkdir()
        t1 = time.time()
        for i, name in enumerate(tiny):
            (inbox / name).write_bytes(_blank_png(i))
        done_tiny = inbox / "done" / "tiny"
        _wait(lambda: done_tiny.exists() and len(list(done_tiny.glob("*.png"))) == n_tiny, 1800, proc)
        t_tiny = time.time() - t1
        print_table(
            "(b) steady state and (c) intake alone",
            ["run", "files", "seconds", "files/min"],
            [
                ["one-page scans at once: first taken to last record", len(ends), ends[-1] - first_taken, steady],
                ["one-page scans at once: drop to last record", len(ends), ends[-1] - t0, overall],
                ["tiny blank pages at once (no OCR): drop to last let go", n_tiny, t_tiny, n_tiny / t_tiny * 60],
            ],
        )
        total = n_latency + n_steady + n_tiny
        dossiers = db.query("SELECT count(*) FROM dossiers")[0][0]
        left = [p for p in inbox.rglob("*") if p.is_file() and "done" not in p.parts and not p.name.startswith(".")]
        verdicts.add(
            "every file made one dossier and left the folder",
            dossiers == total and not left,
            f"{dossiers} dossiers for {total} files; {len(left)} left",
        )
        print_table(
            "(d) Receipt-sheet check per page", ["pages", "n", "median ms", "max ms"], qr_cost(synth, kinds, args.quick)
        )
        print(f"\nload average at start {load:.2f}; the watcher's log: {work / 'watch.log'}")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    verdicts.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
