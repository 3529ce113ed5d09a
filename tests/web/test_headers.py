"""The security headers (issue 13, finding 8): a CSP with no inline script or style and no framing, nosniff,
no Referer, HSTS behind TLS, `no-store` on pages, page images and API answers; no inline script, style or
event handler left in the pages; /docs served with nothing from a CDN. No OCR here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from schemas.record import DossierStatus
from tests.web.conftest import PASSWORD, Staff
from workers.settings import Settings, WebSettings
from workers.stores.objects import page_image_key
from workers.web.app import create_app

CODE = "HS-HEADERS-1"


@pytest.fixture(scope="module")
def signed_in(app: FastAPI, staff: Staff) -> TestClient:
    """An admin signed in, and a dossier with one page and its image (put in place, not processed)."""
    import io

    from schemas.record import Page, PageSource, Word
    from workers.usecases.dossier import finish_dossier

    state = app.state.web
    records = state.records
    records.create_dossier(CODE, {"citizen_name": "Trần Thị Bảo"})
    buf = io.BytesIO()
    Image.new("L", (600, 800), 255).save(buf, format="JPEG")
    key = page_image_key(CODE, 1)
    state.store.put_bytes(key, buf.getvalue())
    records.add_file(CODE, 1, "a.pdf", sha256="0" * 64, kind="pdf", page_count=1)
    records.add_pages(CODE, 1, 1, 1)
    words = [Word(text="GIẤY", conf=40.0, box=[50, 60, 150, 90], line=0, block=0)]
    page = Page(
        number=1, source=PageSource(file="a.pdf", page=1), sha256="0" * 64, width=600, height=800,
        dpi=150, rotation=0, skew_deg=0.0, text="GIẤY", words=words, image_key=key,
    )  # fmt: skip
    records.finish_page(CODE, 1, page)
    finish_dossier(records, CODE)
    records.set_status(CODE, DossierStatus.needs_review)
    c = TestClient(app)
    r = c.post("/login", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    return c


PAGES = ["/", f"/dossiers/{CODE}", "/review", f"/review/{CODE}", f"/review/{CODE}/pages/1", "/search?q=bao"]
DATA = [f"/api/dossiers/{CODE}", f"/api/dossiers/{CODE}/pages/1/image", "/api/dossiers", "/api/me"]


@pytest.mark.parametrize("path", ["/login", *PAGES, *DATA])
def test_every_answer_carries_the_security_headers_and_is_not_stored(signed_in: TestClient, path: str) -> None:
    r = signed_in.get(path)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in r.headers  # not behind TLS unless the setting says so


@pytest.mark.parametrize("path", ["/login", *PAGES])
def test_pages_hold_no_inline_script_style_or_handler(signed_in: TestClient, path: str) -> None:
    html = signed_in.get(path).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_static_files_stay_cacheable(signed_in: TestClient) -> None:
    r = signed_in.get("/static/common.js")
    assert r.status_code == 200 and r.headers["cache-control"] == "public, max-age=86400"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_api_docs_load_nothing_from_elsewhere(signed_in: TestClient) -> None:
    r = signed_in.get("/docs")
    assert r.status_code == 200 and "/api/dossiers" in r.text and "/openapi.json" in r.text
    assert not re.search(r"(src|href)=\"(https?:)?//", r.text)
    assert signed_in.get("/redoc").status_code == 404


def test_hsts_when_served_behind_tls(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", web=WebSettings(hsts=True)), resume=False)
    with TestClient(app) as c:
        assert c.get("/login").headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize("code", ["HS-2026-1", 'a"b', "x\r\nSet-Cookie: y=1", "hồ sơ/1"])
def test_the_pdfs_file_name_header_is_quoted_whatever_the_code(code: str) -> None:
    from urllib.parse import unquote

    from workers.web.routers.dossiers import pdf_disposition

    value = pdf_disposition(code)
    assert value.isascii() and "\r" not in value and "\n" not in value
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert re.fullmatch(r"[A-Za-z0-9._-]+\.pdf", fallback)
    assert unquote(value.split("filename*=UTF-8''", 1)[1]) == f"{code}.pdf"


def test_who_read_which_dossier_is_recorded_and_kept(signed_in: TestClient, app: FastAPI, capsys) -> None:  # type: ignore[no-untyped-def]
    from workers.cli import main

    records = app.state.web.records
    before = len(records.reads(code=CODE, limit=1000))
    signed_in.get(f"/api/dossiers/{CODE}")
    signed_in.get(f"/api/dossiers/{CODE}/pages/1/image")
    signed_in.get(f"/review/{CODE}/pages/1")
    signed_in.get(f"/api/dossiers/{CODE}/status")  # not a read of citizens' data
    newest = [(r.who, r.what, r.page) for r in records.reads(code=CODE, limit=1000)]
    assert newest[:3] == [("admin", "page", 1), ("admin", "image", 1), ("admin", "record", None)]
    assert len(newest) == before + 3
    data_dir = str(app.state.web.settings.data_dir)
    assert main(["user", "reads", "admin", "--dossier", CODE, "--limit", "1", "--data-dir", data_dir]) == 0
    assert capsys.readouterr().out.split("\t")[1:] == ["admin", CODE, "page", "1\n"]
