"""Seals, stamps and coloured ink over the print: the round seal pressed over the signature block, the "ĐẾN"
(received) and "HỎA TỐC" stamps, a note in blue pen across the text.

Tesseract reads nothing under a stamp when it binarises the luminance (red or blue ink is as dark as text
there). Coloured ink is bright in its own colour's channel and strongly coloured, while black print is dark
in every channel: in the lightness `max(R, G, B) + (max - min)` the ink goes to paper white and the print
under it stays black. Only stamp-like coloured marks are lifted out so, not all colour, so that titles
printed in red (and a number written in blue on its own line) are still read:
- a round mark 2.2-8 cm across (a seal), whatever its colour and whatever is under it;
- any coloured mark with black print under it (a stamp or a pen stroke over the text), unless it is larger
  than any stamp (a coloured frame printed around the page).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.components import components

_WORK_DPI = 50
_COLOURED = 30  # max - min of the channels at the working resolution: ink that is clearly not black or gray
_FAINT = 25  # the same at full resolution, where a stamp's worn strokes are paler
_OVER_PRINT = 0.03  # the fraction of a coloured mark's area that is black print under it, to call it a stamp
_LARGEST_CM = 12.0  # wider or taller than any stamp or seal


@dataclass(frozen=True)
class SealRegion:
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels
    round: bool = True  # a round seal; else a stamp or pen stroke over the print
    hue: int = 0  # the ink's strongest channel: 0 red, 1 green, 2 blue (only that ink is lifted)


@dataclass(frozen=True)
class _Small:
    """The page at the working resolution: where ink is coloured (by hue) and where it is black."""

    scale: float
    coloured: np.ndarray  # uint8 0/1
    hue: np.ndarray  # uint8: the strongest channel
    black: np.ndarray  # uint8 0/1


def _channels(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The brightest and darkest channel of each pixel and which channel is strongest (0 red, 1 green, 2
    blue), by OpenCV's per-pixel operations (numpy's reduction over three channels is ten times slower)."""
    r, g, b = cv2.split(rgb)
    hi = cv2.max(cv2.max(r, g), b)
    lo = cv2.min(cv2.min(r, g), b)
    hue = np.where(r == hi, 0, np.where(b == hi, 2, 1)).astype(np.uint8)
    return hi, lo, hue


def _small(rgb: np.ndarray, dpi: int) -> _Small:
    # A whole number of pixels to one: OpenCV's averaging is twice as fast so.
    step = max(1, round(dpi / _WORK_DPI))
    h, w = (max(1, n // step) for n in rgb.shape[:2])
    small = cv2.resize(rgb[: h * step, : w * step], (w, h), interpolation=cv2.INTER_AREA)
    scale = 1.0 / step
    hi, lo, hue = _channels(small)
    chroma = cv2.subtract(hi, lo)
    coloured = (chroma > _COLOURED).astype(np.uint8)
    # Print reduced to 50 dpi is gray rather than black: dark and uncoloured is enough.
    black = ((hi < 150) & (chroma < 40)).astype(np.uint8)
    return _Small(scale, coloured, hue, black)


def _is_round(blob: np.ndarray, bw: int, bh: int, px_per_cm: float) -> bool:
    """A seal: 2.2-8 cm across, about as wide as high, its outline filling about pi/4 of its box (a block
    of coloured title letters fills nearly all of it)."""
    if not (2.2 * px_per_cm <= max(bw, bh) <= 8 * px_per_cm):
        return False
    if not (0.75 <= bw / max(bh, 1) <= 1.33):
        return False
    if blob.sum() < 0.08 * bw * bh:
        return False
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(np.vstack(contours))
    return 0.65 <= cv2.contourArea(hull) / float(bw * bh) <= 0.88


def find_seals(rgb: np.ndarray, dpi: int) -> list[SealRegion]:
    """Seals and stamps (see the module's docstring), in page pixels."""
    if rgb.ndim != 3:
        return []
    work = _small(rgb, dpi)
    if not work.coloured.any():
        return []
    h, w = rgb.shape[:2]
    scale = work.scale
    px_per_cm = dpi * scale / 2.54
    seals: list[SealRegion] = []
    # Red and blue inks apart: a blue stamp pressed over a red title is lifted, the title kept.
    for hue in (0, 2, 1):
        ink = work.coloured & (work.hue == hue)
        if not ink.any():
            continue
        closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
        n, labels, stats, _ = components(closed)
        for i in range(1, n):
            x, y, bw, bh, area = (int(v) for v in stats[i])
            if max(bw, bh) < 0.4 * px_per_cm:
                continue  # a speck, or a coloured letter's fringe
            if max(bw, bh) > _LARGEST_CM * px_per_cm:
                continue  # a printed frame or border around the page (a diploma's), with its title
            blob = (labels[y : y + bh, x : x + bw] == i).astype(np.uint8)
            # A printed emblem is round too, but solid colour; a seal is rings and letters.
            solid = float(ink[y : y + bh, x : x + bw][blob.astype(bool)].mean()) > 0.8
            round_ = not solid and _is_round(blob, bw, bh, px_per_cm)
            if not round_ and int((work.black[y : y + bh, x : x + bw] & blob).sum()) < _OVER_PRINT * area:
                continue
            pad = 2
            box = (
                max(0, int((x - pad) / scale)),
                max(0, int((y - pad) / scale)),
                min(w, int((x + bw + pad) / scale)),
                min(h, int((y + bh + pad) / scale)),
            )
            seals.append(SealRegion(box=box, round=round_, hue=hue))
    return seals


def lightness(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Gray in which coloured ink is paper-white and black print stays black: max + (max - min)."""
    return cv2.add(hi, cv2.subtract(hi, lo))


def gray_for_ocr(
    pixels: np.ndarray, dpi: int, *, remove_seals: bool = True, scale: float = 1.0
) -> tuple[np.ndarray, int]:
    """The page (at `dpi`) in gray for OCR, with seals, stamps and coloured ink over the print lifted out,
    reduced by `scale`; and how many were found. The stamps are found and lifted at the page's resolution
    and the gray reduced after: reducing one gray channel costs a third of reducing three."""
    gray = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    seals = find_seals(pixels, dpi) if remove_seals and pixels.ndim == 3 else []
    # The lift reaches one reading pixel beyond the stamp's strokes, whatever the page's resolution.
    reach = max(1, round(1 / min(scale, 1.0)))
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    for seal in seals:
        x0, y0, x1, y1 = seal.box
        region = pixels[y0:y1, x0:x1]
        # Only that stamp's ink: the print in its box, and ink of another colour (a red title under a blue
        # stamp), keep their ordinary gray.
        hi, lo, hue = _channels(np.ascontiguousarray(region))
        ink = ((cv2.subtract(hi, lo) > _FAINT) & (hue == seal.hue)).astype(np.uint8)
        lift = cv2.dilate(ink, kernel).astype(bool)
        gray[y0:y1, x0:x1][lift] = lightness(hi, lo)[lift]
    if scale != 1.0:
        method = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=method)
    return gray, len(seals)
