"""Throughput and memory of `hoso process` against raw Tesseract, page after page.

    python bench/throughput.py [--quick]

The dossier: 20 generated pages (4 with --quick), fixed seed, A4 at 300 dpi, doc types in turn, skew
uniform in ±3°, four pages turned 180° and two turned 90° (bench/common.py: dossier_pdf).

(a) Raw baseline: the PDF is rendered once with `pdftoppm -r 300 -gray` to PGM and saved as PNG (not
    timed; pdftoppm's own -png writer takes ~20 s a page on these noisy scans), then
    `tesseract PAGE.png - -l vie` runs with OMP_THREAD_LIMIT=1 on each page in turn: the same pages
    hoso receives, turned and skewed as they are.
(b) `hoso process dossier.pdf --json out.json --data-dir <fresh dir>` wall time, everything included
    (start-up, intake, storing, the record). Its process tree is polled for VmHWM (peak resident set).
(c) A second, in-process run of workers.runners.embedded.process() for hoso's per-stage time sums.

Targets: hoso pages/s >= 1.8 x raw pages/s (this machine has 2 cores); every worker's peak <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    VENV_BIN,
    MemoryPoller,
    Verdicts,
    children_cpu,
    dossier_pdf,
    fresh_dir,
    mb,
    print_table,
    run,
    timed,
    wait_for_idle,
    word_recall,
)

RATIO_TARGET = 1.8
WORKER_MB_TARGET = 300.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="4 pages instead of 20")
    ap.add_argument("--no-stages", action="store_true", help="skip the second, in-process run")
    ap.add_argument("--max-wait", type=float, default=600.0,
                    help="seconds to wait for the machine to be idle before timing (default 600)")
    args = ap.parse_args()
    pdf, truth = dossier_pdf(args.quick)
    n = len(truth)
    work = fresh_dir("throughput")
    print(f"dossier: {pdf.relative_to(ROOT)}, {n} pages; {os.cpu_count()} cores")

    # (a) raw tesseract, one page after the other
    png_dir = work / "png"
    png_dir.mkdir()
    with timed() as t_render:
        # pdftoppm's own -png writer takes ~20 s a page here (zlib on noisy scans): write PGM, then PNG.
        run(["pdftoppm", "-r", "300", "-gray", pdf, png_dir / "page"])
        for pgm in sorted(png_dir.glob("page-*.pgm")):
            img = cv2.imread(str(pgm), cv2.IMREAD_UNCHANGED)
            cv2.imwrite(str(pgm.with_suffix(".png")), img, [cv2.IMWRITE_PNG_COMPRESSION, 1])
            pgm.unlink()
    pngs = sorted(png_dir.glob("page-*.png"))
    assert len(pngs) == n, f"pdftoppm made {len(pngs)} files for {n} pages"
    raw_texts = []
    load0 = wait_for_idle(args.max_wait)
    cpu0 = children_cpu()
    with timed() as t_raw:
        for png in pngs:
            res = run(["tesseract", png, "-", "-l", "vie"], env={"OMP_THREAD_LIMIT": "1"})
            raw_texts.append(res.stdout)
    cpu_raw = children_cpu() - cpu0
    load1 = os.getloadavg()[0]
    print(f"rendered {n} pages with pdftoppm and saved them as PNG in {t_render.seconds:.1f} s (not counted)")

    # (b) hoso process, under the memory poller
    data = work / "hoso-data"
    out_json = work / "hoso.json"
    cmd = [str(VENV_BIN / "hoso"), "process", str(pdf), "--json", str(out_json), "--data-dir", str(data),
           "--no-progress"]
    cpu0 = children_cpu()
    with timed() as t_hoso:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        poller = MemoryPoller(proc.pid).start()
        _out, err = proc.communicate()
    poller.stop()
    # The workers are reaped by the forkserver, not by us: RUSAGE_CHILDREN misses them. Use the poller's.
    cpu_hoso = max(children_cpu() - cpu0, sum(p.cpu_s for p in poller.peaks()))
    load2 = os.getloadavg()[0]
    if proc.returncode != 0:
        print(f"hoso exited {proc.returncode}: {err.strip()[-2000:]}")
    record = json.loads(out_json.read_text(encoding="utf-8"))
    pages = sorted(record["pages"], key=lambda p: p["number"])

    raw_pps = n / t_raw.seconds
    hoso_pps = n / t_hoso.seconds
    ratio = hoso_pps / raw_pps
    print_table(
        f"Throughput ({n} pages, A4 300 dpi)",
        ["run", "wall s", "s/page", "pages/s", "vs raw", "CPU s/page", "load avg after"],
        [
            ["raw tesseract CLI, 1 thread, page after page", t_raw.seconds, t_raw.seconds / n, raw_pps, "1.00x",
             cpu_raw / n, load1],
            ["hoso process (CLI, all stages)", t_hoso.seconds, t_hoso.seconds / n, hoso_pps, f"{ratio:.2f}x",
             cpu_hoso / n, load2],
        ],
    )
    print(f"load average before: {load0:.2f}. CPU s/page: user+system time of the processes (all of hoso's "
          f"workers), {cpu_raw / cpu_hoso:.2f}x less for hoso; on {os.cpu_count()} idle cores hoso could reach "
          f"about {os.cpu_count() * cpu_raw / cpu_hoso:.2f}x raw (CPU-bound estimate).")

    peaks = poller.peaks()
    print_table(
        "Peak memory (VmHWM) per process of `hoso process`",
        ["pid", "role", "peak MB", "CPU s", "command"],
        [[p.pid, p.role, round(mb(p.hwm_kb), 1), round(p.cpu_s, 1), p.cmd[:70]] for p in peaks],
        digits=1,
    )
    workers = [p for p in peaks if p.role == "worker"]

    # what hoso found, against the truth (a side check; orientation_skew.py is the real test)
    rows = []
    rec_h, rec_r = [], []
    for i, (t, p) in enumerate(zip(truth, pages, strict=True), start=1):
        rh = word_recall(t["words"], p["text"])[0]
        rr = word_recall(t["words"], raw_texts[i - 1])[0]
        rec_h.append(rh)
        rec_r.append(rr)
        rows.append([i, t["doc_type"], t["rotation"], p["rotation"], "" if p["rotation"] == t["rotation"] else "WRONG",
                     t["skew_deg"], p["skew_deg"], round(p["skew_deg"] - t["skew_deg"], 2),
                     f"{100 * rh:.1f}", f"{100 * rr:.1f}"])
    rows.append(["mean", "", "", "", "", "", "", "", f"{100 * np.mean(rec_h):.1f}", f"{100 * np.mean(rec_r):.1f}"])
    print_table("Per page: hoso's record against the truth; word recall % of hoso and of raw tesseract",
                ["page", "doc_type", "rot", "hoso rot", "", "skew", "hoso skew", "err", "hoso rec", "raw rec"],
                rows)

    # (c) per-stage sums from an in-process run
    if not args.no_stages:
        from workers.runners import embedded
        from workers.settings import from_env

        settings = from_env(data_dir=fresh_dir("throughput", "stages-data"))
        with timed() as t_in:
            result = embedded.process(settings, [pdf])
        tm = result.timings
        stage_rows = []
        per_page = [k for k in tm if k not in ("intake", "wall")]
        for k in per_page:
            stage_rows.append([k, tm[k], tm[k] / n])
        stage_rows.append(["sum of page stages (CPU-side, all workers)", sum(tm[k] for k in per_page),
                           sum(tm[k] for k in per_page) / n])
        stage_rows.append(["intake (wall)", tm.get("intake", 0.0), None])
        stage_rows.append(["process() wall", tm.get("wall", t_in.seconds), tm.get("wall", t_in.seconds) / n])
        print_table(f"hoso per-stage time sums (in-process run of workers.runners.embedded.process, "
                    f"{settings.workers} workers)", ["stage", "sum s", "s/page"], stage_rows)

    v = Verdicts()
    v.add("throughput hoso/raw", ratio >= RATIO_TARGET,
          f"{ratio:.2f}x ({hoso_pps:.3f} vs {raw_pps:.3f} pages/s; target >= {RATIO_TARGET}x)")
    if workers:
        worst = max(mb(p.hwm_kb) for p in workers)
        v.add("peak memory per worker", worst <= WORKER_MB_TARGET,
              f"max {worst:.0f} MB over {len(workers)} workers (target <= {WORKER_MB_TARGET:.0f} MB)")
    else:
        worst = max(mb(p.hwm_kb) for p in peaks) if peaks else 0.0
        v.add("peak memory per process", worst <= WORKER_MB_TARGET,
              f"no separate worker seen; max {worst:.0f} MB (target <= {WORKER_MB_TARGET:.0f} MB)")
    v.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
