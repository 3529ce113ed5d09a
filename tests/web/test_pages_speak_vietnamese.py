"""Issue 14, finding 5: what a clerk sees is in her language and never raw JSON, and a dossier's badges say what is
true now (a reviewed dossier has no "needs review" flags; a change after review puts it back in the queue)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schemas.record import DossierStatus
from tests.web.conftest import Staff, upload_and_wait

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def processed(client: TestClient, staff: Staff, dossier_pdf: Path) -> str:
    return upload_and_wait(client, staff, dossier_pdf)


def test_a_bad_page_parameter_is_a_vietnamese_page_naming_it_not_json(
    client: TestClient, staff: Staff, processed: str
) -> None:
    for url, name in ((f"/review/{processed}?page=abc", "page"), ("/search?q=" + "a" * 600, "q")):
        resp = client.get(url, headers=staff.reviewer | HTML)
        assert resp.status_code == 422
        assert resp.headers["content-type"].startswith("text/html")
        assert "tham số không hợp lệ" in resp.text and name in resp.text
        assert '"detail"' not in resp.text and "Input should be" not in resp.text


def test_the_api_answers_a_bad_parameter_in_the_error_family(client: TestClient, staff: Staff) -> None:
    resp = client.get("/api/search", params={"q": "a" * 600}, headers=staff.counter)
    assert resp.status_code == 422
    body = resp.json()
    assert body["error"] == "RequestError" and "q" in body["message"] and body["advice"]
    assert body["detail"]  # FastAPI's own list, for tools that read it


def test_a_missing_dossier_page_gives_its_advice_in_vietnamese_only(client: TestClient, staff: Staff) -> None:
    resp = client.get("/dossiers/HS-20260101-AAAAAA", headers=staff.counter | HTML)
    assert resp.status_code == 404
    assert "Không tìm thấy hồ sơ" in resp.text and "Kiểm tra lại mã hồ sơ" in resp.text
    assert "Check the dossier code" not in resp.text and "not found" not in resp.text


def test_a_reviewed_dossier_loses_its_flags_and_a_later_change_puts_it_back_in_the_queue(
    client: TestClient, staff: Staff, app: FastAPI, processed: str
) -> None:
    records = app.state.web.records
    records.set_status(processed, DossierStatus.needs_review)
    record = client.get(f"/api/dossiers/{processed}", headers=staff.reviewer).json()
    doc = next(i for i, d in enumerate(record["documents"]) if d["type"] == "application_form")
    client.post(f"/api/dossiers/{processed}/review", headers=staff.reviewer).raise_for_status()
    page = client.get(f"/review/{processed}", headers=staff.reviewer | HTML).text
    assert 'class="badge warn"' not in page and 'class="field low' not in page

    # WHEN a reviewer changes a field of the reviewed dossier
    res = client.post(
        f"/api/dossiers/{processed}/corrections",
        json={"target": "field", "document": doc, "key": "phone", "value": "0911111111"},
        headers=staff.reviewer,
    )
    assert res.status_code in (200, 201), res.text

    # THEN it needs review again, and the audit trail has both changes
    assert records.status(processed) == DossierStatus.needs_review
    trail = client.get(f"/api/dossiers/{processed}/corrections", headers=staff.reviewer).json()
    statuses = [(c["old"], c["new"]) for c in trail if c["target"] == "status"]
    assert statuses[-1] == ("reviewed", "needs_review")
