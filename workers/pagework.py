"""The work on one page, shared by the embedded runner and the cluster's OCR actor.

Takes ids and object keys (a `PageTask`), reads the original from object storage, runs the pipeline,
stores the straightened page image and returns the page's record. Safe to run twice for the same page.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline import raster
from pipeline.ocr import OcrEngine
from pipeline.page import PageResult, process_page
from schemas.record import Page, PageSource, Word
from workers.records import PageTask
from workers.settings import Settings
from workers.storage import ObjectStore, make_store, original_key, page_image_key

log = logging.getLogger("hoso.page")

_JPEG_QUALITY = 85


@dataclass(frozen=True)
class PageOutcome:
    page: Page
    timings: dict[str, float]


def encode_jpeg(pixels: np.ndarray) -> bytes:
    img = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR) if pixels.ndim == 3 else pixels
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def page_record(task: PageTask, image: raster.PageImage, result: PageResult, image_key: str) -> Page:
    return Page(
        number=task.number,
        source=PageSource(file=task.file_name, page=task.source_page),
        sha256=task.sha256,
        width=result.width,
        height=result.height,
        dpi=image.dpi,
        dpi_stated=image.dpi_stated,
        rotation=result.rotation,
        skew_deg=result.skew_deg,
        blank=result.blank,
        separator=result.separator_code is not None,
        separator_code=result.separator_code,
        text=result.ocr.text,
        confidence=result.ocr.confidence,
        words=[
            Word(text=w.text, conf=round(w.conf, 2), box=list(w.box), line=w.line, block=w.block)
            for w in result.ocr.words
        ],
        image_key=image_key,
    )


class PageWorker:
    """Holds what a worker process loads once: the OCR engine and the object store."""

    def __init__(self, settings: Settings, store: ObjectStore | None = None) -> None:
        self.settings = settings
        self.store = store or make_store(settings)
        self._engine: OcrEngine | None = None

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = OcrEngine(self.settings.pipeline.lang, self.settings.pipeline.tessdata)
        return self._engine

    def run(self, task: PageTask) -> PageOutcome:
        t0 = time.perf_counter()
        path = self.store.local_path(original_key(task.sha256))
        image = raster.load_page(
            path,
            task.kind,  # type: ignore[arg-type]
            task.source_page - 1,
            self.settings.pipeline,
            name=task.file_name,
        )
        t_load = time.perf_counter() - t0
        result = process_page(image, self.settings.pipeline, self.engine)
        t = time.perf_counter()
        key = page_image_key(task.code, task.number)
        self.store.put_bytes(key, encode_jpeg(result.image), "image/jpeg")
        timings = {"load": t_load, **result.timings, "store": time.perf_counter() - t}
        log.info(
            "page done",
            extra={
                "dossier": task.code,
                "page": task.number,
                "stage": "page",
                "seconds": round(sum(timings.values()), 3),
            },
        )
        return PageOutcome(page=page_record(task, image, result, key), timings=timings)
