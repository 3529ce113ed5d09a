"""Issue 14, finding 8: search ranks the dossier holding the name as typed (with its marks, as a phrase) first,
whatever the order the dossiers came in, and shows a snippet of what matched; the page marks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Staff, make_staff
from tests.web.test_postgres import _page
from workers.settings import Settings
from workers.stores.records import Records
from workers.web import search
from workers.web.app import create_app

# oldest first: the dossier sought is neither the newest nor the oldest
DOSSIERS = [
    ("HS-S-1", "Lê Văn Anh", "Đơn đề nghị của ông Lê Văn Anh, thôn Đông"),
    ("HS-S-2", "Lê Văn Ảnh", "Giấy khai sinh: họ và tên cha Lê Văn Ảnh, quê quán Huế"),
    ("HS-S-3", "Trần Thị Ánh", "Người làm chứng: Văn Lê, ông Ảnh; hộ khẩu Lê Văn"),
]


def _fill(records: Records) -> None:
    for code, name, text in DOSSIERS:
        assert records.create_dossier(code, {"citizen_name": name})
        records.add_file(code, 1, "a.pdf", sha256="0" * 64, kind="pdf", page_count=1)
        records.add_pages(code, 1, 1, 1)
        records.finish_page(code, 1, _page(1, text))


@pytest.fixture()
def records(tmp_path: Path) -> Records:
    r = Records(f"sqlite:///{tmp_path / 'hoso.db'}")
    _fill(r)
    return r


def test_the_name_as_typed_with_its_marks_comes_first(records: Records) -> None:
    assert [r.code for r in search.search(records, "Lê Văn Ảnh")][:1] == ["HS-S-2"]
    # without marks, the phrase matches two dossiers: both before the one with the words scattered
    assert [r.code for r in search.search(records, "le van anh")][-1] == "HS-S-3"
    assert [r.code for r in search.search(records, "Lê Văn Anh")][:1] == ["HS-S-1"]


def test_a_hit_quotes_the_text_around_the_match_with_the_words_marked(records: Records) -> None:
    hit = search.find(records, "van anh")[0]
    marked = [part for part, m in hit.snippet if m]
    assert any("văn" in p.lower() for p in marked) and any("ảnh" in p.lower() or "anh" in p.lower() for p in marked)
    assert "".join(p for p, _ in hit.snippet).strip()


def test_the_search_page_shows_the_snippet_marked(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", jobs=1))
    staff: Staff = make_staff(app)
    _fill(app.state.web.records)
    with TestClient(app) as client:
        page = client.get("/search", params={"q": "Lê Văn Ảnh"}, headers=staff.counter | {"accept": "text/html"})
    assert page.status_code == 200
    first = page.text.index("HS-S-2")
    assert all(first < page.text.index(code) for code in ("HS-S-1", "HS-S-3") if code in page.text)
    assert "<mark>Lê</mark> <mark>Văn</mark> <mark>Ảnh</mark>" in page.text
