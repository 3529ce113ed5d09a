"""Stamps pressed on a printed page after it was printed: round seals, the "ĐẾN" (received) stamp with its
date, "HỎA TỐC" (most urgent), a note in blue pen. In red or blue ink, over the text (what a clerk does),
never part of the page's ``lines``."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image

from .canvas import BLUE, SEAL_RED, Canvas, Color
from .fonts import FontFamily

STAMPS = ("seal", "seal_blue", "den", "den_red", "hoa_toc", "handwriting")

STAMP_BLUE: Color = (40, 70, 175)
_RINGS = (
    "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH",
    "CÔNG AN THÀNH PHỐ HÀ NỘI",
    "SỞ TƯ PHÁP TỈNH ĐỒNG NAI",
    "VĂN PHÒNG CÔNG CHỨNG SỐ 1",
)
_OFFICES = ("VĂN THƯ UBND QUẬN 1", "CỔNG THÔNG TIN ĐIỆN TỬ", "SỞ NỘI VỤ", "BỘ PHẬN MỘT CỬA")


def check(kinds: tuple[str, ...]) -> None:
    unknown = [k for k in kinds if k not in STAMPS]
    if unknown:
        raise ValueError(f"unknown stamps {unknown}; choose from {STAMPS}")


def _over_text(img: Image.Image, rng: random.Random, size_px: tuple[int, int]) -> tuple[float, float]:
    """A centre (pixels) where a stamp of that size covers much print: the densest of a few random spots."""
    gray = np.asarray(img.convert("L").reduce(8), dtype=np.uint8)
    ink = (gray < 200).astype(np.float32)
    kw, kh = max(1, size_px[0] // 8), max(1, size_px[1] // 8)
    density = cv2.blur(ink, (kw, kh))
    h, w = density.shape
    best, best_at = -1.0, (w / 2, h / 2)
    for _ in range(24):
        x = rng.uniform(0.15 * w, 0.85 * w)
        y = rng.uniform(0.12 * h, 0.85 * h)
        v = float(density[int(y), int(x)])
        if v > best:
            best, best_at = v, (x, y)
    return best_at[0] * 8, best_at[1] * 8


def add_stamps(
    img: Image.Image, kinds: tuple[str, ...], *, dpi: int, fam: FontFamily, rng: random.Random
) -> Image.Image:
    """``img`` with the stamps ``kinds`` pressed over its text, in order."""
    check(kinds)
    if not kinds:
        return img
    cv = Canvas.over(img, dpi=dpi, fam=fam, rng=rng)
    mm = 25.4 / dpi
    for kind in kinds:
        if kind in ("seal", "seal_blue"):
            d = rng.uniform(32.0, 40.0)
            x, y = _over_text(cv.img, rng, (cv.px(d), cv.px(d)))
            cv.seal(x * mm, y * mm, rng.choice(_RINGS), diameter=d, color=SEAL_RED if kind == "seal" else STAMP_BLUE)
        elif kind in ("den", "den_red"):
            date = f"Ngày: {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2019, 2026)}"
            rows = [(rng.choice(_OFFICES), 6.5), (f"ĐẾN   Số: {rng.randint(10, 9999)}", 13.0), (date, 9.0)]
            x, y = _over_text(cv.img, rng, (cv.px(55), cv.px(22)))
            cv.rubber_stamp(
                x * mm, y * mm, rows, color=STAMP_BLUE if kind == "den" else SEAL_RED, angle=rng.uniform(-6.0, 6.0)
            )
        elif kind == "hoa_toc":
            x, y = _over_text(cv.img, rng, (cv.px(45), cv.px(30)))
            cv.rubber_stamp(x * mm, y * mm, [("HỎA TỐC", 20.0)], color=SEAL_RED, angle=rng.uniform(20.0, 40.0), frame=2)
        else:  # handwriting: a note and a scribble in blue pen across the print
            x, y = _over_text(cv.img, rng, (cv.px(40), cv.px(15)))
            cv.signature(x * mm, y * mm, width=rng.uniform(30.0, 45.0), color=BLUE)
    return cv.finish()
