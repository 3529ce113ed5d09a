"""The pages in Debian's headless Chromium (Playwright's Python package, never `playwright install`):
a counter clerk uploads a generated dossier and watches it processed; a reviewer corrects a field with the
keyboard and a word on the page image, and sees the audit entries. Screenshots of the counter page and the
review page go to tests/web/screenshots/ (look at them)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from tests.web.conftest import PASSWORD, Staff

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).with_name("screenshots")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(app: FastAPI, staff: Staff) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1, in a thread."""
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _csp_violations(page: object) -> list[str]:
    """Collects what the Content-Security-Policy blocked on the page (and any script error), as it happens."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: seen.append(str(e)))  # type: ignore[attr-defined]
    return seen


def _sign_in(page: object, base: str, name: str) -> None:
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.fill("input[name=username]", name)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]


def _open_review(
    browser: object, server: str, url: str, size: tuple[int, int] = (1500, 1000)
) -> tuple[object, object, list[str]]:
    """A reviewer's fresh browser context on a review page, its image shown: (context, page, CSP violations)."""
    viewport = {"width": size[0], "height": size[1]}
    ctx = browser.new_context(viewport=viewport, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    blocked = _csp_violations(page)
    _sign_in(page, server, "reviewer")
    page.goto(f"{server}{url}")
    page.wait_for_selector("#sheet img")
    return ctx, page, blocked


@pytest.fixture(scope="module")
def uploaded(server: str, browser: object, dossier_pdf: Path) -> str:
    """GIVEN a counter clerk WHEN they upload the scans THEN they see the code and, once processed, the fields."""
    SCREENSHOTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    blocked = _csp_violations(page)
    _sign_in(page, server, "counter")
    assert "Tiếp nhận hồ sơ mới" in page.inner_text("h1")
    page.fill("#citizen_name", "Phạm Khánh Nhung")
    page.select_option("#procedure", "certified_copy")
    page.set_input_files("#file-input", str(dossier_pdf))
    assert dossier_pdf.name in page.inner_text("#file-list")
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden]) #code")
    code = page.inner_text("#code").strip()
    assert code.startswith("HS-")
    page.wait_for_selector("#summary .doc-card", timeout=240_000)
    summary = page.inner_text("#summary")
    assert "Đơn / Tờ khai" in summary and "Căn cước công dân" in summary
    assert "Họ tên người đề nghị" in summary
    assert "Đã xử lý 2/2 trang" in page.inner_text("#progress-text")
    # the papers of the procedure: the identity card is the paper to certify, found on its page
    page.wait_for_selector("#completeness .completeness.complete")
    assert "Đủ thành phần hồ sơ" in page.inner_text("#completeness")
    page.screenshot(path=str(SCREENSHOTS / "counter.png"), full_page=True)
    assert blocked == []
    ctx.close()
    return code


def test_counter_uploads_and_watches_the_dossier(uploaded: str) -> None:
    assert (SCREENSHOTS / "counter.png").stat().st_size > 10_000


def test_reviewer_corrects_with_the_keyboard_and_sees_the_audit(server: str, browser: object, uploaded: str) -> None:
    ctx = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    blocked = _csp_violations(page)
    _sign_in(page, server, "reviewer")  # lands on the queue: its confidence meters
    assert page.eval_on_selector(".meter span", "e => e.style.width").endswith("%")
    page.goto(f"{server}/review/{uploaded}")
    page.wait_for_selector("#sheet img")
    page.wait_for_function("document.querySelector('#sheet img').complete")
    assert page.locator("#sheet rect.w").count() > 20  # the OCR word boxes over the page

    # the phone field: focus shows its box on the page; type a new value; Enter accepts and moves on
    phone = page.locator("input.fv[data-key=phone]")
    assert phone.get_attribute("data-box"), "the phone number read from the page has a box on it"
    box = [float(v) for v in phone.get_attribute("data-box").split(",")]  # type: ignore[union-attr]
    phone.focus()
    # the highlight drawn around exactly this field's value (6 px of padding), not left from another field
    page.wait_for_function(
        "([x, y]) => { const b = document.getElementById('fieldbox');"
        " return b.getAttribute('visibility') === 'visible'"
        " && Math.abs(Number(b.getAttribute('x')) - x) < 2 && Math.abs(Number(b.getAttribute('y')) - y) < 2; }",
        arg=[box[0] - 6, box[1] - 6],
        timeout=5000,
    )
    drawn = [float(page.get_attribute("#fieldbox", a) or "nan") for a in ("width", "height")]
    assert abs(drawn[0] - (box[2] - box[0] + 12)) < 2 and abs(drawn[1] - (box[3] - box[1] + 12)) < 2
    phone.fill("0912 345 678")
    phone.press("Enter")
    page.wait_for_selector("#history td.new:has-text('0912345678')")
    row = page.locator("#history tbody tr").first
    assert "reviewer" in row.inner_text() and "Số điện thoại" in row.inner_text()
    focused = page.evaluate("document.activeElement.dataset.key")
    assert focused == "request_date"  # Enter moved to the next field
    assert phone.input_value() == "0912345678"

    # a date typed as staff write it
    date = page.locator("input.fv[data-key=request_date]")
    date.fill("05/03/2025")
    date.press("Enter")
    page.wait_for_selector("#history td.new:has-text('05/03/2025')")

    # a word on the page image, retyped
    word = page.locator("#sheet rect.w").nth(3)
    word.click()
    page.wait_for_selector("#word-editor:not([hidden])")
    page.fill("#we-input", "Sửachữ")
    page.press("#we-input", "Enter")
    page.wait_for_selector("#history td.new:has-text('Sửachữ')")
    assert page.locator("#sheet rect.w.human").count() >= 1

    # back to the first document: selecting a field shows its page and its box, for the screenshot
    first = page.locator("input.fv").first
    first.focus()
    page.wait_for_selector(f"#sheet[data-page='{first.get_attribute('data-page')}']")
    assert first.get_attribute("data-box"), "the first field of the first document has a box"
    page.wait_for_selector("#fieldbox[visibility=visible]", state="attached")
    page.screenshot(path=str(SCREENSHOTS / "review.png"))
    assert blocked == []
    ctx.close()


def test_review_page_in_english(server: str, browser: object, uploaded: str) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = ctx.new_page()
    blocked = _csp_violations(page)
    _sign_in(page, server, "admin")
    page.goto(f"{server}/lang/en?next=/review/{uploaded}")
    page.wait_for_selector("#sheet img")
    assert "Mark reviewed" in page.inner_text(".review-head")
    assert "Application form" in page.inner_text("#panel")
    # sizes come as data attributes set by the script (the CSP allows no style attribute)
    assert page.eval_on_selector("#sheet", "e => e.style.aspectRatio")
    page.goto(f"{server}/dossiers/{uploaded}")
    page.wait_for_load_state("load")
    page.goto(f"{server}/lang/vi?next=/")
    assert blocked == []
    ctx.close()


def test_a_typed_field_is_kept_when_tabbed_away_or_marked_reviewed(server: str, browser: object, uploaded: str) -> None:
    """GIVEN a reviewer who types a value and never presses Enter WHEN they Tab away and reload, or press Alt+D
    THEN the record keeps the typed value, and Alt+D first lists the flagged fields never confirmed."""
    ctx, page, blocked = _open_review(browser, server, f"/review/{uploaded}")
    phone = page.locator("input.fv[data-key=phone]")
    phone.fill("0987 654 321")
    assert "unsaved" in (page.locator(".field:has(input.fv[data-key=phone])").get_attribute("class") or "")
    phone.press("Tab")  # away, no Enter
    page.wait_for_selector("#history td.new:has-text('0987654321')")
    page.reload()
    page.wait_for_selector("#sheet img")
    assert page.locator("input.fv[data-key=phone]").input_value() == "0987654321"

    flagged = page.locator(".field.low:not(.corrected), .field.missing:not(.corrected)").count()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    date = page.locator("input.fv[data-key=request_date]")
    date.fill("07/08/2025")
    date.press("Alt+d")  # straight from the field, never Enter
    page.wait_for_selector("#status-badge.st-reviewed")
    page.wait_for_url(lambda url: f"/review/{uploaded}" not in url, timeout=10_000)
    if flagged:
        assert dialogs and "chưa được xác nhận" in dialogs[0]
    record = page.request.get(f"{server}/api/dossiers/{uploaded}").json()
    values = {k: f["value"] for d in record["documents"] for k, f in d["fields"].items()}
    assert values["phone"] == "0987654321" and values["request_date"] == "2025-08-07"
    assert record["status"] == "reviewed"
    assert blocked == []
    ctx.close()


def test_a_save_from_a_stale_page_is_refused_and_shows_the_current_value(
    server: str, browser: object, uploaded: str
) -> None:
    """GIVEN two reviewers with the same dossier open WHEN the first saves a field and the second, from the page
    they opened before, saves the same field THEN the second is refused and their field shows the first's value."""
    pages = []
    for name in ("reviewer", "admin"):
        ctx = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="vi-VN")  # type: ignore[attr-defined]
        page = ctx.new_page()
        _sign_in(page, server, name)
        page.goto(f"{server}/review/{uploaded}")
        page.wait_for_selector("#sheet img")
        pages.append((ctx, page, _csp_violations(page)))
    (ctx1, first, blocked1), (ctx2, second, blocked2) = pages
    first.fill("input.fv[data-key=phone]", "0933 333 333")
    first.press("input.fv[data-key=phone]", "Enter")
    first.wait_for_selector("#history td.new:has-text('0933333333')")

    field = second.locator("input.fv[data-key=phone]")
    field.fill("0944 444 444")
    field.press("Enter")
    second.wait_for_selector("#toast.bad:not([hidden])")
    assert "Người khác đã sửa hồ sơ này" in second.inner_text("#toast")
    assert "0933333333" in second.inner_text("#toast")
    second.wait_for_function("document.querySelector('input.fv[data-key=phone]').value === '0933333333'")
    second.screenshot(path=str(SCREENSHOTS / "review-stale.png"))
    record = second.request.get(f"{server}/api/dossiers/{uploaded}").json()
    values = {k: f["value"] for d in record["documents"] for k, f in d["fields"].items()}
    assert values["phone"] == "0933333333"
    assert blocked1 == [] and blocked2 == []
    ctx1.close()
    ctx2.close()


def test_a_page_step_right_after_focusing_a_field_counts_from_the_fields_page(
    server: str, browser: object, uploaded: str
) -> None:
    """GIVEN a reviewer who opens the dossier at ?page=1 THEN page 1 stays shown (the first field focused is one of
    page 1's) WHEN they focus a field of page 2 and press Alt+PgUp before page 2 has arrived THEN they end on page 1
    (the step counts from the page asked for; the late page 2 is not shown over it)."""
    ctx, page, blocked = _open_review(browser, server, f"/review/{uploaded}?page=1")
    page.wait_for_timeout(800)  # whatever the first focus loads has come
    assert page.locator("#sheet").get_attribute("data-page") == "1"

    # focus and the key in one go, as a quick hand does: page 2 cannot have arrived in between
    page.evaluate(
        """() => {
          document.querySelector("input.fv[data-page='2']").focus();
          const key = {key: "PageUp", code: "PageUp", altKey: true, bubbles: true};
          document.dispatchEvent(new KeyboardEvent("keydown", key));
        }"""
    )
    page.wait_for_timeout(1500)
    assert page.locator("#sheet").get_attribute("data-page") == "1"
    assert "page=1" in page.url
    assert blocked == []
    ctx.close()


def test_a_card_field_is_zoomed_to_and_words_are_corrected_by_keyboard_at_1366x768(
    server: str, browser: object, uploaded: str
) -> None:
    """Issue 14, finding 6. GIVEN a reviewer at 1366x768 WHEN they focus a field of the ID card THEN the page zooms
    until its print reads (>= 15 px on screen) and Alt+0 fits it again; Ctrl+wheel zooms; WHEN they press Alt+W,
    an arrow and Enter, type and Enter THEN that word is corrected, without the mouse; Tab reaches "merge"."""
    ctx, page, blocked = _open_review(browser, server, f"/review/{uploaded}?page=1", (1366, 768))
    assert page.inner_text("#zoom-level") == "100%"

    card = page.locator("article.doc:has(input.fv[data-page='2'])")
    field = card.locator("input.fv[data-box]:not([data-box=''])").first
    box = [int(v) for v in (field.get_attribute("data-box") or "").split(",")]
    field.focus()
    page.wait_for_selector("#sheet[data-page='2'] img")
    page.wait_for_timeout(300)
    zoomed = int(page.inner_text("#zoom-level").rstrip("%"))
    shown = page.eval_on_selector("#fieldbox", "e => e.getBoundingClientRect().height")
    assert zoomed > 100 and shown >= 15 + 12, (zoomed, shown, box)  # the box is padded 6 px each side
    page.screenshot(path=str(SCREENSHOTS / "review-zoomed-1366.png"))
    page.keyboard.press("Alt+0")
    assert page.inner_text("#zoom-level") == "100%"
    page.mouse.move(400, 400)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    assert int(page.inner_text("#zoom-level").rstrip("%")) > 100

    # Tab from the card's last field reaches its "merge" button
    card.locator("input.fv").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('merge')")

    # words by keyboard: Alt+W puts a cursor on the page's words; arrow, Enter, type, Enter
    page.keyboard.press("Alt+w")
    page.keyboard.press("ArrowRight")
    target = page.eval_on_selector("rect.w.cur", "e => Number(e.dataset.i)")
    page.keyboard.press("Enter")
    assert page.is_visible("#word-editor")
    page.keyboard.type("CHỮ-SỬA")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"rect.w.human[data-i='{target}']")
    assert page.evaluate("document.activeElement.id") == "sheet-wrap"
    trail = page.request.get(f"{server}/api/dossiers/{uploaded}/corrections").json()
    assert any(c["target"] == "word" and c["new"] == "CHỮ-SỬA" for c in trail), trail[-3:]
    assert blocked == []
    ctx.close()


def test_an_admin_adds_a_user_in_the_app_and_sees_the_token_once(server: str, browser: object) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    blocked = _csp_violations(page)
    _sign_in(page, server, "admin")
    page.click("text=Người dùng")
    page.wait_for_selector("#user-list")
    page.fill("#user-add input[name=name]", "hanh")
    page.select_option("#user-add select[name=role]", "reviewer")
    page.fill("#user-add input[name=password]", "cay-cau-xanh-tuoi-99")
    page.click("#user-add button[type=submit]")
    page.wait_for_selector("#new-token:not([hidden])")
    assert page.inner_text("#token-text").startswith("hanh: hoso_")
    page.screenshot(path=str(SCREENSHOTS / "users.png"))
    assert blocked == []
    ctx.close()


def test_the_review_queue_follows_a_dossier_arriving_without_a_reload(
    server: str, browser: object, app: FastAPI
) -> None:
    from schemas.record import DossierStatus

    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    blocked = _csp_violations(page)
    _sign_in(page, server, "reviewer")
    page.goto(f"{server}/review")
    records = app.state.web.records
    assert records.create_dossier("HS-20261202-QUEUE1", {"citizen_name": "Đỗ Thị Hoa"})
    records.set_status("HS-20261202-QUEUE1", DossierStatus.needs_review)
    page.wait_for_selector("#queue-card a[href='/review/HS-20261202-QUEUE1']", timeout=25_000)
    assert blocked == []
    ctx.close()
