"""Who is asking: a session cookie (the pages) or a bearer token (the API), and the CSRF check.

The session cookie carries a random id; the session lives in the record database (only the id's SHA-256),
so logout, a password change or disabling the user ends it, and it ends by itself when unused for the idle
time or older than its lifetime. Writes made with the cookie must carry `X-CSRF-Token` (set by the pages'
JavaScript): a token derived from the cookie with the server's secret key (HOSO_SECRET_KEY, else one made
once and kept in the data folder), which another site cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import time
from pathlib import Path

from schemas.errors import ConfigError
from workers.settings import Settings
from workers.stores.records import Records

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


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8")).hexdigest()


class Sessions:
    def __init__(self, records: Records, secret: str, *, lifetime_s: float, idle_s: float) -> None:
        self._records = records
        self._csrf_key = hashlib.sha256(("csrf:" + secret).encode()).digest()
        self.lifetime_s = lifetime_s
        self.idle_s = idle_s

    @property
    def max_age_s(self) -> int:
        return int(self.lifetime_s)

    def issue(self, user_name: str) -> str:
        """A new session for the user: the cookie's value (a random id)."""
        cookie = secrets.token_urlsafe(32)
        self._records.add_session(_digest(cookie), user_name, forget_before=time.time() - self.lifetime_s)
        return cookie

    def user_name(self, cookie: str | None) -> str | None:
        """The user of a live session, else None (unknown, ended, idle too long, too old, user disabled)."""
        if not cookie or len(cookie) > 200:
            return None
        return self._records.session_user(_digest(cookie), idle_s=self.idle_s, lifetime_s=self.lifetime_s)

    def end(self, cookie: str) -> None:
        self._records.end_session(_digest(cookie))

    def csrf_token(self, cookie: str) -> str:
        return hmac.new(self._csrf_key, cookie.encode(), hashlib.sha256).hexdigest()[:40]

    def csrf_ok(self, cookie: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(cookie), token or "")
