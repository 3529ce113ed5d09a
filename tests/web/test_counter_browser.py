"""Issue 14, finding 7, in Debian's headless Chromium: the counter never loses a clerk's work and says what
happened to every file. A file over the limit is refused before sending, naming the limit and the file; a
session that ended keeps the form and says so; the same scan sent twice is asked about; a refused file is
marked; the recent list's badges follow after a reload; the printed slip has the QR code and the files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.web import test_browser
from tests.web.test_browser import SCREENSHOTS, _csp_violations, _sign_in
from workers.settings import Settings, WebSettings

pytestmark = test_browser.pytestmark
server = test_browser.server  # the same fixtures, on this module's app (its own upload limit)
browser = test_browser.browser


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("counter") / "data", jobs=1, web=WebSettings(max_upload_mb=5))


def _counter(browser: object, server: str) -> tuple[object, object, list[str]]:
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    blocked = _csp_violations(page)
    _sign_in(page, server, "counter")
    return ctx, page, blocked


def test_a_file_over_the_limit_is_refused_before_sending_naming_the_limit(
    server: str, browser: object, tmp_path: Path
) -> None:
    big = tmp_path / "ban-quet-lon.pdf"
    big.write_bytes(b"%PDF-1.4\n" + os.urandom(5_400_000))
    ctx, page, blocked = _counter(browser, server)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.set_input_files("#file-input", str(big))
    page.click("#submit")
    page.wait_for_selector("#intake-error:not([hidden])")
    text = page.inner_text("#intake-error")
    assert "giới hạn 5 MB" in text and "ban-quet-lon.pdf 5,1 MB" in text, text
    assert not [u for u in sent if u.endswith("/api/dossiers")]  # nothing was sent
    assert blocked == []
    ctx.close()


def test_an_ended_session_keeps_the_form_and_a_sign_in_elsewhere_lets_it_go(
    server: str, browser: object, app: FastAPI, blank_png: Path
) -> None:
    ctx, page, blocked = _counter(browser, server)
    page.fill("#citizen_name", "Trần Văn Bình")
    page.set_input_files("#file-input", str(blank_png))
    app.state.web.records.end_sessions_of("counter")  # the session ends while the clerk fills the form
    page.click("#submit")
    page.wait_for_selector("#intake-error:not([hidden])")
    assert "Phiên đăng nhập đã hết" in page.inner_text("#intake-error")
    assert page.url.endswith("/") and page.input_value("#citizen_name") == "Trần Văn Bình"
    assert blank_png.name in page.inner_text("#file-list")
    other = ctx.new_page()  # signs in again in another tab of the same browser
    _sign_in(other, server, "counter")
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden]) #code")
    assert page.inner_text("#code").startswith("HS-")
    assert blocked == []
    ctx.close()


def test_the_same_scan_twice_is_asked_about_and_a_refused_file_is_marked_and_the_slip_has_the_qr(
    server: str, browser: object, tmp_path: Path, dossier_pdf: Path
) -> None:
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a pdf at all\n%%EOF\n")
    ctx, page, blocked = _counter(browser, server)
    page.set_input_files("#file-input", [str(dossier_pdf), str(bad)])
    page.click("#submit")
    page.wait_for_selector("#result.done", timeout=240_000)
    received = page.inner_text("#received-files")
    assert "✗ hong.pdf" in received and f"✓ {dossier_pdf.name}" in received, received
    assert page.eval_on_selector("#slip-qr", "e => e.complete && e.naturalWidth > 0")
    page.emulate_media(media="print")
    assert dossier_pdf.name in page.inner_text("#slip-papers")
    page.screenshot(path=str(SCREENSHOTS / "counter-slip-print.png"), full_page=True)
    page.emulate_media(media="screen")
    first = page.inner_text("#code")

    # the same scan again: asked; declined, nothing is created and the dossier that has it is named
    page.click("#new-intake")
    page.set_input_files("#file-input", str(dossier_pdf))
    page.once("dialog", lambda d: d.dismiss())
    page.click("#submit")
    page.wait_for_selector("#intake-error:not([hidden])")
    assert first in page.inner_text("#intake-error")
    assert page.is_hidden("#result")

    # the recent list's badges follow after a reload
    page.reload()
    page.wait_for_selector(f"#recent-rows tr[data-code='{first}'] .badge")
    assert "st-received" not in (page.get_attribute(f"#recent-rows tr[data-code='{first}'] .badge", "class") or "")
    assert blocked == []
    ctx.close()
