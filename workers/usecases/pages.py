"""The work on one page, shared by the embedded runner and the cluster's OCR actor.

Takes ids and object keys (a `PageTask`), reads the original from object storage, runs the pipeline,
stores the straightened page image and returns the page's record. Safe to run twice for the same page.

`read_page` is the part that needs only the file and the pipeline (no records, no store): `hoso process`
runs it in a process of its own on a one-page scan while the records are being opened (workers/runners/head_start.py),
so this module imports nothing of the record database or pydantic at import time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from pipeline import raster
from pipeline.ocr import OcrEngine, OcrResult, PageReader
from pipeline.page import PageResult, process_page
from schemas.settings import PipelineSettings
from workers.stores.objects import ObjectStore, make_store, original_key, page_image_key

if TYPE_CHECKING:
    from schemas.record import Page
    from workers.settings import Settings
    from workers.stores.records import PageTask

log = logging.getLogger("hoso.page")

_JPEG_QUALITY = 85


@dataclass(frozen=True)
class PageOutcome:
    page: Page
    timings: dict[str, float]


@dataclass(frozen=True)
class PageRead:
    """A page read by the pipeline: what its record takes from the decoded image and the result, and the
    straightened page as the JPEG to store. No pixels: small enough to hand from one process to another."""

    dpi: int
    dpi_stated: bool
    width: int
    height: int
    rotation: int
    skew_deg: float
    blank: bool
    separator_code: str | None
    ocr: OcrResult
    photo: bool
    jpeg: bytes
    timings: dict[str, float]
    separator_procedure: str | None = None

    @classmethod
    def of(cls, image: raster.PageImage, result: PageResult, jpeg: bytes, timings: dict[str, float]) -> PageRead:
        # A photo's file states no useful resolution (or 72): the record takes the straightened sheet's, so
        # that the searchable PDF has the sheet's size.
        return cls(
            dpi=result.sheet_dpi or image.dpi,
            dpi_stated=image.dpi_stated and not result.photo,
            width=result.width,
            height=result.height,
            rotation=result.rotation,
            skew_deg=result.skew_deg,
            blank=result.blank,
            separator_code=result.separator_code,
            separator_procedure=result.separator_procedure,
            ocr=result.ocr,
            photo=result.photo,
            jpeg=jpeg,
            timings=timings,
        )


def encode_jpeg(pixels: np.ndarray) -> bytes:
    img = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR) if pixels.ndim == 3 else pixels
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def read_page(
    path: Path, kind: str, index: int, settings: PipelineSettings, engine: Callable[[], PageReader], *, name: str
) -> PageRead:
    """Page `index` (0-based) of the file through the pipeline, its straightened image encoded. `engine` is
    asked for the OCR engine once the page is decoded (it may still be loading meanwhile)."""
    t0 = time.perf_counter()
    image = raster.load_page(path, kind, index, settings, name=name)  # type: ignore[arg-type]
    t_load = time.perf_counter() - t0
    result = process_page(image, settings, engine())
    t = time.perf_counter()
    jpeg = encode_jpeg(result.image)
    return PageRead.of(image, result, jpeg, {"load": t_load, **result.timings, "encode": time.perf_counter() - t})


def record_of(task: PageTask, read: PageRead, image_key: str) -> Page:
    from schemas.record import Page, PageSource, Word

    return Page(
        number=task.number,
        source=PageSource(file=task.file_name, page=task.source_page),
        sha256=task.sha256,
        width=read.width,
        height=read.height,
        dpi=read.dpi,
        dpi_stated=read.dpi_stated,
        rotation=read.rotation,
        skew_deg=read.skew_deg,
        blank=read.blank,
        photo=read.photo,
        separator=read.separator_code is not None,
        separator_code=read.separator_code,
        separator_procedure=read.separator_procedure,
        text=read.ocr.text,
        confidence=read.ocr.confidence,
        words=[
            Word(
                text=w.text,
                conf=round(w.conf, 2),
                box=list(w.box),
                line=w.line,
                block=w.block,
                read_as=w.read_as,
                read_conf=None if w.read_conf is None else round(w.read_conf, 2),
            )
            for w in read.ocr.words
        ],
        image_key=image_key,
    )


def page_record(task: PageTask, image: raster.PageImage, result: PageResult, image_key: str) -> Page:
    """The page's record from the decoded image and the pipeline's result."""
    return record_of(task, PageRead.of(image, result, b"", {}), image_key)


class PageWorker:
    """Holds what a worker process loads once: the OCR engine and the object store."""

    def __init__(self, settings: Settings, store: ObjectStore | None = None) -> None:
        self.settings = settings
        self.store = store or make_store(settings)
        self._engine: OcrEngine | None = None

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            pipe = self.settings.pipeline
            self._engine = OcrEngine(pipe.lang, pipe.tessdata, rescore_marks=pipe.rescore_marks)
        return self._engine

    def run(self, task: PageTask) -> PageOutcome:
        path = self.store.local_path(original_key(task.sha256))
        read = read_page(
            path, task.kind, task.source_page - 1, self.settings.pipeline, lambda: self.engine, name=task.file_name
        )
        return self.finish(task, read)

    def finish(self, task: PageTask, read: PageRead) -> PageOutcome:
        """Store the page's image and return its record (`read`: the page read here or by another process)."""
        t = time.perf_counter()
        key = page_image_key(task.code, task.number)
        self.store.put_bytes(key, read.jpeg, "image/jpeg")
        timings = {**read.timings, "store": time.perf_counter() - t + read.timings.get("encode", 0.0)}
        timings.pop("encode", None)
        log.info(
            "page done",
            extra={
                "dossier": task.code,
                "page": task.number,
                "stage": "page",
                "seconds": round(sum(timings.values()), 3),
            },
        )
        return PageOutcome(page=record_of(task, read, key), timings=timings)
