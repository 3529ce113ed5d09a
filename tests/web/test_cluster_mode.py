"""With a broker configured, uploads go to the cluster as `hoso submit` sends them: the originals stored and
the files recorded, then the intake message. The actors module is a stand-in here (Dramatiq's broker is
built once per process; the cluster tests drive the real one)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from fastapi.testclient import TestClient

from tests.web.conftest import make_staff
from workers.settings import Settings
from workers.stores.objects import make_store, original_key
from workers.web.app import create_app
from workers.web.jobs import Runner


def test_upload_is_stored_recorded_and_sent_to_the_cluster(tmp_path: Path, blank_png: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", broker_url="redis://127.0.0.1:1/0")  # never connected to
    sent: list[str] = []
    app = create_app(settings.with_overrides(broker_url=None), resume=False)
    state = app.state.web
    state.settings = settings
    state.runner = Runner(settings, state.records, actors=SimpleNamespace(intake=SimpleNamespace(send=sent.append)))
    assert state.runner.mode == "cluster"
    staff = make_staff(app)
    with TestClient(app) as c, blank_png.open("rb") as fh:
        r = c.post("/api/dossiers", headers=staff.counter, files=[("files", ("quet.png", fh))], data={"code": "HS-C-1"})
        assert r.status_code == 201, r.text
        st = c.get("/api/dossiers/HS-C-1/status", headers=staff.counter).json()
    assert sent == ["HS-C-1"]
    assert st["status"] == "received"  # the workers take it from here
    files = state.records.files("HS-C-1")
    assert [(f.name, f.error_kind) for f in files] == [("quet.png", None)]
    assert files[0].sha256 and make_store(settings).exists(original_key(files[0].sha256))
    assert not (settings.data_dir / "uploads" / "HS-C-1").exists()  # the upload is not kept once stored
    assert state.records.dossier_rows(codes=["HS-C-1"])[0].meta["received_by"] == "counter"
