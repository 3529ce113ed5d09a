"""Orientation: which quarter turn the scan is in.

Convention (the record's): ``rotation`` is the counter-clockwise turn of the content found in the scan
(0, 90, 180, 270), undone before OCR.

Two cheap questions instead of Tesseract's OSD (0.6-0.9 s a page here, as long as the OCR itself):
1. Do the text lines run across or down the scan? The projection profile of the ink is far sharper along
   the lines than across them (`line_axis`).
2. Once the lines run across, is the page upside down? The page is read as it stands; a reading that is
   confident nonsense, with hardly a known word (`looks_misread`), is read again turned and the reading with
   clearly more known words is kept (in `pipeline/page.py`). Only the few upside-down pages cost a second
   reading; asking every page "which way up?" beforehand cost 0.46 s a page.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from pipeline.deskew import InkPoints, ink_points, search
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


def known_words(words: Sequence[OcrWord]) -> int:
    return sum(1 for w in words if fold(w.text).strip(".,:;/()|-") in LEXICON)


def looks_misread(words: Sequence[OcrWord]) -> bool:
    """Many words and hardly a known one: text read in the wrong orientation."""
    return len(words) >= 8 and known_words(words) < 0.05 * len(words)


def line_axis(mask: np.ndarray, max_deg: float = 10.0) -> int:
    """0 when the text lines run across the scan, 90 when they run down it (turned a quarter)."""
    across = ink_points(mask, 1.0)
    down = ink_points(np.ascontiguousarray(np.rot90(mask, -1)), 1.0)
    if len(across.x) < 50:
        return 0
    _, s_across = search(across, -max_deg, max_deg, 1.0)
    _, s_down = search(down, -max_deg, max_deg, 1.0)
    return 90 if s_down > 1.15 * s_across else 0


def rotate_quarter(pixels: np.ndarray, rotation: int) -> np.ndarray:
    """Undo a counter-clockwise quarter turn of `rotation` degrees."""
    k = (rotation // 90) % 4
    if k == 0:
        return pixels
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(pixels, codes[k])


__all__ = ["InkPoints", "known_words", "line_axis", "looks_misread", "rotate_quarter"]
