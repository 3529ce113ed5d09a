"""Receipt sheets: the QR read on a page as scanned (skewed, upside down, a poor JPEG), cheaply, and nothing
else taken for a separator (land-use certificates and identity cards carry QR codes too)."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image

import synth
from pipeline import raster
from pipeline.ocr import OcrEngine
from pipeline.page import process_page
from pipeline.separators import (
    QrRead,
    is_dossier_code,
    read_qr,
    separator_code,
    split_at_separators,
)
from schemas.settings import PipelineSettings
from synth.docs.receipt import dossier_code

CODE = "000.00.28.H57-250338-1306"


def _as_jpeg(page: synth.GeneratedPage, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    page.image.save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(buf).convert("RGB"))


@pytest.mark.parametrize("backend", ["auto", "opencv"])
@pytest.mark.parametrize(
    ("dpi", "skew", "rotation", "quality", "defects"),
    [
        (150, 6.0, 180, 20, "photocopy"),  # upside down, skewed, a photocopy saved as a poor JPEG
        (200, -4.5, 180, 12, "scan"),
        (300, 2.0, 90, 30, "photocopy"),
        (200, 0.0, 270, 60, "scan"),
    ],
)
def test_receipt_qr_is_read_skewed_upside_down_and_from_a_poor_jpeg(
    backend: str, dpi: int, skew: float, rotation: int, quality: int, defects: str
) -> None:
    # GIVEN a receipt sheet as a feeder scans it
    sheet = synth.make_receipt_sheet(CODE, seed=dpi + rotation, dpi=dpi, skew_deg=skew, rotation=rotation,
                                     defects=defects)  # fmt: skip
    pixels = _as_jpeg(sheet, quality)
    # WHEN its QR is read (zxing-cpp, or OpenCV alone when zxing-cpp is missing)
    qr = read_qr(pixels, dpi, backend=backend)
    # THEN the dossier code comes out, and it makes the page a separator without any text
    assert qr.texts == (CODE,)
    assert separator_code(qr, None) == CODE


def test_qr_codes_of_other_papers_do_not_make_separators() -> None:
    # GIVEN papers with QR codes of their own: a 2024 land-use certificate and an identity card
    land = synth.make_page("land_use_certificate", seed=5, dpi=200, variant=2)
    card = synth.make_page("cccd", seed=5, dpi=200, variant=0)
    land_qr = read_qr(np.asarray(land.image), 200)
    assert land_qr.texts and "|" in land_qr.texts[0]  # serial|parcel|sheet|date
    for page in (land, card):
        qr = read_qr(np.asarray(page.image), 200)
        # THEN what their QR holds is no dossier code: not a separator, even with the page's text
        assert separator_code(qr, None) is None
        assert separator_code(qr, "\n".join(page.lines)) is None


def test_dossier_code_pattern() -> None:
    generated = [dossier_code(random.Random(seed)) for seed in range(20)]  # the generator's receipt codes
    for code in [CODE, "H57.22.10-240315-0001", "G22.33-250101-123456", *generated]:
        assert is_dossier_code(code), code
    for text in [
        "CT644610|1178|12|2024-10-21",  # land-use certificate
        "046096299047|190159229|Lê Gia Hiếu|11091996",  # identity card
        "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html",
        "000.00.28.H57-250338",
        "000.00.28.H57 250338 1306",
        "",
    ]:
        assert not is_dossier_code(text), text


def test_page_text_confirms_a_plain_code_and_stands_in_for_an_unreadable_qr() -> None:
    title = "ỦY BAN NHÂN DÂN PHƯỜNG AN CỰU\nPHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n"
    plain = QrRead(texts=("HS-2025-000123",), seen_undecoded=False, backend="zxing")
    assert separator_code(plain, title) == "HS-2025-000123"
    assert separator_code(plain, "GIẤY KHAI SINH") is None
    assert separator_code(plain, None) is None
    # the title as OCR may give it, without diacritics, and the code printed under it
    unread = QrRead(texts=(), seen_undecoded=True, backend="none")
    assert separator_code(unread, f"PHIEU TIEP NHAN HO SO\nMã hồ sơ: {CODE}\n") == CODE
    assert separator_code(unread, f"Mã hồ sơ: {CODE}") is None  # no title: a code quoted in another paper


def test_split_at_separators() -> None:
    assert split_at_separators([None, None, "A", None, None, "B"]) == [(None, 1, 2), ("A", 3, 5), ("B", 6, 6)]
    assert split_at_separators(["A", None, "B"]) == [("A", 1, 2), ("B", 3, 3)]
    assert split_at_separators([None, None]) == [(None, 1, 2)]
    assert split_at_separators([]) == []


def test_page_stage_marks_the_receipt_sheet(engine: OcrEngine, pipeline_settings: PipelineSettings) -> None:
    # GIVEN a receipt sheet scanned upside down and skewed
    sheet = synth.make_receipt_sheet(CODE, seed=11, dpi=150, skew_deg=-3.0, rotation=180, defects="photocopy")
    page = raster.PageImage(pixels=np.asarray(sheet.image), dpi=150, dpi_stated=True)
    # WHEN it goes through the page stage
    result = process_page(page, pipeline_settings, engine)
    # THEN the code is read and the page is turned upright as any other
    assert result.separator_code == CODE
    assert result.rotation == 180
    assert "separator" in result.timings
