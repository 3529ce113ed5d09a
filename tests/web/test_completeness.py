"""Completeness at the counter: a dossier names its procedure on the counter form, the counter page shows each
paper the procedure requires as found (with its pages) or missing ("Thiếu: Giấy chứng sinh") while pages are
read, and a dossier lacking a paper is marked reviewed only with a reason, kept in the correction log."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schemas.record import DossierStatus
from tests.web.conftest import Staff, wait_final


@pytest.fixture(scope="module")
def declaration_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A birth registration's declaration alone (the hospital's birth notice and the declarant's identity card are
    not there), one page, 150 dpi."""
    import synth

    path = tmp_path_factory.mktemp("scans") / "to-khai.pdf"
    _doc, pages = synth.make_document("application_form", seed=31, dpi=150, variant=0)
    synth.write_pdf(pages[:1], path)
    return path


def _upload(client: TestClient, staff: Staff, path: Path, **form: str) -> httpx.Response:
    with path.open("rb") as fh:
        return client.post("/api/dossiers", headers=staff.counter, files=[("files", (path.name, fh))], data=form)


@pytest.fixture(scope="module")
def code(client: TestClient, staff: Staff, declaration_only: Path) -> str:
    r = _upload(client, staff, declaration_only, citizen_name="Lê Thị Mai", procedure="birth_registration")
    assert r.status_code == 201, r.text
    code: str = r.json()["code"]
    wait_final(client, code, staff.counter)
    return code


def test_the_counter_form_offers_the_procedures(client: TestClient, staff: Staff) -> None:
    page = client.get("/", headers=staff.counter).text
    assert '<select name="procedure" id="procedure">' in page
    assert '<option value="birth_registration">Đăng ký khai sinh</option>' in page
    assert '<option value="land_change_registration">' in page


def test_the_counter_page_shows_the_missing_birth_notice(client: TestClient, staff: Staff, code: str) -> None:
    html = client.get(f"/dossiers/{code}/completeness", headers=staff.counter).text
    assert "Thiếu: Giấy chứng sinh" in html
    assert '✓ Tờ khai đăng ký khai sinh <span class="muted">(Trang 1)</span>' in html
    assert "Thiếu: Giấy tờ tùy thân của người đi khai sinh" in html
    assert 'data-complete="false"' in html
    record = client.get(f"/api/dossiers/{code}", headers=staff.counter).json()
    assert record["procedure"] == "birth_registration"
    assert record["completeness"]["complete"] is False
    assert [c["key"] for c in record["completeness"]["components"] if c["missing"]] == ["birth_notice", "identity"]


def test_while_pages_are_read_the_papers_come_from_the_pages_read_so_far(
    app: FastAPI, client: TestClient, staff: Staff, code: str
) -> None:
    records = app.state.web.records
    status = records.status(code)
    records.set_status(code, DossierStatus.processing)  # as while the citizen is still at the desk
    try:
        html = client.get(f"/dossiers/{code}/completeness", headers=staff.counter).text
    finally:
        records.set_status(code, status)
    assert "Đang đọc các trang" in html and "Thiếu: Giấy chứng sinh" in html and "✓ Tờ khai" in html


def test_an_incomplete_dossier_is_reviewed_only_with_a_reason(client: TestClient, staff: Staff, code: str) -> None:
    # GIVEN the review page says what is missing
    assert "Thiếu: Giấy chứng sinh" in client.get(f"/review/{code}", headers=staff.reviewer).text
    # WHEN the reviewer marks it reviewed without a reason THEN it is refused, in Vietnamese, naming the paper
    refused = client.post(f"/api/dossiers/{code}/review", headers=staff.reviewer)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["error"] == "DossierIncomplete" and "Giấy chứng sinh" in body["message"]
    assert "Bổ sung giấy tờ còn thiếu" in body["advice"]
    assert client.get(f"/api/dossiers/{code}/status", headers=staff.reviewer).json()["status"] != "reviewed"
    blank = client.post(f"/api/dossiers/{code}/review", params={"reason": "   "}, headers=staff.reviewer)
    assert blank.status_code == 409
    # WHEN a reason is given THEN it is reviewed, and the reason is in the correction log with the papers missing
    reason = "Giấy chứng sinh bản chính đã xuất trình, công dân nộp bổ sung bản sao sau"
    ok = client.post(f"/api/dossiers/{code}/review", params={"reason": reason}, headers=staff.reviewer)
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "reviewed"
    log = client.get(f"/api/dossiers/{code}/corrections", headers=staff.reviewer).json()
    kept = [e for e in log if e["target"] == "status" and e.get("key") == "incomplete_reason"]
    assert len(kept) == 1 and kept[0]["new"] == reason
    assert kept[0]["old"] == "Giấy chứng sinh; Giấy tờ tùy thân của người đi khai sinh"
    page = client.get(f"/dossiers/{code}", headers=staff.reviewer).text
    assert "Đánh dấu đã duyệt khi còn thiếu Giấy chứng sinh; Giấy tờ tùy thân" in page


def test_an_unknown_procedure_key_is_refused_with_the_keys(client: TestClient, staff: Staff, blank_png: Path) -> None:
    r = _upload(client, staff, blank_png, procedure="khai_sinh")
    assert r.status_code == 422 and r.json()["error"] == "UnknownProcedure"
    assert "birth_registration" in r.json()["message"]
