"""Why pypdfium2 and tesserocr: rendering and OCR speed and peak memory against the usual alternatives.

    python bench/raster_compare.py [--quick]

Rendering the benchmark dossier PDF (20 pages, 4 with --quick; see bench/common.py) at 300 dpi to
numpy arrays:
- pdf2image, whole file at once (pdftoppm; default PPM, and fmt='png': first 3 pages only, as
  pdftoppm's PNG writer takes ~20 s a page on these noisy scans),
- pdf2image, one page per call (first_page = last_page),
- pypdfium2 through pipeline.raster.load_page (in-process, gray when the page's images are gray).

OCR of 3 upright pages of the same PDF (same gray pixels for both, 300 dpi, language vie):
- pytesseract.image_to_data (writes a PNG, starts the tesseract CLI, which loads the model, per page),
- tesserocr through pipeline.ocr.OcrEngine.read (model loaded once; the load is shown apart).

Each variant runs in its own child Python process, so that its peak memory is its own: ru_maxrss of that
Python, and the largest VmHWM (polled) of the programs it starts, such as pdftoppm or tesseract.
OMP_THREAD_LIMIT=1 for the tesseract CLI, as tesserocr's bundled library is single-threaded.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, VENV_PY, MemoryPoller, dossier_pdf, mb, print_table, wait_for_idle

RENDER = ("pdf2image-ppm", "pdf2image-png", "pdf2image-ppm-per-page", "pypdfium2")
OCR = ("pytesseract", "tesserocr")


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(method: str, pdf: Path, pages: list[int]) -> dict[str, Any]:
    """Runs in a child process: one variant, timed, with its peak memory."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from pipeline import raster
    from schemas.settings import PipelineSettings

    settings = PipelineSettings()
    out: dict[str, Any] = {"method": method}
    out["baseline_mb"] = _rss()
    if method in RENDER:
        import pdf2image

        t0 = time.perf_counter()
        shapes = []
        if method in ("pdf2image-ppm", "pdf2image-png"):
            fmt = "png" if method.endswith("png") else "ppm"
            images = pdf2image.convert_from_path(str(pdf), dpi=300, fmt=fmt, first_page=pages[0] + 1,
                                                 last_page=pages[-1] + 1)
            arrays = [np.asarray(im) for im in images]
            shapes = [a.shape for a in arrays]
            del arrays, images
        elif method == "pdf2image-ppm-per-page":
            for i in pages:
                im = pdf2image.convert_from_path(str(pdf), dpi=300, first_page=i + 1, last_page=i + 1)[0]
                shapes.append(np.asarray(im).shape)
        else:
            info = raster.inspect(pdf, settings)
            for i in pages:
                shapes.append(raster.load_page(pdf, info.kind, i, settings).pixels.shape)
        out["seconds"] = time.perf_counter() - t0
        out["pages"] = len(shapes)
        out["shape"] = list(shapes[0])
    else:
        from pipeline import deskew

        info = raster.inspect(pdf, settings)
        grays = [deskew.to_gray(raster.load_page(pdf, info.kind, i, settings).pixels) for i in pages]
        out["baseline_mb"] = _rss()
        words = 0
        if method == "pytesseract":
            import pytesseract
            from PIL import Image

            t0 = time.perf_counter()
            for g in grays:
                data = pytesseract.image_to_data(Image.fromarray(g), lang="vie", config="--dpi 300",
                                                 output_type=pytesseract.Output.DICT)
                words += sum(1 for w, c in zip(data["text"], data["conf"], strict=True) if w.strip() and float(c) >= 0)
            out["seconds"] = time.perf_counter() - t0
            out["load_seconds"] = None
        else:
            from pipeline.ocr import OcrEngine

            t0 = time.perf_counter()
            engine = OcrEngine(settings.lang, settings.tessdata)
            out["load_seconds"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            for g in grays:
                words += len(engine.read(g, 300).words)
            out["seconds"] = time.perf_counter() - t0
            engine.close()
        out["pages"] = len(grays)
        out["words"] = words
    out["self_mb"] = _rss()
    return out


def spawn(method: str, pdf: Path, pages: list[int]) -> dict[str, Any]:
    """Run one variant in a child Python; its programs' peaks come from polling their VmHWM (their
    ru_maxrss would include the Python's memory at the fork, before the exec)."""
    cmd = [str(VENV_PY), __file__, "--worker", method, "--pdf", str(pdf), "--pages", ",".join(map(str, pages))]
    proc = subprocess.Popen(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    poller = MemoryPoller(proc.pid, interval=0.02).start()
    out, err = proc.communicate()
    poller.stop()
    if proc.returncode != 0:
        print(f"{method} failed: {err[-2000:]}")
        return {"method": method, "failed": True}
    res: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    progs = [p for p in poller.peaks() if p.pid != proc.pid]
    res["child_mb"] = max((mb(p.hwm_kb) for p in progs), default=0.0)
    res["child_names"] = sorted({Path(p.cmd.split(" ")[0]).name for p in progs if p.hwm_kb})
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="the 4-page dossier")
    ap.add_argument("--max-wait", type=float, default=600.0,
                    help="seconds to wait for the machine to be idle before timing (default 600)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--pdf", help=argparse.SUPPRESS)
    ap.add_argument("--pages", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.pdf), [int(x) for x in args.pages.split(",")])))
        return 0

    pdf, truth = dossier_pdf(args.quick)
    n = len(truth)
    print(f"PDF: {pdf.relative_to(ROOT)}, {n} pages")
    rows = []
    wait_for_idle(args.max_wait)
    for m in RENDER:
        # pdftoppm's PNG writer takes ~20 s a page on these noisy scans: 3 pages are enough to show it.
        r = spawn(m, pdf, list(range(min(n, 3) if m == "pdf2image-png" else n)))
        if r.get("failed"):
            rows.append([m, "failed", "", "", "", "", "", ""])
            continue
        rows.append([m, r["seconds"], r["pages"], r["pages"] / r["seconds"], round(r["self_mb"]), round(r["child_mb"]),
                     "x".join(map(str, r["shape"])), round(r["baseline_mb"])])
    print_table(f"Rendering the {n}-page PDF at 300 dpi to arrays (pdf2image-png: its first 3 pages only)",
                ["method", "s", "pages", "pages/s", "peak MB (python)", "peak MB (child prog)", "page 1 array",
                 "MB at start"], rows)

    upright = [i for i, t in enumerate(truth) if t["rotation"] == 0 and not t["blank"]][:3]
    rows = []
    wait_for_idle(args.max_wait)
    for m in OCR:
        r = spawn(m, pdf, upright)
        if r.get("failed"):
            rows.append([m, "failed", "", "", "", "", "", ""])
            continue
        rows.append([m, r["seconds"], r["seconds"] / r["pages"], r["pages"] / r["seconds"], r["load_seconds"],
                     round(r["self_mb"]), round(r["child_mb"]), r["words"]])
    print_table(f"OCR of {len(upright)} upright pages (dossier pages {', '.join(str(i + 1) for i in upright)}), "
                "vie, 300 dpi",
                ["method", "s", "s/page", "pages/s", "model load s", "peak MB (python)",
                 "peak MB (child prog)", "words"], rows)
    print("peak MB (python): ru_maxrss of the child Python process running the variant (includes the pages it "
          "holds); peak MB (child prog): the largest VmHWM, polled every 20 ms, of the programs it started "
          "(pdfinfo, pdftoppm, tesseract).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
