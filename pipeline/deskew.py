"""Skew: find the small angle of the text lines, and undo it.

Convention (the record's): ``skew_deg`` is the angle by which the content is turned counter-clockwise from
upright, i.e. what ``PIL.Image.rotate(skew_deg)`` does to an upright page.

Method: projection profiles of the ink pixels. For a candidate angle the ink is projected onto the axis
perpendicular to the lines; when the angle matches, text lines fall into narrow bands and the profile is
at its sharpest (largest sum of squared differences between neighbouring bins). A coarse search at low
resolution is refined at working resolution with parabolic interpolation of the best score.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.components import components

_MAX_POINTS = 250_000


@dataclass(frozen=True)
class InkPoints:
    """Coordinates of the ink pixels of a page at a working resolution."""

    x: np.ndarray  # float32, centred
    y: np.ndarray
    height: int
    width: int
    scale: float  # working pixels per original pixel


def to_gray(pixels: np.ndarray) -> np.ndarray:
    if pixels.ndim == 2:
        return pixels
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)


def downscale(pixels: np.ndarray, dpi: int, target_dpi: float) -> tuple[np.ndarray, float]:
    """The image at about `target_dpi` (never enlarged) and the scale factor used."""
    scale = min(1.0, target_dpi / max(dpi, 1))
    if scale >= 0.999:
        return pixels, 1.0
    h, w = pixels.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA), scale


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark marks on the paper, as a uint8 0/1 mask, with the page margins cut away."""
    # Otsu on a blurred copy separates ink from paper; a floor keeps noise on blank paper out.
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    thr, mask = cv2.threshold(blur, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    paper = float(np.percentile(blur[:: max(1, blur.shape[0] // 200), :: max(1, blur.shape[1] // 200)], 90))
    if paper - thr < 40:
        mask = (blur < paper - 40).astype(np.uint8)
    return _drop_non_text(mask)


def _drop_non_text(mask: np.ndarray) -> np.ndarray:
    """Remove what is not text: scanner background at the edges, photos, large dark areas."""
    h, w = mask.shape
    n, labels, stats, _ = components(mask)
    if n <= 1:
        return mask
    x, y, bw, bh, area = (stats[1:, i] for i in range(5))
    touches = (x == 0) | (y == 0) | (x + bw >= w) | (y + bh >= h)
    big = (bw > 0.3 * w) & (bh > 0.1 * h)
    solid = (bh > 0.05 * h) & (bw > 0.05 * w) & (area > 0.5 * bw * bh)
    drop = np.concatenate([[True], touches | big | solid])
    if not drop[1:].any():
        return mask
    keep = (~drop).astype(np.uint8)
    return keep[labels]


def ink_points(mask: np.ndarray, scale: float, seed: int = 0) -> InkPoints:
    ys, xs = np.nonzero(mask)
    if len(xs) > _MAX_POINTS:
        pick = np.random.default_rng(seed).choice(len(xs), _MAX_POINTS, replace=False)
        xs, ys = xs[pick], ys[pick]
    h, w = mask.shape
    return InkPoints(
        x=xs.astype(np.float32) - w / 2,
        y=ys.astype(np.float32) - h / 2,
        height=h,
        width=w,
        scale=scale,
    )


def jittered(points: InkPoints, seed: int = 1) -> InkPoints:
    """The points each spread over its pixel at random. Without that, at angles whose tangent is a small
    fraction (45°, 26.6°, 18.4°...) the pixel grid projects onto few bin positions and the profile looks
    sharp whatever the text does: harmless near 0°, where the search stayed, not for every direction."""
    rng = np.random.default_rng(seed)
    return InkPoints(
        x=points.x + rng.uniform(-0.5, 0.5, len(points.x)).astype(np.float32),
        y=points.y + rng.uniform(-0.5, 0.5, len(points.y)).astype(np.float32),
        height=points.height,
        width=points.width,
        scale=points.scale,
    )


def profile_score(points: InkPoints, angle_deg: float) -> float:
    """Sharpness of the line profile when the ink is turned back by `angle_deg`."""
    if len(points.x) == 0:
        return 0.0
    t = np.deg2rad(angle_deg)
    proj = points.y * np.float32(np.cos(t)) + points.x * np.float32(np.sin(t))
    offset = float(proj.min())
    hist = np.bincount((proj - offset).astype(np.int32))
    diff = np.diff(hist.astype(np.float64))
    return float(np.dot(diff, diff))


def search(points: InkPoints, lo: float, hi: float, step: float) -> tuple[float, float]:
    """Best angle on a grid, refined by a parabola through its neighbours; and its score."""
    angles = np.arange(lo, hi + step / 2, step)
    scores = np.array([profile_score(points, float(a)) for a in angles])
    i = int(np.argmax(scores))
    best = float(angles[i])
    if 0 < i < len(angles) - 1:
        s0, s1, s2 = scores[i - 1], scores[i], scores[i + 1]
        denom = s0 - 2 * s1 + s2
        if denom < 0:
            best += 0.5 * step * float(s0 - s2) / float(denom)
    return best, float(scores[i])


# Within this angle the search is the one that met the small-angle targets: a 0.5° grid over all of it.
SMALL_DEG = 10.0


def estimate_skew(
    points: InkPoints, coarse: InkPoints | None = None, max_deg: float = SMALL_DEG, guess: float | None = None
) -> float:
    """The page's skew in degrees (counter-clockwise content angle). `guess`: a rough angle found by a
    search over every direction (`orient.line_axis`); a small one is searched as before, a large one
    around itself."""
    if len(points.x) < 50:
        return 0.0
    first = coarse if coarse is not None and len(coarse.x) >= 50 else points
    if guess is None or abs(guess) < SMALL_DEG - 1:
        small = min(max_deg, SMALL_DEG)
        guess, _ = search(first, -small, small, 0.5)
        limit = small
    else:
        guess, _ = search(jittered(first), guess - 2.0, guess + 2.0, 0.5)
        # Lines found a little past 45° are the same page as a quarter turn the other way: keep them.
        limit = max_deg + 2.5
    # Past the small angles the pixel grid's own pattern (see ink_points) is nearer the true angle.
    fine_points = points if abs(guess) < SMALL_DEG else jittered(points)
    mid, _ = search(fine_points, guess - 0.6, guess + 0.6, 0.1)
    fine, _ = search(fine_points, mid - 0.12, mid + 0.12, 0.02)
    return float(np.clip(fine, -limit, limit))


def rotate(pixels: np.ndarray, skew_deg: float, *, fill: int = 255) -> np.ndarray:
    """Turn the page clockwise by `skew_deg` (undoing that skew), enlarging the canvas to lose nothing."""
    if abs(skew_deg) < 0.01:
        return pixels
    h, w = pixels.shape[:2]
    # OpenCV's positive angle is counter-clockwise, as in the record's convention: undo with -skew.
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -skew_deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = round(h * sin + w * cos), round(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    border = (fill, fill, fill) if pixels.ndim == 3 else fill
    return cv2.warpAffine(
        pixels, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )
