"""Blank pages: the empty backs of duplex scans. They are kept in the record but not OCRed."""

from __future__ import annotations

import cv2
import numpy as np


def ink_ratio(gray_small: np.ndarray) -> float:
    """Share of the page (margins excluded) covered by marks clearly darker than the paper.

    Paper noise, specks and faint bleed-through from the other side do not count.
    """
    h, w = gray_small.shape
    my, mx = int(h * 0.05), int(w * 0.05)
    inner = gray_small[my : h - my, mx : w - mx]
    if inner.size == 0:
        return 0.0
    blur = cv2.medianBlur(inner, 3)
    paper = float(np.percentile(blur, 75))
    ink = (blur < paper - 70).astype(np.uint8)
    # Marks must form strokes: drop isolated specks.
    strokes = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return float(strokes.mean())


def is_blank(gray_small: np.ndarray, threshold: float) -> bool:
    return ink_ratio(gray_small) < threshold
