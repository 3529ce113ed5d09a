"""Signing in under attack (issue 13, findings 1 and 4): failures make the next attempt wait, then lock the
account until an admin unlocks it; the argon2 checks run a few at a time; every attempt is audited; sessions
end at logout, password change, disabling and idle time; tokens expire and are revoked. No OCR here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schemas.errors import RequestError
from tests.web.conftest import PASSWORD, bearer
from workers.cli import main
from workers.settings import Settings, WebSettings
from workers.usecases.users import create_user, token_digest

WRONG = "sai-mat-khau-roi"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def make_app(data: Path, **web: object) -> FastAPI:
    from workers.web.app import create_app

    return create_app(Settings(data_dir=data, web=WebSettings(**web)), resume=False)  # type: ignore[arg-type]


@pytest.fixture
def app(data: Path) -> Iterator[FastAPI]:
    app = make_app(data, lock_after=5, login_wait_seconds=0.3, session_idle_minutes=0.05)
    create_user(app.state.web.records, "lan", role="admin", password=PASSWORD)
    yield app
    app.state.web.records.close()


def attempt(client: TestClient, password: str, name: str = "lan") -> int:
    r = client.post("/login", data={"username": name, "password": password}, follow_redirects=False)
    return r.status_code


def test_failed_sign_ins_wait_longer_then_lock_the_account_until_an_admin_unlocks_it(app: FastAPI, data: Path) -> None:
    with TestClient(app) as c:
        assert [attempt(c, WRONG) for _ in range(3)] == [401, 401, 401]  # the first few: refused at once
        r = c.post("/login", data={"username": "lan", "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"  # even the right password must wait
        assert "Hãy thử lại sau 1 giây" in r.text
        time.sleep(1.05)
        assert attempt(c, WRONG) == 401  # the 4th failure: the next waits 2 s
        time.sleep(2.05)
        assert attempt(c, WRONG) == 401  # the 5th: locked
        time.sleep(1.0)
        r = c.post("/login", data={"username": "lan", "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 429 and "quản trị viên" in r.text  # the right password after a lock: refused
        assert main(["user", "unlock", "lan", "--data-dir", str(data)]) == 0
        assert attempt(c, PASSWORD) == 303


def test_a_flood_of_sign_ins_waits_for_a_free_check_and_is_told_busy(app: FastAPI) -> None:
    gate = app.state.web.sign_in
    with TestClient(app) as c:
        held = [gate.slots.acquire(blocking=False) for _ in range(2)]  # every check slot taken
        assert held == [True, True]
        try:
            started = time.monotonic()
            r = c.post("/login", data={"username": "lan", "password": PASSWORD}, follow_redirects=False)
            waited = time.monotonic() - started
        finally:
            gate.slots.release()
            gate.slots.release()
        assert r.status_code == 503 and r.headers["Retry-After"] and 0.25 < waited < 2.0
        assert attempt(c, PASSWORD) == 303  # a slot free again: in


def test_every_sign_in_attempt_is_audited_without_its_password(app: FastAPI, data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from workers.stores.records import login_audit

    with TestClient(app) as c:
        attempt(c, WRONG)
        attempt(c, WRONG, name="nobody-here")
        attempt(c, PASSWORD)
    rows = app.state.web.records.login_audit()
    assert [(r.user_name, r.address, r.outcome) for r in rows] == [
        ("lan", "testclient", "ok"),
        ("nobody-here", "testclient", "wrong"),
        ("lan", "testclient", "wrong"),
    ]
    with app.state.web.records.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(sa.select(login_audit)) for v in row)
    assert WRONG not in stored and PASSWORD not in stored
    assert main(["user", "logins", "lan", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1:] for line in out] == [["lan", "testclient", "ok"], ["lan", "testclient", "wrong"]]


def _signed_in(app: FastAPI) -> tuple[TestClient, str]:
    c = TestClient(app)
    assert attempt(c, PASSWORD) == 303
    cookie = c.cookies["hoso_session"]
    assert c.get("/api/me").status_code == 200
    return c, cookie


def _with_cookie(app: FastAPI, cookie: str) -> int:
    return TestClient(app, cookies={"hoso_session": cookie}).get("/api/me").status_code


def test_an_old_session_cookie_is_refused_after_logout(app: FastAPI) -> None:
    c, cookie = _signed_in(app)
    page = c.get("/login?next=/", follow_redirects=True).text
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    c.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert _with_cookie(app, cookie) == 401


def test_a_password_change_and_disabling_end_the_sessions(app: FastAPI, data: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    _c, cookie = _signed_in(app)
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-moi\n"))
    assert main(["user", "passwd", "lan", "--password-stdin", "--data-dir", str(data)]) == 0
    assert _with_cookie(app, cookie) == 401

    token = create_user(app.state.web.records, "binh", role="counter", password=PASSWORD)
    c2 = TestClient(app)
    assert attempt(c2, PASSWORD, name="binh") == 303
    cookie2 = c2.cookies["hoso_session"]
    assert main(["user", "disable", "binh", "--data-dir", str(data)]) == 0
    assert _with_cookie(app, cookie2) == 401
    assert TestClient(app).get("/api/me", headers=bearer(token)).status_code == 401
    assert attempt(TestClient(app), PASSWORD, name="binh") == 401
    assert main(["user", "enable", "binh", "--data-dir", str(data)]) == 0
    assert _with_cookie(app, cookie2) == 401  # an ended session stays ended
    assert TestClient(app).get("/api/me", headers=bearer(token)).status_code == 200


def test_a_session_unused_for_the_idle_time_is_over(app: FastAPI) -> None:
    _c, cookie = _signed_in(app)  # idle time 3 s in this app
    assert _with_cookie(app, cookie) == 200
    time.sleep(3.2)
    assert _with_cookie(app, cookie) == 401


def test_tokens_expire_and_are_listed_and_revoked(app: FastAPI, data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    records = app.state.web.records
    records.add_token("lan", token_digest("hoso_expired-token"), expires_at=time.time() - 1)
    assert TestClient(app).get("/api/me", headers=bearer("hoso_expired-token")).status_code == 401

    assert main(["user", "token", "lan", "--days", "7", "--data-dir", str(data)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert TestClient(app).get("/api/me", headers=bearer(token)).status_code == 200
    assert main(["user", "tokens", "lan", "--data-dir", str(data)]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 3 and sum("expired" in line for line in listed) == 1
    mine = token_digest(token)[:12]
    assert any(line.startswith(mine) for line in listed) and token not in "\n".join(listed)
    assert main(["user", "revoke", "lan", mine, "--data-dir", str(data)]) == 0
    assert TestClient(app).get("/api/me", headers=bearer(token)).status_code == 401
    assert main(["user", "revoke", "lan", "--all", "--data-dir", str(data)]) == 0
    assert "2 token(s)" in capsys.readouterr().out


@pytest.mark.parametrize("password", ["password", "password1234", "Admin@123456", "aaaaaaaaaaaaaa", "tuan-mat-khau"])
def test_short_common_and_name_passwords_are_refused(app: FastAPI, password: str) -> None:
    with pytest.raises(RequestError, match="password"):
        create_user(app.state.web.records, "tuan", role="admin", password=password)
    assert app.state.web.records.user("tuan") is None
    create_user(app.state.web.records, "tuan", role="admin", password="ba-con-meo-trang")


def test_the_sign_in_settings_come_from_the_environment() -> None:
    from workers.settings import from_env

    env = {
        "HOSO_SESSION_HOURS": "8",
        "HOSO_SESSION_IDLE_MINUTES": "15",
        "HOSO_TOKEN_DAYS": "30",
        "HOSO_LOGIN_HASHES": "1",
        "HOSO_LOCK_AFTER": "6",
        "HOSO_HSTS": "true",
    }
    web = from_env(env).web
    assert (web.session_hours, web.session_idle_minutes, web.token_days) == (8, 15.0, 30)
    assert (web.login_hashes, web.lock_after, web.hsts) == (1, 6, True)
    assert from_env({}).web == WebSettings()


def test_a_link_on_another_site_does_not_change_the_users_language(app: FastAPI) -> None:
    c, _cookie = _signed_in(app)
    c.get("/lang/en", headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert c.get("/api/me").json()["lang"] == "vi"
    c.get("/lang/en", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert c.get("/api/me").json()["lang"] == "en"
