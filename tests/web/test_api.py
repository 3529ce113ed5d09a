"""The API against the real app and the real pipeline: a generated 2-page dossier uploaded, processed,
read, corrected and found; roles checked on every kind of call."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pipeline.extract.text import fold
from schemas.record import Dossier
from tests.web.conftest import FINAL, Staff, wait_final
from workers.settings import Settings, WebSettings
from workers.usecases.artifacts import pdf_key
from workers.usecases.dossier import finish_dossier
from workers.web.app import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def code(client: TestClient, staff: Staff, dossier_pdf: Path) -> str:
    """GIVEN a counter clerk uploads the scans WHEN the pipeline has run THEN the dossier is processed."""
    with dossier_pdf.open("rb") as fh:
        r = client.post(
            "/api/dossiers",
            headers=staff.counter,
            files=[("files", (dossier_pdf.name, fh, "application/pdf"))],
            data={"citizen_name": "Phạm Khánh Nhung", "procedure": "Chứng thực bản sao"},
        )
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    st = wait_final(client, code, staff.counter)
    assert st["status"] in ("processed", "needs_review"), st
    return code


def record(client: TestClient, code: str, headers: dict[str, str], **params: object) -> Dossier:
    r = client.get(f"/api/dossiers/{code}", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return Dossier.model_validate(r.json())


# --- the contract ------------------------------------------------------------------------------------------


def test_status_says_pages_done_of_total(client: TestClient, staff: Staff, code: str) -> None:
    st = client.get(f"/api/dossiers/{code}/status", headers=staff.counter).json()
    assert {"code", "status", "pages_done", "pages_total"} <= set(st)
    assert st["code"] == code and st["status"] in FINAL
    assert st["pages_done"] == st["pages_total"] == 2


def test_record_is_the_dossier_with_its_documents(client: TestClient, staff: Staff, code: str) -> None:
    d = record(client, code, staff.counter)
    assert d.code == code
    assert [p.number for p in d.pages] == [1, 2]
    assert all(p.words and p.image_key for p in d.pages)
    assert [doc.type for doc in d.documents] == ["application_form", "cccd"]
    assert d.documents[0].fields["applicant_name"].value  # read from the form


def test_openapi_describes_the_contract(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/dossiers", "/api/dossiers/{code}", "/api/dossiers/{code}/status",
                 "/api/dossiers/{code}/corrections", "/api/review-queue", "/api/dossiers/{code}/pdf"):  # fmt: skip
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_unknown_dossier_is_404(client: TestClient, staff: Staff) -> None:
    r = client.get("/api/dossiers/HS-NOPE/status", headers=staff.counter)
    assert r.status_code == 404 and r.json()["error"] == "DossierNotFound"


# --- access ----------------------------------------------------------------------------------------------------


def test_anonymous_calls_get_401(client: TestClient, code: str) -> None:
    calls = [
        ("GET", "/api/dossiers"),
        ("GET", f"/api/dossiers/{code}"),
        ("GET", f"/api/dossiers/{code}/status"),
        ("GET", f"/api/dossiers/{code}/pdf"),
        ("GET", f"/api/dossiers/{code}/pages/1/image"),
        ("GET", f"/api/dossiers/{code}/corrections"),
        ("POST", f"/api/dossiers/{code}/corrections"),
        ("POST", f"/api/dossiers/{code}/review"),
        ("DELETE", f"/api/dossiers/{code}"),
        ("GET", "/api/review-queue"),
        ("GET", "/api/search?q=a"),
        ("POST", "/api/dossiers"),
        ("GET", "/api/me"),
    ]
    for method, url in calls:
        r = client.request(method, url)
        assert r.status_code == 401, (method, url, r.status_code)
        assert r.json()["error"] == "NotAuthenticated"
    bad = client.get("/api/dossiers", headers={"Authorization": "Bearer hoso_not-a-token"})
    assert bad.status_code == 401


def test_pages_send_anonymous_visitors_to_sign_in(client: TestClient, code: str) -> None:
    r = client.get(f"/review/{code}", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_counter_reads_but_cannot_correct(client: TestClient, staff: Staff, code: str) -> None:
    assert client.get(f"/api/dossiers/{code}", headers=staff.counter).status_code == 200
    fix = {"target": "field", "document": 0, "key": "phone", "value": "0912345678"}
    r = client.post(f"/api/dossiers/{code}/corrections", headers=staff.counter, json=fix)
    assert r.status_code == 403 and r.json()["error"] == "NotAllowed"
    assert client.post(f"/api/dossiers/{code}/review", headers=staff.counter).status_code == 403
    assert client.get("/api/review-queue", headers=staff.counter).status_code == 403


def test_reviewer_cannot_delete_admin_can(
    client: TestClient, staff: Staff, blank_png: Path, app: FastAPI, web_settings: Settings
) -> None:
    with blank_png.open("rb") as fh:
        r = client.post("/api/dossiers", headers=staff.counter, files=[("files", (blank_png.name, fh, "text/plain"))])
    assert r.status_code == 201, r.text  # a PNG named .txt: the content decides
    blank = r.json()["code"]
    wait_final(client, blank, staff.counter)
    r = client.delete(f"/api/dossiers/{blank}", headers=staff.reviewer)
    assert r.status_code == 403
    assert client.delete(f"/api/dossiers/{blank}", headers=staff.admin).status_code == 204
    assert client.get(f"/api/dossiers/{blank}", headers=staff.admin).status_code == 404
    objects = web_settings.objects_dir
    assert not [p for p in objects.rglob("*") if blank in str(p)]  # its page image went with it
    assert [(d.who, d.files) for d in app.state.web.records.deletions(code=blank)] == [("admin", 1)]


# --- uploads ----------------------------------------------------------------------------------------------------


def test_upload_is_checked_by_content_not_name(client: TestClient, staff: Staff) -> None:
    fake = io.BytesIO(b"this is a letter, not a scan\n" * 20)
    r = client.post("/api/dossiers", headers=staff.counter, files=[("files", ("scan.pdf", fake, "application/pdf"))])
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "NotADocument" and body["file"] == "scan.pdf"
    empty = client.post("/api/dossiers", headers=staff.counter, files=[("files", ("a.pdf", b"", "application/pdf"))])
    assert empty.status_code == 422 and empty.json()["error"] == "EmptyFile"


def test_upload_is_limited_in_size(tmp_path: Path) -> None:
    small = create_app(Settings(data_dir=tmp_path / "data", web=WebSettings(max_upload_mb=1)), resume=False)
    from tests.web.conftest import make_staff

    staff = make_staff(small)
    big = b"%PDF-1.4\n" + b"0" * (3 << 20)
    with TestClient(small) as c:
        r = c.post("/api/dossiers", headers=staff.counter, files=[("files", ("big.pdf", big, "application/pdf"))])
    assert r.status_code == 413 and r.json()["error"] == "UploadTooLarge"


def test_a_code_is_taken_once(client: TestClient, staff: Staff, code: str, blank_png: Path) -> None:
    with blank_png.open("rb") as fh:
        r = client.post("/api/dossiers", headers=staff.counter, files=[("files", ("p.png", fh))], data={"code": code})
    assert r.status_code == 409 and r.json()["error"] == "DossierExists"
    r = client.post("/api/dossiers", headers=staff.counter, files=[("files", ("p.png", b"\x89PNG\r\n\x1a\n"))],
                    data={"code": "../etc"})  # fmt: skip
    assert r.status_code == 422
    r = client.post("/api/dossiers", headers=staff.counter, files=[("files", ("p.png", b"\x89PNG\r\n\x1a\n"))],
                    data={"code": "HS-1\r\nSet-Cookie: x"})  # fmt: skip
    assert r.status_code == 422 and r.json()["error"] == "BadDossierCode"  # the one pattern of schemas/codes.py


# --- corrections -----------------------------------------------------------------------------------------------


def test_field_correction_is_audited(client: TestClient, staff: Staff, code: str) -> None:
    fix = {"target": "field", "document": 0, "key": "request_date", "value": "05/03/2025"}
    r = client.post(f"/api/dossiers/{code}/corrections", headers=staff.reviewer, json=fix)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["correction"]["who"] == "reviewer" and out["correction"]["new"] == "2025-03-05"
    assert out["documents"][0]["fields"]["request_date"]["value"] == "2025-03-05"
    trail = client.get(f"/api/dossiers/{code}/corrections", headers=staff.counter).json()
    last = trail[-1]
    assert (last["target"], last["key"], last["new"]) == ("field", "request_date", "2025-03-05")
    assert last["who"] == "reviewer"
    assert last["old"] != last["new"] and last["at"]
    d = record(client, code, staff.counter)
    assert d.documents[0].fields["request_date"].value == "2025-03-05"
    assert d.documents[0].fields["request_date"].confidence == 1.0


def test_bad_corrections_are_refused(client: TestClient, staff: Staff, code: str) -> None:
    url = f"/api/dossiers/{code}/corrections"
    bad = [
        {"target": "field", "document": 0, "key": "request_date", "value": "31/02/2025"},
        {"target": "field", "document": 0, "key": "no_such_field", "value": "x"},
        {"target": "field", "document": 9, "key": "phone", "value": "0912345678"},
        {"target": "document_type", "document": 0, "type": "passport"},
        {"target": "word", "page": 1, "word": 99999, "text": "x"},
        {"target": "split", "page": 1},
        {"target": "nonsense"},
    ]
    for fix in bad:
        r = client.post(url, headers=staff.reviewer, json=fix)
        assert r.status_code == 422, (fix, r.status_code, r.text)


def test_word_correction_reaches_record_search_and_pdf(
    client: TestClient, staff: Staff, code: str, app: FastAPI
) -> None:
    raw = record(client, code, staff.reviewer, corrected="false")
    index = next(i for i, w in enumerate(raw.pages[0].words) if len(w.text) >= 4)
    fix = {"target": "word", "page": 1, "word": index, "text": "Quỳnhđặcbiệt"}
    assert client.post(f"/api/dossiers/{code}/corrections", headers=staff.reviewer, json=fix).status_code == 201

    d = record(client, code, staff.counter)
    assert d.pages[0].words[index].text == "Quỳnhđặcbiệt" and "Quỳnhđặcbiệt" in d.pages[0].text
    found = client.get("/api/search", params={"q": "quynhdacbiet"}, headers=staff.counter).json()
    assert [h["code"] for h in found] == [code]
    pdf = client.get(f"/api/dossiers/{code}/pdf", headers=staff.counter)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdfium.PdfDocument(pdf.content)[0].get_textpage().get_text_range()
    assert "Quỳnhđặcbiệt" in text
    # the artifact kept in object storage is written again too
    app.state.web.runner.join()
    stored = app.state.web.store.get_bytes(pdf_key(code))
    assert "Quỳnhđặcbiệt" in pdfium.PdfDocument(stored)[0].get_textpage().get_text_range()


def test_line_correction_retypes_the_line(client: TestClient, staff: Staff, code: str) -> None:
    raw = record(client, code, staff.reviewer, corrected="false")
    words = raw.pages[1].words
    line = words[len(words) // 2].line
    fix = {"target": "line", "page": 2, "line": line, "text": "DÒNG ĐÃ SỬA"}
    assert client.post(f"/api/dossiers/{code}/corrections", headers=staff.reviewer, json=fix).status_code == 201
    d = record(client, code, staff.counter)
    assert "DÒNG ĐÃ SỬA" in d.pages[1].text


def test_search_with_and_without_diacritics(client: TestClient, staff: Staff, code: str) -> None:
    d = record(client, code, staff.counter)
    word = next(
        w.text for w in d.pages[0].words if len(w.text) >= 4 and w.text.isalpha() and fold(w.text) != w.text.lower()
    )  # a word with diacritics, as read
    for query in (word, word.lower(), fold(word), fold(word).upper(), "Khánh", "khanh", code.lower()):
        hits = client.get("/api/search", params={"q": query}, headers=staff.counter).json()
        assert code in [h["code"] for h in hits], query
    assert client.get("/api/search", params={"q": "zzqxjw"}, headers=staff.counter).json() == []


def test_type_split_merge_and_training_examples(client: TestClient, staff: Staff, code: str, app: FastAPI) -> None:
    url = f"/api/dossiers/{code}/corrections"
    r = client.post(url, headers=staff.reviewer, json={"target": "merge", "document": 1})
    assert r.status_code == 201 and [d["pages"] for d in r.json()["documents"]] == [[1, 2]]
    r = client.post(url, headers=staff.reviewer, json={"target": "split", "page": 2})
    assert r.status_code == 201 and [d["pages"] for d in r.json()["documents"]] == [[1], [2]]
    retype = {"target": "document_type", "document": 1, "type": "birth_certificate"}
    r = client.post(url, headers=staff.reviewer, json=retype)
    assert r.status_code == 201 and r.json()["documents"][1]["type"] == "birth_certificate"
    assert r.json()["documents"][1]["type_confidence"] == 1.0
    examples = app.state.web.records.type_corrections()
    assert examples and examples[0][1] == "birth_certificate"  # what `hoso train` learns from
    r = client.post(url, headers=staff.reviewer, json={"target": "document_type", "document": 1, "type": "cccd"})
    assert r.json()["documents"][1]["type"] == "cccd"
    # the second type given to the document is the one learnt, from the page's text as a reviewer retyped it
    line = record(client, code, staff.reviewer, corrected="false").pages[1].words[0].line
    fix = {"target": "line", "page": 2, "line": line, "text": "CĂN CƯỚC CÔNG DÂN"}
    assert client.post(url, headers=staff.reviewer, json=fix).status_code == 201
    examples = app.state.web.records.type_corrections()
    assert [label for _text, label in examples] == ["cccd"]
    assert "CĂN CƯỚC CÔNG DÂN" in examples[0][0]


def test_corrections_survive_reprocessing(client: TestClient, staff: Staff, code: str, app: FastAPI) -> None:
    """GIVEN corrected fields and words WHEN the dossier stage runs again THEN the corrections still win,
    and the machine's values are kept apart."""
    records = app.state.web.records
    fix = {"target": "field", "document": 0, "key": "applicant_name", "value": "Trần Thị Bình"}
    assert client.post(f"/api/dossiers/{code}/corrections", headers=staff.reviewer, json=fix).status_code == 201
    again = finish_dossier(records, code)
    assert again.documents[0].fields["applicant_name"].value == "TRẦN THỊ BÌNH"
    assert "Quỳnhđặcbiệt" in again.pages[0].text
    d = record(client, code, staff.counter)
    assert d.documents[0].fields["applicant_name"].value == "TRẦN THỊ BÌNH"
    assert d.documents[0].fields["request_date"].value == "2025-03-05"
    machine = records.dossier(code, corrected=False)
    assert machine.documents[0].fields["applicant_name"].value != "TRẦN THỊ BÌNH"
    assert "Quỳnhđặcbiệt" not in machine.pages[0].text


def test_queue_then_mark_reviewed(client: TestClient, staff: Staff, code: str) -> None:
    queue = client.get("/api/review-queue", headers=staff.reviewer).json()
    confidences = [q["confidence"] for q in queue]
    assert confidences == sorted(confidences)
    status = client.get(f"/api/dossiers/{code}/status", headers=staff.reviewer).json()["status"]
    assert (code in [q["code"] for q in queue]) == (status == "needs_review")
    r = client.post(f"/api/dossiers/{code}/review", headers=staff.reviewer)
    assert r.status_code == 200 and r.json()["status"] == "reviewed"
    assert code not in [q["code"] for q in client.get("/api/review-queue", headers=staff.reviewer).json()]
    trail = client.get(f"/api/dossiers/{code}/corrections", headers=staff.counter).json()
    assert trail[-1]["target"] == "status" and trail[-1]["new"] == "reviewed"
