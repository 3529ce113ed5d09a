"""One page through its stages: phone photo flattened → blank → quarter turn → skew → straighten → reading
size → seals → background → leaders → which way up → OCR → receipt sheet (QR)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from pipeline import deskew, photo
from pipeline.background import flatten
from pipeline.blank import is_blank
from pipeline.leaders import remove_leaders
from pipeline.ocr import EMPTY, OcrResult, PageReader
from pipeline.orient import (
    is_upside_down,
    known_words,
    line_axis,
    looks_misread,
    rotate_quarter,
    upside_down_by_shape,
)
from pipeline.print_size import (
    LOW_DPI,
    is_bilevel,
    line_height,
    reading_scale,
    resize,
    small_print_factor,
    to_page,
)
from pipeline.raster import PageImage
from pipeline.seal import gray_for_ocr
from pipeline.separators import qr_procedure, read_qr, separator_code
from schemas.settings import PipelineSettings

_SKEW_DPI = 150
_COARSE_DPI = 50


@dataclass(frozen=True)
class PageResult:
    rotation: int
    skew_deg: float
    blank: bool
    image: np.ndarray  # the straightened page (RGB or gray), what word boxes refer to
    ocr: OcrResult
    seals: int = 0  # seals, stamps and pen strokes over the print lifted out before OCR
    photo: bool = False  # a phone photo of the sheet, its perspective and light undone first
    sheet_dpi: int = 0  # a photo's: the resolution of the straightened sheet, taking it for A4 (else 0)
    separator_code: str | None = None  # the dossier code when the page is a receipt sheet
    separator_procedure: str | None = None  # the procedure key its QR carries after the code ("CODE|KEY")
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def width(self) -> int:
        return int(self.image.shape[1])


def analyse_geometry(
    pixels: np.ndarray, dpi: int, settings: PipelineSettings
) -> tuple[bool, int, float, np.ndarray, float]:
    """Blank?, quarter turn of the lines (0 or 90), skew, the ink mask turned by that quarter, its scale."""
    small, scale = deskew.downscale(pixels, dpi, _SKEW_DPI)
    small = deskew.to_gray(small)
    if is_blank(small, settings.blank_ink_ratio):
        return True, 0, 0.0, np.zeros((1, 1), np.uint8), scale
    # On a flat background the text of photocopied cards counts as ink, not the cards' gray slabs.
    small = flatten(small, round(dpi * scale))
    coarse = cv2.resize(
        small, None, fx=_COARSE_DPI / _SKEW_DPI, fy=_COARSE_DPI / _SKEW_DPI, interpolation=cv2.INTER_AREA
    )
    coarse_mask = deskew.ink_mask(coarse)
    axis, guess = line_axis(coarse_mask, settings.max_skew_deg)
    mask = rotate_quarter(deskew.ink_mask(small), axis)
    coarse_mask = rotate_quarter(coarse_mask, axis)
    skew = deskew.estimate_skew(
        deskew.ink_points(mask, scale),
        deskew.ink_points(coarse_mask, scale * _COARSE_DPI / _SKEW_DPI),
        settings.max_skew_deg,
        guess,
    )
    return False, axis, skew, mask, scale


def process_page(page: PageImage, settings: PipelineSettings, engine: PageReader) -> PageResult:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    # A photo of a sheet on a desk becomes the sheet, flat and evenly lit, before anything else looks at it.
    sheet = photo.straighten(page.pixels)
    if sheet is not None:
        page = PageImage(pixels=sheet.pixels, dpi=sheet.dpi, dpi_stated=page.dpi_stated)
    timings["photo"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    blank, axis, skew, mask, mask_scale = analyse_geometry(page.pixels, page.dpi, settings)
    timings["geometry"] = time.perf_counter() - t0
    if blank:
        return PageResult(
            rotation=0,
            skew_deg=0.0,
            blank=True,
            image=page.pixels,
            ocr=EMPTY,
            photo=sheet is not None,
            sheet_dpi=page.dpi if sheet is not None else 0,
            timings=timings,
        )

    t = time.perf_counter()
    # The page is cleaned and read at the size Tesseract reads best (print_size): ordinary print reduced,
    # which makes every later stage cheaper too, and small print on low-resolution scans enlarged. The
    # stored page keeps the scan's resolution; word boxes are brought back to it.
    upright = deskew.rotate(rotate_quarter(page.pixels, axis), skew)
    bilevel = page.dpi < LOW_DPI and is_bilevel(page.pixels)  # read smaller only below LOW_DPI: else not looked at
    scale = reading_scale(line_height(mask, skew) / mask_scale, page.dpi, bilevel)
    dpi = round(page.dpi * scale)
    gray, seals = gray_for_ocr(upright, page.dpi, remove_seals=settings.remove_seals, scale=scale)
    gray = flatten(gray, dpi)
    gray, _leaders = remove_leaders(gray, dpi)
    if scale == 1.0 and (enlarged := small_print_factor(gray, page.dpi)) > 1:
        gray, dpi, scale = resize(gray, enlarged), dpi * enlarged, float(enlarged)
    timings["straighten"] = time.perf_counter() - t

    t = time.perf_counter()
    rotation = axis
    # Which way up: the shape of the lines settles it on almost every page. Else a few lines, picked on the
    # cleaned page (flat background, no leaders, where gray card slabs and scanner edges no longer pass
    # for text), are read both ways up. Cheaper than reading a whole upside-down page into nonsense first.
    turned = upside_down_by_shape(gray)
    if turned is None:
        small, small_scale = deskew.downscale(gray, dpi, _SKEW_DPI)
        turned = is_upside_down(gray, deskew.ink_mask(small), small_scale, dpi, engine)
    if turned:
        rotation = (axis + 180) % 360
        upright = rotate_quarter(upright, 180)
        gray = rotate_quarter(gray, 180)
    timings["orient"] = time.perf_counter() - t

    t = time.perf_counter()
    height, width = upright.shape[:2]

    def read(turn: int) -> OcrResult:
        """The cleaned page read turned a further `turn` degrees, boxes in the turned page's pixels."""
        reading = engine.read(rotate_quarter(gray, turn), dpi)
        size = (height, width) if turn % 180 else (width, height)
        return to_page(reading, scale, *size)

    result = read(0)
    timings["ocr"] = time.perf_counter() - t

    if looks_misread(result.words):
        # Confident nonsense: a page with little text (a card photocopy) fooled the orientation questions.
        # Read it turned, 180° first, and keep the reading with clearly more known words.
        t = time.perf_counter()
        best = (known_words(result.words), 0, result)
        for turn in (180, 90, 270):
            other = read(turn)
            known = known_words(other.words)
            # Clearly better only: Tesseract reads a page turned a quarter as vertical text almost as well.
            if known > 1.2 * best[0] + 2:
                best = (known, turn, other)
            if not looks_misread(best[2].words):
                break
        if best[1] and best[0] >= 3:
            _known, turn, result = best
            rotation = (rotation + turn) % 360
            upright = rotate_quarter(upright, turn)
        timings["reorient"] = time.perf_counter() - t

    t = time.perf_counter()
    qr = read_qr(page.pixels, page.dpi)
    code = separator_code(qr, result.text)
    timings["separator"] = time.perf_counter() - t
    return PageResult(
        rotation=rotation,
        skew_deg=round(float(skew), 2),
        blank=False,
        image=upright,
        ocr=result,
        seals=seals,
        photo=sheet is not None,
        sheet_dpi=page.dpi if sheet is not None else 0,
        separator_code=code,
        separator_procedure=qr_procedure(qr) if code else None,
        timings=timings,
    )
