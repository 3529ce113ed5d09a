"""The web app's log (issue 13, finding 6): dossier codes and kinds of error, never what staff searched for, a
citizen's name or number, or a file name. No OCR here."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from schemas.errors import DatabaseUnavailable
from workers.settings import Settings
from workers.web.app import create_app
from workers.web.logs import uvicorn_log_config

ID_NUMBER = "001099012345"


def test_the_access_log_keeps_paths_but_not_what_was_searched(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data"), resume=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=uvicorn_log_config()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    seen = io.StringIO()
    handler = logging.StreamHandler(seen)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("uvicorn.access")
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        access.addHandler(handler)
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/search", params={"q": ID_NUMBER}).status_code == 401
        assert httpx.get(f"{base}/login", params={"next": f"/search?q={ID_NUMBER}"}).status_code == 200
    finally:
        access.removeHandler(handler)
        server.should_exit = True
        thread.join(timeout=10)
    lines = seen.getvalue()
    assert "GET /search HTTP/1.1" in lines and "GET /login HTTP/1.1" in lines
    assert ID_NUMBER not in lines and "?" not in lines


def test_a_server_error_is_logged_by_its_kind_not_its_message(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from fastapi.testclient import TestClient

    app = create_app(Settings(data_dir=tmp_path / "data"), resume=False)

    def boom() -> None:
        raise DatabaseUnavailable(f"lost while reading CCCD {ID_NUMBER}", file=f"CCCD {ID_NUMBER} Nguyễn Văn An.pdf")

    app.add_api_route("/api/boom", boom)
    with caplog.at_level(logging.INFO), TestClient(app) as c:
        assert c.get("/api/boom").status_code == 503
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "DatabaseUnavailable on /api/boom" in logged
    assert ID_NUMBER not in logged and "Nguyễn" not in logged
