"""Pages from the project's own generator of Vietnamese papers: known skew, rotation, text and seals."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import synth
from pipeline import raster
from pipeline.ocr import OcrEngine
from pipeline.orient import upside_down_by_shape
from pipeline.page import analyse_geometry, process_page
from pipeline.print_size import line_height, reading_scale
from schemas.settings import PipelineSettings
from tests.conftest import recall


def _image(page: synth.GeneratedPage) -> raster.PageImage:
    return raster.PageImage(pixels=np.asarray(page.image), dpi=page.dpi, dpi_stated=True)


@pytest.mark.parametrize(("skew", "rotation"), [(4.2, 90), (-6.5, 0), (2.5, 270)])
def test_generated_page_geometry_is_found(skew: float, rotation: int, pipeline_settings: PipelineSettings) -> None:
    page = synth.make_page("application_form", seed=11, dpi=200, skew_deg=skew, rotation=rotation, seal=False)
    _blank, axis, found, _m, _s = analyse_geometry(np.asarray(page.image), page.dpi, pipeline_settings)
    assert axis == rotation % 180
    assert found == pytest.approx(skew, abs=0.3)


def test_upside_down_skewed_certificate_is_read_in_vietnamese(
    pipeline_settings: PipelineSettings, engine: OcrEngine
) -> None:
    page = synth.make_page("birth_certificate", seed=3, dpi=300, skew_deg=-2.8, rotation=180)
    result = process_page(_image(page), pipeline_settings, engine)
    assert result.rotation == 180
    assert result.skew_deg == pytest.approx(-2.8, abs=0.3)
    assert "KHAI SINH" in result.ocr.text
    assert recall(page.lines, result.ocr.text) > 0.85


def test_text_under_a_red_seal_is_read(pipeline_settings: PipelineSettings, engine: OcrEngine) -> None:
    # GIVEN a certificate whose signature block (office, signer) lies under a red seal
    page = synth.make_page("birth_certificate", seed=0, dpi=300, defects="scan")
    block = page.lines[-5:]
    # WHEN read with the seal lifted out, and (to show the stage matters) without
    lifted = process_page(_image(page), pipeline_settings, engine)
    kept = process_page(_image(page), dataclasses.replace(pipeline_settings, remove_seals=False), engine)
    # THEN the seal was found (perhaps the blue signature over the print too: a pen stroke, lifted as well)
    # and every line under it is read; without the stage, lines are lost
    assert lifted.seals >= 1
    assert [line for line in block if line not in lifted.ocr.text] == []
    assert len([line for line in block if line not in kept.ocr.text]) >= 2


def test_red_title_is_not_taken_for_a_seal(pipeline_settings: PipelineSettings, engine: OcrEngine) -> None:
    page = synth.make_page("land_use_certificate", seed=4, dpi=200, seal=False, variant=0)
    result = process_page(_image(page), pipeline_settings, engine)
    assert result.seals == 0
    assert "QUYỀN SỬ DỤNG ĐẤT" in result.ocr.text


def test_blank_back_is_blank_and_not_read(pipeline_settings: PipelineSettings, engine: OcrEngine) -> None:
    front = synth.make_page("diploma", seed=2, dpi=200)
    back = synth.make_blank_page(seed=2, dpi=200, bleed=front)
    result = process_page(_image(back), pipeline_settings, engine)
    assert result.blank and result.ocr.words == () and result.timings.get("ocr") is None
    sparse = synth.make_page("other", seed=5, dpi=200, seal=False)
    assert not process_page(_image(sparse), pipeline_settings, engine).blank


def test_small_card_print_at_200_dpi_is_read(pipeline_settings: PipelineSettings, engine: OcrEngine) -> None:
    # GIVEN an A4 photocopy of an ID card scanned at 200 dpi: letters about 6 pixels high
    doc, pages = synth.make_document("cccd", seed=55, dpi=200, defects="photocopy", variant=3, font="noto-serif")
    number = next(f.value for f in doc.fields if f.key == "id_number")
    # WHEN read, THEN the page is enlarged for OCR (at its size Tesseract read 6 words of such a page) and the
    # card number is found, its box on the page
    result = process_page(_image(pages[0]), pipeline_settings, engine)
    assert len(result.ocr.words) > 60
    word = next((w for w in result.ocr.words if number in w.text), None)
    assert word is not None, result.ocr.text[:300]
    assert word.box[2] <= result.width and word.box[3] <= result.height


@pytest.mark.parametrize(("doc_type", "rotation"), [("land_use_certificate", 0), ("diploma", 180), ("cccd", 180)])
def test_which_way_up_is_settled_by_the_shape_of_the_lines(doc_type: str, rotation: int) -> None:
    # GIVEN a cleaned generated page, upright or upside down (card print included)
    _doc, pages = synth.make_document(doc_type, seed=31, dpi=300, rotation=rotation)
    gray = np.asarray(pages[0].image.convert("L"))
    # WHEN asked which way up from the ink above and below the letters' core band, no OCR
    # THEN the answer is certain and right
    assert upside_down_by_shape(gray) is (rotation == 180)


def test_ordinary_print_is_read_reduced_with_boxes_on_the_stored_page(
    pipeline_settings: PipelineSettings, engine: OcrEngine
) -> None:
    # GIVEN a 300-dpi birth certificate (text lines about 36 pixels high)
    doc, pages = synth.make_document("birth_certificate", seed=8, dpi=300, skew_deg=1.5)
    image = _image(pages[0])
    _blank, _axis, skew, mask, scale = analyse_geometry(image.pixels, image.dpi, pipeline_settings)
    assert reading_scale(line_height(mask, skew) / scale, image.dpi) < 0.75
    # WHEN processed, THEN the stored page keeps the scan's size, and the boxes are on it: the registration
    # number is found where it is printed
    result = process_page(image, pipeline_settings, engine)
    assert abs(result.width - image.pixels.shape[1]) < 0.05 * image.pixels.shape[1]
    number = next(f.value for f in doc.fields if f.key == "registration_number")
    word = next((w for w in result.ocr.words if number in w.text), None)
    assert word is not None, result.ocr.text[:300]
    x0, y0, x1, y1 = word.box
    assert x1 <= result.width and y1 <= result.height
    crop = np.asarray(result.image)[y0:y1, x0:x1]
    assert crop.size and crop.min() < 100  # ink where the box says
    assert recall(pages[0].lines, result.ocr.text) > 0.9


def test_card_print_at_300_dpi_is_read_at_its_size(pipeline_settings: PipelineSettings) -> None:
    # GIVEN an A4 photocopy of an ID card at 300 dpi (text lines about 20 pixels high)
    _doc, pages = synth.make_document("cccd", seed=12, dpi=300, defects="photocopy")
    image = _image(pages[0])
    _blank, _axis, skew, mask, scale = analyse_geometry(image.pixels, image.dpi, pipeline_settings)
    # WHEN its reading size is chosen, THEN it is not reduced (reduced card print loses words)
    assert reading_scale(line_height(mask, skew) / scale, image.dpi) == 1.0


def test_reading_size_follows_the_print_not_the_scan_resolution() -> None:
    # lines 72 px high on a 600-dpi scan are read at about 20 px, as 36-px lines at 300 dpi are
    assert reading_scale(72.0, 600) == pytest.approx(20 / 72)
    assert reading_scale(36.0, 300) == pytest.approx(20 / 36)
    # ... but never below 150 dpi, whatever the lines measured (lines run together measure tall)
    assert reading_scale(200.0, 300) == 0.5
    # card print, and pages with no lines found, are read at their size
    assert reading_scale(22.0, 300) == 1.0
    assert reading_scale(0.0, 300) == 1.0
