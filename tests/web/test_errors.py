"""Errors become HTTP answers in one place: a HosoError with its status and advice, a bug as a generic 500."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import make_staff
from workers.settings import Settings
from workers.web.app import create_app


def test_a_bug_in_an_api_route_is_a_500_with_a_generic_message_and_its_traceback_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # GIVEN the web app, where reading a dossier's record hits a bug
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)

    def bug(code: str, **kwargs: object) -> None:
        raise ZeroDivisionError("secret detail /srv/hoso/internal")

    monkeypatch.setattr(app.state.web.records, "dossier", bug)
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        # WHEN a clerk asks for a record
        resp = client.get("/api/dossiers/HS-ANY", headers=staff.counter)

    # THEN the answer is a 500 that says nothing of the exception
    assert resp.status_code == 500
    body = resp.json()
    assert body["error"] == "InternalError" and "bug" in body["advice"]
    assert "secret detail" not in resp.text and "ZeroDivisionError" not in resp.text and "Traceback" not in resp.text
    # AND the log has the exception with its traceback
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is ZeroDivisionError]
    assert logged, [r.getMessage() for r in caplog.records]


def test_a_user_error_keeps_its_status_and_advice(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        resp = client.get("/api/dossiers/HS-NOPE", headers=staff.counter)
    assert resp.status_code == 404
    assert resp.json()["error"] == "DossierNotFound" and resp.json()["advice"] == "Check the dossier code."
