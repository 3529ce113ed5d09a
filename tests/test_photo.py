"""Phone photos of a sheet on a desk are straightened, flattened and read; scans are never taken for photos."""

from __future__ import annotations

import numpy as np
import pytest

import synth
from pipeline import photo, raster
from pipeline.ocr import OcrEngine
from pipeline.page import process_page
from schemas.settings import PipelineSettings
from tests.conftest import recall, shared
from workers.stores.records import PageTask
from workers.usecases.pages import page_record


def test_generated_phone_photo_is_straightened_and_read(pipeline_settings: PipelineSettings, engine: OcrEngine) -> None:
    # GIVEN a phone photo of an application form on a desk: perspective, a thumb on its edge, uneven light
    # and a shadow (raw `tesseract -l vie` reads 97 % of this one's words, and 4-64 % of others like it)
    page = synth.make_page("application_form", seed=800, dpi=200, skew_deg=1.37, photo=True, thumb=True)
    image = raster.PageImage(pixels=np.asarray(page.image), dpi=200, dpi_stated=False)
    # WHEN it goes through the page stage
    result = process_page(image, pipeline_settings, engine)
    # THEN the page is recorded as a photo, the stored image is the sheet alone (A4's proportions, not the
    # photo's 3:4 with the desk), its content skew is what the generator applied, and it is read like a scan
    assert result.photo
    assert abs(result.height / result.width - 297 / 210) < 0.05
    assert abs(result.skew_deg - 1.37) <= 0.5
    assert recall(page.lines, result.ocr.text) >= 0.95  # 99.5 % when written
    # AND its record says so, with the sheet's resolution (about the generator's 200 dpi), not the file's
    record = page_record(PageTask("PH", 1, "photo.jpg", "0" * 64, "jpeg", 1), image, result, "unused")
    assert record.photo and not record.dpi_stated
    assert 180 <= record.dpi <= 215


@pytest.mark.parametrize(
    ("doc_type", "seed", "kwargs"),
    [
        ("birth_certificate", 601, {}),
        ("other", 606, {"defects": "photocopy", "skew_deg": 3.0}),  # the copier lid's shadow along an edge
        ("diploma", 604, {}),  # a printed frame around the page: a rectangle inside, on white paper
        ("official_document", 7, {"bilevel": True, "stamps": ("seal", "den"), "dpi": 200}),
    ],
)
def test_generated_scan_is_not_taken_for_a_photo(doc_type: str, seed: int, kwargs: dict[str, object]) -> None:
    page = synth.make_page(doc_type, seed=seed, **kwargs)  # type: ignore[arg-type]
    assert photo.find_sheet(np.asarray(page.image)) is None


@pytest.mark.parametrize("name", ["nq_115_ba_vi", "tt_21_bct_fuel", "tt_37_bca_vehicle"])
def test_real_scan_with_black_scanner_band_is_not_taken_for_a_photo(
    name: str, pipeline_settings: PipelineSettings
) -> None:
    # nq_115 has a black scanner band at the top, tt_21 one at the bottom: the paper does not reach every edge
    path = shared("real-vn", f"{name}.pdf")
    image = raster.load_page(path, "pdf", 0, pipeline_settings)
    assert photo.find_sheet(image.pixels) is None
