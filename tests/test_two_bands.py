"""One page read by two engines at once (pipeline/ocr.py `PairedEngine`), cut at a blank gap between lines."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import synth
from pipeline import raster
from pipeline.ocr import OcrEngine, OcrResult, OcrWord, PairedEngine, band_cut, joined_bands
from pipeline.page import process_page
from schemas.errors import OcrEngineError
from schemas.settings import PipelineSettings
from tests.conftest import recall

DPI = 100


def _lines(height_in: float, rows: list[int], width: int = 800) -> np.ndarray:
    """A white page with a black 'line of text' (a bar 20 px tall) starting at each of `rows`."""
    page = np.full((round(height_in * DPI), width), 255, np.uint8)
    for top in rows:
        page[top : top + 20, 50:750] = 0
    return page


def test_a_page_is_cut_in_the_blank_gap_nearest_half_its_ink() -> None:
    # GIVEN ten lines evenly spaced down a page 11 inches tall
    rows = [100 + 90 * i for i in range(10)]
    page = _lines(11, rows)
    # WHEN a cut is asked for
    cut = band_cut(page, DPI)
    # THEN it falls in the blank gap between the fifth and the sixth line: paper from edge to edge
    assert cut is not None
    assert rows[4] + 20 <= cut < rows[5]
    assert not (page[cut] < 128).any()


def test_a_page_whose_ink_runs_its_whole_height_is_read_whole() -> None:
    # GIVEN the same lines, and a rule down the left margin from top to bottom: no row is blank edge to edge
    page = _lines(11, [100 + 90 * i for i in range(10)])
    page[:, 20:23] = 0
    # THEN there is nowhere to cut
    assert band_cut(page, DPI) is None


def test_a_gap_far_from_half_the_ink_is_not_taken() -> None:
    # GIVEN a page whose lines are packed in two blocks: eight lines close together, then two far below
    page = _lines(11, [100 + 22 * i for i in range(8)] + [800, 822])
    # THEN the one wide gap leaves 80 % of the ink above it: not a cut that shares the work
    assert band_cut(page, DPI) is None


def test_a_short_page_is_read_whole() -> None:
    # A card or a strip (under 4 inches tall) is not worth a second thread.
    assert band_cut(_lines(3.5, [50, 140, 230]), DPI) is None


def test_the_lower_band_comes_back_in_the_pages_rows_lines_and_blocks() -> None:
    upper = OcrResult("a b", 90.0, (OcrWord("a", 90, (10, 10, 40, 30), 0, 0), OcrWord("b", 90, (50, 10, 80, 30), 1, 0)))
    lower = OcrResult("c", 60.0, (OcrWord("c", 60, (10, 5, 40, 25), 0, 0),))
    page = joined_bands(upper, lower, 500)
    assert [w.text for w in page.words] == ["a", "b", "c"]
    assert page.words[2].box == (10, 505, 40, 525)
    assert (page.words[2].line, page.words[2].block) == (2, 1)
    assert page.text == "a b\n\nc"
    assert page.confidence == 80.0


class _Failing:
    def read(self, gray: np.ndarray, dpi: int) -> OcrResult:
        raise OcrEngineError("Tesseract failed on the page: test")

    def close(self) -> None:
        pass


def test_an_error_in_the_lower_bands_thread_is_raised_to_the_caller(engine: OcrEngine) -> None:
    paired = PairedEngine(engine, _Failing())  # type: ignore[arg-type]
    with pytest.raises(OcrEngineError, match="test"):
        paired.read(_lines(11, [100 + 90 * i for i in range(10)]), DPI)


@pytest.fixture(scope="module")
def second(pipeline_settings: PipelineSettings) -> Iterator[OcrEngine]:
    eng = OcrEngine(pipeline_settings.lang, pipeline_settings.tessdata)
    yield eng
    eng.close()


def test_two_engines_read_a_generated_certificate_as_one_does(
    pipeline_settings: PipelineSettings, engine: OcrEngine, second: OcrEngine
) -> None:
    # GIVEN a generated birth certificate, A4 at 300 dpi
    made = synth.make_page("birth_certificate", seed=5, dpi=300, skew_deg=1.0)
    page = raster.PageImage(pixels=np.asarray(made.image), dpi=300, dpi_stated=True)
    # WHEN the page stage reads it with one engine, and with two sharing it
    whole = process_page(page, pipeline_settings, engine)
    halves = process_page(page, pipeline_settings, PairedEngine(engine, second))
    # THEN both read the text as well, and the words found by both stand in the same places on the page
    assert recall(made.lines, halves.ocr.text) >= recall(made.lines, whole.ocr.text) - 0.02
    boxes = {(w.text, w.box) for w in whole.ocr.words}
    same = [w for w in halves.ocr.words if any(t == w.text and _near(b, w.box) for t, b in boxes)]
    assert len(same) >= 0.9 * len(halves.ocr.words)
    assert max(w.box[3] for w in same) > 0.7 * halves.height  # the lower band's words among them
    lines = [w.line for w in halves.ocr.words]
    assert lines == sorted(lines)


def _near(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return all(abs(x - y) <= 4 for x, y in zip(a, b, strict=True))
