"""A dossier's artifacts in object storage, written after its dossier stage, in both modes.

Beside the originals (`originals/<sha256>`) and the straightened page images
(`dossiers/<code>/pages/NNNN.jpg`, stored by the page work):

- `dossiers/<code>/ocr/NNNN.tsv`: each page's words as Tesseract TSV (pipeline/tsv.py);
- `dossiers/<code>/searchable.pdf`: the page images with an invisible text layer (pipeline/pdf.py).

Both are made from the record alone and come out byte for byte the same when made again, so writing them
twice (a repeated message, a retry) changes nothing.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.pdf import PdfPage, write_searchable_pdf
from pipeline.tsv import page_tsv
from schemas.record import Dossier
from workers.stores.objects import ObjectStore

log = logging.getLogger("hoso.artifacts")


def ocr_key(code: str, number: int) -> str:
    return f"dossiers/{code}/ocr/{number:04d}.tsv"


def pdf_key(code: str) -> str:
    return f"dossiers/{code}/searchable.pdf"


@dataclass(frozen=True)
class Artifacts:
    tsv_keys: list[str]
    pdf_key: str | None
    pdf_pages: int
    seconds: float


def write_artifacts(store: ObjectStore, dossier: Dossier) -> Artifacts:
    """Write the per-page OCR data and the searchable PDF of the dossier's pages (those with an image)."""
    t0 = time.perf_counter()
    tsv_keys = []
    for page in dossier.pages:
        tsv_key = ocr_key(dossier.code, page.number)
        store.put_bytes(tsv_key, page_tsv(page).encode("utf-8"), "text/tab-separated-values; charset=utf-8")
        tsv_keys.append(tsv_key)

    with_image = [p for p in dossier.pages if p.image_key]

    def pdf_pages() -> Iterator[PdfPage]:
        for p in with_image:  # one image in memory at a time
            assert p.image_key is not None
            yield PdfPage(jpeg=store.get_bytes(p.image_key), width=p.width, height=p.height, dpi=p.dpi, words=p.words)

    key: str | None = None
    count = 0
    if with_image:
        key = pdf_key(dossier.code)
        with tempfile.TemporaryDirectory(prefix="hoso-pdf-") as tmp:
            path = Path(tmp) / "searchable.pdf"
            with path.open("wb") as out:
                count = write_searchable_pdf(pdf_pages(), out)
            store.put_file(key, path, "application/pdf")
    seconds = time.perf_counter() - t0
    log.info(
        "artifacts written",
        extra={"dossier": dossier.code, "stage": "artifacts", "pages": count, "seconds": round(seconds, 3)},
    )
    return Artifacts(tsv_keys=tsv_keys, pdf_key=key, pdf_pages=count, seconds=seconds)
