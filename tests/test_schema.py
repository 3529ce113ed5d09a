"""The record's JSON Schema file is current, and records validate against it."""

from __future__ import annotations

import json

import jsonschema

from schemas.export import SCHEMA_FILE, schema_text
from schemas.record import Dossier, DossierStatus, Page, PageSource, Word


def test_exported_schema_file_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run: python -m schemas.export"


def test_record_keys_are_the_contract() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert {"code", "status", "pages", "documents"} <= set(schema["properties"])
    page = schema["$defs"]["Page"]["properties"]
    for key in (
        "number",
        "source",
        "sha256",
        "width",
        "height",
        "dpi",
        "rotation",
        "skew_deg",
        "blank",
        "separator",
        "text",
        "confidence",
        "words",
    ):
        assert key in page, key
    assert {"text", "conf", "box"} <= set(schema["$defs"]["Word"]["properties"])
    assert set(schema["$defs"]["DossierStatus"]["enum"]) == {
        "received",
        "processing",
        "processed",
        "needs_review",
        "reviewed",
        "failed",
    }


def test_a_record_validates_and_text_is_nfc() -> None:
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" in NFD, as some PDFs and OCR give it
    page = Page(
        number=1,
        source=PageSource(file="a.pdf", page=1),
        sha256="0" * 64,
        width=10,
        height=10,
        dpi=300,
        rotation=0,
        skew_deg=0.0,
        text=decomposed,
        confidence=90,
        words=[Word(text=decomposed, conf=90, box=[0, 0, 5, 5])],
    )
    record = Dossier(code="HS-1", status=DossierStatus.processed, pages=[page])
    data = json.loads(record.to_json())
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert data["pages"][0]["text"] == "Nguyễn" and data["pages"][0]["words"][0]["text"] == "Nguyễn"
