"""The web app's records (users, tokens, corrections, search) on PostgreSQL: the same code as on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import corrections as C
from schemas.record import Page, PageSource, Word
from workers.stores.objects import LocalStore
from workers.stores.records import Records
from workers.usecases.deletion import delete_dossier
from workers.usecases.users import create_user, user_for_token
from workers.web import search


@pytest.fixture(scope="module")
def pg_records() -> Iterator[Records]:
    try:
        from tests.cluster.servers import ServerMissing, start_postgres
    except ImportError as exc:
        pytest.skip(f"no PostgreSQL helper: {exc}")
    try:
        server = start_postgres()
    except ServerMissing as exc:
        pytest.skip(str(exc))
    records = Records(f"postgresql+psycopg://hoso@127.0.0.1:{server.port}/postgres")
    try:
        yield records
    finally:
        records.close()
        server.stop()


def _page(number: int, text: str) -> Page:
    tokens = enumerate(text.split())
    words = [Word(text=t, conf=80.0, box=[10 + 60 * i, 10, 60 + 60 * i, 40], line=0) for i, t in tokens]
    return Page(
        number=number, source=PageSource(file="a.pdf", page=number), sha256="0" * 64, width=800, height=1000,
        dpi=150, rotation=0, skew_deg=0.0, text=text, words=words, image_key=None,
    )  # fmt: skip


def test_users_corrections_and_search_on_postgres(pg_records: Records, tmp_path: Path) -> None:
    records = pg_records
    token = create_user(records, "lan", role="reviewer", password="mat-khau-dai")
    user = user_for_token(records, token)
    assert user is not None and user.role == "reviewer"
    assert user_for_token(records, token + "x") is None

    assert records.create_dossier("HS-PG-1", {"citizen_name": "Nguyễn Thị Hồng"})
    records.add_file("HS-PG-1", 1, "a.pdf", sha256="0" * 64, kind="pdf", page_count=1)
    records.add_pages("HS-PG-1", 1, 1, 1)
    records.finish_page("HS-PG-1", 1, _page(1, "Giấy khai sinh 100%_đúng"))
    assert records.page_states("HS-PG-1") == [(1, "done")]

    cid = records.record_correction("HS-PG-1", target=C.WORD, who="lan", old="Giấy", new="GIẤY", key="1:0")
    assert [r.id for r in records.corrections_of("HS-PG-1")] == [cid]
    assert records.dossier("HS-PG-1").pages[0].text.startswith("GIẤY khai sinh")
    assert records.dossier("HS-PG-1", corrected=False).pages[0].text.startswith("Giấy")

    assert search.search(records, "hong") and search.search(records, "Hồng")
    assert [r.code for r in search.search(records, "giay KHAI")] == ["HS-PG-1"]
    assert [r.code for r in search.search(records, "100%_d")] == ["HS-PG-1"]  # LIKE's wildcards are escaped
    assert search.search(records, "100%x") == []
    assert records.search_stale() == []

    delete_dossier(records, LocalStore(tmp_path / "objects"), "HS-PG-1", who="admin")
    assert records.dossier_rows(codes=["HS-PG-1"]) == []
    (deleted,) = records.deletions(code="HS-PG-1")
    assert (deleted.pages, deleted.corrections) == (1, 1) and records.deleted_corrections_count(deleted.id) == 1


def test_sessions_sign_in_failures_and_tokens_on_postgres(pg_records: Records) -> None:
    from workers.usecases.sign_in import SignInGate
    from workers.usecases.users import revoke_tokens, set_active, token_digest

    records = pg_records
    token = create_user(records, "binh", role="counter", password="mat-khau-dai")
    records.add_session("a" * 64, "binh")
    assert records.session_user("a" * 64, idle_s=60, lifetime_s=3600) == "binh"
    assert set_active(records, "binh", False) == 1
    assert records.session_user("a" * 64, idle_s=60, lifetime_s=3600) is None
    set_active(records, "binh", True)

    gate = SignInGate(records, hashes=1, lock_after=2)
    assert [gate.check("binh", "sai-mat-khau-roi", "10.0.0.1").outcome for _ in range(2)] == ["wrong", "wrong"]
    assert gate.check("binh", "mat-khau-dai", "10.0.0.1").outcome == "locked"
    assert [r.outcome for r in records.login_audit(user_name="binh")] == ["locked", "wrong", "wrong"]

    assert revoke_tokens(records, "binh", [token_digest(token)[:12]]) == 1
    assert user_for_token(records, token) is None
