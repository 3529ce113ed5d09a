"""Settings the pipeline needs, passed in by the caller (the pipeline never reads the environment)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"


@dataclass(frozen=True)
class PipelineSettings:
    lang: str = "vie"
    tessdata: str = DEFAULT_TESSDATA
    default_dpi: int = 300
    max_pixels: int = 100_000_000  # about A0 at 300 dpi; beyond is a decompression bomb
    max_pages: int = 500
    # A page is blank when its ink covers less than this fraction of the page.
    blank_ink_ratio: float = 0.0015
    # Largest skew searched, degrees.
    max_skew_deg: float = 45.0
    # Suppress red seals and stamps before OCR so the text under them is read.
    remove_seals: bool = True
    # Rescore the marks of Vietnamese words from the LSTM's per-character alternatives (pipeline/marks.py).
    rescore_marks: bool = True
