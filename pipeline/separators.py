"""Receipt sheets (Phiếu tiếp nhận hồ sơ) that separate dossiers in a scanned stack, and the code they carry.

The service centre's receipt carries the dossier code (mã hồ sơ) as a QR code and in print ("Mã hồ sơ: …").
A QR code alone does not make a separator: land-use certificates (2024 form) and identity cards carry QR
codes too, holding other things. A page is a receipt sheet when

- its QR holds a dossier code (`DOSSIER_CODE`: the portal's agency code, the date, a sequence), or
- its QR holds a plainer code-like text and its printed text has the sheet's title, or
- no QR could be read but the text has the title and a printed dossier code.

QR codes are read on a gray copy at about 100 dpi, where a receipt's QR (26-32 mm, 25 modules) still has
about four pixels a module: a few milliseconds a page, since this runs on every page. zxing-cpp finds QR codes
in any orientation and skew; only when it sees a QR it cannot decode is a finer copy tried, then OpenCV's
detector. Without zxing-cpp, OpenCV's detector does the work (slower).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from pipeline.extract.text import fold

if TYPE_CHECKING:  # the catalogue's pydantic models cost 0.1 s to import, before a page's first read
    from schemas.procedures import ProcedureCatalog

_zxing: Any
try:  # optional at run time: OpenCV reads QR codes too, only slower
    import zxingcpp as _zxing
except ImportError:  # pragma: no cover - exercised by forcing the OpenCV backend in the tests
    _zxing = None

# The portal's dossier codes: agency identification code (dot-separated groups such as "000.00.28.H57"
# or "H57.22.10"), then the receipt date or year+serial (6 digits), then a sequence: "000.00.28.H57-250338-1306".
_CODE_BODY = r"[0-9A-Z]{1,3}(?:\.[0-9A-Z]{1,3}){1,4}-\d{6}-\d{4,6}"
DOSSIER_CODE = re.compile(rf"^{_CODE_BODY}$")
_CODE_IN_TEXT = re.compile(rf"(?<![\w.]){_CODE_BODY}(?![\w.-])")
# A code other systems might print: letters, digits, dots, dashes, underscores; safe as a file or object name.
_LOOSE_CODE = re.compile(r"^(?=.*\d)[0-9A-Za-z][0-9A-Za-z._-]{5,62}$")
_TITLE = re.compile(r"phieu\s*tiep\s*nhan")
# A receipt's QR may carry the procedure's key after the code: "000.00.28.H57-250338-1306|birth_registration".
_CODE_AND_PROCEDURE = re.compile(rf"^({_CODE_BODY}|{_LOOSE_CODE.pattern[1:-1]})[|;]([a-z][a-z0-9_]{{1,63}})$")
_NAME_CUTOFF = 90  # partial_ratio of a procedure's name in the receipt's text

_QR_DPI = 100  # modules of a receipt's QR are ~1.1 mm: ~4 px each at 100 dpi
_RETRY_DPI = 200


@dataclass(frozen=True)
class QrRead:
    texts: tuple[str, ...]  # decoded QR contents, in the order found
    seen_undecoded: bool  # a QR was located but could not be decoded
    backend: str  # "zxing" | "opencv" | "none"


def is_dossier_code(text: str) -> bool:
    return bool(DOSSIER_CODE.match(text.strip()))


def has_receipt_title(text: str) -> bool:
    return bool(_TITLE.search(fold(text)))


def _gray_at(pixels: np.ndarray, dpi: int, target_dpi: int) -> np.ndarray:
    """A gray copy at about `target_dpi`. Bilinear by an integer factor, then gray: a few ms even at 300 dpi
    (area averaging of the full page costs 10-35 ms), and QR modules, several pixels wide, lose nothing."""
    factor = max(1, round(dpi / target_dpi))
    small = pixels
    if factor > 1:
        h, w = pixels.shape[:2]
        small = cv2.resize(pixels, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_LINEAR)
    if small.ndim == 3:
        small = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(small)


def _zxing_read(gray: np.ndarray) -> tuple[list[str], bool]:
    assert _zxing is not None
    found = _zxing.read_barcodes(gray, formats=_zxing.BarcodeFormat.QRCode, return_errors=True)
    texts = [b.text for b in found if b.valid and b.text]
    return texts, any(not b.valid for b in found)


def _opencv_read(gray: np.ndarray) -> list[str]:
    # The ArUco-based detector finds skewed, low-quality QR codes the classic one misses (60/60 against
    # 46/60 on generated receipts at 100 dpi); it exists from OpenCV 4.8.
    maker = getattr(cv2, "QRCodeDetectorAruco", cv2.QRCodeDetector)
    detector = maker()
    try:
        ok, decoded, _points, _ = detector.detectAndDecodeMulti(gray)
    except cv2.error:
        return []
    return [t for t in decoded if t] if ok else []


def read_qr(pixels: np.ndarray, dpi: int, *, backend: str = "auto") -> QrRead:
    """The QR codes on a page (any rotation, skew), read cheaply; `backend` "auto" | "zxing" | "opencv"."""
    use_zxing = backend in ("auto", "zxing") and _zxing is not None
    if backend == "zxing" and _zxing is None:
        raise RuntimeError("zxing-cpp is not installed")
    gray = _gray_at(pixels, dpi, _QR_DPI)
    if use_zxing:
        texts, undecoded = _zxing_read(gray)
        if texts or not undecoded:
            return QrRead(tuple(texts), False, "zxing")
        # A QR is there but did not decode at 100 dpi: finer pixels, then the other detector.
        finer = _gray_at(pixels, dpi, _RETRY_DPI)
        texts, undecoded = _zxing_read(finer)
        if not texts and backend == "auto":
            texts = _opencv_read(finer)
        return QrRead(tuple(texts), not texts, "zxing" if texts else "none")
    texts = _opencv_read(gray)
    return QrRead(tuple(texts), False, "opencv" if texts else "none")


def separator_code(qr: QrRead | None, text: str | None) -> str | None:
    """The dossier code if the page is a receipt sheet, else None.

    `text` is the page's OCR text, or None when it is not known (then only a dossier-code QR counts).
    """
    texts = [_code_part(t.strip()) for t in (qr.texts if qr else ())]
    for t in texts:
        if DOSSIER_CODE.match(t):
            return t
    if text is None or not has_receipt_title(text):
        return None
    for t in texts:
        if _LOOSE_CODE.match(t):
            return t
    if not texts:
        printed = _CODE_IN_TEXT.search(text)
        if printed:
            return printed.group(0)
    return None


def _code_part(text: str) -> str:
    m = _CODE_AND_PROCEDURE.match(text)
    return m.group(1) if m else text


def qr_procedure(qr: QrRead | None) -> str | None:
    """The procedure key a receipt's QR carries after its code ("CODE|KEY"), else None."""
    for t in qr.texts if qr else ():
        m = _CODE_AND_PROCEDURE.match(t.strip())
        if m:
            return m.group(2)
    return None


def printed_procedure(text: str, procedures: ProcedureCatalog) -> str | None:
    """The key of the procedure a receipt sheet prints ("Nội dung yêu cầu giải quyết: Đăng ký khai sinh", or its
    code "1.001193"), the longest name found when several are; None when it names none."""
    from rapidfuzz import fuzz  # here: only a sheet's text needs it, not the way to a page's OCR

    folded = fold(" ".join(text.split()))
    best: tuple[int, float, str] | None = None
    for p in procedures.procedures:
        if re.search(rf"(?<![\d.]){re.escape(p.code)}(?![\d.])", text):
            return p.key
        name = fold(p.name_vi)
        score = fuzz.partial_ratio(name, folded) if len(folded) >= len(name) else 0.0
        if score >= _NAME_CUTOFF and (best is None or (len(name), score) > best[:2]):
            best = (len(name), score, p.key)
    return best[2] if best else None


def split_at_separators(codes: Sequence[str | None]) -> list[tuple[str | None, int, int]]:
    """The parts of a scanned stack: (dossier code or None, first page, last page), pages 1-based.

    `codes` holds each page's receipt-sheet code or None. A sheet starts a part with its code; the pages
    before the first sheet (or all of them, when there is none) make a part without a code.
    """
    parts: list[list[Any]] = []
    for number, code in enumerate(codes, start=1):
        if code is not None or not parts:
            parts.append([code, number, number])
        else:
            parts[-1][2] = number
    return [(p[0], int(p[1]), int(p[2])) for p in parts]
