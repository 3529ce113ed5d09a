"""`GET /api/dossiers/{code}/export`: the zip of signed PDF/A files and the manifest, for a user who may see the
dossier; 401 without credentials, 403 for a role that may not see dossiers, 404 for an unknown code."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.certs import CENTRE_CN, Pki, make_pki
from tests.web.conftest import Staff, wait_final
from workers.settings import ExportSettings, Settings
from workers.usecases import users
from workers.usecases.signing import Outcome, load_trust_roots, verify_pdf

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Settings:
    export = ExportSettings(signing_p12=pki.p12, signing_password=pki.password)
    return Settings(data_dir=tmp_path_factory.mktemp("web") / "data", jobs=1, export=export)


@pytest.fixture(scope="module")
def code(client: TestClient, staff: Staff, dossier_pdf: Path) -> str:
    with dossier_pdf.open("rb") as fh:
        r = client.post("/api/dossiers", headers=staff.counter, files=[("files", (dossier_pdf.name, fh))])
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    assert wait_final(client, code, staff.counter)["status"] in ("processed", "needs_review")
    return code


def test_a_counter_clerk_gets_the_signed_zip(client: TestClient, staff: Staff, code: str, pki: Pki) -> None:
    r = client.get(f"/api/dossiers/{code}/export", headers=staff.counter)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].startswith(f'attachment; filename="{code}.zip"')
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["code"] == code and manifest["signed"] is True and CENTRE_CN in manifest["signed_by"]
    assert len(manifest["files"]) >= 2
    roots = load_trust_roots([pki.root])
    for entry in manifest["files"]:
        data = zf.read(entry["file"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert verify_pdf(data, roots).outcome is Outcome.valid
    reads = client.app.state.web.records.reads(code=code)  # type: ignore[attr-defined]
    assert any(r.what == "export" and r.who == "counter" for r in reads)


def test_anonymous_gets_401_and_an_unknown_code_404(client: TestClient, staff: Staff, code: str) -> None:
    assert "/api/dossiers/{code}/export" in client.get("/openapi.json").json()["paths"]
    assert client.get(f"/api/dossiers/{code}/export").status_code == 401
    assert client.get("/api/dossiers/HS-KHONG-CO/export", headers=staff.admin).status_code == 404


def test_a_role_that_may_not_see_dossiers_gets_403(
    client: TestClient, staff: Staff, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(users.PERMISSIONS, "counter", frozenset({"upload"}))
    r = client.get(f"/api/dossiers/{code}/export", headers=staff.counter)
    assert r.status_code == 403 and "may not see dossiers" in r.text
