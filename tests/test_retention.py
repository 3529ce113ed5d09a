"""Issue 13: the audits do not grow for ever. Sign-in and read audits, and status changes delivered to the portal,
older than HOSO_AUDIT_DAYS are deleted by `hoso db prune` (and at `hoso serve`'s start); newer ones, changes not
yet delivered and the deletion audit stay."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from workers.cli import main
from workers.settings import from_env
from workers.stores.records import Records, login_audit, read_audit
from workers.usecases.retention import prune

DAY = 86400.0


def test_audit_rows_past_the_retention_go_and_the_rest_stay(tmp_path: Path) -> None:
    records = Records(f"sqlite:///{tmp_path / 'hoso.db'}")
    try:
        now = time.time()
        records.create_dossier("HS-R-1", {})  # its 'received' change waits in the outbox (no portal): it stays
        with records._tx() as conn:
            for age in (400, 10):
                conn.execute(login_audit.insert().values(at=now - age * DAY, user_name="lan", address="127.0.0.1",
                                                         outcome="ok"))  # fmt: skip
                conn.execute(read_audit.insert().values(at=now - age * DAY, who="lan", dossier_code="HS-R-1",
                                                        what="record"))  # fmt: skip
        gone = prune(records, 365, now=now)
        assert gone == {"sign_ins": 1, "reads": 1, "deliveries": 0}
        with records._tx() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(login_audit)).scalar() == 1
            assert conn.execute(sa.select(sa.func.count()).select_from(read_audit)).scalar() == 1
        assert [d.status for d in records.deliveries(limit=10)] == ["received"]
        assert prune(records, 0, now=now) is None  # 0: kept for ever
    finally:
        records.close()


def test_hoso_db_prune_says_what_it_deleted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "prune", "--days", "30", "--data-dir", str(tmp_path / "d")]) == 0
    assert "pruned past 30 days: 0 sign_ins, 0 reads, 0 deliveries" in capsys.readouterr().out
    assert from_env({"HOSO_AUDIT_DAYS": "90"}).audit_days == 90
    assert from_env({"HOSO_DELETE_GRACE_DAYS": "7"}).delete_grace_days == 7
    assert from_env({}).delete_grace_days == 0  # deleted for good at once unless a trash is asked for
