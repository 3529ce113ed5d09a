"""What the scanner does to a page: skew, rotation, paper tone, light, blur, noise and specks."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

DEFECTS = ("none", "scan", "photocopy")
ROTATIONS = (0, 90, 180, 270)


def apply_geometry(img: Image.Image, skew_deg: float, rotation: int) -> Image.Image:
    """Skew (counter-clockwise, same canvas) then the quarter-turn rotation (counter-clockwise)."""
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}, not {rotation!r}")
    if skew_deg:
        img = img.rotate(skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    if rotation:
        img = img.rotate(rotation, expand=True)
    return img


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int], low: float,
                  high: float) -> np.ndarray:
    """A slowly varying field (uneven light, paper mottling) the size of the page."""
    coarse = rng.uniform(low, high, size=cells).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def _specks(rng: np.random.Generator, gray: np.ndarray, count: int, dpi: int, level: float) -> None:
    h, w = gray.shape
    scale = dpi / 300.0
    for _ in range(count):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = max(1, round(rng.uniform(0.8, 3.2) * scale))
        cv2.ellipse(gray, (x, y), (r, max(1, int(r * rng.uniform(0.5, 1.2)))), float(rng.uniform(0, 180)), 0, 360,
                    float(level * rng.uniform(0.2, 1.0)), -1)


def _noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    noise = rng.standard_normal(size=shape, dtype=np.float32)
    noise *= np.float32(sigma)
    return noise


def apply_defects(img: Image.Image, mode: str, rng: np.random.Generator, dpi: int) -> Image.Image:
    """Scan or photocopy look; ``none`` returns the page unchanged."""
    if mode not in DEFECTS:
        raise ValueError(f"defects must be one of {DEFECTS}, not {mode!r}")
    if mode == "none":
        return img
    scale = dpi / 300.0
    if mode == "photocopy":
        gray8 = np.asarray(img.convert("L"))
        h, w = gray8.shape
        gray8 = cv2.GaussianBlur(gray8, (0, 0), rng.uniform(0.8, 1.3) * scale)
        paper = rng.uniform(0.80, 0.92)
        black = rng.uniform(0.04, 0.12)
        gamma = rng.uniform(1.1, 1.6)
        lut = (black + (paper - black) * np.power(np.arange(256, dtype=np.float32) / 255.0, gamma)) * 255.0
        gray: np.ndarray = lut.astype(np.float32)[gray8]
        gray *= _smooth_field(rng, (h, w), (4, 3), 0.93, 1.04)
        darkness = np.zeros((h, w), dtype=np.float32)
        _specks(rng, darkness, int(rng.integers(40, 180)), dpi, 0.7 * 255.0)
        gray -= darkness
        gray += _noise(rng, (h, w), rng.uniform(0.025, 0.05) * 255.0)
        if rng.random() < 0.35:  # the copier lid's shadow along one edge
            band = int(rng.uniform(2.0, 6.0) / 25.4 * dpi)
            edge = int(rng.integers(0, 4))
            shade = np.float32(rng.uniform(0.15, 0.4))
            if edge == 0:
                gray[:band] *= shade
            elif edge == 1:
                gray[-band:] *= shade
            elif edge == 2:
                gray[:, :band] *= shade
            else:
                gray[:, -band:] *= shade
        np.clip(gray, 0.0, 255.0, out=gray)
        return Image.fromarray(gray.astype(np.uint8), "L").convert("RGB")
    rgb = np.asarray(img.convert("RGB"))
    h, w = rgb.shape[:2]
    rgb = cv2.GaussianBlur(rgb, (0, 0), rng.uniform(0.35, 0.8) * scale)
    paper = rng.uniform(0.93, 0.985)
    tone = np.array([paper, paper - rng.uniform(0.0, 0.012), paper - rng.uniform(0.01, 0.035)], dtype=np.float32)
    ink = rng.uniform(0.03, 0.1) * 255.0
    light = _smooth_field(rng, (h, w), (5, 4), 0.95, 1.025)
    arr = rgb.astype(np.float32)
    arr *= (tone - np.float32(ink / 255.0))[None, None, :]  # white -> paper tone, black -> ink level
    arr += np.float32(ink)
    arr *= light[:, :, None]
    noise = _noise(rng, (h, w), rng.uniform(0.01, 0.025) * 255.0)
    _specks(rng, noise, int(rng.integers(0, 12)), dpi, -0.6 * 255.0)
    arr += noise[:, :, None]
    np.clip(arr, 0.0, 255.0, out=arr)
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def blank_page(rng: np.random.Generator, dpi: int, bleed: Image.Image | None) -> Image.Image:
    """The back of a sheet: paper tone, light, noise, a few specks, perhaps faint show-through."""
    w, h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    base = np.full((h, w), 255, dtype=np.uint8)
    if bleed is not None:
        # show-through: the other side's print, mirrored, soft and very faint
        small = np.asarray(bleed.convert("L").resize((w // 4, h // 4), Image.Resampling.BOX), dtype=np.float32)
        soft = cv2.GaussianBlur(np.ascontiguousarray(small[:, ::-1]), (0, 0), 1.2)
        ghost = cv2.resize(soft, (w, h), interpolation=cv2.INTER_LINEAR)
        strength = rng.uniform(0.03, 0.08)
        base = np.clip(255.0 - (255.0 - ghost) * strength, 0, 255).astype(np.uint8)
    img = Image.fromarray(base, "L").convert("RGB")
    return apply_defects(img, "scan", rng, dpi)


def bilevel(img: Image.Image) -> Image.Image:
    """A bilevel (1-bit) scan as office scanners make them: black where the page is darker than Otsu's split."""
    gray = np.asarray(img.convert("L"))
    _thr, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return Image.fromarray(bw, "L").convert("RGB")
