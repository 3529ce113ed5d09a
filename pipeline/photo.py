"""Phone photos: a sheet photographed on a desk is turned into what a scan of it would be.

A photo shows the sheet as a bright four-sided shape in perspective, with the desk around it, and light
falling unevenly over it. Before any other stage the sheet's four corners are found, the perspective is
undone (the sheet warped to a rectangle), and each channel is divided by the paper's brightness, so that
shadows and uneven light go and stamps keep their colour.

A scan must not pay for this: paper (or a scanner's band) reaches its edges, and a look at the image's
outer ring on a sampled copy (a fraction of a millisecond) settles almost every scan. Only when the ring is
not paper is the sheet looked for: on a copy about 400 pixels high, the outline of sharp steps reduced to
four corners. It is a photo only when at least three corners lie inside the image and the desk around the
sheet is clearly darker or more coloured than the paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.background import flatten_colour

_WORK_PX = 400  # long side of the copy the sheet is looked for on
_A4_LONG_IN = 297 / 25.4


@dataclass(frozen=True)
class Sheet:
    """A photographed sheet, straightened: its pixels and the resolution they have if it is A4."""

    pixels: np.ndarray
    dpi: int
    corners: tuple[tuple[float, float], ...]  # in the photo: top-left, top-right, bottom-right, bottom-left


def _ring_is_paper(gray: np.ndarray) -> bool:
    """Paper reaches the image's edges all around: the darkest quarter of the outer ring is paper-bright."""
    h, w = gray.shape
    b = max(2, round(0.03 * min(h, w)))
    ring = np.concatenate([gray[:b].ravel(), gray[-b:].ravel(), gray[:, :b].ravel(), gray[:, -b:].ravel()])
    paper = float(np.percentile(gray, 90))
    return float(np.percentile(ring, 25)) >= 0.88 * paper


def _order(quad: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left: around their centre clockwise (as the
    image shows them), from the one nearest the image's top-left corner. A sheet lying at 45° has no clear
    top-left corner, but the four stay distinct and in order."""
    centre = quad.mean(axis=0)
    around = quad[np.argsort(np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0]))]
    first = int(np.argmin(around.sum(axis=1)))
    return np.roll(around, -first, axis=0).astype(np.float32)


def _sheet_quad(small: np.ndarray) -> np.ndarray | None:
    """The sheet's corners in `small` (RGB), or None when no bright four-sided sheet on a darker desk."""
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    # Text closed away: the sheet is one bright shape. Paper is bright and hardly coloured, which sets it
    # apart from a light wooden desk as well.
    chroma = small.max(axis=2).astype(np.int16) - small.min(axis=2)
    paperness = np.clip(gray.astype(np.int16) - 2 * chroma, 0, 255).astype(np.uint8)
    paperness = cv2.morphologyEx(paperness, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    paperness = cv2.GaussianBlur(paperness, (3, 3), 0)
    # The sheet's outline is the largest closed line of sharp steps: a soft shadow or a light gradient
    # makes none (a threshold would cut the sheet along the shadow), the desk's grain and the thumb
    # only small ones.
    edges = cv2.dilate(cv2.Canny(paperness, 20, 60), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    hulls = sorted((cv2.convexHull(c) for c in contours), key=cv2.contourArea, reverse=True)
    if not hulls or not 0.2 * h * w <= cv2.contourArea(hulls[0]) <= 0.95 * h * w:
        return None
    hull = hulls[0]
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(quad) != 4 or cv2.contourArea(quad) < 0.9 * cv2.contourArea(hull):
        return None
    corners = _order(quad.astype(np.float32))
    margin = 0.015 * min(h, w)
    inside = (corners[:, 0] > margin) & (corners[:, 0] < w - margin)
    inside &= (corners[:, 1] > margin) & (corners[:, 1] < h - margin)
    if inside.sum() < 3:
        return None  # a scan cropped by a band, or a sheet filling the frame: nothing to undo
    blob = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(blob, quad.astype(np.int32), 1)
    sheet = cv2.erode(blob, np.ones((9, 9), np.uint8)).astype(bool)
    desk = ~cv2.dilate(blob, np.ones((9, 9), np.uint8)).astype(bool)
    paper_level = np.median(small[sheet], axis=0).astype(np.float32)
    desk_level = np.median(small[desk], axis=0).astype(np.float32)
    if float(np.abs(paper_level - desk_level).max()) < 30:
        return None
    return corners


def find_sheet(pixels: np.ndarray) -> np.ndarray | None:
    """The corners of the photographed sheet in the image's pixels (float32 4x2), or None for a scan."""
    if pixels.ndim != 3:
        return None  # phones take colour photos; a gray or bilevel page is a scan
    h, w = pixels.shape[:2]
    step = max(1, int(np.ceil(max(h, w) / _WORK_PX)))
    sampled = pixels[::step, ::step]
    if _ring_is_paper(cv2.cvtColor(np.ascontiguousarray(sampled), cv2.COLOR_RGB2GRAY)):
        return None
    small = cv2.resize(pixels, (max(1, w // step), max(1, h // step)), interpolation=cv2.INTER_AREA)
    quad = _sheet_quad(small)
    if quad is None:
        return None
    return quad * np.array([w / small.shape[1], h / small.shape[0]], dtype=np.float32)


def straighten(pixels: np.ndarray) -> Sheet | None:
    """The photographed sheet warped flat and evenly lit; None when the page is not a photo."""
    corners = find_sheet(pixels)
    if corners is None:
        return None
    tl, tr, br, bl = corners
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners, target)
    flat = cv2.warpPerspective(pixels, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # A phone's file states no useful resolution: the sheet's own size gives it, taking it for A4.
    sheet_dpi = max(72, round(max(width, height) / _A4_LONG_IN))
    flat = flatten_colour(flat, sheet_dpi)
    return Sheet(pixels=flat, dpi=sheet_dpi, corners=tuple((float(x), float(y)) for x, y in corners))
