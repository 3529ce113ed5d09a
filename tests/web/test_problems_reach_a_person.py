"""Failures reach a person: a dossier with a refused file beside a good scan is `needs_review`, in the review
queue and in the counter's "Cần bổ sung" list, with the reason and the advice in Vietnamese."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Staff, wait_final

pytestmark = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf (Debian package) makes the encrypted PDF")


@pytest.fixture(scope="module")
def locked_pdf(tmp_path_factory: pytest.TempPathFactory, dossier_pdf: Path) -> Path:
    path = tmp_path_factory.mktemp("locked") / "co-mat-khau.pdf"
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", str(dossier_pdf), str(path)], check=True)
    return path


def _send(client: TestClient, staff: Staff, *paths: Path) -> str:
    handles = [p.open("rb") for p in paths]
    try:
        res = client.post(
            "/api/dossiers",
            files=[("files", (p.name, h)) for p, h in zip(paths, handles, strict=True)],
            data={"citizen_name": "Trần Thị Bích"},
            headers=staff.counter,
        )
    finally:
        for h in handles:
            h.close()
    assert res.status_code == 201, res.text
    code: str = res.json()["code"]
    wait_final(client, code, staff.counter)
    return code


@pytest.fixture(scope="module")
def half_refused(client: TestClient, staff: Staff, dossier_pdf: Path, locked_pdf: Path) -> str:
    return _send(client, staff, locked_pdf, dossier_pdf)


def test_a_refused_file_beside_a_page_with_nothing_to_review_still_needs_review(
    client: TestClient, staff: Staff, locked_pdf: Path, blank_png: Path
) -> None:
    """The blank page alone would leave the dossier `processed`: the refused file beside it makes it work."""
    alone = _send(client, staff, blank_png)
    assert client.get(f"/api/dossiers/{alone}", headers=staff.reviewer).json()["status"] == "processed"
    code = _send(client, staff, locked_pdf, blank_png)
    assert client.get(f"/api/dossiers/{code}", headers=staff.reviewer).json()["status"] == "needs_review"
    assert code in [q["code"] for q in client.get("/api/review-queue", headers=staff.reviewer).json()]


def test_a_refused_file_beside_a_good_scan_puts_the_dossier_in_review(
    client: TestClient, staff: Staff, half_refused: str
) -> None:
    record = client.get(f"/api/dossiers/{half_refused}", headers=staff.reviewer).json()
    assert [p["error"] for p in record["problems"]] == ["PasswordProtected"]
    assert record["documents"], "the good scan was read"
    assert record["status"] == "needs_review"
    queue = [q["code"] for q in client.get("/api/review-queue", headers=staff.reviewer).json()]
    assert half_refused in queue


def test_the_clerk_and_the_reviewer_read_the_reason_and_advice_in_vietnamese(
    client: TestClient, staff: Staff, half_refused: str
) -> None:
    counter = client.get("/", headers=staff.counter).text
    section = counter.split("Cần bổ sung", 1)[1]
    assert half_refused in section
    assert "Tệp PDF có mật khẩu, không mở được" in section
    assert "Gỡ mật khẩu (in ra một tệp PDF mới) rồi bổ sung lại tệp." in section
    for url in (f"/dossiers/{half_refused}/summary", f"/review/{half_refused}"):
        page = client.get(url, headers=staff.reviewer).text
        assert "Gỡ mật khẩu (in ra một tệp PDF mới)" in page
        assert "Remove the password" not in page and "password" not in page.lower()
