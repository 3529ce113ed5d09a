"""Who is asking: a signed session cookie (the pages) or a bearer token (the API), and the CSRF check.

The session cookie holds the user name and is signed (itsdangerous) with the server's secret key, which
comes from HOSO_SECRET_KEY or, when that is unset, from a key made once and kept in the data folder. Writes
made with the cookie must carry `X-CSRF-Token` (set by the pages' JavaScript): a token derived from the
cookie, which another site cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from schemas.errors import ConfigError
from workers.settings import Settings

log = logging.getLogger("hoso.web")

SESSION_COOKIE = "hoso_session"
LANG_COOKIE = "hoso_lang"
CSRF_HEADER = "x-csrf-token"


def secret_key(settings: Settings) -> str:
    """HOSO_SECRET_KEY, else a key kept in `data_dir/web-secret` (made on first use, readable by us only)."""
    if settings.web.secret_key:
        if len(settings.web.secret_key) < 16:
            raise ConfigError("HOSO_SECRET_KEY is too short: use at least 16 random characters")
        return settings.web.secret_key
    path = settings.data_dir / "web-secret"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    _write_private(path, key)
    log.info("made a secret key for session cookies", extra={"stage": "web", "path": str(path)})
    return path.read_text(encoding="ascii").strip()  # another process may have written it first


def _write_private(path: Path, text: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)


class Sessions:
    def __init__(self, secret: str, max_age_s: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="hoso-session")
        self._csrf_key = hashlib.sha256(("csrf:" + secret).encode()).digest()
        self.max_age_s = max_age_s

    def issue(self, user_name: str) -> str:
        return self._serializer.dumps({"u": user_name, "n": secrets.token_hex(8)})

    def user_name(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age_s)
        except BadSignature:  # also expired
            return None
        name = data.get("u") if isinstance(data, dict) else None
        return name if isinstance(name, str) else None

    def csrf_token(self, cookie: str) -> str:
        return hmac.new(self._csrf_key, cookie.encode(), hashlib.sha256).hexdigest()[:40]

    def csrf_ok(self, cookie: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(cookie), token or "")
