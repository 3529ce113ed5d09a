"""Phone photos, stamps and coloured ink (issue 16): word recall of hoso against raw `tesseract -l vie`.

    python bench/photos.py [--quick]

Measured on what the stages were not tuned on. The photo, stamp and ±45° stages were tuned on generated pages
of layout family a (photos: seeds 500-509 and 800-803; stamps: seeds 900-905); every generated page here is of
layout family b (`synth/family_b`, written apart), other seeds.
(a) Phone photos (`synth.make_page(..., photo=True)`, every other one with a thumb; skew within ±5°, 200
    dpi): the page stage (photo found? recall) against raw `tesseract -l vie` on the photo as it is.
    Target: hoso >= 90 %, every photo found.
(b) Stamped pages (round red and blue seals, ĐẾN stamps, HỎA TỐC, blue pen; every third a bilevel scan with
    the stamps laid over in colour; 100, 150 or 200 dpi): recall with the stamp stage, without it
    (`remove_seals=False`), raw tesseract; and the same pages without stamps (generated scans).
    Targets: the grayscale scans (150-200 dpi) >= 98 %, the bilevel ones reported; stamped pages at most 2
    points below the same pages unstamped.
(c) Real pages (../shared/data/real-vn, none tuned on): recall per page with and without the stamp stage.
    Reported; the overall real-vn target belongs to the reading of marks (bench/real_vn.py).
(d) CPU (time.process_time) of `analyse_geometry` and `process_page` on nine fixed pages (six generated
    scans of family a at 300 dpi, three real pages), here and in the project as it was at commit 33718ea
    (before this work; unpacked with `git archive` under bench/out), timed in turn in subprocesses, each
    page's best of 6; and what looking for a photo costs a real scan. Target: page stage within +15 %.
Word recall is `bench.common.word_recall` (the multiset of truth words found, punctuation at the ends off).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SHARED, VENV_PY, Verdicts, load_synth, out_dir, print_table, run, timed, word_recall
from pipeline import photo, raster
from pipeline.ocr import OcrEngine
from pipeline.page import process_page
from schemas.settings import PipelineSettings

SETTINGS = PipelineSettings()
NO_STAMPS = PipelineSettings(remove_seals=False)
SEED_PHOTO = 16100
SEED_STAMP = 16400  # 16200-16217 were looked at once (the diploma frame, see seal.py): no longer held out
PHOTO_TARGET = 0.90
SCAN_TARGET = 0.98
STAMP_LOSS = 0.02
CPU_MAX = 1.15
REAL = SHARED / "real-vn"
BASE_COMMIT = "33718ea"  # the commit before this work
CPU_ROUNDS = 2  # each tree timed this many times, in turn, each page's best of 3 kept
STAMP_SETS = (
    ("den", "seal_blue"),
    ("hoa_toc", "handwriting"),
    ("den_red", "seal"),
    ("den", "handwriting", "seal"),
    ("seal_blue",),
    ("den",),
)


def image_of(page) -> raster.PageImage:  # type: ignore[no-untyped-def]
    return raster.PageImage(pixels=np.asarray(page.image), dpi=int(page.dpi), dpi_stated=True)


def raw_tesseract(pixels: np.ndarray) -> str:
    """`tesseract -l vie` on the image as it is (PNG), one thread."""
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        bgr = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR) if pixels.ndim == 3 else pixels
        cv2.imwrite(f.name, bgr)
        return run(["tesseract", f.name, "-", "-l", "vie"], env={"OMP_THREAD_LIMIT": "1"}).stdout


def family_b_types(synth) -> list[str]:  # type: ignore[no-untyped-def]
    return [t for t in synth.DOC_TYPES if t in synth.variants("b") and t != "cccd"]


def run_photos(quick: bool, engine: OcrEngine, verdicts: Verdicts) -> None:
    synth = load_synth(("make_page", "DOC_TYPES"))
    types = family_b_types(synth)
    rng = np.random.default_rng(SEED_PHOTO)
    n = 3 if quick else 12
    rows, found, ours, raws = [], [], [0, 0], [0, 0]
    for k in range(n):
        t = types[k % len(types)]
        skew = round(float(rng.uniform(-5.0, 5.0)), 2)
        page = synth.make_page(t, seed=SEED_PHOTO + k, dpi=200, skew_deg=skew, photo=True, thumb=k % 2 == 0, family="b")
        result = process_page(image_of(page), SETTINGS, engine)
        r, f, total = word_recall(page.words, result.ocr.text)
        rr, fr, _ = word_recall(page.words, raw_tesseract(np.asarray(page.image)))
        found.append(result.photo)
        ours[0] += f
        ours[1] += total
        raws[0] += fr
        raws[1] += total
        rows.append([f"{t} #{k}", "thumb" if k % 2 == 0 else "", result.photo, skew, result.skew_deg, r, rr, total])
    mine, theirs = ours[0] / ours[1], raws[0] / raws[1]
    rows.append(["all", "", f"{sum(found)}/{n}", "", "", mine, theirs, ours[1]])
    print_table(
        f"(a) Phone photos, family b ({n} pages, 200 dpi)",
        ["page", "", "photo found", "skew", "hoso skew", "hoso recall", "raw recall", "words"],
        rows,
        3,
    )
    verdicts.add(
        "phone photos: hoso recall",
        mine >= PHOTO_TARGET,
        f"{mine:.1%} (raw tesseract {theirs:.1%}; target >= {PHOTO_TARGET:.0%})",
    )
    verdicts.add("phone photos found", all(found), f"{sum(found)}/{n}")


def run_stamps(quick: bool, engine: OcrEngine, verdicts: Verdicts) -> None:
    synth = load_synth(("make_page", "DOC_TYPES"))
    types = family_b_types(synth)
    n = 4 if quick else 18
    rows = []
    sums = {key: [0, 0] for key in ("hoso", "no stage", "raw", "unstamped")}
    scans = {False: [0, 0], True: [0, 0]}  # the unstamped pages: grayscale scans, bilevel ones
    scan_photo = 0
    for k in range(n):
        t = types[k % len(types)]
        stamps = STAMP_SETS[k % len(STAMP_SETS)]
        dpi = (200, 150, 100, 200, 150, 200)[k % 6]
        bilevel = k % 3 == 2
        seed = SEED_STAMP + k
        page = synth.make_page(t, seed=seed, dpi=dpi, stamps=stamps, bilevel=bilevel, family="b")
        clean = synth.make_page(t, seed=seed, dpi=dpi, bilevel=bilevel, family="b")
        lifted = process_page(image_of(page), SETTINGS, engine)
        kept = process_page(image_of(page), NO_STAMPS, engine)
        scan = process_page(image_of(clean), SETTINGS, engine)
        scan_photo += scan.photo + lifted.photo
        readings = {
            "hoso": lifted.ocr.text,
            "no stage": kept.ocr.text,
            "raw": raw_tesseract(np.asarray(page.image)),
            "unstamped": scan.ocr.text,
        }
        row: list[object] = [f"{t} #{k}", "+".join(stamps), f"{dpi}{' bilevel' if bilevel else ''}", lifted.seals]
        for key, text in readings.items():
            r, f, total = word_recall(page.words, text)
            sums[key][0] += f
            sums[key][1] += total
            row.append(r)
            if key == "unstamped":
                scans[bilevel][0] += f
                scans[bilevel][1] += total
        rows.append(row)
    totals = {key: f / max(total, 1) for key, (f, total) in sums.items()}
    rows.append(["all", "", "", "", *totals.values()])
    print_table(
        f"(b) Stamped pages and the same pages unstamped, family b ({n} pages)",
        ["page", "stamps", "dpi", "lifted", "hoso", "no stamp stage", "raw", "unstamped (hoso)"],
        rows,
        3,
    )
    gray, bw = (f / max(total, 1) for f, total in (scans[False], scans[True]))
    verdicts.add(
        "generated scans (unstamped, 150-200 dpi): hoso recall",
        gray >= SCAN_TARGET,
        f"{gray:.1%} (target >= {SCAN_TARGET:.0%}); bilevel 100-200 dpi ones {bw:.1%} (reported: the reading of "
        "marks and the reading size are another part of issue 16)",
    )
    verdicts.add(
        "stamped pages: hoso recall",
        totals["hoso"] >= totals["unstamped"] - STAMP_LOSS,
        f"{totals['hoso']:.1%} against {totals['unstamped']:.1%} unstamped, {totals['no stage']:.1%} "
        f"without the stamp stage, raw {totals['raw']:.1%} (target: at most {STAMP_LOSS:.0%} below "
        "unstamped)",
    )
    verdicts.add("no scan taken for a photo", scan_photo == 0, f"{scan_photo} of {2 * n} readings")


def real_pages() -> list[tuple[str, raster.PageImage, list[str]]]:
    out = []
    for pdf in sorted(REAL.glob("*.pdf")):
        info = raster.inspect(pdf, SETTINGS)
        image = raster.load_page(pdf, info.kind, 0, SETTINGS)
        words = pdf.with_suffix("").with_suffix(".gt.txt").read_text(encoding="utf-8").split()
        out.append((pdf.stem, image, words))
    return out


def run_real(engine: OcrEngine, verdicts: Verdicts) -> None:
    if not REAL.is_dir():
        print(f"(c) skipped: {REAL} is absent")
        return
    rows = []
    sums = [0, 0, 0]
    photos = 0
    for name, image, words in real_pages():
        with_stage = process_page(image, SETTINGS, engine)
        without = process_page(image, NO_STAMPS, engine)
        r1, f1, total = word_recall(words, with_stage.ocr.text)
        r0, f0, _ = word_recall(words, without.ocr.text)
        photos += with_stage.photo
        sums[0] += f1
        sums[1] += f0
        sums[2] += total
        rows.append([name, with_stage.seals, r0, r1, f1 - f0, total])
    rows.append(["all", "", sums[1] / sums[2], sums[0] / sums[2], sums[0] - sums[1], sums[2]])
    print_table(
        "(c) Real pages (real-vn): recall without and with the stamp stage",
        ["page", "marks lifted", "without", "with", "words gained", "words"],
        rows,
        3,
    )
    print(
        "note: these copies of the real pages carry almost no colour (the seals and stamps are gray in them; "
        "only tt_37_bca_vehicle has blue ink, its handwritten number and date, which are text and kept)."
    )
    verdicts.add("real-vn: no page taken for a photo", photos == 0, f"{photos} of {len(rows) - 1}")
    verdicts.add(
        "real-vn: the stamp stage loses no words",
        sums[0] >= sums[1],
        f"{sums[1] / sums[2]:.1%} -> {sums[0] / sums[2]:.1%}",
    )


PROBE = """
import json, sys, time
import numpy as np
from pathlib import Path
import synth
from pipeline import raster
from pipeline.ocr import OcrEngine
from pipeline.page import analyse_geometry, process_page
from schemas.settings import PipelineSettings

settings = PipelineSettings()
engine = OcrEngine(settings.lang, settings.tessdata)
pages = []
for i, t in enumerate(["application_form", "birth_certificate", "land_use_certificate", "other", "cccd", "diploma"]):
    page = synth.make_page(t, seed=9100 + i, dpi=300, skew_deg=(-1) ** i * (0.5 + i * 0.7))
    pages.append((t, raster.PageImage(pixels=np.asarray(page.image), dpi=300, dpi_stated=True)))
for path in sys.argv[2:]:
    info = raster.inspect(Path(path), settings)
    pages.append((Path(path).stem, raster.load_page(Path(path), info.kind, 0, settings)))


def best(fn):
    times = []
    for _ in range(3):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


out = {}
for name, image in pages:
    out[name] = [best(lambda: analyse_geometry(image.pixels, image.dpi, settings)),
                 best(lambda: process_page(image, settings, engine))]
Path(sys.argv[1]).write_text(json.dumps(out))
"""


def _tree_before() -> Path:
    """The project as it was at BASE_COMMIT, unpacked once under bench/out (its own synth makes the same
    pages: the generator's new options are off by default)."""
    tree = out_dir("photos", f"tree-{BASE_COMMIT}")
    if not (tree / "pipeline" / "page.py").exists():
        archive = tree.parent / "tree.tar"
        run(["git", "-C", ROOT, "archive", "-o", archive, BASE_COMMIT])
        run(["tar", "-xf", archive, "-C", tree])
        archive.unlink()
    return tree


def _probe(tree: Path, pages: list[Path], out: Path) -> dict[str, list[float]]:
    script = out.parent / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    run([VENV_PY, script, out, *pages], env={"PYTHONPATH": str(tree), "OMP_THREAD_LIMIT": "1"})
    return json.loads(out.read_text(encoding="utf-8"))


def run_cpu(verdicts: Verdicts) -> None:
    real = [REAL / f"{name}.pdf" for name in ("qd_729_ttg", "cv_3722_metro", "tt_37_bca_vehicle")]
    real = [p for p in real if p.exists()]
    before_tree = _tree_before()
    work = out_dir("photos")
    before: dict[str, list[float]] = {}
    now: dict[str, list[float]] = {}
    # In turn, so that the others' load on the shared cores falls on both alike; each page's best kept.
    for k in range(CPU_ROUNDS):
        for tree, best in ((before_tree, before), (ROOT, now)):
            for name, (geo, page) in _probe(tree, real, work / f"cpu-{tree.name}-{k}.json").items():
                old = best.get(name, [float("inf"), float("inf")])
                best[name] = [min(old[0], geo), min(old[1], page)]
    looks = []
    for path in real:
        info = raster.inspect(path, SETTINGS)
        image = raster.load_page(path, info.kind, 0, SETTINGS)
        looks.append(min(_cpu(lambda image=image: photo.find_sheet(image.pixels)) for _ in range(3)))
    rows = [[name, before[name][0] * 1000, now[name][0] * 1000, before[name][1], now[name][1]] for name in now]
    mean = [float(np.mean([v[i] for v in d.values()])) for d, i in ((before, 0), (now, 0), (before, 1), (now, 1))]
    rows.append(["mean", mean[0] * 1000, mean[1] * 1000, mean[2], mean[3]])
    print_table(
        f"(d) CPU per page, best of {3 * CPU_ROUNDS} (geometry in ms, page stage in s): {BASE_COMMIT} and now",
        ["page", "geometry before", "geometry now", "page before", "page now"],
        rows,
        3,
    )
    ratio = mean[3] / mean[2]
    verdicts.add("CPU per page", ratio <= CPU_MAX, f"x{ratio:.3f} of before (target <= x{CPU_MAX})")
    verdicts.add(
        "a real scan's look for a photo", max(looks) <= 0.005, f"max {max(looks) * 1000:.1f} ms (target <= 5 ms)"
    )


def _cpu(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.process_time()
    fn()
    return time.process_time() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a few pages of each")
    ap.add_argument("--only", choices=("photos", "stamps", "real", "cpu"), help="run one part only")
    args = ap.parse_args()
    engine = OcrEngine(SETTINGS.lang, SETTINGS.tessdata)
    verdicts = Verdicts()
    with timed() as t:
        if args.only in (None, "photos"):
            run_photos(args.quick, engine, verdicts)
        if args.only in (None, "stamps"):
            run_stamps(args.quick, engine, verdicts)
        if args.only in (None, "real"):
            run_real(engine, verdicts)
        if args.only in (None, "cpu"):
            run_cpu(verdicts)
    verdicts.summary()
    print(f"\n{t.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
