"""Uneven paper: flatten the background before OCR.

Photocopies of ID cards print the card as a gray slab; scans have shadows and tinted paper. Tesseract's
global threshold then loses whole regions (on a photocopied card page it read no word at all). Dividing the
page by an estimate of its background (the local maximum at low resolution, which text is too thin to
survive) makes paper white everywhere while keeping ink dark.
"""

from __future__ import annotations

import cv2
import numpy as np

_WORK_DPI = 25
_KERNEL = 7  # at 25 dpi: about 7 mm, wider than any printed stroke or ordinary letter


def flatten(gray: np.ndarray, dpi: int) -> np.ndarray:
    h, w = gray.shape
    step = max(1, round(dpi / _WORK_DPI))
    if h // step < _KERNEL * 2 or w // step < _KERNEL * 2:
        return gray
    small = cv2.resize(gray, (w // step, h // step), interpolation=cv2.INTER_AREA)
    background = cv2.dilate(small, np.ones((_KERNEL, _KERNEL), np.uint8))
    background = cv2.GaussianBlur(background, (5, 5), 0)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(background, 1), scale=255)
