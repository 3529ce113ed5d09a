"""Command line: ``python -m synth dossier --seed 7 --out DIR [--format pdf|tiff|jpeg|png]``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .generate import DOC_TYPES, FAMILIES, PAGE_TYPES, make_dossier, make_page
from .io import write_images, write_pdf, write_tiff, write_truth


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dossier", help="write a synthetic scanned dossier and its truth.json")
    d.add_argument("--seed", type=int, required=True)
    d.add_argument("--out", type=Path, required=True, help="output folder")
    d.add_argument("--format", choices=("pdf", "tiff", "jpeg", "png"), default="pdf")
    d.add_argument("--documents", type=int, default=None, help="number of documents (default: the procedure's)")
    d.add_argument("--types", default=None, help=f"comma-separated document types from {DOC_TYPES}")
    d.add_argument("--max-skew", type=float, default=3.0)
    d.add_argument("--rotations", type=_ints, default=[0], help="e.g. 0,90,180,270")
    d.add_argument("--dpi", type=int, default=300)
    d.add_argument("--blank-backs", action="store_true")
    d.add_argument("--receipt", action="store_true", help="put the receipt sheet with the QR code first")
    d.add_argument("--variants", type=_ints, default=None)
    d.add_argument("--fonts", default=None, help="comma-separated font names")
    d.add_argument("--family", choices=FAMILIES, default="a", help="layout family (b, c, d: written apart)")
    p = sub.add_parser("page", help="write one page image")
    p.add_argument("type", choices=PAGE_TYPES)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", type=Path, required=True, help="image file (.png or .jpg)")
    p.add_argument("--dpi", type=int, default=300)
    p.add_argument("--skew", type=float, default=0.0)
    p.add_argument("--rotation", type=int, default=0)
    p.add_argument("--defects", choices=("none", "scan", "photocopy"), default="scan")
    p.add_argument("--variant", type=int, default=None)
    p.add_argument("--font", default=None)
    p.add_argument("--page", type=int, default=0)
    p.add_argument("--family", choices=FAMILIES, default="a", help="layout family (b, c, d: written apart)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    if args.command == "page":
        page = make_page(args.type, seed=args.seed, dpi=args.dpi, skew_deg=args.skew, rotation=args.rotation,
                         defects=args.defects, variant=args.variant, font=args.font, page=args.page,
                         family=args.family)
        page.image.save(args.out, dpi=(page.dpi, page.dpi))
        print("\n".join(page.lines))
        return 0

    dossier = make_dossier(args.seed, n_documents=args.documents,
                           doc_types=args.types.split(",") if args.types else None, dpi=args.dpi,
                           max_skew=args.max_skew, rotations=args.rotations, blank_backs=args.blank_backs,
                           receipt=args.receipt, variants=args.variants,
                           fonts=args.fonts.split(",") if args.fonts else None, family=args.family)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    stem = f"dossier-{args.seed}"
    if args.format == "pdf":
        write_pdf(dossier.pages, out / f"{stem}.pdf")
        files = [f"{stem}.pdf"] * len(dossier.pages)
    elif args.format == "tiff":
        write_tiff(dossier.pages, out / f"{stem}.tif")
        files = [f"{stem}.tif"] * len(dossier.pages)
    else:
        files = [p.name for p in write_images(dossier.pages, out, fmt=args.format, prefix=stem)]
    write_truth(dossier, out / "truth.json", files)
    print(f"{len(dossier.pages)} pages, {len(dossier.documents)} documents, code {dossier.code} -> {out} "
          f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
