"""Issue 13, finding 10: users and dossiers belong to a centre; counters and reviewers see their centre's
dossiers only (a reviewer may serve several); a user of no centre (an admin, a one-centre setup) sees all."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Staff, bearer, make_staff, wait_final
from workers.settings import Settings
from workers.usecases.users import create_user
from workers.web.app import create_app

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, blank_png: Path) -> tuple[FastAPI, Staff, dict[str, dict]]:
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("centres") / "data", jobs=1))
    staff = make_staff(app)  # no centre: every centre
    records = app.state.web.records
    who = {
        "an": bearer(create_user(records, "an", role="counter", password=PASSWORD, centres=["phuong-a"])),
        "binh": bearer(create_user(records, "binh", role="counter", password=PASSWORD, centres=["xa-b"])),
        "cuc": bearer(create_user(records, "cuc", role="reviewer", password=PASSWORD, centres=["phuong-a", "xa-b"])),
    }
    return app, staff, who


def _upload(client: TestClient, headers: dict, path: Path, **form: str) -> str:
    with path.open("rb") as f:
        res = client.post("/api/dossiers", files={"files": ("a.png", f)}, data=form, headers=headers)
    assert res.status_code == 201, res.text
    code: str = res.json()["code"]
    wait_final(client, code, headers)
    return code


def test_a_counter_sees_only_her_centres_dossiers(setup: tuple, blank_png: Path) -> None:
    app, staff, who = setup
    with TestClient(app) as client:
        a = _upload(client, who["an"], blank_png, citizen_name="Nguyễn Văn Tư")
        b = _upload(client, who["binh"], blank_png, citizen_name="Nguyễn Văn Tư")
        assert app.state.web.records.dossier_rows(codes=[a])[0].centre == "phuong-a"

        # An (phường A) sees A's dossier, not B's: 404 on every route naming it, absent from every list
        for url in (f"/api/dossiers/{b}", f"/api/dossiers/{b}/status", f"/api/dossiers/{b}/corrections"):
            assert client.get(url, headers=who["an"]).status_code == 404, url
        assert client.get(f"/dossiers/{b}", headers=who["an"] | HTML).status_code == 404
        assert client.get(f"/api/dossiers/{a}", headers=who["an"]).status_code == 200
        listed = {d["code"] for d in client.get("/api/dossiers", headers=who["an"]).json()}
        assert a in listed and b not in listed
        found = {d["code"] for d in client.get("/api/search", params={"q": "Tư"}, headers=who["an"]).json()}
        assert found == {a}
        counter = client.get("/", headers=who["an"] | HTML).text
        assert a in counter and b not in counter

        # Cúc reviews for both; the admin (no centre) sees everything
        for headers in (who["cuc"], staff.admin):
            found = {d["code"] for d in client.get("/api/search", params={"q": "Tư"}, headers=headers).json()}
            assert {a, b} <= found
            assert client.get(f"/api/dossiers/{b}", headers=headers).status_code == 200


def test_an_upload_goes_to_a_centre_the_user_serves(setup: tuple, blank_png: Path) -> None:
    app, staff, who = setup
    with TestClient(app) as client:
        code = _upload(client, who["cuc"], blank_png, centre="xa-b")
        assert app.state.web.records.dossier_rows(codes=[code])[0].centre == "xa-b"
        with blank_png.open("rb") as f:
            refused = client.post(
                "/api/dossiers", files={"files": ("a.png", f)}, data={"centre": "xa-c"}, headers=who["cuc"]
            )
        assert refused.status_code == 403
        # an admin can move a user to another centre; it applies at once
        moved = client.patch("/api/users/binh", json={"centres": ["phuong-a"]}, headers=staff.admin)
        assert moved.status_code == 200
        assert client.get(f"/api/dossiers/{code}", headers=who["binh"]).status_code == 404


def test_the_command_line_sets_a_users_centres_and_a_dossiers_centre(
    tmp_path: Path, blank_png: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workers.cli import main
    from workers.stores.records import Records

    data = str(tmp_path / "d")
    assert (
        main(["user", "add", "lan", "--role", "reviewer", "--no-password", "--centre", "phuong-a", "--data-dir", data])
        == 0
    )
    assert main(["user", "centres", "lan", "phuong-a", "xa-b", "--data-dir", data]) == 0
    assert "serves phuong-a xa-b" in capsys.readouterr().out
    assert main(["user", "list", "--data-dir", data]) == 0
    assert "[centres: phuong-a xa-b]" in capsys.readouterr().out
    assert main(["user", "centres", "lan", "bad/centre", "--data-dir", data]) == 2
    json_path = tmp_path / "r.json"
    assert main(
        ["process", str(blank_png), "--centre", "xa-b", "--json", str(json_path), "--no-progress", "--data-dir", data]
    ) in (0, 1)
    records = Records(f"sqlite:///{tmp_path / 'd' / 'hoso.db'}")
    try:
        assert {r.centre for r in records.dossier_rows()} == {"xa-b"}
    finally:
        records.close()
