"""Bulk intake through the watch folder: pages per second of `hoso watch --once` against raw Tesseract.

    python bench/watch_bulk.py [--pages 100] [--stable-seconds 1]

The stack: `--pages` generated pages (the generator's family b of layouts by default; fixed seed; A4 at
300 dpi; doc types in turn; skew within ±3°; every seventh page turned 180°) in dossiers of 1–5 pages
(sizes drawn with a fixed seed), each dossier one PDF as a scanner's software saves it. Cached in bench/out/watch_bulk/.

(a) Raw baseline: each PDF rendered once with `pdftoppm -r 300 -gray` and saved as PNG (not timed), then
    `tesseract PAGE.png - -l vie` with OMP_THREAD_LIMIT=1 on every page, one after the other.
(b) hoso: every PDF dropped into an empty folder at once (renamed in from beside it), then
    `hoso watch FOLDER --once` on a fresh data dir, timed from its start to its exit: start-up, the stability
    wait (`--stable-seconds`, shown apart), intake, every page stage, the dossier stage, the artifacts and the
    files moved to done/. Every page must be recorded and every file let go (PASS/FAIL).

Target (issue 12): hoso's pages/s >= 2.2x raw Tesseract's page after page. The machine is shared: the load
average before and after each part is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Verdicts, doc_types, fresh_dir, load_synth, out_dir, print_table, run, timed

RATIO_TARGET = 2.2


def _sizes(pages: int, seed: int = 20261202) -> list[int]:
    rng = random.Random(seed)
    sizes: list[int] = []
    while sum(sizes) < pages:
        sizes.append(min(rng.randint(1, 5), pages - sum(sizes)))
    return sizes


def make_stack(pages: int, family: str) -> list[Path]:
    """The dossiers' PDFs (cached), in order."""
    folder = out_dir("watch_bulk", f"stack{pages}-{family}")
    sizes = _sizes(pages)
    pdfs = [folder / f"dossier-{i:03d}.pdf" for i in range(1, len(sizes) + 1)]
    if all(p.exists() for p in pdfs):
        return pdfs
    synth = load_synth()
    types = list(doc_types(synth))
    rng = random.Random(4242)
    t = time.perf_counter()
    n = 0
    for pdf, size in zip(pdfs, sizes, strict=True):
        made = []
        for _ in range(size):
            n += 1
            while True:  # a type the family has no layout for is left out
                kind = types[(n - 1) % len(types)]
                try:
                    page = synth.make_page(  # type: ignore[attr-defined]
                        kind,
                        seed=5000 + n,
                        dpi=300,
                        skew_deg=round(rng.uniform(-3.0, 3.0), 2),
                        rotation=180 if n % 7 == 0 else 0,
                        family=family,
                    )
                except ValueError:
                    types.remove(kind)
                    continue
                break
            made.append(page)
        synth.write_pdf(made, pdf, jpeg_quality=85)  # type: ignore[attr-defined]
    print(f"[bench] generated {n} pages in {len(pdfs)} PDFs in {time.perf_counter() - t:.0f} s", flush=True)
    return pdfs


def render(pdfs: list[Path], folder: Path) -> list[Path]:
    """Each PDF's pages as PNG (pdftoppm to PGM, then PNG: its own PNG writer is slow on noisy scans)."""
    pngs: list[Path] = []
    for pdf in pdfs:
        run(["pdftoppm", "-r", "300", "-gray", pdf, folder / pdf.stem])
        for pgm in sorted(folder.glob(f"{pdf.stem}-*.pgm")):
            cv2.imwrite(str(pgm.with_suffix(".png")), cv2.imread(str(pgm), cv2.IMREAD_UNCHANGED),
                        [cv2.IMWRITE_PNG_COMPRESSION, 1])  # fmt: skip
            pgm.unlink()
            pngs.append(pgm.with_suffix(".png"))
    return pngs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--family", default="b", help="the generator's family of layouts (default b, as in the issue)")
    ap.add_argument("--stable-seconds", type=float, default=1.0, help="the watcher's stability wait (default 1)")
    args = ap.parse_args()
    pdfs = make_stack(args.pages, args.family)
    work = fresh_dir("watch_bulk", "run")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(ROOT)}

    # (a) raw tesseract, page after page
    pngs = render(pdfs, work)
    assert len(pngs) == args.pages, f"{len(pngs)} pages rendered for {args.pages}"
    load_raw0 = os.getloadavg()[0]
    with timed() as t_raw:
        for png in pngs:
            run(["tesseract", png, "-", "-l", "vie"], env={"OMP_THREAD_LIMIT": "1"})
    load_raw1 = os.getloadavg()[0]

    # (b) every file dropped at once, then `hoso watch --once`
    inbox, beside, data = work / "inbox", work / "beside", work / "data"
    inbox.mkdir()
    beside.mkdir()
    for pdf in pdfs:
        (beside / pdf.name).write_bytes(pdf.read_bytes())
    for pdf in pdfs:
        (beside / pdf.name).rename(inbox / pdf.name)
    load_hoso0 = os.getloadavg()[0]
    cmd = [sys.executable, "-m", "workers.cli", "watch", str(inbox), "--once", "--data-dir", str(data),
           "--stable-seconds", str(args.stable_seconds)]  # fmt: skip
    with timed() as t_hoso:
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    load_hoso1 = os.getloadavg()[0]
    summary = next((line for line in proc.stderr.splitlines() if line.startswith("hoso watch:")), "")
    m = re.search(r"(\d+) file\(s\): (\d+) dossier\(s\), (\d+) pages", summary)
    files, dossiers, pages = (int(g) for g in m.groups()) if m else (0, 0, 0)
    left = [p.name for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")]

    raw_pps = args.pages / t_raw.seconds
    hoso_pps = args.pages / t_hoso.seconds
    ratio = hoso_pps / raw_pps
    net = t_hoso.seconds - args.stable_seconds
    print_table(
        f"Bulk: {args.pages} pages in {len(pdfs)} dossiers of 1-5 pages, A4 300 dpi ({os.cpu_count()} cores)",
        ["run", "wall s", "pages/s", "vs raw", "load avg before", "after"],
        [
            ["raw tesseract -l vie, 1 thread, page after page", t_raw.seconds, raw_pps, "1.00x", load_raw0, load_raw1],
            ["hoso watch --once (all stages, start to exit)", t_hoso.seconds, hoso_pps, f"{ratio:.2f}x", load_hoso0,
             load_hoso1],
            [f"  the same less the stability wait ({args.stable_seconds:g} s)", net, args.pages / net,
             f"{(args.pages / net) / raw_pps:.2f}x", "", ""],
        ],
    )  # fmt: skip
    print(summary or proc.stderr[-2000:])
    v = Verdicts()
    v.add("every page recorded, every file let go", proc.returncode == 0 and pages == args.pages and not left
          and files == len(pdfs) and dossiers == len(pdfs),
          f"exit {proc.returncode}; {files} files, {dossiers} dossiers, {pages} pages; {len(left)} left")  # fmt: skip
    v.add("bulk throughput hoso/raw", ratio >= RATIO_TARGET,
          f"{ratio:.2f}x ({hoso_pps:.3f} vs {raw_pps:.3f} pages/s; target >= {RATIO_TARGET}x; shared machine, "
          f"load {load_hoso0:.1f}-{load_hoso1:.1f})")  # fmt: skip
    v.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
