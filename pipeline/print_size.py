"""Small print: card photocopies scanned at 200 dpi carry letters a few pixels high.

Tesseract reads next to nothing below an x-height of about 8 pixels (6 words instead of 112 on a card
page at 200 dpi). Such pages are read at twice the size; the word boxes are brought back to the page.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.ocr import OcrResult, OcrWord

SMALL_PRINT_PX = 9.0  # median letter height, in page pixels, below which a page is read enlarged


def median_letter_height(gray: np.ndarray) -> float:
    """Median height, in pixels, of the letter-sized marks of a cleaned page (at full resolution: at
    lower resolutions tiny letters run together)."""
    mask = (gray < 128).astype(np.uint8)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 21:
        return 0.0
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    w = stats[1:, cv2.CC_STAT_WIDTH]
    letters = (h >= 2) & (h <= 40) & (w <= 60)
    if letters.sum() < 20:
        return 0.0
    return float(np.median(h[letters]))


def enlarge(gray: np.ndarray, factor: int) -> np.ndarray:
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def shrink_boxes(result: OcrResult, factor: int) -> OcrResult:
    words = tuple(
        OcrWord(
            text=w.text,
            conf=w.conf,
            box=(w.box[0] // factor, w.box[1] // factor, -(-w.box[2] // factor), -(-w.box[3] // factor)),
            line=w.line,
            block=w.block,
        )
        for w in result.words
    )
    return OcrResult(text=result.text, confidence=result.confidence, words=words)
