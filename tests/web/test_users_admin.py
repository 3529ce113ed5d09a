"""Issue 14, finding 8: admins manage staff accounts in the app (list, add, role, disable, password, tokens), and
delete a dead dossier from its page; no other role can."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import bearer, make_staff, wait_final
from workers.settings import Settings
from workers.web.app import create_app

HTML = {"accept": "text/html"}
SECRET = "cay-cau-xanh-tuoi-99"


def test_an_admin_adds_a_user_whose_token_works_then_disables_them_and_it_stops(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    with TestClient(app) as client:
        made = client.post(
            "/api/users", json={"name": "thu", "role": "counter", "password": SECRET}, headers=staff.admin
        )
        assert made.status_code == 201, made.text
        thu = bearer(made.json()["token"])
        assert client.get("/api/me", headers=thu).json()["role"] == "counter"
        listed = {u["name"]: u for u in client.get("/api/users", headers=staff.admin).json()}
        assert listed["thu"]["active"] and listed["thu"]["tokens"] == 1

        # a session too: signed in with the password
        login = client.post("/login", data={"username": "thu", "password": SECRET}, follow_redirects=False)
        assert login.status_code == 303
        assert client.get("/", headers=HTML).status_code == 200

        assert client.patch("/api/users/thu", json={"role": "reviewer"}, headers=staff.admin).status_code == 200
        assert client.get("/api/me", headers=thu).json()["role"] == "reviewer"

        off = client.patch("/api/users/thu", json={"active": False}, headers=staff.admin)
        assert off.status_code == 200 and off.json()["sessions_ended"] >= 1
        assert client.get("/api/me", headers=thu).status_code == 401
        assert client.get("/", headers=HTML, follow_redirects=False).status_code == 303  # the session ended too

        client.patch("/api/users/thu", json={"active": True}, headers=staff.admin).raise_for_status()
        assert client.delete("/api/users/thu/tokens", headers=staff.admin).json()["tokens_revoked"] == 1
        assert client.get("/api/me", headers=thu).status_code == 401
        fresh = bearer(client.post("/api/users/thu/tokens", headers=staff.admin).json()["token"])
        assert client.get("/api/me", headers=fresh).status_code == 200


def test_only_admins_manage_users_and_an_admin_cannot_lock_themselves_out(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    with TestClient(app) as client:
        for who in (staff.counter, staff.reviewer):
            assert client.get("/api/users", headers=who).status_code == 403
            assert client.post("/api/users", json={"name": "x", "role": "admin"}, headers=who).status_code == 403
            assert client.get("/admin/users", headers=who | HTML).status_code == 403
        selfie = client.patch("/api/users/admin", json={"active": False}, headers=staff.admin)
        assert selfie.status_code == 422 and "another admin" in selfie.json()["message"]
        weak = client.put("/api/users/reviewer/password", json={"password": "123456"}, headers=staff.admin)
        assert weak.status_code == 422
        page = client.get("/admin/users", headers=staff.admin | HTML)
        assert page.status_code == 200 and "Tài khoản cán bộ" in page.text and 'data-name="reviewer"' in page.text


def test_the_dossier_page_offers_delete_to_admins_only(tmp_path: Path, blank_png: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    with TestClient(app) as client:
        with blank_png.open("rb") as f:
            code = client.post("/api/dossiers", files={"files": ("a.png", f)}, headers=staff.counter).json()["code"]
        wait_final(client, code, staff.counter)
        assert 'id="delete-dossier"' in client.get(f"/dossiers/{code}", headers=staff.admin | HTML).text
        assert 'id="delete-dossier"' not in client.get(f"/dossiers/{code}", headers=staff.reviewer | HTML).text
        assert client.delete(f"/api/dossiers/{code}", headers=staff.admin).status_code == 204
        assert client.get(f"/dossiers/{code}", headers=staff.admin | HTML).status_code == 404
