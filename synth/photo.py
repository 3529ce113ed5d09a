"""A phone photo of the sheet lying on a desk: perspective, the desk around it, uneven light and a shadow,
a little blur and sensor noise, perhaps the thumb holding it down."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

_DESKS = ((118, 84, 56), (92, 92, 98), (60, 52, 46), (150, 120, 90), (170, 170, 165))


def _desk(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A desk top: a base colour, slow tone changes, and grain running along it."""
    base = np.asarray(_DESKS[int(rng.integers(0, len(_DESKS)))], dtype=np.float32)
    coarse = rng.uniform(0.85, 1.1, size=(4, 4)).astype(np.float32)
    tone = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    grain: np.ndarray = rng.normal(1.0, 0.06, size=(max(2, h // 6), 1)).astype(np.float32)
    grain = cv2.resize(cv2.GaussianBlur(grain, (1, 0), 1.5), (w, h), interpolation=cv2.INTER_LINEAR)
    return base[None, None, :] * (tone * grain)[:, :, None]


def _light(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Light falling unevenly (a gradient from one side) with a soft shadow over part of the frame."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(a) * xx / w + np.sin(a) * yy / h) + 0.5
    light = rng.uniform(0.72, 0.85) + rng.uniform(0.15, 0.28) * np.clip(ramp, 0, 1)
    # the shadow of the phone or a hand: a large soft-edged blob from one edge
    shadow: np.ndarray = np.zeros((h // 8 + 1, w // 8 + 1), np.float32)
    sh, sw = shadow.shape
    edge = int(rng.integers(0, 4))
    cx = {0: rng.uniform(0, sw), 1: rng.uniform(0, sw), 2: 0.0, 3: float(sw)}[edge]
    cy = {0: 0.0, 1: float(sh), 2: rng.uniform(0, sh), 3: rng.uniform(0, sh)}[edge]
    axes = (int(sw * rng.uniform(0.25, 0.5)), int(sh * rng.uniform(0.2, 0.4)))
    cv2.ellipse(shadow, (int(cx), int(cy)), axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(sw, sh) * 0.06)
    shadow = cv2.resize(shadow, (w, h), interpolation=cv2.INTER_LINEAR)
    return light * (1.0 - rng.uniform(0.35, 0.55) * shadow)


def _thumb(rng: np.random.Generator, frame: np.ndarray, corners: np.ndarray, dpi: int) -> None:
    """A thumb on the sheet's edge, over the margin (where it holds the paper flat)."""
    k = int(rng.integers(0, 4))
    p, q = corners[k], corners[(k + 1) % 4]
    t = rng.uniform(0.3, 0.7)
    x, y = p + t * (q - p)
    r = dpi / 25.4
    axes = (int(rng.uniform(9, 12) * r), int(rng.uniform(14, 18) * r))
    angle = float(np.degrees(np.arctan2(q[1] - p[1], q[0] - p[0]))) + 90.0
    mask: np.ndarray = np.zeros(frame.shape[:2], np.float32)
    cv2.ellipse(mask, (int(x), int(y)), axes, angle, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 0.4 * r)
    skin = np.asarray((196, 150, 122), np.float32) * rng.uniform(0.85, 1.05)
    frame *= 1.0 - mask[:, :, None]
    frame += mask[:, :, None] * skin[None, None, :]


def photograph(img: Image.Image, rng: np.random.Generator, dpi: int, *, thumb: bool = False) -> Image.Image:
    """The page as a phone photographs it on a desk. The sheet keeps about its resolution (``dpi``) at its
    nearest edge; the frame is 3:4, the sheet filling most of it."""
    page = np.asarray(img.convert("RGB"), dtype=np.float32)
    ph, pw = page.shape[:2]
    fh = int(ph * rng.uniform(1.08, 1.16))
    fw = int(fh * 0.75)
    # where the sheet's corners land: a centred sheet, the far edge narrower (the phone tilted), each
    # corner moved a little
    s = fh * rng.uniform(0.82, 0.88) / ph
    cx, cy = fw / 2 + rng.uniform(-0.03, 0.03) * fw, fh / 2 + rng.uniform(-0.02, 0.02) * fh
    hw, hh = pw * s / 2, ph * s / 2
    narrow = rng.uniform(0.0, 0.1)
    top, bottom = (narrow, 0.0) if rng.random() < 0.7 else (0.0, narrow)
    dst: np.ndarray = np.array(
        [
            [cx - hw * (1 - top), cy - hh],
            [cx + hw * (1 - top), cy - hh],
            [cx + hw * (1 - bottom), cy + hh],
            [cx - hw * (1 - bottom), cy + hh],
        ],
        dtype=np.float32,
    )
    dst += rng.uniform(-0.025, 0.025, size=(4, 2)).astype(np.float32) * np.array([pw * s, ph * s], dtype=np.float32)
    roll = np.radians(rng.uniform(-4.0, 4.0))
    rot = np.array([[np.cos(roll), -np.sin(roll)], [np.sin(roll), np.cos(roll)]], dtype=np.float32)
    centre = np.array([cx, cy], dtype=np.float32)
    dst = (dst - centre) @ rot.T + centre
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    sheet = cv2.warpPerspective(page, m, (fw, fh), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    cover = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (fw, fh), flags=cv2.INTER_LINEAR)
    frame = _desk(rng, fh, fw) * (1.0 - cover[:, :, None]) + sheet * cover[:, :, None]
    if thumb:
        _thumb(rng, frame, dst, dpi)
    tint = np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.86, 0.96)], dtype=np.float32)  # warm indoor light
    frame *= _light(rng, fh, fw)[:, :, None] * tint[None, None, :]
    frame = cv2.GaussianBlur(frame, (0, 0), rng.uniform(0.5, 1.1) * dpi / 200)
    frame += rng.normal(0.0, rng.uniform(1.5, 3.5), size=frame.shape[:2]).astype(np.float32)[:, :, None]
    return Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8), "RGB")
