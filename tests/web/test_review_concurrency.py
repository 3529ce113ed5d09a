"""Two reviewers never collide: "next" claims a dossier for its reviewer, so two get two different dossiers and
each sees who has the other; a correction made from a stale page is refused with 409 and the current value."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schemas.record import DossierStatus
from tests.web.conftest import Staff, bearer, upload_and_wait
from workers.usecases.users import create_user


@pytest.fixture(scope="module")
def reviewers(app: FastAPI) -> tuple[dict[str, str], dict[str, str]]:
    records = app.state.web.records
    return (
        bearer(create_user(records, "Minh", role="reviewer", password="mat-khau-thu")),
        bearer(create_user(records, "Lan", role="reviewer", password="mat-khau-thu")),
    )


@pytest.fixture(scope="module")
def processed(client: TestClient, staff: Staff, dossier_pdf: Path) -> str:
    return upload_and_wait(client, staff, dossier_pdf)


def test_two_reviewers_pressing_next_get_two_dossiers(
    client: TestClient, staff: Staff, app: FastAPI, reviewers: tuple[dict[str, str], dict[str, str]], blank_png: Path
) -> None:
    records = app.state.web.records
    codes = [upload_and_wait(client, staff, blank_png) for _ in range(2)]
    for code in codes:
        records.set_status(code, DossierStatus.needs_review)
    minh, lan = reviewers
    first = client.get("/review/next", headers=minh, follow_redirects=False)
    second = client.get("/review/next", headers=lan, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    got = {first.headers["location"], second.headers["location"]}
    assert len(got) == 2 and all(loc.startswith("/review/") and loc != "/review" for loc in got)
    # Lan sees that Minh has his: in the queue and on the dossier's page
    minh_code = first.headers["location"].rsplit("/", 1)[1]
    assert "Minh đang duyệt" in client.get("/review", headers=lan).text
    assert "Minh đang duyệt" in client.get(f"/review/{minh_code}", headers=lan).text
    assert "Minh đang duyệt" not in client.get(f"/review/{minh_code}", headers=minh).text


def test_a_correction_from_a_stale_page_is_refused_with_the_current_value(
    client: TestClient, processed: str, reviewers: tuple[dict[str, str], dict[str, str]]
) -> None:
    minh, lan = reviewers
    record = client.get(f"/api/dossiers/{processed}", headers=minh).json()
    doc = next(i for i, d in enumerate(record["documents"]) if "phone" in d["fields"])
    page = client.get(f"/review/{processed}", headers=lan).text
    version = int(page.split('data-version="', 1)[1].split('"', 1)[0])  # both opened the page at this version

    url = f"/api/dossiers/{processed}/corrections"
    first = client.post(
        url, json={"target": "field", "document": doc, "key": "phone", "value": "0911111111", "version": version},
        headers=minh,
    )  # fmt: skip
    assert first.status_code == 201, first.text
    assert first.json()["version"] == version + 1
    stale = client.post(
        url, json={"target": "field", "document": doc, "key": "phone", "value": "0922222222", "version": version},
        headers=lan,
    )  # fmt: skip
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"] == "StaleEdit" and body["version"] == version + 1
    assert body["current"] == {"value": "0911111111", "who": "Minh"}
    fields = client.get(f"/api/dossiers/{processed}", headers=lan).json()["documents"][doc]["fields"]
    assert fields["phone"]["value"] == "0911111111"  # the first save stands
    # made again from the current version (she has seen it), it is taken
    again = client.post(
        url, json={"target": "field", "document": doc, "key": "phone", "value": "0922222222", "version": version + 1},
        headers=lan,
    )  # fmt: skip
    assert again.status_code == 201


def test_marking_reviewed_from_a_stale_page_is_refused(
    client: TestClient, processed: str, reviewers: tuple[dict[str, str], dict[str, str]]
) -> None:
    minh, lan = reviewers
    page = client.get(f"/review/{processed}", headers=lan).text
    version = int(page.split('data-version="', 1)[1].split('"', 1)[0])
    record = client.get(f"/api/dossiers/{processed}", headers=minh).json()
    doc = next(i for i, d in enumerate(record["documents"]) if "phone" in d["fields"])
    fix = {"target": "field", "document": doc, "key": "phone", "value": "0955555555", "version": version}
    assert client.post(f"/api/dossiers/{processed}/corrections", json=fix, headers=minh).status_code == 201
    stale = client.post(f"/api/dossiers/{processed}/review", params={"version": version}, headers=lan)
    assert stale.status_code == 409 and stale.json()["error"] == "StaleEdit"
    assert client.get(f"/api/dossiers/{processed}/status", headers=lan).json()["status"] != "reviewed"
    fresh = client.post(f"/api/dossiers/{processed}/review", params={"version": version + 1}, headers=lan)
    assert fresh.status_code == 200 and fresh.json()["status"] == "reviewed"
