"""A scanner that pauses mid-file: `hoso watch` with its default settings, files lost or doubled.

    python bench/watch_pause.py [--pause 30]

Two scanners write a 3-page PDF (generated pages, fixed seed) into a watched folder, each pausing `--pause`
seconds half-way: one keeps the file open through the pause (as a scanner's driver does), the other closes
it and opens it again to append the rest (as some network copies do). `hoso watch FOLDER` runs with its
defaults (complete after 5 s unchanged; a file that reads as cut short taken again 3 times, 30 s apart) until
both files are in done/ or failed/. Target (issue 13): 0 files lost or doubled: each file in done/ whole,
nothing in failed/, one intake row and one dossier each.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "watch_pause"


def _pdf(seed: int) -> bytes:
    import synth

    path = OUT / f"scan-{seed}.pdf"
    if not path.exists():
        pages = [synth.make_blank_page(seed=seed * 10 + i, dpi=150) for i in range(3)]
        synth.write_pdf(pages, path)
    return path.read_bytes()


def _keep_open(target: Path, content: bytes, pause: float) -> None:
    with target.open("wb") as fh:
        fh.write(content[: len(content) // 2])
        fh.flush()
        time.sleep(pause)
        fh.write(content[len(content) // 2 :])


def _close_and_reopen(target: Path, content: bytes, pause: float) -> None:
    target.write_bytes(content[: len(content) // 2])
    time.sleep(pause)
    with target.open("ab") as fh:
        fh.write(content[len(content) // 2 :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pause", type=float, default=30.0)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    inbox, data = OUT / "inbox", OUT / "data"
    subprocess.run(["rm", "-rf", str(inbox), str(data)], check=True)
    inbox.mkdir()
    scans = {"kept-open.pdf": (_pdf(1), _keep_open), "closed-reopened.pdf": (_pdf(2), _close_and_reopen)}
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1", "HOSO_DATA_DIR": str(data)}
    env = {k: v for k, v in env.items() if not k.startswith("HOSO_WATCH_")}  # the defaults
    watcher = subprocess.Popen([sys.executable, "-m", "workers.cli", "watch", str(inbox)], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    t0 = time.monotonic()
    writers = [threading.Thread(target=w, args=(inbox / name, content, args.pause)) for name, (content, w) in
               scans.items()]  # fmt: skip
    for w in writers:
        w.start()
    deadline = t0 + args.pause + 3 * 30 + 120
    taken: dict[str, float] = {}
    while time.monotonic() < deadline and len(taken) < len(scans):
        for name in scans:
            if name not in taken and any((inbox / sub / name).exists() for sub in ("done", "failed")):
                taken[name] = time.monotonic() - t0
        time.sleep(0.2)
    for w in writers:
        w.join()
    watcher.send_signal(signal.SIGTERM)
    _out, err = watcher.communicate(timeout=120)
    db = sqlite3.connect(data / "hoso.db")
    rows = db.execute("SELECT path, state, size, segments FROM watch_intake ORDER BY id").fetchall()
    db.close()
    ok = True
    print(f"pause {args.pause:.0f} s mid-file, hoso watch defaults")
    for name, (content, _w) in scans.items():
        done = inbox / "done" / name
        whole = done.exists() and done.read_bytes() == content
        mine = [r for r in rows if r[0] == name]
        good = whole and len(mine) == 1 and mine[0][1] == "done" and mine[0][2] == len(content)
        ok &= good
        print(f"  {name:20s} taken after {taken.get(name, float('nan')):5.1f} s  in done/ whole: {whole}  "
              f"intake rows: {[(r[1], r[2]) for r in mine]}  {'PASS' if good else 'FAIL'}")  # fmt: skip
    failed = sorted(p.name for p in (inbox / "failed").iterdir()) if (inbox / "failed").exists() else []
    print(f"  failed/: {failed or 'empty'}; watcher warnings: "
          f"{[line.split(' hoso.watch ')[-1] for line in err.splitlines() if 'WARNING' in line]}")  # fmt: skip
    ok &= not failed
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
