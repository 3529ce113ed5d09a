"""One page read by two engines at once (pipeline/ocr.py `PairedEngine`): word recall and wall time against
one engine reading it whole.

    python bench/two_bands.py [--quick]

`hoso process` on a one-page scan has the page and nothing else to do, and the machine has a second core.
The page stage runs with one engine, then with two sharing the page (cut at a blank full-width gap near
half its ink, the lower band read in a thread), on:
- the eight real pages of ../shared/data/real-vn (their .gt.txt), when present;
- the generated benchmark dossier (bench/common.py: 20 pages, 4 with --quick);
- pages of the other layout families (synth families b, c, d: each document type once, fixed seeds; one
  type a family with --quick).
Word recall as bench/common.py counts it (a multiset of NFC words), pooled over the words; the page stage's
wall time a page (median), and how many pages had a gap to cut at. Each page is read by both variants in
turn, one after the other, so a change of the machine's speed hits both alike.

Targets: no loss of recall (within 0.2 points on each set); the page stage's wall time a page at most 0.7x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED, Verdicts, dossier_pdf, load_synth, print_table, word_recall
from pipeline import raster
from pipeline.ocr import OcrEngine, PageReader, PairedEngine, band_cut
from pipeline.page import process_page
from schemas.settings import PipelineSettings

REAL = SHARED / "real-vn"


def _read(page: raster.PageImage, settings: PipelineSettings, reader: PageReader) -> tuple[str, float]:
    t = time.perf_counter()
    result = process_page(page, settings, reader)
    return result.ocr.text, time.perf_counter() - t


def _families(settings: PipelineSettings, quick: bool) -> list[tuple[raster.PageImage, list[str]]]:
    synth = load_synth()
    out = []
    for f, family in enumerate("bcd"):
        types = sorted(synth.variants(family))  # type: ignore[attr-defined]
        for i, doc_type in enumerate(types[:1] if quick else types):
            page = synth.make_page(doc_type, seed=7100 + 10 * f + i, dpi=300, family=family)  # type: ignore[attr-defined]
            pixels = np.asarray(page.image.convert("RGB"))
            out.append((raster.PageImage(pixels=pixels, dpi=300, dpi_stated=True), page.words))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="4 generated pages instead of 20")
    args = ap.parse_args()
    settings = PipelineSettings()
    one = OcrEngine(settings.lang, settings.tessdata)
    two = PairedEngine(one, OcrEngine(settings.lang, settings.tessdata))

    sets: dict[str, list[tuple[raster.PageImage, list[str]]]] = {}
    if REAL.is_dir():
        sets["real-vn"] = [
            (raster.load_page(p, "pdf", 0, settings), (REAL / f"{p.stem}.gt.txt").read_text(encoding="utf-8").split())
            for p in sorted(REAL.glob("*.pdf"))
        ]
    else:
        print(f"{REAL} is absent: the generated pages only")
    pdf, truth = dossier_pdf(args.quick)
    sets["generated"] = [(raster.load_page(pdf, "pdf", i, settings), t["words"]) for i, t in enumerate(truth)]
    sets["families b-d"] = _families(settings, args.quick)

    v = Verdicts()
    rows: list[list[object]] = []
    walls: dict[str, list[float]] = {"one": [], "two": []}
    for name, pages in sets.items():
        found = {"one": 0, "two": 0}
        total = cut = 0
        for page, words in pages:
            for label, reader in (("one", one), ("two", two)):
                text, wall = _read(page, settings, reader)
                walls[label].append(wall)
                _r, f, n = word_recall(words, text)
                found[label] += f
            total += n
            captured: list[int | None] = []
            original = one.read

            def spy(gray, dpi, _orig=original, _seen=captured):  # type: ignore[no-untyped-def]
                _seen.append(band_cut(gray, dpi))
                return _orig(gray, dpi)

            one.read = spy  # type: ignore[method-assign]
            try:
                process_page(page, settings, one)
            finally:
                one.read = original  # type: ignore[method-assign]
            cut += bool(captured and captured[0] is not None)
        r1, r2 = 100 * found["one"] / total, 100 * found["two"] / total
        rows.append([name, len(pages), cut, total, f"{r1:.2f}", f"{r2:.2f}", f"{r2 - r1:+.2f}"])
        v.add(f"{name}: no loss of recall", r2 >= r1 - 0.2, f"{r2:.2f} % vs {r1:.2f} % whole")
    print_table(
        "Word recall %, one engine against two sharing the page",
        ["set", "pages", "cut in two", "words", "one engine", "two engines", "change"],
        rows,
    )
    m1, m2 = statistics.median(walls["one"]), statistics.median(walls["two"])
    print(f"page stage wall time a page (median over {len(walls['one'])}): one {m1:.3f} s, two {m2:.3f} s")
    v.add("wall time a page <= 0.7x", m2 <= 0.7 * m1, f"{m2 / m1:.2f}x")
    v.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
