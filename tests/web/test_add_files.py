"""Issue 14, finding 3: the clerk can add files to an existing dossier (a paper brought later) or replace a
refused one; the dossier is read again with them, and a replaced file's problem goes."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from tests.web.conftest import make_staff, wait_final
from workers.settings import Settings
from workers.web.app import create_app


def test_a_refused_file_is_replaced_and_a_later_paper_added(tmp_path: Path, blank_png: Path) -> None:
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot a pdf\n%%EOF\n")
    later = tmp_path / "bo-sung.png"
    Image.new("L", (700, 900), 255).save(later, format="PNG", dpi=(100, 100))
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff = make_staff(app)
    with TestClient(app) as client:
        with blank_png.open("rb") as a, bad.open("rb") as b:
            files = [("files", ("trang.png", a)), ("files", ("hong.pdf", b))]
            code = client.post("/api/dossiers", files=files, headers=staff.counter).json()["code"]
        wait_final(client, code, staff.counter)
        record = client.get(f"/api/dossiers/{code}", headers=staff.counter).json()
        assert [p["file"] for p in record["problems"]] == ["hong.pdf"] and len(record["pages"]) == 1
        page = client.get(f"/dossiers/{code}", headers=staff.counter | {"accept": "text/html"}).text
        assert "Bổ sung tệp" in page and 'data-replace="hong.pdf"' in page

        # a replacement for a file that was not refused (or is not the dossier's) is refused, nothing added
        for name in ("trang.png", "khac.pdf"):
            with later.open("rb") as f:
                res = client.post(f"/api/dossiers/{code}/files", files={"files": ("bo-sung.png", f)},
                                  data={"replace": name}, headers=staff.counter)  # fmt: skip
            assert res.status_code == 422 and res.json()["error"] == "NotARefusedFile", res.text
        assert len(client.get(f"/api/dossiers/{code}", headers=staff.counter).json()["pages"]) == 1

        # WHEN the clerk sends a readable scan in place of the refused one
        with later.open("rb") as f:
            res = client.post(
                f"/api/dossiers/{code}/files", files={"files": ("bo-sung.png", f)}, data={"replace": "hong.pdf"},
                headers=staff.counter,
            )  # fmt: skip
        assert res.status_code == 202, res.text
        wait_final(client, code, staff.counter)

        # THEN the dossier has both pages, in order, and no problem left
        record = client.get(f"/api/dossiers/{code}", headers=staff.counter).json()
        assert [p["source"]["file"] for p in record["pages"]] == ["trang.png", "bo-sung.png"]
        assert record["problems"] == []

        # AND a reviewed dossier is not changed behind its reviewer's back
        client.post(f"/api/dossiers/{code}/review", headers=staff.reviewer).raise_for_status()
        with later.open("rb") as f:
            refused = client.post(f"/api/dossiers/{code}/files", files={"files": ("x.png", f)}, headers=staff.counter)
        assert refused.status_code == 409
