"""OCR word recall of hoso vs OCRmyPDF on generated, skewed Vietnamese pages.

    python bench/ocr_recall.py [--quick]

Generates 8 pages (3 with --quick): doc types in turn, skew uniform in ±5° (fixed seed), red seals,
scan defects, written to one PDF with synth.write_pdf. Then:

- hoso:     hoso process in.pdf --json out.json --data-dir <fresh dir>        (text of each page)
- OCRmyPDF: ocrmypdf --deskew --rotate-pages -l vie --output-type pdf --sidecar out.txt in.pdf out.pdf
            (the sidecar's text, split into pages on form feed)

Word recall = the share of the ground-truth words (NFC, case kept, end punctuation stripped) found in
the page's OCR text, counted as a multiset. Target: hoso's mean recall >= OCRmyPDF's.

OCRmyPDF is installed when missing: into its own venv bench/.venv-ocrmypdf (made with the project's
Python), and the Debian packages ghostscript and unpaper with apt-get.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BENCH,
    ROOT,
    VENV_BIN,
    VENV_PY,
    Verdicts,
    cer,
    fresh_dir,
    load_synth,
    print_table,
    run,
    timed,
    word_recall,
)

OCRMYPDF_VENV = BENCH / ".venv-ocrmypdf"
OCRMYPDF = OCRMYPDF_VENV / "bin" / "ocrmypdf"
SEED = 5150


def ensure_ocrmypdf() -> Path:
    """OCRmyPDF in bench/.venv-ocrmypdf, and the system programs it calls."""
    missing = [pkg for pkg, exe in (("ghostscript", "gs"), ("unpaper", "unpaper")) if shutil.which(exe) is None]
    if missing:
        print(f"[bench] apt-get install {' '.join(missing)}", flush=True)
        run(["apt-get", "update", "-q"])
        run(["apt-get", "install", "-y", "-q", *missing], env={"DEBIAN_FRONTEND": "noninteractive"})
    if not OCRMYPDF.exists():
        print("[bench] creating bench/.venv-ocrmypdf and installing ocrmypdf", flush=True)
        if not (OCRMYPDF_VENV / "bin" / "python").exists():
            run([VENV_PY, "-m", "venv", OCRMYPDF_VENV])
        run([OCRMYPDF_VENV / "bin" / "pip", "install", "-q", "ocrmypdf"])
    return OCRMYPDF


def make_pages(n: int) -> list:
    synth = load_synth()
    types = list(synth.DOC_TYPES)
    rng = np.random.default_rng(SEED)
    pages = []
    for i in range(n):
        skew = round(float(rng.uniform(-5.0, 5.0)), 2)
        pages.append(
            synth.make_page(types[i % len(types)], seed=SEED + i, dpi=300, skew_deg=skew, seal=True, defects="scan")
        )
    return pages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 pages instead of 8")
    ap.add_argument("--install-only", action="store_true", help="only install OCRmyPDF and exit")
    args = ap.parse_args()
    ocrmypdf = ensure_ocrmypdf()
    ver = run([ocrmypdf, "--version"]).stdout.strip()
    print(f"OCRmyPDF {ver}; hoso at {ROOT}")
    if args.install_only:
        return 0

    n = 3 if args.quick else 8
    work = fresh_dir("recall")
    with timed() as t:
        pages = make_pages(n)
    pdf = work / "in.pdf"
    load_synth().write_pdf(pages, pdf, jpeg_quality=85)
    print(f"generated {n} pages in {t.seconds:.1f} s -> {pdf.relative_to(ROOT)}")

    # hoso
    data = work / "hoso-data"
    out_json = work / "hoso.json"
    with timed() as t_hoso:
        res = run([VENV_BIN / "hoso", "process", pdf, "--json", out_json, "--data-dir", data, "--no-progress"],
                  check=False)
    if res.returncode != 0:
        print(f"hoso exited {res.returncode}: {res.stderr.strip()[-2000:]}")
    record = json.loads(out_json.read_text(encoding="utf-8")) if out_json.exists() else {"pages": []}
    hoso_pages = {p["number"]: p for p in record["pages"]}

    # OCRmyPDF
    sidecar = work / "ocrmypdf.txt"
    with timed() as t_omp:
        res = run([ocrmypdf, "--deskew", "--rotate-pages", "-l", "vie", "--output-type", "pdf",
                   "--sidecar", sidecar, pdf, work / "ocrmypdf.pdf"], check=False)
    if res.returncode != 0:
        print(f"ocrmypdf exited {res.returncode}: {res.stderr.strip()[-2000:]}")
    omp_texts = sidecar.read_text(encoding="utf-8").split("\f") if sidecar.exists() else []

    rows = []
    rec_h, rec_o, cer_h, cer_o = [], [], [], []
    for i, page in enumerate(pages, start=1):
        hp = hoso_pages.get(i, {})
        h_text = hp.get("text", "")
        o_text = omp_texts[i - 1] if i - 1 < len(omp_texts) else ""
        rh, _fh, total = word_recall(page.words, h_text)
        ro, _fo, _ = word_recall(page.words, o_text)
        ch, co = cer(page.lines, h_text), cer(page.lines, o_text)
        rec_h.append(rh)
        rec_o.append(ro)
        cer_h.append(ch)
        cer_o.append(co)
        rows.append([i, page.doc_type, page.skew_deg, hp.get("skew_deg"), hp.get("rotation"), total,
                     f"{100 * rh:.1f}", f"{100 * ro:.1f}", f"{100 * ch:.1f}", f"{100 * co:.1f}"])
    rows.append(["mean", "", "", "", "", "", f"{100 * np.mean(rec_h):.1f}", f"{100 * np.mean(rec_o):.1f}",
                 f"{100 * np.mean(cer_h):.1f}", f"{100 * np.mean(cer_o):.1f}"])
    print_table(
        f"Word recall, % (skew ±5°, seal, scan defects; {n} pages)",
        ["page", "doc_type", "skew", "hoso skew", "hoso rot", "words", "hoso rec", "ocrmypdf rec",
         "hoso CER", "ocrmypdf CER"],
        rows,
    )
    print("CER: edit distance of the white-space-folded texts / truth length; it also counts reading-order "
          "differences (blocks side by side), so read it as a rough figure.")
    print(f"wall time: hoso {t_hoso.seconds:.1f} s, OCRmyPDF {t_omp.seconds:.1f} s "
          f"({n / t_hoso.seconds:.2f} vs {n / t_omp.seconds:.2f} pages/s)")
    v = Verdicts()
    v.add("recall: hoso >= OCRmyPDF", float(np.mean(rec_h)) >= float(np.mean(rec_o)),
          f"hoso {100 * np.mean(rec_h):.1f} % vs OCRmyPDF {100 * np.mean(rec_o):.1f} %")
    v.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
