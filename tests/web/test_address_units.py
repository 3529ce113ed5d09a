"""The counter's dossier page and the review page show today's ward and province beside an address printed on
the legacy map (issue 15), in Vietnamese, and nothing beside an address already on today's map."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from pipeline.extract.address import with_units
from schemas.record import Document, DossierStatus, Field
from tests.web.conftest import PASSWORD, Staff

OLD = "Số 5 Lê Lợi, phường Vĩnh Ninh, thành phố Huế, tỉnh Thừa Thiên Huế"
NEW = "Số 5 Lê Lợi, phường Thuận Hóa, thành phố Huế"


def _card(address: str) -> Document:
    fields = with_units({"place_of_residence": Field(value=address, confidence=0.99)},
                        {"place_of_residence": "address"}, {})  # fmt: skip
    return Document(type="cccd", type_confidence=0.99, pages=[1], fields=fields)


def _page(client: TestClient, path: str) -> str:
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    return r.text


def test_pages_show_todays_unit_beside_an_old_address(app: FastAPI, client: TestClient, staff: Staff) -> None:
    records = app.state.web.records
    for code, address in (("HS-DIA-CHI-CU", OLD), ("HS-DIA-CHI-MOI", NEW)):
        records.create_dossier(code)
        records.set_documents(code, [_card(address)])
        records.set_status(code, DossierStatus.needs_review)
    assert client.post("/login", data={"username": "reviewer", "password": PASSWORD}).status_code in (200, 303)

    for path in ("/dossiers/HS-DIA-CHI-CU", "/dossiers/HS-DIA-CHI-CU/summary", "/review/HS-DIA-CHI-CU"):
        html = _page(client, path)
        assert "Nay thuộc: Phường Thuận Hóa, Thành phố Huế" in html, path
        assert "phường Vĩnh Ninh" in html  # the address as printed stays
    for path in ("/dossiers/HS-DIA-CHI-MOI", "/review/HS-DIA-CHI-MOI"):
        assert "Nay thuộc" not in _page(client, path), path


def test_a_reviewers_address_is_read_as_units_too(app: FastAPI, client: TestClient, staff: Staff) -> None:
    records = app.state.web.records
    records.create_dossier("HS-SUA-DIA-CHI")
    records.set_documents("HS-SUA-DIA-CHI", [_card(NEW)])
    records.set_status("HS-SUA-DIA-CHI", DossierStatus.needs_review)
    fix = {"target": "field", "document": 0, "key": "place_of_residence",
           "value": "Kiệt 3 Lê Lợi, phường Phú Hội, thành phố Huế, tỉnh Thừa Thiên Huế"}  # fmt: skip

    r = client.post("/api/dossiers/HS-SUA-DIA-CHI/corrections", headers=staff.reviewer, json=fix)

    assert r.status_code == 201, r.text
    field = r.json()["documents"][0]["fields"]["place_of_residence"]
    assert field["value"] == fix["value"] and field["confidence"] == 1.0
    assert field["units"]["printed_map"] == "legacy" and field["units"]["ward"] == "Phường Phú Hội"
    assert field["units"]["current"]["ward"] == "Phường Thuận Hóa"
    assert client.post("/login", data={"username": "reviewer", "password": PASSWORD}).status_code in (200, 303)
    assert "Nay thuộc: Phường Thuận Hóa, Thành phố Huế" in _page(client, "/dossiers/HS-SUA-DIA-CHI")
