"""Orientation: which quarter turn the scan is in.

Convention (the record's): ``rotation`` is the counter-clockwise turn of the content found in the scan
(0, 90, 180, 270), undone before OCR.

Two cheap questions instead of Tesseract's OSD (0.6-0.9 s a page here, as long as the OCR itself):
1. Do the text lines run across or down the scan? The projection profile of the ink is far sharper along
   the lines than across them (`line_axis`).
2. Once the lines run across, is the page upside down? First from the shape of the lines
   (`upright_ratio`): in Latin script, and far more in Vietnamese with its marks above the letters, much
   more ink stands above the letters' core band (ascenders, capitals, tone marks) than below it
   (descenders, the dot below). A few milliseconds, and decisive on almost every page. Only when it is
   not, a few text lines are read by the OCR engine both ways up; upright text is read with a clearly
   higher confidence (`is_upside_down`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import cv2
import numpy as np

from pipeline.components import components
from pipeline.deskew import InkPoints, ink_points, jittered, search
from pipeline.extract.text import fold
from pipeline.ocr import OcrWord

# Common Vietnamese syllables and English words of the papers, without marks. Text read upside down
# yields confident garbage on symmetric print (MRZ lines: "<<<" turned is ">>>"), but hardly ever words.
LEXICON = frozenset(
    """
    cong hoa xa hoi chu nghia viet nam doc lap tu do hanh phuc uy ban nhan dan phuong thanh pho tinh huyen
    so ngay thang sinh ho ten va chu dem gioi tinh quoc tich noi cu tru thuong que quan dia chi giay khai
    chung nhan ket hon quyen su dung dat nha tai san khac gan lien voi bang tot nghiep truong hoc trung
    pho thong xep loai gioi kha don de nghi to kinh gui toi xin cam doan nguoi lam yeu cau dien thoai
    cua cac nhung duoc theo tai trong ban sao co gia tri den cap can cuoc cong dan me cha con vo chong
    the ca so dang ky quyen nam nu kinh dan toc dac diem nhan dang thua ban do dien tich muc dich thoi han
    nguon goc hinh thuc ubnd uy chinh tich chu ky dong dau phong thu tuc ho so tiep nhan tra ket qua
    full name date of birth sex nationality place origin residence expiry identity card personal number
    socialist republic independence freedom happiness issue the and
    """.split()  # noqa: SIM905 - a word list is easier to read and extend as text
)


class LineReader(Protocol):
    def read_strip(self, gray: np.ndarray, dpi: int) -> list[tuple[str, float]]: ...


def known_words(words: Sequence[OcrWord]) -> int:
    return sum(1 for w in words if fold(w.text).strip(".,:;/()|-") in LEXICON)


def looks_misread(words: Sequence[OcrWord]) -> bool:
    """Many words and hardly a known one: text read in the wrong orientation."""
    return len(words) >= 8 and known_words(words) < 0.05 * len(words)


def _score(words: list[tuple[str, float]]) -> tuple[int, float]:
    """Known words read, and the mean confidence of the reading."""
    known = sum(1 for w, _ in words if fold(w).strip(".,:;/()|-") in LEXICON)
    mean = float(np.mean([c for _, c in words])) if words else 0.0
    return known, mean


def line_axis(mask: np.ndarray, max_deg: float = 10.0) -> tuple[int, float]:
    """0 when the text lines run across the scan, 90 when they run down it (turned a quarter); and the
    rough angle of the lines once that quarter is undone (1° grid, ±`max_deg`).

    Every direction of the lines within ±`max_deg` of either axis is tried on jittered points (the pixel
    grid's own pattern would win at 45°). Lines at 45° are the same page either way: the quarter decided
    here and the half turn decided later (`is_upside_down`) make the right total turn whichever is taken."""
    points = jittered(ink_points(mask, 1.0))
    if len(points.x) < 50:
        return 0, 0.0
    span = min(max_deg, 45.0)
    across, s_across = search(points, -span, span, 1.0)
    down, s_down = search(points, 90.0 - span, 90.0 + span, 1.0)
    if s_down > 1.15 * s_across:
        # Turning the scan a quarter clockwise takes 90° from the content's counter-clockwise angle.
        return 90, down - 90.0
    return 0, across


def _line_bands(mask: np.ndarray) -> list[tuple[int, int, int]]:
    """Text lines of a straightened page as (top, bottom, ink) in mask rows."""
    rows = mask.sum(axis=1)
    on = rows > max(2, 0.02 * mask.shape[1] * 0.1)
    bands: list[tuple[int, int, int]] = []
    start = None
    for i, v in enumerate(np.append(on, False)):
        if v and start is None:
            start = i
        elif not v and start is not None:
            bands.append((start, i, int(rows[start:i].sum())))
            start = None
    return bands


def pick_lines(mask: np.ndarray, count: int = 6) -> list[tuple[int, int]]:
    """Rows of up to `count` ordinary text lines (typical height, much ink), spread over the page."""
    bands = _line_bands(mask)
    if not bands:
        return []
    heights = np.array([b - t for t, b, _ in bands])
    typical = float(np.median(heights))
    ordinary = [(t, b, ink) for t, b, ink in bands if 0.5 * typical <= b - t <= 2.0 * typical and b - t >= 3]
    ordinary.sort(key=lambda band: band[2], reverse=True)
    chosen = sorted(ordinary[:count])
    return [(t, b) for t, b, _ in chosen]


def _strip(gray: np.ndarray, mask: np.ndarray, rows: list[tuple[int, int]], scale: float) -> np.ndarray:
    """The chosen lines cut from the page and stacked, cropped to their ink, with white between."""
    h, w = gray.shape
    pieces = []
    spans = []
    for t, b in rows:
        cols = np.nonzero(mask[t:b].any(axis=0))[0]
        if len(cols):
            spans.append((int(cols[0]), int(cols[-1])))
    x0 = max(0, int((min(s[0] for s in spans) - 4) / scale)) if spans else 0
    x1 = min(w, int((max(s[1] for s in spans) + 4) / scale) + 1) if spans else w
    gap = np.full((max(8, int(12 / scale)), x1 - x0), 255, np.uint8)
    for t, b in rows:
        pad = int(0.3 * (b - t))
        y0, y1 = max(0, int((t - pad) / scale)), min(h, int((b + pad) / scale) + 1)
        pieces.extend([gap, gray[y0:y1, x0:x1]])
    pieces.append(gap)
    return np.vstack(pieces)


def is_upside_down(gray: np.ndarray, mask: np.ndarray, scale: float, dpi: int, reader: LineReader) -> bool:
    """Read a few lines both ways up; upside down when the turned reading is clearly more confident.

    `mask` is the ink of the straightened page at `scale` times the resolution of `gray`.
    """
    rows = pick_lines(mask, count=4)
    if not rows:
        return False
    strip = _strip(gray, mask, rows, scale)
    known_up, conf_up = _score(reader.read_strip(strip, dpi))
    if known_up >= 3:
        # Upside-down print never reads as several known words this cleanly: skip the second reading.
        return False
    known_turned, conf_turned = _score(reader.read_strip(np.ascontiguousarray(strip[::-1, ::-1]), dpi))
    if known_turned != known_up:
        return known_turned > known_up
    return conf_turned > conf_up + 5.0


UPRIGHT_RATIO = 1.4  # ink above the core band / ink below, at or above which a page is upright
TURNED_RATIO = 0.7  # ... at or below which it is upside down; between the two the shape does not say
_MIN_LINES = 3


def upright_ratio(gray: np.ndarray) -> tuple[float, int]:
    """Ink above the letters' core band over ink below it, summed over the text lines of a straightened
    page, and the number of lines measured. Upright text gives 2-4, upside-down text 0.25-0.5.

    Letter-sized marks only (frames, rules, photos and card edges are left out), and lines found in four
    vertical strips apart, so that columns and slightly uneven lines do not blur the bands.
    """
    _thr, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, _ = components(ink)
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    w = stats[1:, cv2.CC_STAT_WIDTH]
    sized = (h >= 4) & (h <= 60)
    if sized.sum() < 20:
        return 1.0, 0
    letter = float(np.median(h[sized]))
    keep = np.zeros(n, bool)
    keep[1:] = (h <= 2.5 * letter) & (w <= 8 * letter)
    marks = keep[labels].astype(np.uint8)
    above = below = 0.0
    lines = 0
    width = marks.shape[1]
    for j in range(4):
        rows = marks[:, j * width // 4 : (j + 1) * width // 4].sum(axis=1).astype(np.float64)
        for top, bottom in _bands(rows > 0, gap=max(1, round(0.15 * letter))):
            if not 0.8 * letter <= bottom - top <= 2.2 * letter:
                continue
            profile = rows[top:bottom]
            if profile.sum() < 3 * letter * letter:
                continue
            core = np.nonzero(profile >= 0.5 * profile.max())[0]
            above += float(profile[: core[0]].sum())
            below += float(profile[core[-1] + 1 :].sum())
            lines += 1
    return (above + 1.0) / (below + 1.0), lines


def _bands(on: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of true rows as (start, end), runs closer than `gap` rows joined."""
    edges = np.diff(np.concatenate(([0], on.astype(np.int8), [0])))
    starts = np.nonzero(edges == 1)[0]
    ends = np.nonzero(edges == -1)[0]
    bands: list[tuple[int, int]] = []
    for t, b in zip(starts.tolist(), ends.tolist(), strict=True):
        if bands and t - bands[-1][1] <= gap:
            bands[-1] = (bands[-1][0], b)
        else:
            bands.append((t, b))
    return bands


def upside_down_by_shape(gray: np.ndarray) -> bool | None:
    """True or False when the shape of the lines settles which way up the page is, else None."""
    ratio, lines = upright_ratio(gray)
    if lines < _MIN_LINES:
        return None
    if ratio >= UPRIGHT_RATIO:
        return False
    if ratio <= TURNED_RATIO:
        return True
    return None


def rotate_quarter(pixels: np.ndarray, rotation: int) -> np.ndarray:
    """Undo a counter-clockwise quarter turn of `rotation` degrees."""
    k = (rotation // 90) % 4
    if k == 0:
        return pixels
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(pixels, codes[k])


__all__ = ["InkPoints", "is_upside_down", "line_axis", "pick_lines", "rotate_quarter", "upside_down_by_shape"]
