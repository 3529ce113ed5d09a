"""Issue 14, finding 8: a list of every dossier the user may see, beyond the counter's 12 most recent: filtered by
status, days received, procedure, clerk and document type, 50 a page, the same filters in the API."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from schemas.record import Document, DossierStatus
from tests.web.conftest import make_staff
from workers.settings import Settings
from workers.web.app import create_app

HTML = {"accept": "text/html"}
DAY = 86400.0


def test_the_list_filters_and_pages_beyond_the_counters_twelve(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    records = app.state.web.records
    for i in range(60):  # 60 dossiers: two clerks, two procedures, a few with a card
        code = f"HS-L-{i:03d}"
        records.create_dossier(code, {"citizen_name": f"Người {i}", "received_by": "lan" if i % 2 else "minh"})
        # final statuses: a server starting resumes dossiers left received
        records.set_status(code, DossierStatus.needs_review if i % 3 == 0 else DossierStatus.processed)
        if i % 5 == 0:
            records.set_documents(code, [Document(type="cccd", type_confidence=0.9, pages=[1])])
    with TestClient(app) as client:
        page1 = client.get("/dossiers", headers=staff.reviewer | HTML)
        assert page1.status_code == 200 and "60 hồ sơ" in page1.text and "1/2" in page1.text
        assert page1.text.count('href="/dossiers/HS-L-') == 50
        page2 = client.get("/dossiers", params={"page": 2}, headers=staff.reviewer | HTML)
        assert page2.text.count('href="/dossiers/HS-L-') == 10 and 'rel="prev"' in page2.text

        api = client.get(
            "/api/dossiers", params={"received_by": "lan", "status": "needs_review"}, headers=staff.counter
        )
        codes = {d["code"] for d in api.json()}
        assert codes == {f"HS-L-{i:03d}" for i in range(60) if i % 2 and i % 3 == 0}
        assert api.headers["X-Total-Count"] == str(len(codes))

        cards = client.get("/api/dossiers", params={"type": "cccd"}, headers=staff.counter).json()
        assert {d["code"] for d in cards} == {f"HS-L-{i:03d}" for i in range(0, 60, 5)}

        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))
        tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600 + DAY))
        assert (
            len(client.get("/api/dossiers", params={"since": today, "limit": 100}, headers=staff.counter).json()) == 60
        )
        assert client.get("/api/dossiers", params={"since": tomorrow}, headers=staff.counter).json() == []
        filtered = client.get("/dossiers", params={"received_by": "minh", "type": "cccd"}, headers=staff.counter | HTML)
        assert "6 hồ sơ" in filtered.text  # i = 0, 10, 20, 30, 40, 50
