"""Status changes to the portal (issue 17): the outbox row written with the change, delivered to a receiver on
loopback that fails, answers too late and sees a change twice; in order per dossier; failed ones listed and
resent (records, command line, web page)."""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from schemas.errors import ConfigError, DeliveryNotFailed, DeliveryNotFound
from schemas.record import DossierStatus
from tests.portal_receiver import Receiver
from workers.portal import signature
from workers.settings import PortalSettings, from_env
from workers.stores.objects import LocalStore
from workers.stores.records import Records, outbox
from workers.usecases.deletion import delete_dossier
from workers.usecases.outbox import Deliverer

SECRET = "bí-mật-của-cổng"  # not ASCII: the key is taken as UTF-8
S = DossierStatus
# A dossier's life, each status different from the one before it (a reopened dossier goes round again).
LIFE = (S.processing, S.needs_review, S.reviewed, S.received, S.processing, S.processed, S.failed)


@pytest.fixture
def records(tmp_path: Path) -> Iterator[Records]:
    r = Records(f"sqlite:///{tmp_path / 'hoso.db'}")
    yield r
    r.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver(SECRET) as r:
        yield r


def portal(url: str, **changes: Any) -> PortalSettings:
    fast = {"timeout_seconds": 3.0, "backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "poll_seconds": 0.02}
    return PortalSettings(url=url, secret=SECRET, **(fast | changes))


def make_changes(records: Records, codes: Sequence[str], per_dossier: int) -> None:
    """Each dossier created (its first change), then `per_dossier - 1` more, the dossiers' changes interleaved."""
    for code in codes:
        assert records.create_dossier(code, {"procedure": "dang_ky_khai_sinh"})
    for step in range(per_dossier - 1):
        for code in codes:
            records.set_status(code, LIFE[step % len(LIFE)])


def expected_keys(records: Records) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in records.deliveries(limit=100_000):
        out.setdefault(row.code, []).append(row.key)
    return out


def deliver_until(deliverer: Deliverer, done: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, deliverer.records.delivery_counts()
        if deliverer.deliver_once().attempts == 0:
            time.sleep(0.01)


def nothing_pending(records: Records) -> Callable[[], bool]:
    return lambda: records.delivery_counts()["pending"] == 0


def assert_in_order_and_one_at_a_time(receiver: Receiver, expected: dict[str, list[str]]) -> None:
    """Per dossier: requests never go back to an earlier change, and a change's first request comes after the
    previous change was acknowledged (answered 200 in time)."""
    assert receiver.out_of_order(expected) == []
    assert sum(len(k) for k in expected.values()) > 1  # something to be in order


# --- the row is written with the change ----------------------------------------------------------------------


def test_every_status_change_writes_one_outbox_row_and_the_same_status_again_writes_none(
    records: Records, tmp_path: Path
) -> None:
    assert records.create_dossier("HS-1", {"procedure": "dang_ky_khai_sinh"})
    assert not records.create_dossier("HS-1")  # a repeated request: no change
    records.set_status("HS-1", S.processing)
    records.set_status("HS-1", S.processing)  # prepare sets it once per part: one change
    records.set_status("HS-1", S.needs_review)
    delete_dossier(records, LocalStore(tmp_path / "objects"), "HS-1", who="admin")

    rows = records.deliveries(code="HS-1")
    assert [r.status for r in rows] == ["received", "processing", "needs_review", "deleted"]
    assert [r.id for r in rows] == sorted(r.id for r in rows) and all(r.state == "pending" for r in rows)
    body = json.loads(_body(records, rows[-1].id))
    assert body["code"] == "HS-1" and body["status"] == "deleted" and body["procedure"] == "dang_ky_khai_sinh"
    assert body["key"] == rows[-1].key and body["at"].endswith("+00:00")


def test_putting_a_dossier_in_the_trash_and_restoring_it_each_tell_the_portal(records: Records) -> None:
    # GIVEN a dossier that needs review
    assert records.create_dossier("HS-T", {"procedure": "dang_ky_khai_sinh"})
    records.set_status("HS-T", S.needs_review)
    # WHEN an admin puts it in the trash (twice: a repeated request), then restores it
    records.trash("HS-T", who="admin")
    records.trash("HS-T", who="admin")
    assert records.restore("HS-T") and not records.restore("HS-T")
    # THEN the outbox has one row for each: `trashed`, then its status again (it is back as it was)
    statuses = [r.status for r in records.deliveries(code="HS-T")]
    assert statuses == ["received", "needs_review", "trashed", "needs_review"]


def _body(records: Records, row_id: int) -> str:
    with records.engine.connect() as conn:
        return str(conn.execute(sa.select(outbox.c.body).where(outbox.c.id == row_id)).scalar_one())


def test_a_failure_in_the_transaction_leaves_neither_the_status_nor_its_outbox_row(
    records: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a dossier with one change in the outbox
    assert records.create_dossier("HS-2")
    (first,) = records.deliveries(code="HS-2")
    # When the outbox row of the next change cannot be written (its key collides: the database refuses it)
    monkeypatch.setattr("workers.stores.records.delivery_queue.new_key", lambda: first.key)
    with pytest.raises(IntegrityError):
        records.set_status("HS-2", S.processing)
    # Then the status did not change either
    assert records.status("HS-2") == S.received
    assert [r.id for r in records.deliveries(code="HS-2")] == [first.id]

    # and a deletion cut short at its outbox row leaves the dossier whole, with no deletion audit
    with pytest.raises(IntegrityError):
        delete_dossier(records, LocalStore(tmp_path / "objects"), "HS-2", who="admin")
    assert records.exists("HS-2") and records.deletions(code="HS-2") == []
    assert len(records.deliveries(code="HS-2")) == 1


def test_a_reviewed_dossier_goes_back_to_review_in_one_transaction(
    records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a reviewed dossier
    assert records.create_dossier("HS-R")
    records.set_status("HS-R", S.reviewed)
    version = records.version("HS-R")
    # WHEN its return to review (after a correction) fails at the outbox row
    (last,) = records.deliveries(code="HS-R")[-1:]
    monkeypatch.setattr("workers.stores.records.delivery_queue.new_key", lambda: last.key)
    with pytest.raises(IntegrityError):
        records.reopen_after_review("HS-R", "reviewer", claim_seconds=900)
    # THEN nothing of it is left: the status, the audit row, the version and the claim are as they were
    assert records.status("HS-R") == S.reviewed and records.version("HS-R") == version
    assert records.corrections_of("HS-R") == [] and records.claim("HS-R", "other", seconds=1) == "other"
    monkeypatch.undo()
    # and once it can be written, all of it is, together
    assert records.reopen_after_review("HS-R", "reviewer", claim_seconds=900)
    assert not records.reopen_after_review("HS-R", "reviewer", claim_seconds=900)  # no longer reviewed: nothing
    assert records.status("HS-R") == S.needs_review and records.deliveries(code="HS-R")[-1].status == "needs_review"
    assert [(c.target, c.old, c.new, c.who) for c in records.corrections_of("HS-R")] == [
        ("status", "reviewed", "needs_review", "reviewer")]  # fmt: skip


# --- delivery ------------------------------------------------------------------------------------------------


def test_a_delivery_is_signed_with_hmac_sha256_and_carries_code_status_time_and_procedure(
    records: Records, receiver: Receiver
) -> None:
    assert records.create_dossier("HS-3", {"procedure": "cap_ban_sao"})
    report = Deliverer(records, portal(receiver.url)).deliver_once()
    assert report.delivered == 1
    (seen,) = receiver.seen
    assert seen.signed and seen.action == "ok"
    assert signature(SECRET, seen.body) != signature("another secret", seen.body)
    assert seen.payload["code"] == "HS-3" and seen.payload["status"] == "received"
    assert seen.payload["procedure"] == "cap_ban_sao" and seen.payload["at"].startswith("20")
    (row,) = records.deliveries(code="HS-3")
    assert seen.key == row.key and row.state == "delivered" and row.delivered_at is not None

    # a portal that does not share the secret refuses it (401): not acknowledged, tried again
    with Receiver("not our secret") as stranger:
        records.set_status("HS-3", S.processing)
        assert Deliverer(records, portal(stranger.url)).deliver_once().retried == 1
        assert [s.action for s in stranger.seen] == ["unsigned"]


def test_a_failing_receiver_gets_the_same_key_and_bytes_at_every_attempt_until_it_acknowledges(
    records: Records, receiver: Receiver
) -> None:
    receiver.decide = lambda n, p: "fail" if n <= 3 else "ok"
    assert records.create_dossier("HS-4")
    deliverer = Deliverer(records, portal(receiver.url))
    deliver_until(deliverer, nothing_pending(records))
    assert [s.action for s in receiver.seen] == ["fail", "fail", "fail", "ok"]
    assert len({s.key for s in receiver.seen}) == 1 and len({s.body for s in receiver.seen}) == 1
    (row,) = records.deliveries(code="HS-4")
    assert row.state == "delivered" and row.attempts == 4 and row.last_error is None


def test_a_receiver_that_answers_too_late_gets_the_change_again_and_keeps_it_once(
    records: Records, receiver: Receiver
) -> None:
    # Given a portal that takes the first request but answers after the client's timeout (a lost ack)
    receiver.decide = lambda n, p: "late" if n == 1 else "ok"
    receiver.late_s = 2.5
    assert records.create_dossier("HS-5")
    records.set_status("HS-5", S.processing)
    deliverer = Deliverer(records, portal(receiver.url, timeout_seconds=1.0))
    # When delivering
    deliver_until(deliverer, nothing_pending(records))
    # Then the first change reached it twice under one key, the portal kept it once, and the second change
    # went only after the first was acknowledged
    first, second = records.deliveries(code="HS-5")
    assert [s.key for s in receiver.seen if s.key == first.key] == [first.key, first.key]
    assert receiver.duplicates == 1 and [p["key"] for p in receiver.taken] == [first.key, second.key]
    assert receiver.seen[0].action == "late" and first.attempts == 2
    assert_in_order_and_one_at_a_time(receiver, expected_keys(records))


def test_a_receiver_that_hangs_is_given_up_on_after_the_timeout(records: Records, receiver: Receiver) -> None:
    receiver.decide = lambda n, p: "slow"
    receiver.late_s = 1.5
    assert records.create_dossier("HS-6")
    t0 = time.monotonic()
    report = Deliverer(records, portal(receiver.url, timeout_seconds=0.2)).deliver_once()
    assert report.retried == 1 and time.monotonic() - t0 < 1.2
    (row,) = records.deliveries(code="HS-6")
    assert row.state == "pending" and row.last_error == "the portal did not answer within 0.2 s"


def test_each_dossiers_changes_arrive_in_order_under_random_failures(records: Records, receiver: Receiver) -> None:
    rng = random.Random(17)
    lock = threading.Lock()

    def flaky(n: int, p: dict[str, Any]) -> str:
        with lock:
            return "fail" if rng.random() < 0.4 else "ok"

    receiver.decide = flaky
    make_changes(records, [f"HS-O{i}" for i in range(6)], per_dossier=6)
    deliver_until(Deliverer(records, portal(receiver.url, concurrency=3)), nothing_pending(records))
    expected = expected_keys(records)
    assert receiver.taken_per_dossier() == expected
    assert sum(s.action == "fail" for s in receiver.seen) > 5  # the failures did happen
    assert_in_order_and_one_at_a_time(receiver, expected)


def test_a_dossier_whose_changes_fail_does_not_hold_up_the_others(records: Records, receiver: Receiver) -> None:
    receiver.decide = lambda n, p: "fail" if p["code"] == "HS-BAD" else "ok"
    make_changes(records, ["HS-BAD", "HS-A", "HS-B"], per_dossier=3)
    deliverer = Deliverer(records, portal(receiver.url, max_attempts=1000, max_age_hours=1000))
    deliver_until(deliverer, lambda: records.delivery_counts()["pending"] == 3)
    assert receiver.taken_per_dossier() == {c: k for c, k in expected_keys(records).items() if c != "HS-BAD"}
    bad = records.deliveries(code="HS-BAD")
    assert {s.key for s in receiver.seen if s.payload["code"] == "HS-BAD"} == {bad[0].key}  # never the 2nd
    assert bad[0].attempts >= 1 and bad[1].attempts == 0


def test_deliveries_that_keep_failing_are_failed_listed_and_resent(records: Records, receiver: Receiver) -> None:
    # Given a portal down, and a dossier with two changes
    receiver.decide = lambda n, p: "fail"
    assert records.create_dossier("HS-7")
    records.set_status("HS-7", S.processing)
    deliverer = Deliverer(records, portal(receiver.url, max_attempts=3))
    # When the first has been tried 3 times
    deliver_until(deliverer, lambda: records.delivery_counts()["failed"] == 1)
    # Then it is failed, the second waits behind it (never sent), and both say so
    first, second = records.deliveries(code="HS-7")
    assert (first.state, first.attempts, second.state, second.attempts) == ("failed", 3, "pending", 0)
    assert first.last_error == "the portal answered HTTP 500 Internal Server Error"
    assert records.delivery_counts() | {"delivered": 0} == {"pending": 1, "failed": 1, "delivered": 0, "waiting": 1}
    assert [r.id for r in records.deliveries(states=["failed"])] == [first.id]
    assert deliverer.deliver_once().attempts == 0
    with pytest.raises(DeliveryNotFailed):
        records.resend([second.id])
    with pytest.raises(DeliveryNotFound):
        records.resend([999])
    # When the portal is back and the failed change is resent
    receiver.decide = lambda n, p: "ok"
    assert records.resend([first.id]) == 1
    deliver_until(deliverer, nothing_pending(records))
    # Then both arrive, in order
    assert [p["status"] for p in receiver.taken] == ["received", "processing"]
    assert records.delivery_counts() == {"pending": 0, "failed": 0, "delivered": 2, "waiting": 0}


def test_a_change_older_than_the_maximum_age_is_failed_at_its_next_failure(records: Records) -> None:
    clock = [1000.0]
    assert records.create_dossier("HS-8")

    def down(*args: Any, **kwargs: Any) -> int:
        from schemas.errors import PortalUnavailable

        raise PortalUnavailable("the portal answered HTTP 503")

    deliverer = Deliverer(
        records, portal("http://127.0.0.1:9/", max_age_hours=1.0), send=down, clock=lambda: clock[0] + time.time()
    )
    assert deliverer.deliver_once().retried == 1
    clock[0] += 3601.0
    assert deliverer.deliver_once().failed == 1
    assert records.deliveries(code="HS-8")[0].state == "failed"


def test_the_backoff_doubles_up_to_its_cap_with_jitter(records: Records) -> None:
    low = Deliverer(records, portal("http://x/", backoff_seconds=2, max_backoff_seconds=60), jitter=lambda: 0.0)
    high = Deliverer(records, portal("http://x/", backoff_seconds=2, max_backoff_seconds=60), jitter=lambda: 1.0)
    assert [high.backoff(a) for a in (1, 2, 3, 4, 5, 6, 7)] == [2, 4, 8, 16, 32, 60, 60]
    assert [low.backoff(a) for a in (1, 2, 6)] == [1, 2, 30]


# --- several deliverers --------------------------------------------------------------------------------------


def test_two_deliverers_never_send_the_same_change_and_keep_the_order(records: Records, receiver: Receiver) -> None:
    def slowly(n: int, p: dict[str, Any]) -> str:
        time.sleep(0.01)
        return "ok"

    receiver.decide = slowly
    make_changes(records, [f"HS-T{i}" for i in range(8)], per_dossier=4)
    a, b = (Deliverer(records, portal(receiver.url, concurrency=2)) for _ in range(2))
    stop = threading.Event()
    threads = [threading.Thread(target=d.run, args=(stop,)) for d in (a, b)]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 30
        while records.delivery_counts()["pending"] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    assert records.delivery_counts()["delivered"] == 32
    assert len(receiver.seen) == 32 and receiver.duplicates == 0  # each change sent once
    assert_in_order_and_one_at_a_time(receiver, expected_keys(records))


def test_a_deliverer_that_lost_its_lease_cannot_undo_or_redo_the_delivery(records: Records) -> None:
    assert records.create_dossier("HS-9")
    (stale,) = records.claim_deliveries(now=time.time(), lease_s=1.0, limit=5)
    assert records.claim_deliveries(now=time.time(), lease_s=1.0, limit=5) == []  # leased: nobody else
    (fresh,) = records.claim_deliveries(now=time.time() + 2.0, lease_s=30.0, limit=5)  # the lease ran out
    assert fresh.key == stale.key and fresh.attempts == 2
    assert records.mark_delivered(fresh, now=time.time())
    assert not records.mark_delivered(stale, now=time.time())  # acknowledged twice: once counts
    assert not records.mark_attempt_failed(stale, error="late", retry_at=None)
    (row,) = records.deliveries(code="HS-9")
    assert row.state == "delivered" and row.last_error is None


# --- settings, the command line, the runners -------------------------------------------------------------------


def test_a_portal_url_without_a_secret_is_refused_and_no_url_delivers_nothing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="HOSO_PORTAL_SECRET"):
        from_env({"HOSO_PORTAL_URL": "https://dvc.example.vn/hoso"})
    with pytest.raises(ConfigError, match="not a valid http"):
        from_env({"HOSO_PORTAL_URL": "ftp://dvc.example.vn/", "HOSO_PORTAL_SECRET": "s"})
    settings = from_env({"HOSO_PORTAL_URL": "https://dvc.example.vn/hoso", "HOSO_PORTAL_SECRET": "khoa-9f3a"})
    assert settings.portal.url == "https://dvc.example.vn/hoso" and "khoa-9f3a" not in repr(settings)
    assert from_env({}).portal.url is None
    with pytest.raises(ConfigError):
        Deliverer(Records(f"sqlite:///{tmp_path / 'h.db'}"), PortalSettings())


@pytest.mark.parametrize(("url", "why"), [
    ("https://", "names no host"), ("https:///hoso", "names no host"), ("https://dvc.example.vn:99999/", "Port"),
    ("https://dvc.example.vn:abc/", "Port"), ("https://dvc example.vn/", "space"), ("dvc.example.vn/hoso", "http"),
    ("https://admin:pw@dvc.example.vn/", "user or password"), ("https://[::1/", "IPv6"),
])  # fmt: skip
def test_a_malformed_portal_url_is_refused_at_start_saying_why(url: str, why: str) -> None:
    # GIVEN a portal address that is an http(s) prefix or close to one but no address a request can go to
    # WHEN the settings are read (every command's start) THEN a configuration error names the variable and why
    with pytest.raises(ConfigError, match="HOSO_PORTAL_URL") as err:
        from_env({"HOSO_PORTAL_URL": url, "HOSO_PORTAL_SECRET": "s"})
    assert why in str(err.value)


def test_hoso_outbox_list_resend_and_deliver(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from workers.cli import main

    data = tmp_path / "data"
    data.mkdir()
    records = Records(f"sqlite:///{data / 'hoso.db'}")
    try:
        assert records.create_dossier("HS-CLI")
        records.set_status("HS-CLI", S.processing)
    finally:
        records.close()
    env = {"HOSO_DATA_DIR": str(data), "HOSO_PORTAL_URL": receiver.url, "HOSO_PORTAL_SECRET": SECRET,
           "HOSO_PORTAL_MAX_ATTEMPTS": "1", "HOSO_PORTAL_TIMEOUT_SECONDS": "3"}  # fmt: skip
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert main(["outbox", "deliver", "--data-dir", str(tmp_path / "elsewhere")]) == 0  # nothing there to send
    monkeypatch.delenv("HOSO_PORTAL_URL")
    assert main(["outbox", "deliver"]) == 4  # no portal configured: a configuration error
    assert "HOSO_PORTAL_URL" in capsys.readouterr().err
    monkeypatch.setenv("HOSO_PORTAL_URL", receiver.url)
    receiver.decide = lambda n, p: "fail"
    assert main(["outbox", "deliver"]) == 75
    assert "0 delivered" in capsys.readouterr().err
    assert main(["outbox", "list", "--state", "failed"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 pending (1 behind a failed change), 1 failed, 0 delivered"
    failed_id = out[1].split("\t")[0]
    assert out[1].split("\t")[1:4] == ["failed", "HS-CLI", "received"] and "HTTP 500" in out[1]
    assert main(["outbox", "resend", "12345"]) == 3
    assert main(["outbox", "resend"]) == 2
    assert main(["outbox", "resend", failed_id]) == 0
    receiver.decide = lambda n, p: "ok"
    assert main(["outbox", "deliver"]) == 0
    assert [p["status"] for p in receiver.taken] == ["received", "processing"]
    capsys.readouterr()
    assert main(["outbox", "list"]) == 0
    assert capsys.readouterr().out.strip() == "0 pending (0 behind a failed change), 0 failed, 2 delivered"


def test_hoso_process_sends_its_dossiers_changes_before_it_exits(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from workers.cli import main

    blank = tmp_path / "trang.png"
    Image.new("L", (600, 800), 255).save(blank, format="PNG", dpi=(100, 100))
    for k, v in {"HOSO_DATA_DIR": str(tmp_path / "data"), "HOSO_PORTAL_URL": receiver.url,
                 "HOSO_PORTAL_SECRET": SECRET}.items():  # fmt: skip
        monkeypatch.setenv(k, v)
    main(["process", str(blank), "--code", "HS-PROC", "--no-progress", "--json", str(tmp_path / "r.json")])
    final = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["status"]
    assert [p["status"] for p in receiver.taken] == ["received", "processing", final]
    assert all(s.signed for s in receiver.seen)


# --- the web app: the admins' page, the API, the deliverer beside `hoso serve` -----------------------------------


def wait_for(check: Callable[[], Any], timeout_s: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while not (value := check()):
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.05)
    return value


def test_failed_changes_are_shown_to_admins_only_and_resent_from_the_page(tmp_path: Path, receiver: Receiver) -> None:
    from fastapi.testclient import TestClient

    from workers.settings import Settings
    from workers.usecases.users import create_user
    from workers.web.app import create_app

    receiver.decide = lambda n, p: "fail"
    settings = Settings(data_dir=tmp_path / "data", jobs=1, portal=portal(receiver.url, max_attempts=2))
    app = create_app(settings, resume=False)
    records: Records = app.state.web.records
    tokens = {role: create_user(records, role, role=role, password="mat-khau-thu-dai") for role in ("counter", "admin")}
    tokens["other"] = create_user(records, "other", role="admin", password="mat-khau-thu-dai", centres=["C-KHAC"])
    admin, counter, other = ({"Authorization": f"Bearer {tokens[r]}"} for r in ("admin", "counter", "other"))
    with TestClient(app) as client:
        # Given a change the portal keeps refusing, tried by the deliverer that runs beside the app
        assert records.create_dossier("HS-WEB-1", {"centre": "C-NAY"})
        (row,) = wait_for(lambda: records.deliveries(states=["failed"]))
        # Then admins see it, in Vietnamese, with its error and a button to send it again; nobody else does
        page = client.get("/admin/outbox", headers=admin)
        assert page.status_code == 200
        html = page.text
        assert "Gửi không thành công" in html and "HS-WEB-1" in html and "HTTP 500" in html
        assert f'data-resend="{row.id}"' in html and "Gửi lại" in html and 'href="/admin/outbox"' in html
        assert client.get("/admin/outbox", headers=counter).status_code == 403
        assert client.get("/api/outbox", headers=counter).status_code == 403
        assert 'href="/admin/outbox"' not in client.get("/", headers=counter).text
        listed = client.get("/api/outbox", params={"state": "failed"}, headers=admin).json()
        assert listed["counts"]["failed"] == 1 and [e["id"] for e in listed["entries"]] == [row.id]
        assert listed["entries"][0]["centre"] == "C-NAY" and receiver.seen[0].payload["centre"] == "C-NAY"
        # an admin of another centre sees none of it and cannot resend it
        assert "HS-WEB-1" not in client.get("/admin/outbox", headers=other).text
        assert client.get("/api/outbox", headers=other).json() == {
            "counts": {"pending": 0, "delivered": 0, "failed": 0, "waiting": 0},
            "entries": [],
        }
        assert client.post(f"/api/outbox/{row.id}/resend", headers=other).status_code == 404
        # When the portal is back and an admin resends it
        receiver.decide = lambda n, p: "ok"
        assert client.post(f"/api/outbox/{row.id}/resend", headers=counter).status_code == 403
        assert client.post(f"/api/outbox/{row.id}/resend", headers=admin).json() == {"resent": 1}
        # Then the portal takes it; it cannot be resent again, nor can an unknown one
        wait_for(lambda: receiver.taken)
        assert [p["code"] for p in receiver.taken] == ["HS-WEB-1"]
        wait_for(lambda: records.deliveries(code="HS-WEB-1")[0].state == "delivered")
        again = client.post(f"/api/outbox/{row.id}/resend", headers=admin)
        assert again.status_code == 409 and again.json()["error"] == "DeliveryNotFailed"
        assert client.post("/api/outbox/99999/resend", headers=admin).status_code == 404
        assert "Không có thông báo nào gửi lỗi." in client.get("/admin/outbox", headers=admin).text


# --- PostgreSQL: the same, with concurrent writers and two deliverers on their own connections --------------------


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    from tests.cluster.servers import ServerMissing, start_postgres

    try:
        server = start_postgres()
    except ServerMissing as exc:
        pytest.skip(str(exc))
    try:
        yield f"postgresql+psycopg://hoso@127.0.0.1:{server.port}/postgres"
    finally:
        server.stop()


@pytest.mark.cluster
def test_on_postgres_changes_commit_with_their_rows_and_arrive_in_order(
    pg_url: str, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    writers = [Records(pg_url) for _ in range(3)]
    records = writers[0]
    try:
        # a failure in the transaction leaves neither
        assert records.create_dossier("PG-1")
        (first,) = records.deliveries(code="PG-1")
        with monkeypatch.context() as m:
            m.setattr("workers.stores.records.delivery_queue.new_key", lambda: first.key)
            with pytest.raises(IntegrityError):
                records.set_status("PG-1", S.processing)
        assert records.status("PG-1") == S.received and len(records.deliveries(code="PG-1")) == 1

        # writers changing the same dossiers at once: each dossier's last change in the outbox is its status
        codes = [f"PG-W{i}" for i in range(4)]
        for code in codes:
            assert records.create_dossier(code)

        def churn(r: Records, seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(25):
                r.set_status(rng.choice(codes), rng.choice(LIFE))

        threads = [threading.Thread(target=churn, args=(w, i)) for i, w in enumerate(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        for code in codes:
            rows = records.deliveries(code=code, limit=1000)
            assert rows[-1].status == records.status(code).value
            assert all(a.status != b.status for a, b in itertools.pairwise(rows))

        # two deliverers on their own connections, the portal failing 40 % of requests
        rng = random.Random(5)
        lock = threading.Lock()

        def flaky(n: int, p: dict[str, Any]) -> str:
            with lock:
                return "fail" if rng.random() < 0.4 else "ok"

        receiver.decide = flaky
        deliverers = [Deliverer(w, portal(receiver.url, concurrency=2)) for w in writers[1:]]
        stop = threading.Event()
        runs = [threading.Thread(target=d.run, args=(stop,)) for d in deliverers]
        for t in runs:
            t.start()
        try:
            wait_for(lambda: records.delivery_counts()["pending"] == 0, timeout_s=60)
        finally:
            stop.set()
            for t in runs:
                t.join(10)
        expected = expected_keys(records)
        assert receiver.taken_per_dossier() == expected
        assert_in_order_and_one_at_a_time(receiver, expected)
    finally:
        for w in writers:
            w.close()


def test_hoso_watch_sends_the_changes_of_the_dossiers_it_takes(tmp_path: Path, receiver: Receiver) -> None:
    from PIL import Image

    from workers.settings import Settings, WatchSettings
    from workers.watch import Watcher

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    Image.new("L", (600, 800), 255).save(inbox / "trang.png", format="PNG", dpi=(100, 100))
    watch = WatchSettings(stable_seconds=0.2, poll_seconds=0.3, inotify=False)
    settings = Settings(data_dir=tmp_path / "data", jobs=1, watch=watch, portal=portal(receiver.url))
    report = Watcher(inbox, settings).run(once=True)
    (code,) = report.dossiers
    statuses = [p["status"] for p in receiver.taken if p["code"] == code]
    assert statuses[:2] == ["received", "processing"] and statuses[-1] in ("needs_review", "processed", "failed")
    assert all(s.signed for s in receiver.seen)


def test_hoso_workers_deliverer_thread_sends_and_stops(records: Records, receiver: Receiver, tmp_path: Path) -> None:
    from workers.runners.cluster.worker import _portal_thread
    from workers.settings import Settings

    deliverer = _portal_thread(Settings(data_dir=tmp_path, portal=portal(receiver.url)), records)
    try:
        assert records.create_dossier("HS-WORKER")
        wait_for(lambda: receiver.taken)
    finally:
        deliverer.stop()
    assert [p["code"] for p in receiver.taken] == ["HS-WORKER"] and deliverer._thread is None
