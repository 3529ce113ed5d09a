"""The one intake: every channel splits a stack at its receipt sheets the same way (one dossier per sheet,
coded by its QR), finds duplicates, and reads each sheet's QR on a cheap decode of the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import synth
from schemas.record import Page, PageSource
from workers.cli import main
from workers.settings import Settings
from workers.stores.objects import make_store
from workers.stores.records import PageTask, Records
from workers.usecases.intake import Channel, Submission, receive
from workers.usecases.pages import PageOutcome, PageWorker

SHEET_A = "000.00.21.H46-250101-0001"
SHEET_B = "000.00.21.H46-250101-0002"


def fake_page_work(self: PageWorker, task: PageTask) -> PageOutcome:
    """The page stage without OCR: these tests are about intake, not about reading."""
    page = Page(number=task.number, source=PageSource(file=task.file_name, page=task.source_page),
                sha256=task.sha256, width=10, height=10, dpi=150, rotation=0, skew_deg=0.0, blank=True)  # fmt: skip
    return PageOutcome(page=page, timings={})


@pytest.fixture(scope="module")
def stack_with_one_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """[blank, receipt sheet A (skewed), blank]."""
    sheet = synth.make_receipt_sheet(SHEET_A, seed=1, dpi=150, skew_deg=2.0)
    blank = [synth.make_blank_page(seed=s, dpi=150) for s in range(2)]
    path = tmp_path_factory.mktemp("stack") / "stack.pdf"
    synth.write_pdf([blank[0], sheet, blank[1]], path)
    return path


def test_hoso_process_of_a_stack_with_a_receipt_sheet_splits_it(
    tmp_path: Path, stack_with_one_sheet: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a stack whose second page is a receipt sheet
    monkeypatch.setattr(PageWorker, "run", fake_page_work)
    out = tmp_path / "record.json"
    # WHEN `hoso process` takes it
    rc = main(["process", str(stack_with_one_sheet), "--json", str(out), "--data-dir", str(tmp_path / "d"),
               "--jobs", "1", "--no-progress"])  # fmt: skip
    # THEN two dossiers: the one asked for holds the page before the sheet, the sheet starts one coded by its QR
    assert rc == 0, capsys.readouterr().err
    first = json.loads(out.read_text())
    second = json.loads(out.with_suffix(f".{SHEET_A}.json").read_text())
    assert [p["source"]["page"] for p in first["pages"]] == [1]
    assert second["code"] == SHEET_A
    assert [(p["number"], p["source"]["page"]) for p in second["pages"]] == [(1, 2), (2, 3)]
    assert second["source"]["channel"] == "process" and second["source"]["first_page"] == 2
    assert SHEET_A in capsys.readouterr().err


def test_a_file_already_in_another_dossier_is_found_as_a_duplicate(tmp_path: Path, stack_with_one_sheet: Path) -> None:
    # GIVEN a file received into one dossier
    settings = Settings(data_dir=tmp_path / "d")
    settings.data_dir.mkdir()
    records, store = Records(settings.db_url), make_store(settings)
    try:
        receive(records, store, Submission((stack_with_one_sheet,), Channel.api, "HS-A"))
        # WHEN the same bytes come again, into another dossier
        again = receive(records, store, Submission((stack_with_one_sheet,), Channel.submit, "HS-B"))
        # THEN the duplicate is found (same SHA-256), naming the dossier that holds it; the original is stored once
        assert [(d.name, d.dossiers) for d in again.duplicates] == [("stack.pdf", ("HS-A",))]
        assert len(list((settings.objects_dir / "originals").iterdir())) == 1
    finally:
        records.close()
