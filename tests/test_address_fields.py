"""The addresses of forms and land-use certificates (issue 15): read from generated pages by hoso's own page
stage, kept as printed, and given their units on the map of the paper and today's."""

from __future__ import annotations

import numpy as np
import pytest

import synth
from pipeline import raster
from pipeline.classify import TextClassifier
from pipeline.documents import build_documents
from pipeline.ocr import OcrEngine
from pipeline.page import process_page
from schemas.doctypes import load_catalog
from schemas.record import Document, Page
from schemas.settings import PipelineSettings
from workers.stores.records import PageTask
from workers.usecases.pages import page_record


def _read(page: synth.GeneratedPage, settings: PipelineSettings, engine: OcrEngine) -> Page:
    image = raster.PageImage(pixels=np.asarray(page.image), dpi=page.dpi, dpi_stated=True)
    result = process_page(image, settings, engine)
    return page_record(PageTask("ADDR", 1, "generated.pdf", "0" * 64, "pdf", 1), image, result, "unused")


def _only(pages: list[Page], doc_type: str) -> Document:
    [doc] = build_documents(pages, TextClassifier.load(), load_catalog())
    assert doc.type == doc_type
    return doc


@pytest.mark.parametrize(
    ("doc_type", "key", "variant"),
    [("application_form", "applicant_address", 0), ("land_use_certificate", "holder_address", 0)],
)
def test_address_printed_on_the_paper_is_read_with_its_units(
    doc_type: str, key: str, variant: int, pipeline_settings: PipelineSettings, engine: OcrEngine
) -> None:
    # GIVEN a generated paper (its first page: the applicant's or the holder's details) with its address
    doc, pages = synth.make_document(doc_type, seed=21, dpi=300, variant=variant)
    printed = next(f.value for f in doc.fields if f.key == key)
    # WHEN its page is OCRed and its fields read
    found = _only([_read(pages[0], pipeline_settings, engine)], doc_type).fields[key]
    # THEN the address is the printed one, and carries its ward and province, and today's
    assert found.value == printed
    assert found.units is not None and found.units.ward and found.units.province
    assert found.units.current.ward and found.units.current.province
    assert found.units.codes.get("province")
