"""Fixtures for the web app: an app on a fresh data folder, users of each role, a processed dossier."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from workers.settings import Settings
from workers.usecases.users import create_user
from workers.web.app import create_app

FINAL = ("processed", "needs_review", "reviewed", "failed")
PASSWORD = "mat-khau-thu"  # every test user's password


@dataclass(frozen=True)
class Staff:
    counter: dict[str, str]
    reviewer: dict[str, str]
    admin: dict[str, str]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_staff(app: FastAPI) -> Staff:
    records = app.state.web.records
    roles = ("counter", "reviewer", "admin")
    tokens = {role: create_user(records, role, role=role, password=PASSWORD) for role in roles}
    return Staff(**{role: bearer(tok) for role, tok in tokens.items()})


def wait_final(client: TestClient, code: str, headers: dict[str, str], timeout: float = 240.0) -> dict:
    """Follow /status (long-polling on its version) until the dossier is processed."""
    deadline = time.monotonic() + timeout
    version = ""
    while time.monotonic() < deadline:
        st = client.get(f"/api/dossiers/{code}/status", params={"wait": 10, "since": version}, headers=headers).json()
        if st["status"] in FINAL:
            return st
        version = st["version"]
    raise AssertionError(f"dossier {code} not processed in {timeout} s")


def upload_and_wait(client: TestClient, staff: Staff, path: Path) -> str:
    """A counter clerk's upload of one file, followed until it is processed: the dossier code."""
    with path.open("rb") as f:
        res = client.post("/api/dossiers", files={"files": (path.name, f)}, headers=staff.counter)
    assert res.status_code == 201, res.text
    code: str = res.json()["code"]
    wait_final(client, code, staff.counter)
    return code


@pytest.fixture(scope="session")
def dossier_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 2-page dossier (an application form, an ID card copy) at 150 dpi: OCR takes seconds."""
    import synth

    path = tmp_path_factory.mktemp("scans") / "ho-so.pdf"
    dossier = synth.make_dossier(7, n_documents=2, dpi=150)
    synth.write_pdf(dossier.pages, path)
    return path


@pytest.fixture(scope="session")
def blank_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small blank page as PNG (processed in an instant: blank pages are not read)."""
    from PIL import Image

    path = tmp_path_factory.mktemp("scans") / "trang-trang.txt"  # the name lies; the content decides
    Image.new("L", (600, 800), 255).save(path, format="PNG", dpi=(100, 100))
    return path


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("web") / "data", jobs=1)


@pytest.fixture(scope="module")
def app(web_settings: Settings) -> FastAPI:
    return create_app(web_settings)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def staff(app: FastAPI) -> Staff:
    return make_staff(app)
