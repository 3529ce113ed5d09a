"""Issue 14, finding 3: with HOSO_DELETE_GRACE_DAYS an admin's deletion in the app puts the dossier in a trash:
hidden from every route and list, restorable, removed for good (as `hoso delete` does at once) when its days are
over; audited both ways."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import make_staff, wait_final
from workers.settings import Settings
from workers.usecases.deletion import purge_trash
from workers.web.app import create_app

HTML = {"accept": "text/html"}


def test_a_deleted_dossier_waits_in_the_trash_is_restored_then_purged_for_good(
    tmp_path: Path, blank_png: Path
) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1, delete_grace_days=7))
    staff = make_staff(app)
    records, store = app.state.web.records, app.state.web.store
    with TestClient(app) as client:
        with blank_png.open("rb") as f:
            code = client.post(
                "/api/dossiers", files={"files": ("a.png", f)}, data={"citizen_name": "Lý Thị Mai"},
                headers=staff.counter,
            ).json()["code"]  # fmt: skip
        wait_final(client, code, staff.counter)
        assert client.delete(f"/api/dossiers/{code}", headers=staff.admin).status_code == 204

        # in the trash: gone from every route and list, for admins too; kept whole
        for headers in (staff.admin, staff.counter):
            assert client.get(f"/api/dossiers/{code}", headers=headers).status_code == 404
            assert code not in {d["code"] for d in client.get("/api/dossiers", headers=headers).json()}
            assert client.get("/api/search", params={"q": "Mai"}, headers=headers).json() == []
        assert client.get(f"/dossiers/{code}", headers=staff.admin | HTML).status_code == 404
        trash = client.get("/api/trash", headers=staff.admin).json()
        assert [t["code"] for t in trash] == [code] and trash[0]["deleted_by"] == "admin"
        assert trash[0]["purge_at"] - trash[0]["deleted_at"] == 7 * 86400
        assert client.get("/api/trash", headers=staff.counter).status_code == 403
        assert "Khôi phục" in client.get("/admin/trash", headers=staff.admin | HTML).text
        assert store.exists(f"dossiers/{code}/pages/0001.jpg")

        # restored: back as it was
        assert client.post(f"/api/trash/{code}/restore", headers=staff.admin).status_code == 204
        assert client.get(f"/api/dossiers/{code}", headers=staff.counter).status_code == 200

        # deleted again, and its days over: removed for good, the deletion audited
        client.delete(f"/api/dossiers/{code}", headers=staff.admin).raise_for_status()
        assert purge_trash(records, store, 7, now=time.time() + 6 * 86400) == []  # not yet
        done = purge_trash(records, store, 7, now=time.time() + 8 * 86400)
        assert [d.code for d in done] == [code]
        assert not records.exists(code) and not store.exists(f"dossiers/{code}/pages/0001.jpg")
        assert [(d.code, d.who) for d in records.deletions(limit=5)] == [(code, "trash:admin")]
