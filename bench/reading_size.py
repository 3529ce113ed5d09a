"""Reading size: does reading ordinary print reduced (pipeline/print_size.py) cost words, and what does it save?

    python bench/reading_size.py [--quick]

Each page goes through `pipeline.page.process_page` three times, one process, the engine loaded once:
at hoso's reading size (text lines about 20 px, never below 150 dpi, card print at its size), at the scan's
full size, and at 150 dpi. Word recall against the page's text, and the OCR stage's CPU seconds.

- real scans with their text, read with `eng`: UNLV 8071_093.3B, eurotext, phototest, linn (../shared/data);
- the 20-page generated benchmark dossier (bench/common.py, 4 pages with --quick), read with `vie`.

Target (none in the issue; the reason for the choice): recall at hoso's size >= at full size - 0.5 point.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench.common import SHARED, Verdicts, dossier_pdf, print_table, word_recall
from pipeline import print_size, raster
from pipeline.ocr import OcrEngine
from pipeline.page import process_page
from schemas.settings import PipelineSettings

SIZES = {"hoso": print_size.READ_LINE_PX, "full size": 1e9, "150 dpi": 1e-9}


def _real_pages() -> list[tuple[str, raster.PageImage, list[str]]]:
    settings = PipelineSettings()
    out = []
    for folder, image, text in (
        ("tesseract", "8071_093.3B.tif", "8071_093.3B.txt"),
        ("tesseract", "eurotext.tif", "eurotext.txt"),
        ("tesseract", "phototest.tif", "phototest.gold.txt"),
        ("ocrmypdf", "linn.png", "linn.txt"),
    ):
        path = SHARED / folder / image
        page = raster.load_page(path, raster.inspect(path, settings).kind, 0, settings)
        out.append((image, page, (SHARED / folder / text).read_text(errors="replace").split()))
    return out


def _measure(name: str, pages: list[tuple[str, raster.PageImage, list[str]]], lang: str, v: Verdicts) -> None:
    settings = PipelineSettings(lang=lang)
    engine = OcrEngine(lang, settings.tessdata)
    recall: dict[str, list[float]] = {k: [] for k in SIZES}
    ocr_s: dict[str, float] = dict.fromkeys(SIZES, 0.0)
    rows = []
    for label, page, truth in pages:
        row: list[object] = [label, page.dpi]
        for size, line_px in SIZES.items():
            print_size.READ_LINE_PX = line_px
            t = time.process_time()
            result = process_page(page, settings, engine)
            ocr_s[size] += time.process_time() - t
            r = word_recall(truth, result.ocr.text)[0]
            recall[size].append(r)
            row.append(f"{100 * r:.1f}")
        rows.append(row)
    print_size.READ_LINE_PX = SIZES["hoso"]
    n = len(pages)
    rows.append(["mean", "", *(f"{100 * np.mean(recall[k]):.1f}" for k in SIZES)])
    rows.append(["CPU s a page (all stages)", "", *(f"{ocr_s[k] / n:.2f}" for k in SIZES)])
    print_table(f"Word recall %, {name}", ["page", "dpi", *SIZES], rows)
    hoso, full = float(np.mean(recall["hoso"])), float(np.mean(recall["full size"]))
    v.add(f"recall at hoso's size, {name}", hoso >= full - 0.005,
          f"{100 * hoso:.1f} % vs {100 * full:.1f} % at full size; CPU {ocr_s['hoso'] / n:.2f} vs "
          f"{ocr_s['full size'] / n:.2f} s a page")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="4 generated pages instead of 20")
    args = ap.parse_args()
    v = Verdicts()
    _measure("real scans (eng)", _real_pages(), "eng", v)
    pdf, truth = dossier_pdf(args.quick)
    settings = PipelineSettings()
    generated = [
        (f"{i + 1} {t['doc_type']}", raster.load_page(pdf, "pdf", i, settings), t["words"]) for i, t in enumerate(truth)
    ]
    _measure("generated dossier (vie)", generated, "vie", v)
    v.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
