"""Writing pages out: PDF (one JPEG image per page), multi-page TIFF, one image file per page, truth JSON."""

from __future__ import annotations

import io as _io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, TiffImagePlugin

from .model import GeneratedDossier, GeneratedPage


def _is_gray(img: Image.Image) -> bool:
    if img.mode == "L":
        return True
    arr = np.asarray(img)[::7, ::7]
    return bool((arr[..., 0] == arr[..., 1]).all() and (arr[..., 1] == arr[..., 2]).all())


def write_pdf(pages: Sequence[GeneratedPage], path: str | Path, *, jpeg_quality: int = 85) -> None:
    """A PDF with one page per image, each at its own dpi (JPEG-compressed; gray pages as gray JPEG)."""
    if not pages:
        raise ValueError("no pages to write")
    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    kids = []
    for page in pages:
        img = page.image
        gray = _is_gray(img)
        if gray:
            img = img.convert("L")
        elif img.mode != "RGB":
            img = img.convert("RGB")
        buf = _io.BytesIO()
        img.save(buf, "JPEG", quality=jpeg_quality, dpi=(page.dpi, page.dpi))
        data = buf.getvalue()
        space = b"/DeviceGray" if gray else b"/DeviceRGB"
        image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
                    b"/Filter /DCTDecode /Length %d >>\nstream\n" % (img.width, img.height, space, len(data))
                    + data + b"\nendstream")
        w_pt = img.width * 72.0 / page.dpi
        h_pt = img.height * 72.0 / page.dpi
        content = b"q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.4f %.4f] /Resources << /XObject << "
                        b"/Im0 %d 0 R >> >> /Contents %d 0 R >>" % (tree, w_pt, h_pt, image, stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                         + b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    Path(path).write_bytes(bytes(out))


def write_tiff(pages: Sequence[GeneratedPage], path: str | Path, *, compression: str = "tiff_lzw") -> None:
    """A multi-page TIFF, each page with its own dpi; gray pages are stored as gray."""
    if not pages:
        raise ValueError("no pages to write")
    with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tf:
        for page in pages:
            img = page.image.convert("L") if _is_gray(page.image) else page.image
            img.save(tf, format="TIFF", dpi=(page.dpi, page.dpi), compression=compression)
            tf.newFrame()


def write_images(pages: Sequence[GeneratedPage], folder: str | Path, *, fmt: str = "jpeg", prefix: str = "page",
                 jpeg_quality: int = 90) -> list[Path]:
    """One file per page (``page-0001.jpg`` …, sorted in page order) with the dpi set."""
    if fmt not in ("jpeg", "png"):
        raise ValueError(f"fmt must be 'jpeg' or 'png', not {fmt!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ext = "jpg" if fmt == "jpeg" else "png"
    paths = []
    for i, page in enumerate(pages, start=1):
        target = folder / f"{prefix}-{i:04d}.{ext}"
        img = page.image.convert("L") if _is_gray(page.image) else page.image
        if fmt == "jpeg":
            img.save(target, "JPEG", quality=jpeg_quality, dpi=(page.dpi, page.dpi))
        else:
            img.save(target, "PNG", dpi=(page.dpi, page.dpi))
        paths.append(target)
    return paths


def page_truth(page: GeneratedPage, index: int) -> dict[str, Any]:
    return {"index": index, "dpi": page.dpi, "skew_deg": page.skew_deg, "rotation": page.rotation,
            "doc_type": page.doc_type, "doc_index": page.doc_index, "blank": page.blank,
            "separator": page.separator, "qr_text": page.qr_text, "lines": list(page.lines)}


def dossier_truth(dossier: GeneratedDossier, files: Sequence[str] = ()) -> dict[str, Any]:
    """The ground truth of a dossier as plain JSON-ready data."""
    pages = [page_truth(p, i) for i, p in enumerate(dossier.pages)]
    if files:
        for entry, name in zip(pages, files, strict=False):
            entry["file"] = name
    return {
        "code": dossier.code,
        "files": list(dict.fromkeys(files)) if files else [],
        "pages": pages,
        "documents": [{"doc_type": d.doc_type, "page_indexes": list(d.page_indexes),
                       "fields": {f.key: f.value for f in d.fields}} for d in dossier.documents],
    }


def write_truth(dossier: GeneratedDossier, path: str | Path, files: Sequence[str] = ()) -> None:
    Path(path).write_text(json.dumps(dossier_truth(dossier, files), ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
