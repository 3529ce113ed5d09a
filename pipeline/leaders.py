"""Dotted leaders: the rows of dots printed on forms for the citizen to write on.

Tesseract reads them as long runs of "0", "9" and "Ô", which garble the value beside them and fill the text
with noise. A leader is a row of at least eight small dots on one baseline at an even pitch; the dots on i,
the dot below ạ/ọ and full stops are never that regular. Leaders are painted out before OCR.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from pipeline.components import components

_MIN_DOTS = 8


def remove_leaders(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """The page with dotted leaders erased, and how many leaders there were."""
    dmax = max(3, round(dpi * 0.03))  # a dot is under ~0.75 mm across
    ink = (gray < 140).astype(np.uint8)
    n, labels, stats, centroids = components(ink)
    if n <= 1:
        return gray, 0
    w = stats[:, cv2.CC_STAT_WIDTH]
    h = stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    dots = np.nonzero((w <= dmax) & (h <= dmax) & (area >= 2) & (w <= 2.5 * h) & (h <= 2.5 * w))[0]
    dots = dots[dots > 0]
    if len(dots) < _MIN_DOTS:
        return gray, 0
    cy = centroids[dots, 1]
    cx = centroids[dots, 0]
    order = np.lexsort((cx, np.round(cy / dmax)))
    rows: dict[int, list[int]] = {}
    for i in order:
        rows.setdefault(round(cy[i] / dmax), []).append(int(i))
    erase: list[int] = []
    leaders = 0
    for members in rows.values():
        run = [members[0]]
        for a, b in itertools.pairwise(members):
            if cx[b] - cx[a] <= 6 * dmax and abs(cy[b] - cy[a]) <= dmax / 2:
                run.append(b)
            else:
                leaders += _take(run, cx, erase)
                run = [b]
        leaders += _take(run, cx, erase)
    if not erase:
        return gray, 0
    out = gray.copy()
    ids = dots[erase]
    for comp in ids:
        x, y, bw, bh = (int(v) for v in stats[comp, :4])
        region = labels[y : y + bh, x : x + bw] == comp
        out[y : y + bh, x : x + bw][region] = 255
    return out, leaders


def _take(run: list[int], cx: np.ndarray, erase: list[int]) -> int:
    if len(run) < _MIN_DOTS:
        return 0
    gaps = np.diff(np.sort(cx[run]))
    if gaps.mean() <= 0 or gaps.std() / gaps.mean() > 0.35:
        return 0
    erase.extend(run)
    return 1
