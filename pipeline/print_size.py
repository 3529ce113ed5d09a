"""The size at which a page is read: Tesseract reads best, and fastest, at a certain letter size.

- Ordinary print at 300 dpi has letters about 28 pixels high, lines 32-40. Tesseract reads it as well
  with lines about 20 pixels high (bench/reading_size.py, 20 generated pages: word recall 97.1 % against
  96.7 % at full size, 1.15 against 1.80 CPU s a page for the whole page stage), since its layout analysis
  and binarisation cost in proportion to the pixels. Such pages are cleaned and read reduced; the size is
  measured on the geometry pass's low-resolution mask.
- Card photocopies scanned at 200 dpi carry letters a few pixels high. Tesseract reads next to nothing
  below an x-height of about 8 pixels (6 words instead of 112 on a card page at 200 dpi). Such pages are
  read at twice the size.
- Low-resolution bilevel scans (CCITT at 200 dpi, as government offices send them: black ink, no gray
  edges, a colour seal laid over at most) are read reduced to 150 dpi, their lines about 14-20 px: as
  many words, at less cost. On the two 200-dpi bilevel pages this was tuned on (real-vn qd_729/qd_707)
  597 words against 596 read at their size, 593-600 at 0.8-0.9x and 588-596 enlarged 1.25-2x; on 6
  generated 200-dpi pages made bilevel 96.7 % against 96.4 % at their size, at 19 % less CPU; enlarging
  read fewer (1.25-2x: 95.6-96.3 %). At 300 dpi bilevel pages keep the ordinary rule (lines of 14 px
  there: 96.3 % against 97.1 %).
Word boxes are brought back to the straightened page's own pixels.
"""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np

from pipeline import deskew
from pipeline.components import components
from pipeline.ocr import OcrResult

SMALL_PRINT_PX = 9.0  # median letter height, in page pixels, below which a low-resolution page is enlarged
READ_LINE_PX = 20.0  # median text-line height (ascenders and marks included) at which larger print is read
MIN_DPI = 150.0  # the lowest resolution a page is read at
BILEVEL_LINE_PX = 14.0  # median text-line height at which a bilevel scan's print is read (not below MIN_DPI)
LOW_DPI = 250  # below: a low-resolution scan
BILEVEL_MID_SHARE = 0.4  # a page whose inked pixels are less often mid-gray than this is a bilevel scan


def median_letter_height(gray: np.ndarray) -> float:
    """Median height, in pixels, of the letter-sized marks of a cleaned page (at full resolution: at
    lower resolutions tiny letters run together). Measured on low-resolution scans only (see
    `small_print_factor`), over the whole page: a card photocopy may fill a small part of it."""
    mask = (gray < 128).astype(np.uint8)
    n, _labels, stats, _ = components(mask)
    if n <= 21:
        return 0.0
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    letters = (heights >= 2) & (heights <= 40) & (widths <= 60)
    if letters.sum() < 20:
        return 0.0
    return float(np.median(heights[letters]))


def line_height(mask: np.ndarray, skew_deg: float) -> float:
    """Median height of the text lines of an ink mask (0/1, lines running across, turned by `skew_deg`),
    in mask pixels: cheap at low resolution, where small letters run together but lines stay apart.
    Lines are found in four vertical strips apart, so that columns do not blur them."""
    straight = deskew.rotate(mask * 255, skew_deg, fill=0) > 127
    width = straight.shape[1]
    heights: list[int] = []
    for j in range(4):
        rows = straight[:, j * width // 4 : (j + 1) * width // 4].sum(axis=1)
        if rows.max() < 5:
            continue
        on = rows > 0.1 * rows.max()  # specks of noise between lines stay under this
        edges = np.diff(np.concatenate(([0], on.astype(np.int8), [0])))
        for top, bottom in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0], strict=True):
            if rows[top:bottom].sum() > 20:
                heights.append(int(bottom - top))
    return float(np.median(heights)) if len(heights) >= 5 else 0.0


def reading_scale(line_px: float, dpi: int, bilevel: bool = False) -> float:
    """The factor by which a page whose text lines are `line_px` high (at its own resolution, `dpi`) is
    reduced for reading: below 1 for print clearly larger than Tesseract needs, else 1. Never below
    150 dpi, whatever the lines measured: a page whose lines ran together must not be shrunk to nothing.
    A low-resolution bilevel scan (`is_bilevel`) is read smaller, its lines about BILEVEL_LINE_PX high."""
    if line_px <= 0:
        return 1.0
    floor = MIN_DPI / max(dpi, 1)
    if bilevel and dpi < LOW_DPI:
        scale = max(floor, BILEVEL_LINE_PX / line_px)
        # Small print (lines under ~15 px: card print at 200 dpi) is read at its size, or enlarged.
        return 1.0 if scale > 0.95 else scale
    scale = max(floor, READ_LINE_PX / line_px)
    # Lines under 26 pixels (card print at 300 dpi) are read at their size: reducing them loses words.
    return 1.0 if scale > 0.77 else scale


def is_bilevel(pixels: np.ndarray) -> bool:
    """True for a bilevel scan: black ink without the gray edges of a gray scan or of a rendering (measured
    on every other pixel of the page as decoded). A colour seal laid over it keeps the mid-gray share low."""
    sample = pixels[::2, ::2]
    gray = sample if sample.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(sample), cv2.COLOR_RGB2GRAY)
    inked = gray <= 235
    count = int(np.count_nonzero(inked))
    if count < 1000:
        return False
    return int(np.count_nonzero(gray[inked] >= 20)) < BILEVEL_MID_SHARE * count


def small_print_factor(gray: np.ndarray, dpi: int) -> int:
    """2 for a low-resolution page of small print (read enlarged), else 1."""
    # Only low-resolution scans gain from enlarging: at 300 dpi card print is read as well at its size, and
    # a doubled A4 page costs 4x the OCR time and over 100 MB.
    return 2 if dpi < LOW_DPI and 0 < median_letter_height(gray) < SMALL_PRINT_PX else 1


def resize(gray: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1.0:
        return gray
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)


def to_page(result: OcrResult, scale: float, width: int, height: int) -> OcrResult:
    """The reading of an image `scale` times the page's size, with its word boxes in page pixels."""
    if scale == 1.0:
        return result

    def box(b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (
            max(0, math.floor(b[0] / scale)),
            max(0, math.floor(b[1] / scale)),
            min(width, math.ceil(b[2] / scale)),
            min(height, math.ceil(b[3] / scale)),
        )

    words = tuple(replace(w, box=box(w.box)) for w in result.words)
    return OcrResult(text=result.text, confidence=result.confidence, words=words)
