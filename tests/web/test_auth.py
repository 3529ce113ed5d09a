"""Signing in, sessions and their CSRF token, API tokens, roles, languages, `hoso user`: no OCR here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Staff
from workers.cli import main
from workers.settings import Settings
from workers.web.app import create_app


def _csrf(html: str) -> str:
    m = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    r = client.post("/login", data={"username": name, "password": password}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def test_sign_in_page_speaks_vietnamese(client: TestClient) -> None:
    html = client.get("/login").text
    assert "Đăng nhập" in html and "Mật khẩu" in html and 'lang="vi"' in html
    english = client.get("/login?lang=en").text
    assert "Sign in" in english and "Password" in english


def test_wrong_password_is_refused(client: TestClient, staff: Staff) -> None:
    r = client.post("/login", data={"username": "counter", "password": "sai-mat-khau"}, follow_redirects=False)
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in r.text
    assert "hoso_session" not in r.cookies


def test_session_pages_and_csrf(app: FastAPI, staff: Staff) -> None:
    with TestClient(app) as c:
        sign_in(c, "counter")
        page = c.get("/")
        assert page.status_code == 200
        assert "Tiếp nhận hồ sơ mới" in page.text and "Kéo thả" in page.text
        assert c.get("/api/me").json() == {"name": "counter", "role": "counter", "lang": "vi"}
        # a write with the cookie alone (as another site could make the browser send) is refused
        assert c.put("/api/me/lang", json={"lang": "en"}).status_code == 403
        ok = c.put("/api/me/lang", json={"lang": "en"}, headers={"X-CSRF-Token": _csrf(page.text)})
        assert ok.status_code == 200 and ok.json()["lang"] == "en"
        english = c.get("/")
        assert "New dossier" in english.text and 'lang="en"' in english.text
        c.get("/lang/vi", follow_redirects=False)
        assert "Tiếp nhận hồ sơ mới" in c.get("/").text
        # the counter role has no review pages
        r = c.get("/review", headers={"Accept": "text/html"})
        assert r.status_code == 403 and "không có quyền" in r.text
        c.post("/logout", data={"csrf": _csrf(c.get("/").text)})
        assert c.get("/api/me").status_code == 401


def test_search_page_goes_straight_to_a_dossier_by_its_code(app: FastAPI, staff: Staff) -> None:
    app.state.web.records.create_dossier("HS-TIM-1", {"citizen_name": "Lê Văn Tìm"})
    with TestClient(app) as c:
        sign_in(c, "counter")
        r = c.get("/search", params={"q": "hs-tim-1"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/dossiers/HS-TIM-1"
        by_name = c.get("/search", params={"q": "le van tim"})
        assert "HS-TIM-1" in by_name.text and "1 hồ sơ" in by_name.text


def test_reviewer_lands_on_the_queue(app: FastAPI, staff: Staff) -> None:
    with TestClient(app) as c:
        r = c.post("/login", data={"username": "reviewer", "password": PASSWORD}, follow_redirects=False)
        assert r.headers["location"] == "/review"
        q = c.get("/review")
        assert q.status_code == 200 and "Hồ sơ cần duyệt" in q.text


def test_passwords_and_tokens_are_stored_hashed(app: FastAPI, staff: Staff) -> None:
    import sqlalchemy as sa

    from workers.stores.records import api_tokens, users

    with app.state.web.records.engine.connect() as conn:
        hashes = [h for (h,) in conn.execute(sa.select(users.c.password_hash))]
        token_rows = [t for (t,) in conn.execute(sa.select(api_tokens.c.token_sha256))]
    assert hashes and all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)
    assert all(re.fullmatch(r"[0-9a-f]{64}", t) for t in token_rows)


def test_user_add_prints_a_token_that_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    assert main(["user", "add", "lan", "--role", "reviewer", "--data-dir", data]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    token = out[-1]
    assert token.startswith("hoso_") and any(line.startswith("password: ") for line in out)
    assert main(["user", "add", "lan", "--role", "reviewer", "--no-password", "--data-dir", data]) == 2  # taken
    with pytest.raises(SystemExit):
        main(["user", "add", "x", "--role", "boss", "--data-dir", data])  # no such role
    app = create_app(Settings(data_dir=Path(data)), resume=False)
    with TestClient(app) as c:
        me = c.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["role"] == "reviewer"
        password = next(line for line in out if line.startswith("password: ")).split()[1]
        sign_in(c, "lan", password)
        assert c.get("/api/me").json()["name"] == "lan"
