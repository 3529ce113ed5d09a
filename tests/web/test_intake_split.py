"""Uploads go through the one intake: a stack with receipt sheets becomes one dossier per sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import synth
from tests.test_intake import SHEET_A, SHEET_B, fake_page_work
from tests.web.conftest import make_staff, wait_final
from workers.settings import Settings
from workers.usecases.pages import PageWorker
from workers.web.app import create_app


def test_a_stack_with_two_receipt_sheets_uploaded_through_the_api_becomes_two_dossiers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a stack [sheet A, blank, sheet B (upside down), blank] and the web app (embedded, one process)
    sheets = [synth.make_receipt_sheet(SHEET_A, seed=3, dpi=150, skew_deg=1.0),
              synth.make_receipt_sheet(SHEET_B, seed=4, dpi=150, skew_deg=-2.0, rotation=180)]  # fmt: skip
    blank = [synth.make_blank_page(seed=s, dpi=150) for s in range(2)]
    pdf = tmp_path / "chong.pdf"
    synth.write_pdf([sheets[0], blank[0], sheets[1], blank[1]], pdf)
    monkeypatch.setattr(PageWorker, "run", fake_page_work)
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1), resume=False)
    staff = make_staff(app)
    with TestClient(app) as c, pdf.open("rb") as fh:
        # WHEN it is uploaded through the API as one dossier
        r = c.post("/api/dossiers", headers=staff.counter, files=[("files", ("chong.pdf", fh))], data={"code": "HS-X"})
        assert r.status_code == 201, r.text
        wait_final(c, "HS-X", staff.counter, timeout=60)
        app.state.web.runner.join()
        # THEN two dossiers: the one asked for holds sheet A and its back, sheet B starts one coded by its QR
        first = c.get("/api/dossiers/HS-X", headers=staff.counter).json()
        second = c.get(f"/api/dossiers/{SHEET_B}", headers=staff.counter).json()
    assert [p["source"]["page"] for p in first["pages"]] == [1, 2]
    assert [p["source"]["page"] for p in second["pages"]] == [3, 4]
    assert second["status"] in ("processed", "needs_review", "failed")  # blank pages only: no documents
    assert second["source"]["channel"] == "api" and second["source"]["file"] == "chong.pdf"
