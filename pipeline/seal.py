"""Red seals: the round stamp pressed over the signature block and the text near it.

Tesseract reads nothing under a seal when it binarises the luminance (red ink is as dark as text there).
In the red channel a red seal is as light as paper, while black or blue text stays dark. Only seal-shaped
red regions are switched to the red channel, so that titles printed in red are still read.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_WORK_DPI = 50


@dataclass(frozen=True)
class SealRegion:
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels


def find_seals(rgb: np.ndarray, dpi: int) -> list[SealRegion]:
    """Round red stamps between 2.2 and 8 cm across."""
    if rgb.ndim != 3:
        return []
    scale = min(1.0, _WORK_DPI / max(dpi, 1))
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    r = small[..., 0].astype(np.int16)
    g = small[..., 1].astype(np.int16)
    b = small[..., 2].astype(np.int16)
    red = ((r - np.maximum(g, b)) > 50).astype(np.uint8)
    if red.sum() == 0:
        return []
    closed = cv2.morphologyEx(red, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    px_per_cm = dpi * scale / 2.54
    seals: list[SealRegion] = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if not (2.2 * px_per_cm <= max(bw, bh) <= 8 * px_per_cm):
            continue
        if not (0.75 <= bw / max(bh, 1) <= 1.33):
            continue
        if area < 0.08 * bw * bh:
            continue
        # Round: its outline fills about pi/4 of its box (a block of red title letters fills nearly all of it).
        blob = (labels[y : y + bh, x : x + bw] == i).astype(np.uint8)
        contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        hull = cv2.convexHull(np.vstack(contours))
        if not (0.65 <= cv2.contourArea(hull) / float(bw * bh) <= 0.88):
            continue
        pad = 2
        seals.append(
            SealRegion(
                box=(
                    max(0, int((x - pad) / scale)),
                    max(0, int((y - pad) / scale)),
                    min(w, int((x + bw + pad) / scale)),
                    min(h, int((y + bh + pad) / scale)),
                )
            )
        )
    return seals


def gray_for_ocr(pixels: np.ndarray, dpi: int, *, remove_seals: bool = True) -> tuple[np.ndarray, int]:
    """The page in gray for OCR, with red seals lifted out; and how many seals were found."""
    if pixels.ndim == 2:
        return pixels, 0
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    if not remove_seals:
        return gray, 0
    seals = find_seals(pixels, dpi)
    for seal in seals:
        x0, y0, x1, y1 = seal.box
        gray[y0:y1, x0:x1] = pixels[y0:y1, x0:x1, 0]
    return gray, len(seals)
