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


def background(gray: np.ndarray, dpi: int) -> np.ndarray | None:
    """The paper's brightness under the print, at full size; None for an image too small to estimate it."""
    h, w = gray.shape
    step = max(1, round(dpi / _WORK_DPI))
    if h // step < _KERNEL * 2 or w // step < _KERNEL * 2:
        return None
    small = cv2.resize(gray, (w // step, h // step), interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((_KERNEL, _KERNEL), np.uint8))
    paper = cv2.GaussianBlur(paper, (5, 5), 0)
    return cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten(gray: np.ndarray, dpi: int) -> np.ndarray:
    paper = background(gray, dpi)
    if paper is None:
        return gray
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def flatten_colour(rgb: np.ndarray, dpi: int) -> np.ndarray:
    """Each channel divided by its paper's level: white paper everywhere (a tinted light too), ink keeping its
    colour (a stamp stays red or blue for the seal stage: its strokes are too thin to count as paper)."""
    channels = [flatten(np.ascontiguousarray(rgb[..., c]), dpi) for c in range(3)]
    return np.dstack(channels)
