"""One user cannot queue pages without end: uploads over the page limit per user per hour are refused with
an error that names the limit, before a dossier is made; another user is not held by it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.web.conftest import bearer, make_staff, wait_final
from workers.settings import Settings, WebSettings
from workers.usecases.users import create_user
from workers.web.app import create_app


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scans") / "ba-trang.tif"
    pages = [Image.new("L", (600, 800), 255) for _ in range(3)]
    pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:], dpi=(100, 100))
    return path


@pytest.fixture
def client_limited(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", jobs=1, web=WebSettings(max_pages_per_hour=5))
    with TestClient(create_app(settings)) as c:
        yield c


def upload(client: TestClient, headers: dict[str, str], path: Path):  # type: ignore[no-untyped-def]
    return client.post("/api/dossiers", headers=headers, files=[("files", (path.name, io.BytesIO(path.read_bytes())))])


def test_upload_over_the_hourly_page_limit_is_refused_naming_it(client_limited: TestClient, three_pages: Path) -> None:
    app = client_limited.app
    staff = make_staff(app)  # type: ignore[arg-type]
    first = upload(client_limited, staff.counter, three_pages)
    assert first.status_code == 201, first.text
    wait_final(client_limited, first.json()["code"], staff.counter)

    second = upload(client_limited, staff.counter, three_pages)

    assert second.status_code == 429
    body = second.json()
    assert body["error"] == "PageLimitReached" and "limit of 5 pages" in body["message"]
    assert len(client_limited.get("/api/dossiers", headers=staff.counter).json()) == 1  # no dossier made
    uploads = app.state.web.settings.data_dir / "uploads"  # type: ignore[attr-defined]
    assert not [p for p in uploads.rglob("*") if p.name.startswith(".incoming")]
    other = bearer(create_user(app.state.web.records, "counter2", role="counter", password="mat-khau-thu"))  # type: ignore[attr-defined]
    assert upload(client_limited, other, three_pages).status_code == 201  # another user's hour is their own
