"""Issue 14, finding 7: the same scan sent twice for a new dossier is found before a second dossier is made, when
the sender asks (the counter page does); the dossiers named are only those the sender may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, bearer, make_staff, wait_final
from workers.settings import Settings
from workers.usecases.users import create_user
from workers.web.app import create_app


def _send(client: TestClient, path: Path, headers: dict, **form: str):  # type: ignore[no-untyped-def]
    with path.open("rb") as f:
        return client.post("/api/dossiers", files={"files": (path.name, f)}, data=form, headers=headers)


def test_a_scan_sent_again_is_named_with_its_dossier_and_nothing_is_made(tmp_path: Path, blank_png: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    other = bearer(create_user(app.state.web.records, "xa", role="counter", password=PASSWORD, centres=["xa-b"]))
    with TestClient(app) as client:
        first = _send(client, blank_png, staff.counter).json()["code"]
        wait_final(client, first, staff.counter)
        again = _send(client, blank_png, staff.counter, check_duplicates="true")
        assert again.status_code == 409
        body = again.json()
        assert body["error"] == "DuplicateUpload" and body["duplicates"] == [
            {"file": blank_png.name, "dossiers": [first]}
        ]
        assert len(client.get("/api/dossiers", headers=staff.counter).json()) == 1  # nothing made
        # another centre's clerk is not told of it: her upload goes through
        assert _send(client, blank_png, other, check_duplicates="true").status_code == 201
        # without the check (the API's default, and the clerk's "receive anyway") a second dossier is made
        assert _send(client, blank_png, staff.counter).status_code == 201
        qr = client.get(f"/api/dossiers/{first}/qr.svg", headers=staff.counter)
        assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml") and "<svg" in qr.text


def test_an_upload_checked_for_duplicates_is_hashed_once(
    tmp_path: Path, blank_png: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.stores import objects
    from workers.usecases import intake
    from workers.web.routers import dossiers

    hashed: list[str] = []

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return objects.sha256_file(path)

    monkeypatch.setattr(intake, "sha256_file", counting)
    monkeypatch.setattr(dossiers, "sha256_file", counting)
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    with TestClient(app) as client:
        # WHEN a scan is sent with the duplicate check (the counter page's way) and received
        res = _send(client, blank_png, staff.counter, check_duplicates="true")
        assert res.status_code == 201, res.text
        wait_final(client, res.json()["code"], staff.counter)
        record = client.get(f"/api/dossiers/{res.json()['code']}", headers=staff.counter).json()
    # THEN its bytes were hashed once, by the check, and the intake stored it under that hash
    assert hashed == [blank_png.name]
    assert [p["sha256"] for p in record["pages"]] == [objects.sha256_file(blank_png)]
