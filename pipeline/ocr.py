"""The one seam to Tesseract.

Tesseract runs in-process through tesserocr: the model is loaded once per worker process, and page pixels
are handed over as raw bytes (no PNG encoding, no process start per page). Its bundled libtesseract is
built without OpenMP, so it is single-threaded, as a 2-core machine needs; run one engine per core.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tesserocr

from schemas.errors import MissingLanguage, OcrEngineError


@dataclass(frozen=True)
class OcrWord:
    text: str
    conf: float
    box: tuple[int, int, int, int]
    line: int = 0  # text line, numbered in Tesseract's reading order (columns read one after the other)
    block: int = 0


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float  # mean word confidence, 0-100
    words: tuple[OcrWord, ...]


EMPTY = OcrResult(text="", confidence=0.0, words=())


def ensure_language(lang: str, tessdata: str) -> None:
    """Raise `MissingLanguage` unless every model of `lang` ('vie', 'vie+eng') is installed."""
    for part in lang.split("+"):
        if not part or not (Path(tessdata) / f"{part}.traineddata").is_file():
            raise MissingLanguage(f"Tesseract language data '{part}' is not installed in {tessdata}")


class OcrEngine:
    """A loaded Tesseract model. Not thread-safe: one per process (or thread)."""

    def __init__(self, lang: str, tessdata: str) -> None:
        ensure_language(lang, tessdata)
        self.lang = lang
        try:
            self._api = tesserocr.PyTessBaseAPI(
                path=tessdata, lang=lang, psm=tesserocr.PSM.AUTO, oem=tesserocr.OEM.LSTM_ONLY
            )
        except RuntimeError as exc:
            raise OcrEngineError(f"Tesseract could not load '{lang}' from {tessdata}: {exc}") from exc
        self._osd: tesserocr.PyTessBaseAPI | None = None

    def close(self) -> None:
        self._api.End()
        if self._osd is not None:
            self._osd.End()

    def _set_image(self, api: tesserocr.PyTessBaseAPI, gray: np.ndarray, dpi: int) -> None:
        if gray.ndim != 2 or gray.dtype != np.uint8:
            raise ValueError("OCR takes a 2-D uint8 gray image")
        gray = np.ascontiguousarray(gray)
        h, w = gray.shape
        api.SetImageBytes(gray.tobytes(), w, h, 1, w)
        api.SetSourceResolution(int(dpi))

    def read(self, gray: np.ndarray, dpi: int) -> OcrResult:
        """Full-page OCR: text, mean confidence and every word with its box and confidence."""
        api = self._api
        api.SetPageSegMode(tesserocr.PSM.AUTO)
        self._set_image(api, gray, dpi)
        try:
            api.Recognize()
        except RuntimeError as exc:
            raise OcrEngineError(f"Tesseract failed on the page: {exc}") from exc
        words: list[OcrWord] = []
        it = api.GetIterator()
        level = tesserocr.RIL.WORD
        line = block = -1
        if it is not None:
            for w in tesserocr.iterate_level(it, level):
                if w.IsAtBeginningOf(tesserocr.RIL.BLOCK):
                    block += 1
                if w.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                    line += 1
                try:
                    text = w.GetUTF8Text(level)
                except RuntimeError:  # tesserocr's "No text returned": an element without text
                    continue
                if not text or not text.strip():
                    continue
                bbox = w.BoundingBox(level)
                if bbox is None:
                    continue
                conf = max(0.0, min(100.0, float(w.Confidence(level))))
                words.append(
                    OcrWord(
                        text=unicodedata.normalize("NFC", text.strip()),
                        conf=conf,
                        box=bbox,
                        line=max(line, 0),
                        block=max(block, 0),
                    )
                )
        try:
            text = unicodedata.normalize("NFC", api.GetUTF8Text() or "").strip()
        except RuntimeError:
            text = ""
        mean = float(np.mean([w.conf for w in words])) if words else 0.0
        api.Clear()
        return OcrResult(text=text, confidence=round(mean, 2), words=tuple(words))

    def read_strip(self, gray: np.ndarray, dpi: int) -> list[tuple[str, float]]:
        """The words, with their confidences, of a strip of text read as one block."""
        api = self._api
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
        self._set_image(api, gray, dpi)
        try:
            api.Recognize()
        except RuntimeError as exc:
            raise OcrEngineError(f"Tesseract failed on a strip: {exc}") from exc
        try:
            words = (api.GetUTF8Text() or "").split()
        except RuntimeError:
            words = []
        confs = [c for c in api.AllWordConfidences() if c >= 0]
        api.Clear()
        api.SetPageSegMode(tesserocr.PSM.AUTO)
        if len(words) != len(confs):
            words = words[: len(confs)] + [""] * max(0, len(confs) - len(words))
        return [(unicodedata.normalize("NFC", w), float(c)) for w, c in zip(words, confs, strict=False)]
